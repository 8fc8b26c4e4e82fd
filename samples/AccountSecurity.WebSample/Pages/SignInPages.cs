using AccountSecurity.AspNetCore.DependencyInjection;
using AccountSecurity.AspNetCore.RateLimiting;
using AccountSecurity.AspNetCore.SignIn;
using AccountSecurity.Results;
using AccountSecurity.SignIn;
using AccountSecurity.WebSample.Infrastructure;
using Microsoft.Extensions.Options;

namespace AccountSecurity.WebSample.Pages;

/// <summary>
/// Sign-in: password, then the second factor or the forced setup; sign-out; and the session-ended page. The package's
/// <see cref="AccountSecuritySignInManager"/> keeps the sign-in ticket in its pending cookie (scoped to /signin) between
/// the steps and issues the session cookie; these pages only choose what to show.
/// </summary>
public static class SignInPages
{
    /// <summary>The purpose under which the forced setup's recovery codes wait for their one showing.</summary>
    internal const string RecoveryCodesDisplay = "codes";

    /// <summary>Where a sign-in lands when it asked for no page (or for one that is not of this site).</summary>
    internal const string DefaultPage = "/security";

    /// <summary>Messages a redirect may ask for by key, so no text (and nothing personal) travels in the URL.</summary>
    private static readonly Dictionary<string, string> Notices = new(StringComparer.Ordinal)
    {
        ["signed-out"] = "You have been signed out.",
        ["expired"] = "Your sign-in took too long or was interrupted. Enter your e-mail address and password again.",
        ["password-reset"] = "Your password has been reset. Sign in with the new one.",
        ["session-ended"] = "Your session has ended. Please sign in again.",
    };

    /// <summary>Maps the endpoints.</summary>
    public static void Map(WebApplication app)
    {
        app.MapPost("/signin", async Task<IResult> (HttpContext context, AccountSecuritySignInManager signIn, Flash flash, IOptions<AccountSecurityAspNetCoreOptions> layer) =>
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var email = form["email"].ToString();
            var back = ReturnUrlOf(form["returnUrl"]);
            var here = WithReturnUrl("/signin", back);
            if (await AbuseLimits.RefusalAsync(context, AbuseOperation.SignIn, email, here) is { } refused)
            {
                return refused;
            }

            // A locked account is answered as the JSON API answers it: like a wrong password, unless the host reveals locks.
            var result = (await signIn.PasswordSignInAsync(email, form["password"].ToString(), context.RequestAborted)).ForDisplay(layer.Value);
            switch (result.Status)
            {
                case SignInStatus.Succeeded:
                    SessionEnded.Clear(context);
                    return Respond.SeeOther(back ?? DefaultPage);
                case SignInStatus.SecondFactorRequired:
                    return Respond.SeeOther(WithReturnUrl("/signin/second-factor", back));
                case SignInStatus.TwoFactorSetupRequired:
                    return Respond.SeeOther(WithReturnUrl("/signin/setup", back));
                case SignInStatus.LockedOut:
                    return flash.Errors(context, here, "signin", [LockedOut(result.LockedOutUntil)], Typed(email));
                case SignInStatus.Busy:
                    return flash.Errors(context, here, "signin", [Busy(result)], Typed(email));
                default:
                    return flash.Errors(context, here, "signin", ["The e-mail address or the password is wrong. Check both and try again, or use \"Forgot your password?\" below."], Typed(email));
            }
        });

