using AccountSecurity.AspNetCore.Authentication;
using AccountSecurity.AspNetCore.Authorization;
using AccountSecurity.AspNetCore.SignIn;
using AccountSecurity.Passwords.Change;
using AccountSecurity.Passwords.Policy;
using AccountSecurity.Results;
using AccountSecurity.SignIn;
using AccountSecurity.TwoFactor;
using AccountSecurity.WebSample.Infrastructure;

namespace AccountSecurity.WebSample.Pages;

/// <summary>"Password &amp; Security": change password, and the user's own two-factor authentication.</summary>
public static class SecurityPages
{
    private static readonly Dictionary<string, string> Notices = new(StringComparer.Ordinal)
    {
        ["password-changed"] = "Your password has been changed. Your other sessions have been signed out; this one stays signed in.",
        ["password-changed-kept"] = "Your password has been changed. Your other sessions stay signed in, as you chose; you can sign them out under Devices and sessions.",
        ["2fa-disabled"] = "Two-factor authentication is switched off. Resources protected by two-factor authentication are hidden until you set it up again and sign in with a code. Your other sessions have been signed out.",
        ["2fa-disabled-kept"] = "Two-factor authentication is switched off. Resources protected by two-factor authentication are hidden until you set it up again and sign in with a code. Your other sessions stay signed in, as you chose.",
        ["pin-set"] = "Your support PIN is saved. Support staff will ask for it when you call.",
        ["pin-removed"] = "Your support PIN is removed.",
    };

    /// <summary>The purpose under which a started authenticator setup (key and QR code) waits for its page.</summary>
    private const string SetupDisplay = "setup";

    /// <summary>
    /// Where the package sends a signed-in session whose user an administrator forced to use two-factor authentication
    /// and who has none yet (<c>Cookies.TwoFactorSetupPath</c>): the setup within the session, without signing out.
    /// </summary>
    public const string RequiredSetupPath = "/security/2fa/required";

