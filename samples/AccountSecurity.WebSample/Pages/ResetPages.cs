using AccountSecurity.AspNetCore.RateLimiting;
using AccountSecurity.Passwords.Reset;
using AccountSecurity.WebSample.Infrastructure;

namespace AccountSecurity.WebSample.Pages;

/// <summary>The posts of the password reset by e-mail (the pages, and the demo outbox, are Razor Pages).</summary>
public static class ResetPages
{
    /// <summary>Maps the endpoints.</summary>
    public static void Map(WebApplication app)
    {
        app.MapPost("/reset", async Task<IResult> (HttpContext context, IPasswordResetService resets, Flash flash) =>
        {
            var email = await FormFields.FieldAsync(context, "email") ?? string.Empty;
            if (await AbuseLimits.RefusalAsync(context, AbuseOperation.PasswordReset, email, "/reset") is { } refused)
            {
                return refused;
            }

            var result = await resets.RequestResetAsync(email, context.RequestAborted);
            return result.Succeeded
                ? flash.Notice(context, "/reset", "sent")
                : flash.Errors(context, "/reset", "reset", ["Enter a valid e-mail address, like name@example.com."], new(StringComparer.Ordinal) { ["email"] = email.Length > 320 ? email[..320] : email });
        });

        app.MapPost("/reset/confirm", async Task<IResult> (HttpContext context, IPasswordResetService resets, Flash flash) =>
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var email = form["email"].ToString();
            if (await AbuseLimits.RefusalAsync(context, AbuseOperation.PasswordReset, email, "/reset/confirm") is { } refused)
            {
                return refused;
            }

            var result = await resets.ResetPasswordAsync(email, form["token"], form["newPassword"], form["newPasswordRepeated"], context.RequestAborted);
            return result.Succeeded
                ? Respond.SeeOther("/signin?m=password-reset")
                : flash.Errors(
                    context,
                    "/reset/confirm",
                    "confirm",
                    [.. SecurityPages.Messages(result), "For your safety the reset code is not kept: paste it from the e-mail again (or open its link again), then choose a password that meets the rules."],
                    new(StringComparer.Ordinal) { ["email"] = email.Length > 320 ? email[..320] : email });
        });
    }
}
