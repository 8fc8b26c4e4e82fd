using AccountSecurity.SignIn;
using AccountSecurity.TwoFactor;
using AccountSecurity.WebSample.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace AccountSecurity.WebSample.Pages;

/// <summary>Sign-in: password, then the second factor or the forced setup; and sign-out.</summary>
public static class SignInPages
{
    /// <summary>Messages a redirect may ask for by key, so no text (and nothing personal) travels in the URL.</summary>
    private static readonly Dictionary<string, string> Notices = new(StringComparer.Ordinal)
    {
        ["signed-out"] = "You have been signed out.",
        ["expired"] = "Your sign-in took too long or was interrupted. Please sign in again.",
        ["password-reset"] = "Your password has been reset. Sign in with the new one.",
        ["session-ended"] = "Your session has ended. Please sign in again.",
    };

    /// <summary>Maps the endpoints.</summary>
    public static void Map(WebApplication app)
    {
        app.MapGet("/signin", IResult (HttpContext context, string? m) =>
            Page(context, email: null, errors: [], notice: m is not null && Notices.TryGetValue(m, out var text) ? text : null));

        app.MapPost("/signin", async Task<IResult> (HttpContext context, SignInService signIn, PendingSignInCookie pending) =>
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var email = form["email"].ToString();
            var result = await signIn.PasswordSignInAsync(email, form["password"].ToString(), context.RequestAborted);
            switch (result.Status)
            {
                case SignInStatus.Succeeded:
                    pending.Clear(context);
                    await SessionCookie.SignInAsync(context, result.Session!);
                    return Respond.Redirect("/security");
                case SignInStatus.SecondFactorRequired:
                    pending.Set(context, PendingStep.SecondFactor, result.Ticket!);
                    return Respond.Redirect("/signin/second-factor");
                case SignInStatus.TwoFactorSetupRequired:
                    pending.Set(context, PendingStep.Setup, result.Ticket!);
                    return Respond.Redirect("/signin/setup");
                case SignInStatus.LockedOut:
                    return Page(context, email, [LockedOut(result.LockedOutUntil)], notice: null, StatusCodes.Status429TooManyRequests);
                default:
                    return Page(context, email, ["The e-mail address or the password is wrong."], notice: null, StatusCodes.Status401Unauthorized);
            }
        });

        app.MapGet("/signin/second-factor", IResult (HttpContext context, PendingSignInCookie pending) =>
            pending.Get(context, PendingStep.SecondFactor) is null ? Respond.Redirect("/signin?m=expired") : SecondFactorPage(context, errors: []));

        app.MapPost("/signin/second-factor", async Task<IResult> (HttpContext context, SignInService signIn, PendingSignInCookie pending) =>
        {
            var ticket = pending.Get(context, PendingStep.SecondFactor);
            if (ticket is null)
            {
                return Respond.Redirect("/signin?m=expired");
            }

            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var recoveryCode = form["recoveryCode"].ToString();
            var result = string.IsNullOrWhiteSpace(recoveryCode)
                ? await signIn.SecondFactorSignInAsync(ticket, form["code"].ToString(), context.RequestAborted)
                : await signIn.RecoveryCodeSignInAsync(ticket, recoveryCode, context.RequestAborted);
            if (result.Succeeded)
            {
                pending.Clear(context);
                await SessionCookie.SignInAsync(context, result.Session!);
                return Respond.Redirect("/security");
            }

            if (result.ErrorCode == SignInErrorCodes.InvalidTicket)
            {
                pending.Clear(context);
                return Respond.Redirect("/signin?m=expired");
            }

            return SecondFactorPage(context, [SignInFailure(result)], StatusCodes.Status401Unauthorized);
        });

        app.MapGet("/signin/setup", async Task<IResult> (HttpContext context, SignInService signIn, PendingSignInCookie pending) =>
        {
            var ticket = pending.Get(context, PendingStep.Setup);
            var setup = ticket is null ? null : await signIn.BeginTwoFactorSetupAsync(ticket, context.RequestAborted);
            if (setup is null || !setup.Succeeded)
            {
                pending.Clear(context);
                return Respond.Redirect("/signin?m=expired");
            }

            return new HtmlPageResult(Layout.Bare("Set up two-factor authentication", Html.Of($"""
                <p>Your administrator requires two-factor authentication for your account. Set it up now to finish signing in.</p>
                {TwoFactorSetupView.Render(setup.Value, context, "/signin/setup", errors: [])}
                """)));
        });