    /// <summary>Maps the endpoints (all require a signed-in user).</summary>
    public static void Map(WebApplication app)
    {
        var group = app.MapGroup("/security").RequireAuthorization(AccountSecurityPolicies.SignedIn);

        group.MapGet("/", async Task<IResult> (HttpContext context, Flash flash, string? m) =>
        {
            var data = flash.Take(context);
            var notice = data.Notice ?? (m is not null && Notices.TryGetValue(m, out var text) ? text : null);
            return await RenderAsync(context, notice, data);
        });

        group.MapPost("/password", async Task<IResult> (HttpContext context, IPasswordChangeService changes, AccountSecuritySignInManager signIn, Flash flash) =>
        {
            if (await CurrentUser.LoadAsync(context) is not (var session, _))
            {
                return Respond.SeeOther("/session-ended");
            }

            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var result = await changes.ChangePasswordAsync(session, Proof(form["currentPassword"]), form["newPassword"], form["newPasswordRepeated"], context.RequestAborted);
            if (!result.Succeeded)
            {
                return StepUp.Expired(context, flash, result, "/security#password") ?? flash.Errors(context, "/security#password", "password", Messages(result));
            }

            // The stamp changed: this session adopts the new stamp, and the other sessions end unless the user unticked
            // "Sign out of all other sessions" (ASVS V7.4.3), in which case they carry on with the new stamp.
            var endOthers = SessionPages.EndOthersRequested(form);
            await signIn.RefreshSignInAsync(result.Value.SecurityStamp, endOthers);
            return Respond.SeeOther(endOthers ? "/security?m=password-changed" : "/security?m=password-changed-kept");
        });

        // The forced setup of an open session: the package lets such a session reach only the endpoints marked
        // AllowDuringTwoFactorSetup (this page, the setup steps, the passkey registration and sign-out).
        group.MapGet("/2fa/required", async Task<IResult> (HttpContext context, Flash flash) =>
        {
            if (!context.User.IsTwoFactorSetupRequired())
            {
                return Respond.Redirect("/security");
            }

            if (await CurrentUser.LoadAsync(context) is not (_, var user))
            {
                return Respond.Redirect("/session-ended");
            }

            var data = flash.Take(context);
            var fresh = await StepUp.IsFreshAsync(context);
            var stepUp = await StepUp.CardAsync(context, RequiredSetupPath, data.ErrorsOf(StepUp.FlashKey), "set up your second factor");
            return new HtmlPageResult(Layout.Bare("Set up two-factor authentication", Html.Of($"""
                <div class="alert alert-info" role="status" data-testid="setup-required">Your administrator now requires two-factor authentication for your account ({user.Email}). Set it up to continue: you stay signed in.</div>
                {Layout.Info(data.Notice)}
                {stepUp}
                <fieldset{StepUp.LockAttributes(fresh)}>
                  {Layout.Errors(data.ErrorsOf("two-factor"))}
                  <form method="post" action="/security/2fa/setup" class="stack">
                    {Forms.Antiforgery(context)}
                    <button type="submit" class="primary">Set up with an authenticator app</button>
                  </form>
                  <details class="passkey-choice"{Html.If(data.ErrorsOf("passkeys").Count > 0, HtmlContent.Trusted(" open"))}>
                    <summary>Use a passkey instead</summary>
                    {Layout.Errors(data.ErrorsOf("passkeys"))}
                    <form method="post" action="/security/passkeys" class="stack">
                      {Forms.Antiforgery(context)}
                      <label>Name of the passkey <input type="text" name="name" value="Passkey" maxlength="64" autocomplete="off" required></label>
                      <button type="submit">Add a passkey</button>
                    </form>
                  </details>
                </fieldset>
                <form method="post" action="/signout" class="inline way-out">{Forms.Antiforgery(context)}<button type="submit" class="link">Not now: sign out</button></form>
                """)));
        }).AllowDuringTwoFactorSetup();

        group.MapPost("/2fa/setup", async Task<IResult> (HttpContext context, ITwoFactorService twoFactor, Flash flash, OneTimeDisplays displays) =>
        {
            if (await CurrentUser.LoadAsync(context) is not (var session, _))
            {
                return Respond.SeeOther("/session-ended");
            }

            // With 2FA active this replaces the authenticator, which the library allows only with the current code too.
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var setup = await twoFactor.BeginSetupAsync(session, Proof(form["currentPassword"]), Proof(form["currentCode"]), context.RequestAborted);
            if (!setup.Succeeded)
            {
                var from = context.User.IsTwoFactorSetupRequired() ? RequiredSetupPath : "/security#two-factor";
                return StepUp.Expired(context, flash, setup, from) ?? flash.Errors(context, from, "two-factor", Messages(setup));
            }

            // The key is shown on a GET page (a reload shows it again); it waits in server memory, never in a cookie.
            displays.Put(context, session.UserId, SetupDisplay, setup.Value);
            return Respond.SeeOther("/security/2fa/setup");
        }).AllowDuringTwoFactorSetup();

        group.MapGet("/2fa/setup", async Task<IResult> (HttpContext context, Flash flash, OneTimeDisplays displays) =>
        {
            if (await CurrentUser.LoadAsync(context) is not (var session, var user))
            {
                return Respond.Redirect("/session-ended");
            }

            var setup = displays.Peek<TwoFactorSetup>(context, session.UserId, SetupDisplay);
            if (setup is null)
            {
                return flash.Notice(context, "/security#two-factor", "The setup page has expired. Start the setup again below: you get a new key (remove any half-added entry from your app).");
            }

            var data = flash.Take(context);
            return new HtmlPageResult(Layout.Console(context, user, "security", "Set up two-factor authentication", Html.Of($"""
                <section class="card">{TwoFactorSetupView.Render(setup, context, "/security/2fa/confirm", data.ErrorsOf("confirm"), SessionPages.EndOthersCheckbox("2fa-setup"))}
                <p class="muted"><a href="/security">Cancel</a></p></section>
                """)));
        }).AllowDuringTwoFactorSetup();

        group.MapPost("/2fa/confirm", async Task<IResult> (HttpContext context, ITwoFactorService twoFactor, AccountSecuritySignInManager signIn, Flash flash, OneTimeDisplays displays) =>
        {
            if (await CurrentUser.LoadAsync(context) is not (var session, _))
            {
                return Respond.SeeOther("/session-ended");
            }

            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var confirmed = await twoFactor.ConfirmSetupAsync(session.UserId, form["code"], context.RequestAborted);
            if (!confirmed.Succeeded)
            {
                return flash.Errors(context, "/security/2fa/setup", "confirm", [.. Messages(confirmed), "Enter the code your app shows now for this key."]);
            }

            // Activating 2FA changes the stamp; this session was proven with password and code, so it adopts the new
            // stamp the result carries, and the other sessions end unless the user unticked the choice.
            await signIn.RefreshSignInAsync(confirmed.Value.SecurityStamp, SessionPages.EndOthersRequested(form));
            displays.Remove(context, SetupDisplay);
            displays.Put(context, session.UserId, SignInPages.RecoveryCodesDisplay, new RecoveryCodesToShow(confirmed.Value.RecoveryCodes, FirstSetup: true));
            return Respond.SeeOther("/security/recovery-codes");
        }).AllowDuringTwoFactorSetup();

        group.MapGet("/recovery-codes", async Task<IResult> (HttpContext context, OneTimeDisplays displays, string? returnUrl) =>
        {
            if (await CurrentUser.LoadAsync(context) is not (var session, var user))
            {
                return Respond.Redirect("/session-ended");
            }

            // Shown once: the codes leave server memory now, and a reload says so instead of showing them again.
            var shown = displays.Take<RecoveryCodesToShow>(context, session.UserId, SignInPages.RecoveryCodesDisplay);
            var body = shown is null
                ? Html.Of($"""
                    <section class="card">
                      <div class="alert alert-info" role="status" data-testid="codes-gone">Recovery codes are shown only once, and these have been shown already. If you did not save them, generate new ones under <a href="/security#two-factor">Password &amp; Security</a>: the old ones then stop working.</div>
                    </section>
                    """)
                : Html.Of($"""
                    <section class="card">{TwoFactorSetupView.RecoveryCodes(shown.Codes, SignInPages.ReturnUrlOf(returnUrl) ?? SignInPages.DefaultPage, "Continue to the console", shown.FirstSetup ? "Two-factor authentication is set up." : "New recovery codes are ready.")}
                    <p class="muted">{(shown.FirstSetup ? "Resources protected by two-factor authentication (secAuthProtection) are shown to sessions signed in with a code." : "Your earlier recovery codes no longer work.")}</p></section>
                    """);
            return new HtmlPageResult(Layout.Console(context, user, "security", "Recovery codes", body));
        }).AllowDuringTwoFactorSetup();

        group.MapPost("/2fa/disable", async Task<IResult> (HttpContext context, ITwoFactorService twoFactor, AccountSecuritySignInManager signIn, Flash flash) =>
        {
            if (await CurrentUser.LoadAsync(context) is not (var session, _))
            {
                return Respond.SeeOther("/session-ended");
            }

            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var result = await twoFactor.DisableAsync(session, Proof(form["currentPassword"]), Proof(form["code"]), context.RequestAborted);
            if (!result.Succeeded)
            {
                return StepUp.Expired(context, flash, result, "/security#two-factor") ?? flash.Errors(context, "/security#two-factor", "two-factor", Messages(result));
            }

            var endOthers = SessionPages.EndOthersRequested(form);
            await signIn.RefreshSignInAsync(result.Value.SecurityStamp, endOthers);
            return Respond.SeeOther(endOthers ? "/security?m=2fa-disabled" : "/security?m=2fa-disabled-kept");
        });

        group.MapPost("/2fa/recovery-codes", async Task<IResult> (HttpContext context, ITwoFactorService twoFactor, AccountSecuritySignInManager signIn, Flash flash, OneTimeDisplays displays) =>
        {
            if (await CurrentUser.LoadAsync(context) is not (var session, _))
            {
                return Respond.SeeOther("/session-ended");
            }

            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var codes = await twoFactor.RegenerateRecoveryCodesAsync(session, Proof(form["currentPassword"]), Proof(form["currentCode"]), context.RequestAborted);
            if (!codes.Succeeded)
            {
                return StepUp.Expired(context, flash, codes, "/security#two-factor") ?? flash.Errors(context, "/security#two-factor", "two-factor", Messages(codes));
            }

            // Regenerating recovery codes leaves the stamp as it is: the session stays valid, nothing to re-issue.
            displays.Put(context, session.UserId, SignInPages.RecoveryCodesDisplay, new RecoveryCodesToShow(codes.Value, FirstSetup: false));
            return Respond.SeeOther("/security/recovery-codes");
        });
    }

