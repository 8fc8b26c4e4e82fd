using AccountSecurity.Accounts;
using AccountSecurity.AspNetCore.Authorization;
using AccountSecurity.AspNetCore.RateLimiting;
using AccountSecurity.SupportPin;
using AccountSecurity.WebSample.Infrastructure;

namespace AccountSecurity.WebSample.Pages;

/// <summary>
/// The support PIN: the user's card on "Password &amp; Security" (set, change, remove), and the page support staff
/// verify a caller on. The PIN is never echoed back, logged or put in a URL.
/// </summary>
public static class SupportPinPages
{
    /// <summary>Maps the endpoints (all require a signed-in user; verification requires owner or administrator).</summary>
    public static void Map(WebApplication app)
    {
        app.MapPost("/security/pin", async Task<IResult> (HttpContext context, ISupportPinService pins, Flash flash) =>
        {
            if (await CurrentUser.LoadAsync(context) is not (var session, _))
            {
                return Respond.SeeOther("/session-ended");
            }

            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var result = await pins.SetPinAsync(session, SecurityPages.Proof(form["currentPassword"]), form["pin"], form["pinRepeated"], context.RequestAborted);
            return result.Succeeded
                ? Respond.SeeOther("/security?m=pin-set#support-pin")
                : StepUp.Expired(context, flash, result, "/security#support-pin") ?? flash.Errors(context, "/security#support-pin", "pin", [.. SecurityPages.Messages(result), "The PIN was not saved. Enter the PIN twice."]);
        }).RequireAuthorization(AccountSecurityPolicies.SignedIn);

        app.MapPost("/security/pin/remove", async Task<IResult> (HttpContext context, ISupportPinService pins, Flash flash) =>
        {
            if (await CurrentUser.LoadAsync(context) is not (var session, _))
            {
                return Respond.SeeOther("/session-ended");
            }

            var result = await pins.RemovePinAsync(session, SecurityPages.Proof(await FormFields.FieldAsync(context, "currentPassword")), context.RequestAborted);
            return result.Succeeded
                ? Respond.SeeOther("/security?m=pin-removed#support-pin")
                : StepUp.Expired(context, flash, result, "/security#support-pin") ?? flash.Errors(context, "/security#support-pin", "pin", SecurityPages.Messages(result));
        }).RequireAuthorization(AccountSecurityPolicies.SignedIn);

        app.MapPost("/support/verify", async Task<IResult> (HttpContext context, ISupportPinService pins, Flash flash) =>
        {
            var caller = await UsersPages.AdminAsync(context, "support", "Support: verify a caller");
            if (caller is not (var agent, null))
            {
                return caller?.Denied ?? Respond.SeeOther("/session-ended");
            }

            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var email = form["email"].ToString();
            if (await AbuseLimits.RefusalAsync(context, AbuseOperation.SupportPinVerification, email, "/support") is { } refused)
            {
                return refused;
            }

            // The library authorizes the agent: by default a contract's own owner and administrators may check only
            // their own contract's accounts; any other address gets the unknown-account answer, and nothing is counted.
            var result = await pins.VerifyByEmailAsync(agent.Id, email, form["pin"], context.RequestAborted);
            var answer = result switch
            {
                { Succeeded: true } => ConsoleText.Of("Verified: the caller knows the support PIN of {0}.", email),
                { Outcome: SupportPinVerificationOutcome.LockedOut } => ConsoleText.Of("Locked: too many wrong PINs for this account. Try again after {0}; until then, verify the caller another way.", StepUp.Time(result.LockedOutUntil)),
                _ => ConsoleText.Of("Not verified: {0} Ask the caller to repeat the PIN; do not give any account details.", result.Errors[0].Message),
            };

            // The e-mail is typed by the agent and shown back; the PIN never leaves this request.
            var typed = new Dictionary<string, string>(StringComparer.Ordinal) { ["email"] = email.Length > 320 ? email[..320] : email };
            return result.Succeeded
                ? flash.Redirect(context, "/support", new FlashData { Notice = answer, Values = typed })
                : flash.Errors(context, "/support", "verify", [answer], typed);
        }).RequireAuthorization(AccountSecurityPolicies.SignedIn);
    }

    /// <summary>The "Support PIN" card of the Password &amp; Security page.</summary>
    public static async Task<SupportPinCard> CardAsync(HttpContext context, UserSummary user, IReadOnlyList<string> errors)
    {
        var status = await context.RequestServices.GetRequiredService<ISupportPinService>().GetStatusAsync(user.Id, context.RequestAborted);
        var isSet = status.Succeeded && status.Value.IsSet;
        return new SupportPinCard(isSet, isSet ? status.Value.SetAt : null, errors);
    }
}

/// <summary>What <c>_SupportPinCard.cshtml</c> shows.</summary>
/// <param name="IsSet">Whether the user has a support PIN.</param>
/// <param name="SetAt">Since when.</param>
/// <param name="Errors">The messages of the last change.</param>
public sealed record SupportPinCard(bool IsSet, DateTimeOffset? SetAt, IReadOnlyList<string> Errors);
