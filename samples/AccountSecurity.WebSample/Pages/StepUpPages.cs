using AccountSecurity.AspNetCore.Authorization;
using AccountSecurity.AspNetCore.RateLimiting;
using AccountSecurity.Passkeys;
using AccountSecurity.Reauthentication;
using AccountSecurity.Results;
using AccountSecurity.SignIn;
using AccountSecurity.WebSample.Infrastructure;

namespace AccountSecurity.WebSample.Pages;

/// <summary>
/// "Confirm it's you": the dialog page of its own (where a change refused with <c>reauthentication_required</c> lands),
/// and the two posts every step-up card sends — the password (with the authenticator code when the app is on) and the
/// passkey ceremony. Both go through the sign-in's abuse limits and the library's lockouts; success returns to the page
/// the user was on (a local path, checked), failure to the card that was used, with the library's message.
/// </summary>
public static class StepUpPages
{
    /// <summary>Maps the endpoints (a signed-in session; also during a forced two-factor setup or password change, which may need one).</summary>
    public static void Map(WebApplication app)
    {
        var group = app.MapGroup(StepUp.DialogPath).RequireAuthorization(AccountSecurityPolicies.SignedIn);

        group.MapPost("/", (HttpContext context, IReauthenticationService reauthentication, Flash flash) =>
            ConfirmAsync(context, flash, (session, form) => reauthentication.ReauthenticateAsync(session, form["password"], form["code"], context.RequestAborted)))
            .AllowDuringTwoFactorSetup()
            .AllowDuringPasswordChange();

        group.MapPost("/passkey", (HttpContext context, IPasskeyService passkeys, Flash flash) =>
            ConfirmAsync(context, flash, (session, form) => passkeys.CompleteReauthenticationAsync(session, form["state"], form["response"], context.RequestAborted)))
            .AllowDuringTwoFactorSetup()
            .AllowDuringPasswordChange();
    }

    /// <summary>
    /// One confirmation post, whichever way it proves the user: the session must still stand, the sign-in abuse limits
    /// apply, and the user goes back to the page they came from (or to the card they used, with the reason).
    /// </summary>
    private static async Task<IResult> ConfirmAsync(HttpContext context, Flash flash, Func<AuthenticatedSession, IFormCollection, ValueTask<SecurityResult<Reauthenticated>>> confirm)
    {
        if (await CurrentUser.LoadAsync(context) is not (var session, var user))
        {
            return Respond.SeeOther("/session-ended");
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var (back, page) = Targets(form);
        if (await AbuseLimits.RefusalAsync(context, AbuseOperation.SignIn, user.Email, page) is { } refused)
        {
            return refused;
        }

        var result = await confirm(session, form);
        return result.Succeeded
            ? Respond.SeeOther(back)
            : flash.Errors(context, page, StepUp.FlashKey, Failure(result));
    }

    /// <summary>Where to go on success (<c>returnUrl</c>) and on failure (<c>page</c>, the card that was used): local paths only.</summary>
    private static (string Back, string Page) Targets(IFormCollection form)
    {
        var back = StepUp.LocalPath(form["returnUrl"]);
        return (back, StepUp.LocalPath(form["page"], StepUp.DialogFor(back)));
    }

    /// <summary>The library's message (the lockout with its end); a passkey failure says what to try next.</summary>
    private static IReadOnlyList<string> Failure(SecurityResult result) =>
        result.ErrorCode switch
        {
            SecurityErrorCodes.PasskeyCeremonyExpired or SecurityErrorCodes.PasskeyChallengeReplayed => ["The passkey request has expired. Try again."],
            SecurityErrorCodes.PasskeyUserVerificationRequired => ["Your device did not check that it is you (PIN, fingerprint or face). Try again and confirm on your device."],
            _ => SecurityPages.Messages(result),
        };
}