    /// <summary>
    /// The proof a form gave inline, or <see langword="null"/> ("the session proves it"): the console's forms no longer
    /// ask for the current password (the step-up card does, once), but a hand-made post with one still works.
    /// </summary>
    public static string? Proof(string? typed) => string.IsNullOrEmpty(typed) ? null : typed;

    /// <summary>Every message of a failed result, in order.</summary>
    public static IReadOnlyList<string> Messages(SecurityResult result) =>
        result.HasError(SecurityErrorCodes.LockedOut) ? [SignInPages.LockedOut(result.LockedOutUntil)] : result.Errors.Select(e => e.Message).ToList();

    private static async Task<IResult> RenderAsync(HttpContext context, string? notice, FlashData data)
    {
        if (await CurrentUser.LoadAsync(context) is not (var session, var user))
        {
            return Respond.Redirect("/session-ended");
        }

        var passwordErrors = data.ErrorsOf("password");
        var twoFactorErrors = data.ErrorsOf("two-factor");
        var services = context.RequestServices;
        var status2fa = await services.GetRequiredService<ITwoFactorService>().GetStatusAsync(user.Id, context.RequestAborted);
        var policy = await services.GetRequiredService<IPasswordPolicyService>().GetEffectivePolicyAsync(user.ContractId, context.RequestAborted);
        var pinCard = await SupportPinPages.CardAsync(context, user, data.ErrorsOf("pin"));
        var passkeyCard = await PasskeyPages.CardAsync(context, data.ErrorsOf("passkeys"));
        var sessionsCard = await SessionPages.CardAsync(context, user, session, data.ErrorsOf("sessions"));
        var fresh = await StepUp.IsFreshAsync(context);
        var stepUp = await StepUp.CardAsync(context, "/security", data.ErrorsOf(StepUp.FlashKey), "change your password, two-factor authentication, passkeys or support PIN");
        var body = Html.Of($"""
            {Layout.Success(notice)}
            {stepUp}
            <fieldset{StepUp.LockAttributes(fresh)}>
            <div class="grid">
              <section class="card" id="password" aria-labelledby="password-title">
                <h2 id="password-title">{(user.HasPassword ? "Change password" : "Set a password")}</h2>
                <p class="muted" data-testid="password-state">{(user.HasPassword
                    ? "Password last changed: " + (user.PasswordChangedAt is { } changed ? changed.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture) : "never")
                    : "Your account has no password: you sign in with a passkey. A password lets you sign in where your passkey is not at hand.")}</p>
                {Layout.Errors(passwordErrors)}
                <form method="post" action="/security/password" class="stack">
                  {Forms.Antiforgery(context)}
                  <label>New password <input type="password" name="newPassword" autocomplete="new-password" required></label>
                  <label>Repeat new password <input type="password" name="newPasswordRepeated" autocomplete="new-password" required></label>
                  {SessionPages.EndOthersCheckbox("password")}
                  <button type="submit" class="primary">{(user.HasPassword ? "Change password" : "Set password")}</button>
                </form>
                <h3>Password rules of your contract</h3>
                <ul class="rules">{PolicyRules(policy)}</ul>
              </section>
              <section class="card" id="two-factor" aria-labelledby="two-factor-title">
                <h2 id="two-factor-title">Two-factor authentication</h2>
                {TwoFactorStatusView(status2fa, session)}
                {Layout.Errors(twoFactorErrors)}
                {TwoFactorActions(context, status2fa)}
              </section>
              {passkeyCard}
              {pinCard}
            </div>
            </fieldset>
            {sessionsCard}
            <p class="muted" data-testid="outbox-hint">Each change on this page sends you a security e-mail (in your language). In this demo
            the e-mails land in the <a href="/dev/outbox#notifications">outbox</a>, a stand-in for a mailbox that a real console does not have.</p>
            """);
        return new HtmlPageResult(Layout.Console(context, user, "security", "Password & Security", body));
    }

