using System.Globalization;
using AccountSecurity.AspNetCore.Authentication;
using AccountSecurity.AspNetCore.Authorization;
using AccountSecurity.AspNetCore.SignIn;
using AccountSecurity.Passwords.Change;
using AccountSecurity.Passwords.Policy;
using AccountSecurity.Results;
using AccountSecurity.TwoFactor;
using AccountSecurity.WebSample.Infrastructure;
using Microsoft.Extensions.Localization;

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
    internal const string SetupDisplay = "setup";

    /// <summary>
    /// Where the package sends a signed-in session whose user an administrator forced to use two-factor authentication
    /// and who has none yet (<c>Cookies.TwoFactorSetupPath</c>): the setup within the session, without signing out.
    /// </summary>
    public const string RequiredSetupPath = "/security/2fa/required";

    /// <summary>
    /// Where the package sends a signed-in session whose password was found in a data breach
    /// (<c>Cookies.PasswordChangePath</c>): Password &amp; Security, whose password card says why; nothing else opens
    /// until the password is changed.
    /// </summary>
    public const string PasswordChangePath = "/security";

    /// <summary>Maps the endpoints (all require a signed-in user).</summary>
    public static void Map(WebApplication app)
    {
        var group = app.MapGroup("/security").RequireAuthorization(AccountSecurityPolicies.SignedIn);

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
        }).AllowDuringPasswordChange();

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

    /// <summary>The notice a redirect asked for by key (a key of the console's texts), or <see langword="null"/>.</summary>
    internal static string? Notice(string? key) => key is not null && Notices.TryGetValue(key, out var text) ? text : null;

    /// <summary>
    /// The proof a form gave inline, or <see langword="null"/> ("the session proves it"): the console's forms no longer
    /// ask for the current password (the step-up card does, once), but a hand-made post with one still works.
    /// </summary>
    public static string? Proof(string? typed) => string.IsNullOrEmpty(typed) ? null : typed;

    /// <summary>Every message of a failed result, in order.</summary>
    public static IReadOnlyList<string> Messages(SecurityResult result) =>
        result.HasError(SecurityErrorCodes.LockedOut) ? [SignInPages.LockedOut(result.LockedOutUntil)] : result.Errors.Select(e => e.Message).ToList();

    /// <summary>
    /// The rules of <paramref name="policy"/> as the password card lists them, in singular or plural as the numbers
    /// need, in the language of <paramref name="texts"/> (English without).
    /// </summary>
    public static IReadOnlyList<string> PolicyRuleTexts(PasswordPolicySettings policy, IStringLocalizer? texts = null)
    {
        string Text(string key, params object[] values) => texts is null ? string.Format(CultureInfo.InvariantCulture, key, values) : texts[key, values];
        var rules = new List<string> { Text("{0} to {1} characters", policy.MinimumLength, policy.MaximumLength) };
        void Add(int count, string one, string many)
        {
            if (count > 0)
            {
                rules.Add(Text(count == 1 ? one : many, count));
            }
        }

        Add(policy.MinimumDigits, "at least {0} digit", "at least {0} digits");
        Add(policy.MinimumUppercase, "at least {0} upper-case letter", "at least {0} upper-case letters");
        Add(policy.MinimumLowercase, "at least {0} lower-case letter", "at least {0} lower-case letters");
        Add(policy.MinimumSpecial, "at least {0} special character", "at least {0} special characters");
        if (policy.BlockCommonPasswords)
        {
            rules.Add(Text("not a commonly used password"));
        }

        if (policy.RejectEmail)
        {
            rules.Add(Text("must not contain your e-mail address"));
        }

        if (policy.RejectPredictablePatterns)
        {
            rules.Add(Text("not mostly repeated characters, a sequence (abcdef, 12345), keys in a row (qwertz) or words of your e-mail address"));
        }

        if (policy.HistoryDepth > 0)
        {
            rules.Add(policy.HistoryDepth == 1 ? Text("must differ from your last password") : Text("must differ from your last {0} passwords", policy.HistoryDepth));
        }

        return rules;
    }
}