        app.MapPost("/signin/setup", async Task<IResult> (HttpContext context, SignInService signIn, PendingSignInCookie pending) =>
        {
            var ticket = pending.Get(context, PendingStep.Setup);
            if (ticket is null)
            {
                return Respond.Redirect("/signin?m=expired");
            }

            var code = await Forms.FieldAsync(context, "code");
            var result = await signIn.TwoFactorSetupSignInAsync(ticket, code, context.RequestAborted);
            if (result.Succeeded)
            {
                pending.Clear(context);
                await SessionCookie.SignInAsync(context, result.Session!);
                return new HtmlPageResult(Layout.Bare("Two-factor authentication is active", TwoFactorSetupView.RecoveryCodes(result.RecoveryCodes ?? [], "/security", "Continue to the console")));
            }

            if (result.ErrorCode == SignInErrorCodes.InvalidTicket)
            {
                pending.Clear(context);
                return Respond.Redirect("/signin?m=expired");
            }

            return new HtmlPageResult(
                Layout.Bare("Set up two-factor authentication", TwoFactorSetupView.ConfirmOnly(context, "/signin/setup", [SignInFailure(result)], restartHref: "/signin/setup")),
                StatusCodes.Status400BadRequest);
        });

        app.MapPost("/signout", async Task<IResult> (HttpContext context, PendingSignInCookie pending) =>
        {
            pending.Clear(context);
            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Respond.Redirect("/signin?m=signed-out");
        });
    }

    /// <summary>The message for a lockout, with its end when known.</summary>
    public static string LockedOut(DateTimeOffset? until) => until is { } end
        ? $"Too many failed attempts. Try again after {end.ToUniversalTime():yyyy-MM-dd HH:mm} UTC."
        : "Too many failed attempts. Try again later.";

    private static string SignInFailure(SignInResult result) => result.Status == SignInStatus.LockedOut
        ? LockedOut(result.LockedOutUntil)
        : result.ErrorCode switch
        {
            SignInErrorCodes.CodeReplayed => "This code has already been used. Wait for the next code in your authenticator app.",
            TwoFactorErrorCodes.NoPendingSetup => "The setup has expired. Start over to get a new key.",
            _ => "The code is not valid. Check the time on your phone and enter the current code.",
        };

    private static HtmlPageResult Page(HttpContext context, string? email, IReadOnlyList<string> errors, string? notice, int status = StatusCodes.Status200OK) =>
        new(Layout.Bare("Sign in", Html.Of($"""
            {Layout.Info(notice)}
            {Layout.Errors(errors)}
            <form method="post" action="/signin" class="stack">
              {Forms.Antiforgery(context)}
              <label>E-mail address <input type="email" name="email" autocomplete="username" required value="{email}"></label>
              <label>Password <input type="password" name="password" autocomplete="current-password" required></label>
              <button type="submit" class="primary">Sign in</button>
            </form>
            <p class="muted"><a href="/reset">Forgot your password?</a></p>
            """)), status);

    private static HtmlPageResult SecondFactorPage(HttpContext context, IReadOnlyList<string> errors, int status = StatusCodes.Status200OK) =>
        new(Layout.Bare("Two-factor authentication", Html.Of($"""
            {Layout.Errors(errors)}
            <form method="post" action="/signin/second-factor" class="stack">
              {Forms.Antiforgery(context)}
              <label>Code from your authenticator app
                <input type="text" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]*" maxlength="10" required autofocus>
              </label>
              <button type="submit" class="primary">Verify</button>
            </form>
            <details>
              <summary>Lost your phone? Use a recovery code</summary>
              <form method="post" action="/signin/second-factor" class="stack">
                {Forms.Antiforgery(context)}
                <label>Recovery code <input type="text" name="recoveryCode" autocomplete="off" required></label>
                <button type="submit">Sign in with recovery code</button>
              </form>
            </details>
            <p class="muted"><a href="/signin">Cancel</a></p>
            """)), status);
}