    private static HtmlContent PolicyRules(PasswordPolicySettings policy) => Html.Join(PolicyRuleTexts(policy).Select(r => Html.Of($"<li>{r}</li>")));

    /// <summary>The rules of <paramref name="policy"/> as the password card lists them, in singular or plural as the numbers need.</summary>
    public static IReadOnlyList<string> PolicyRuleTexts(PasswordPolicySettings policy)
    {
        var rules = new List<string> { $"{policy.MinimumLength} to {policy.MaximumLength} characters" };
        void Add(int count, string one, string many)
        {
            if (count > 0)
            {
                rules.Add($"at least {count} {(count == 1 ? one : many)}");
            }
        }

        Add(policy.MinimumDigits, "digit", "digits");
        Add(policy.MinimumUppercase, "upper-case letter", "upper-case letters");
        Add(policy.MinimumLowercase, "lower-case letter", "lower-case letters");
        Add(policy.MinimumSpecial, "special character", "special characters");
        if (policy.BlockCommonPasswords)
        {
            rules.Add("not a commonly used password");
        }

        if (policy.RejectEmail)
        {
            rules.Add("must not contain your e-mail address");
        }

        if (policy.RejectPredictablePatterns)
        {
            rules.Add("not mostly repeated characters, a sequence (abcdef, 12345), keys in a row (qwertz) or words of your e-mail address");
        }

        if (policy.HistoryDepth > 0)
        {
            rules.Add(policy.HistoryDepth == 1 ? "must differ from your last password" : $"must differ from your last {policy.HistoryDepth} passwords");
        }

        return rules;
    }

