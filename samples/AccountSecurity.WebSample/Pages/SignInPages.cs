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
        app.MapGet("/signin", async Task<IResult> (HttpContext context, Flash flash, string? m, string? returnUrl) =>
        {
            var data = flash.Take(context);
            var notice = m is not null && Notices.TryGetValue(m, out var text) ? text : null;
            return Page(context, data.Value("email"), data.ErrorsOf("signin"), notice, await PasskeyPages.PasswordlessAsync(context, data.ErrorsOf("passkey")), ReturnUrlOf(returnUrl));
        });

        app.MapPost("/signin", async Task<IResult> (HttpContext context, AccountSecuritySignInManager signIn, Flash flash, IOptions<AccountSecurityAspNetCoreOptions> layer) =>
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var email = form["email"].ToString();
            var back = ReturnUrlOf(form["returnUrl"]);
            var here = WithReturnUrl("/signin", back);
            if (AbuseLimits.Refusal(context, AbuseOperation.SignIn, email, here) is { } refused)
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

        app.MapGet("/signin/second-factor", async Task<IResult> (HttpContext context, AccountSecuritySignInManager signIn, Flash flash, string? returnUrl) =>
        {
            if (await signIn.GetPendingStepAsync() != PendingSignInStep.SecondFactor)
            {
                return Respond.Redirect("/signin?m=expired");
            }

            var data = flash.Take(context);
            return SecondFactorPage(context, data.ErrorsOf("code"), data.ErrorsOf("recovery"), await PasskeyPages.SecondFactorAsync(context, data.ErrorsOf("passkey")), ReturnUrlOf(returnUrl));
        });

        app.MapPost("/signin/second-factor", async Task<IResult> (HttpContext context, AccountSecuritySignInManager signIn, Flash flash, IOptions<AccountSecurityAspNetCoreOptions> layer) =>
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var back = ReturnUrlOf(form["returnUrl"]);
            var here = WithReturnUrl("/signin/second-factor", back);
            if (AbuseLimits.Refusal(context, AbuseOperation.SignIn, account: null, here) is { } refused)
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

        app.MapGet("/signin/setup", async Task<IResult> (HttpContext context, AccountSecuritySignInManager signIn, Flash flash, string? returnUrl) =>
        {
            if (await signIn.GetPendingStepAsync() != PendingSignInStep.TwoFactorSetup)
            {
                return Respond.Redirect("/signin?m=expired");
            }

            // After a wrong code only the code input comes back: a new key would not match what the app just scanned.
            var data = flash.Take(context);
            var here = WithReturnUrl("/signin/setup", ReturnUrlOf(returnUrl));
            if (data.ErrorsOf("setup") is { Count: > 0 } errors)
            {
                return new HtmlPageResult(Layout.Bare("Set up two-factor authentication", Html.Of($"""
                    {TwoFactorSetupView.ConfirmOnly(context, here, errors, restartHref: here)}
                    {PasskeyPages.SetupChoice()}
                    {SetupWayOut(context)}
                    """)));
            }

            var setup = await signIn.BeginTwoFactorSetupAsync(context.RequestAborted);
            if (!setup.Succeeded)
            {
                // The ticket expired or was revoked in the library: the pending sign-in can never finish.
                await signIn.SignOutAsync();
                return Respond.Redirect("/signin?m=expired");
            }

            return new HtmlPageResult(Layout.Bare("Set up two-factor authentication", Html.Of($"""
                <p>Your administrator requires two-factor authentication for your account. Set it up now to finish signing in.</p>
                {TwoFactorSetupView.Render(setup.Value, context, here, errors: [])}
                {PasskeyPages.SetupChoice()}
                {SetupWayOut(context)}
                """)));
        });

        app.MapPost("/signin/setup", async Task<IResult> (HttpContext context, AccountSecuritySignInManager signIn, Flash flash, OneTimeDisplays displays, IOptions<AccountSecurityAspNetCoreOptions> layer, string? returnUrl) =>
        {
            var back = ReturnUrlOf(returnUrl);
            var here = WithReturnUrl("/signin/setup", back);
            if (AbuseLimits.Refusal(context, AbuseOperation.SignIn, account: null, here) is { } refused)
            {
                return refused;
            }

            var code = await Forms.FieldAsync(context, "code");
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

        app.MapGet("/session-ended", IResult (HttpContext context, SessionEnded ended) =>
        {
            var reason = ended.Read(context);
            return new HtmlPageResult(Layout.Bare("You have been signed out", Html.Of($"""
                <div class="alert alert-info" role="status" data-testid="session-ended" data-reason="{reason}">{SessionEnded.Message(reason)}</div>
                <p><a class="button primary" href="/signin">Sign in again</a></p>
                <p class="muted"><a href="/reset">Forgot your password?</a></p>
                """)));
        });
    }

    /// <summary>
    /// The message for a lockout, with its end when known. Sign-in shows it only when the host reveals locks
    /// (<c>RevealLockout</c>); by default a lock there reads like a wrong password or code.
    /// </summary>
    public static string LockedOut(DateTimeOffset? until) => until is { } end
        ? $"Too many failed attempts. Try again after {end.ToUniversalTime():yyyy-MM-dd HH:mm} UTC."
        : "Too many failed attempts. Try again later.";

    /// <summary>The page a signed-out visit asked for, when it is a path of this site (never an open redirect), else <see langword="null"/>.</summary>
    internal static string? ReturnUrlOf(string? returnUrl) => StepUp.LocalPath(returnUrl, fallback: string.Empty) is { Length: > 0 } local ? local : null;

    /// <summary><paramref name="path"/> with the way back to <paramref name="returnUrl"/> (local) in its query, when there is one.</summary>
    internal static string WithReturnUrl(string path, string? returnUrl) =>
        returnUrl is null ? path : $"{path}?returnUrl={Uri.EscapeDataString(returnUrl)}";

    private static Dictionary<string, string> Typed(string email) => new(StringComparer.Ordinal) { ["email"] = email.Length > 320 ? email[..320] : email };

    // Nothing was checked: the console is at its capacity for password checks. Not the user's fault, and nothing counted.
    private static string Busy(SignInResult result) =>
        $"Too many sign-ins are being checked right now, so yours was not checked yet. Try again in {Math.Ceiling(result.RetryAfter?.TotalSeconds ?? 1):0} seconds.";

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

    /// <summary>A forced setup is not a dead end: the user can leave it and sign in later (or as someone else).</summary>
    private static HtmlContent SetupWayOut(HttpContext context) => Html.Of($"""
        <form method="post" action="/signout" class="inline way-out">{Forms.Antiforgery(context)}<button type="submit" class="link">Not now: sign out</button></form>
        """);

    private static HtmlPageResult Page(HttpContext context, string? email, IReadOnlyList<string> errors, string? notice, HtmlContent passkey, string? returnUrl, int status = StatusCodes.Status200OK) =>
        new(Layout.Bare("Sign in", Html.Of($"""
            {Layout.Info(notice)}
            {Layout.Errors(errors)}
            <form method="post" action="/signin" class="stack">
              {Forms.Antiforgery(context)}
              {ReturnUrlField(returnUrl)}
              <label>E-mail address <input type="email" name="email" autocomplete="username" required value="{email}"></label>
              <label>Password <input type="password" name="password" autocomplete="current-password" required{Html.If(email is { Length: > 0 }, HtmlContent.Trusted(" autofocus"))}></label>
              <button type="submit" class="primary">Sign in</button>
            </form>
            {passkey}
            <p class="muted"><a href="/reset">Forgot your password?</a></p>
            """)), status);

    private static HtmlContent ReturnUrlField(string? returnUrl) =>
        returnUrl is null ? HtmlContent.Empty : Html.Of($"""<input type="hidden" name="returnUrl" value="{returnUrl}">""");

    private static HtmlPageResult SecondFactorPage(HttpContext context, IReadOnlyList<string> codeErrors, IReadOnlyList<string> recoveryErrors, HtmlContent passkey, string? returnUrl) =>
        new(Layout.Bare("Two-factor authentication", Html.Of($"""
            {Layout.Errors(codeErrors)}
            <form method="post" action="/signin/second-factor" class="stack">
              {Forms.Antiforgery(context)}
              {ReturnUrlField(returnUrl)}
              <label>Code from your authenticator app
                <input type="text" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]*" maxlength="10" required{Html.If(recoveryErrors.Count == 0, HtmlContent.Trusted(" autofocus"))}>
              </label>
              <button type="submit" class="primary">Verify</button>
            </form>
            {passkey}
            <details id="recovery"{Html.If(recoveryErrors.Count > 0, HtmlContent.Trusted(" open"))}>
              <summary>Lost your phone? Use a recovery code</summary>
              {Layout.Errors(recoveryErrors)}
              <form method="post" action="/signin/second-factor" class="stack">
                {Forms.Antiforgery(context)}
                {ReturnUrlField(returnUrl)}
                <label>Recovery code <input type="text" name="recoveryCode" autocomplete="off" required{Html.If(recoveryErrors.Count > 0, HtmlContent.Trusted(" autofocus"))}></label>
                <button type="submit">Sign in with recovery code</button>
              </form>
            </details>
            <p class="muted"><a href="/signin">Cancel</a></p>
            """)));
}

/// <summary>Recovery codes waiting for their one showing (in server memory, never in a cookie).</summary>
/// <param name="Codes">The codes.</param>
/// <param name="FirstSetup">Whether they come with a just-finished setup (the page then says 2FA is now active).</param>
public sealed record RecoveryCodesToShow(IReadOnlyList<string> Codes, bool FirstSetup);