        app.MapPost("/signin/second-factor", async Task<IResult> (HttpContext context, AccountSecuritySignInManager signIn, Flash flash, IOptions<AccountSecurityAspNetCoreOptions> layer) =>
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var back = ReturnUrlOf(form["returnUrl"]);
            var here = WithReturnUrl("/signin/second-factor", back);
            if (await AbuseLimits.RefusalAsync(context, AbuseOperation.SignIn, account: null, here) is { } refused)
            {
                return refused;
            }

            var recoveryCode = form["recoveryCode"].ToString();
            var usesRecoveryCode = !string.IsNullOrWhiteSpace(recoveryCode);
            var result = (usesRecoveryCode
                ? await signIn.RecoveryCodeSignInAsync(recoveryCode, context.RequestAborted)
                : await signIn.SecondFactorSignInAsync(form["code"].ToString(), context.RequestAborted)).ForDisplay(layer.Value, SecurityErrorCodes.InvalidCode);
            if (result.Succeeded)
            {
                SessionEnded.Clear(context);
                return Respond.SeeOther(back ?? DefaultPage);
            }

            // No pending cookie, or its ticket expired or was spent (the facade has already deleted the cookie).
            if (result.ErrorCode == SecurityErrorCodes.InvalidTicket)
            {
                return Respond.SeeOther("/signin?m=expired");
            }

            // The form that failed stays open with its own message: a recovery code is not a code from the app.
            return usesRecoveryCode
                ? flash.Errors(context, here, "recovery", [RecoveryCodeFailure(result)])
                : flash.Errors(context, here, "code", [SignInFailure(result)]);
        });

        app.MapPost("/signin/setup", async Task<IResult> (HttpContext context, AccountSecuritySignInManager signIn, Flash flash, OneTimeDisplays displays, IOptions<AccountSecurityAspNetCoreOptions> layer, string? returnUrl) =>
        {
            var back = ReturnUrlOf(returnUrl);
            var here = WithReturnUrl("/signin/setup", back);
            if (await AbuseLimits.RefusalAsync(context, AbuseOperation.SignIn, account: null, here) is { } refused)
            {
                return refused;
            }

            var code = await FormFields.FieldAsync(context, "code");
            var result = (await signIn.TwoFactorSetupSignInAsync(code, context.RequestAborted)).ForDisplay(layer.Value, SecurityErrorCodes.InvalidCode);
            if (result.Succeeded)
            {
                SessionEnded.Clear(context);
                displays.Put(context, result.Session!.UserId, RecoveryCodesDisplay, new RecoveryCodesToShow(result.RecoveryCodes ?? [], FirstSetup: true));
                return Respond.SeeOther(WithReturnUrl("/security/recovery-codes", back));
            }

            if (result.ErrorCode == SecurityErrorCodes.InvalidTicket)
            {
                return Respond.SeeOther("/signin?m=expired");
            }

            return flash.Errors(context, here, "setup", [SignInFailure(result)]);
        });

        app.MapPost("/signout", async Task<IResult> (AccountSecuritySignInManager signIn) =>
        {
            await signIn.SignOutAsync();
            return Respond.SeeOther("/signin?m=signed-out");
        });
    }

    /// <summary>
    /// The message for a lockout, with its end when known. Sign-in shows it only when the host reveals locks
    /// (<c>RevealLockout</c>); by default a lock there reads like a wrong password or code.
    /// </summary>
    public static string LockedOut(DateTimeOffset? until) => until is { } end
        ? ConsoleText.Of("Too many failed attempts. Try again after {0}.", Display.Time(end))
        : "Too many failed attempts. Try again later.";

    /// <summary>The notice a redirect asked for by key (a key of the console's texts), or <see langword="null"/>.</summary>
    internal static string? Notice(string? key) => key is not null && Notices.TryGetValue(key, out var text) ? text : null;

    /// <summary>The page a signed-out visit asked for, when it is a path of this site (never an open redirect), else <see langword="null"/>.</summary>
    internal static string? ReturnUrlOf(string? returnUrl) => StepUp.LocalPath(returnUrl, fallback: string.Empty) is { Length: > 0 } local ? local : null;

    /// <summary><paramref name="path"/> with the way back to <paramref name="returnUrl"/> (local) in its query, when there is one.</summary>
    internal static string WithReturnUrl(string path, string? returnUrl) =>
        returnUrl is null ? path : $"{path}?returnUrl={Uri.EscapeDataString(returnUrl)}";

    private static Dictionary<string, string> Typed(string email) => new(StringComparer.Ordinal) { ["email"] = email.Length > 320 ? email[..320] : email };

    // Nothing was checked: the console is at its capacity for password checks. Not the user's fault, and nothing counted.
    private static string Busy(SignInResult result) =>
        ConsoleText.Of("Too many sign-ins are being checked right now, so yours was not checked yet. Try again in {0} seconds.", Math.Ceiling(result.RetryAfter?.TotalSeconds ?? 1));

    private static string SignInFailure(SignInResult result) => result.Status == SignInStatus.Busy
        ? Busy(result)
        : result.Status == SignInStatus.LockedOut
        ? LockedOut(result.LockedOutUntil)
        : result.ErrorCode switch
        {
            SecurityErrorCodes.CodeReplayed => "This code has already been used. Wait for the next code in your authenticator app.",
            SecurityErrorCodes.TwoFactorNoPendingSetup => "The setup has expired. Start over to get a new key.",
            _ => "The code is not valid. Check the time on your phone and enter the current code.",
        };

    private static string RecoveryCodeFailure(SignInResult result) => result.Status == SignInStatus.LockedOut
        ? LockedOut(result.LockedOutUntil)
        : "This recovery code is not valid or has already been used. Each code works once: try another one from your saved list, or use the code from your authenticator app.";
}

/// <summary>Recovery codes waiting for their one showing (in server memory, never in a cookie).</summary>
/// <param name="Codes">The codes.</param>
/// <param name="FirstSetup">Whether they come with a just-finished setup (the page then says 2FA is now active).</param>
public sealed record RecoveryCodesToShow(IReadOnlyList<string> Codes, bool FirstSetup);