    private static HtmlContent TwoFactorStatusView(TwoFactorStatus? status, AuthenticatedSession session)
    {
        if (status is null)
        {
            return HtmlContent.Empty;
        }

        var badge = status.IsEnabled
            ? Html.Of($"<span class=\"badge on\" data-testid=\"2fa-status\">Active</span>")
            : Html.Of($"<span class=\"badge off\" data-testid=\"2fa-status\">Not set up</span>");
        return Html.Of($"""
            <dl class="facts">
              <dt>Status</dt><dd>{badge}{Html.If(status.IsForced, Html.Of($" <span class=\"badge forced\">Required by your administrator</span>"))}</dd>
              {Html.If(status.IsEnabled, Html.Of($"<dt>Recovery codes left</dt><dd>{status.RecoveryCodesLeft}</dd>"))}
              <dt>This session</dt><dd>{(session.UsedSecondFactor ? "signed in with two-factor authentication" : "signed in with password only")}</dd>
            </dl>
            """);
    }

    private static HtmlContent TwoFactorActions(HttpContext context, TwoFactorStatus? status)
    {
        if (status is null)
        {
            return HtmlContent.Empty;
        }

        if (!status.IsEnabled)
        {
            return Html.Of($"""
                <p>Protect your account with a code from an authenticator app in addition to your password.</p>
                <form method="post" action="/security/2fa/setup" class="stack">
                  {Forms.Antiforgery(context)}
                  <button type="submit" class="primary">Set up two-factor authentication</button>
                </form>
                """);
        }

        var disable = status.IsForced
            ? Html.Of($"<p class=\"muted\">Your administrator requires two-factor authentication, so it cannot be switched off.</p>")
            : Html.Of($"""
                <details>
                  <summary>Switch off two-factor authentication</summary>
                  <form method="post" action="/security/2fa/disable" class="stack">
                    {Forms.Antiforgery(context)}
                    {SessionPages.EndOthersCheckbox("2fa-disable")}
                    <button type="submit" class="danger">Switch off</button>
                  </form>
                </details>
                """);
        return Html.Of($"""
            <details>
              <summary>New recovery codes</summary>
              <form method="post" action="/security/2fa/recovery-codes" class="stack">
                {Forms.Antiforgery(context)}
                <button type="submit">Generate new recovery codes</button>
              </form>
            </details>
            <details>
              <summary>Move to a new authenticator app</summary>
              <form method="post" action="/security/2fa/setup" class="stack">
                {Forms.Antiforgery(context)}
                <button type="submit">Set up a new app</button>
              </form>
            </details>
            {disable}
            """);
    }
}
