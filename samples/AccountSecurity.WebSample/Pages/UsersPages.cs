using System.Globalization;
using AccountSecurity.Accounts;
using AccountSecurity.Accounts.Administration;
using AccountSecurity.Administration;
using AccountSecurity.AspNetCore.Authentication;
using AccountSecurity.AspNetCore.Authorization;
using AccountSecurity.Passwords.Policy;
using AccountSecurity.Sessions;
using AccountSecurity.SupportPin;
using AccountSecurity.TwoFactor;
using AccountSecurity.WebSample.Infrastructure;
using Microsoft.Extensions.Localization;

namespace AccountSecurity.WebSample.Pages;

/// <summary>"Users &amp; Groups": the contract's users with their 2FA state (owner and administrators), and the password policy (owner).</summary>
public static class UsersPages
{
    /// <summary>The actions that lower someone's security or end their sessions, each behind a confirmation page.</summary>
    internal static readonly Dictionary<string, (string Question, string Consequence, string Action, string Field, string Value, string Button)> Lowering = new(StringComparer.Ordinal)
    {
        ["unforce"] = ("Stop requiring two-factor authentication for {0}?", "They can then switch two-factor authentication off for themselves, and a new sign-in no longer asks them to set it up.", "force", "forced", "false", "Stop requiring 2FA"),
        ["reset-2fa"] = ("Reset two-factor authentication of {0}?", "Use this when they lost their phone. Their authenticator key and recovery codes stop working and every session of theirs is signed out. If 2FA is required for them, they set it up again at their next sign-in.", "reset-2fa", string.Empty, string.Empty, "Reset 2FA"),
        ["clear-pin-lock"] = ("Clear the support-PIN lock of {0}?", "Support can then try their PIN again. Clear it only after you have confirmed the caller another way.", "clear-pin-lock", string.Empty, string.Empty, "Clear PIN lock"),
        ["end-sessions"] = ("Sign {0} out everywhere?", "Every session of theirs ends now, on every device: their next page asks them to sign in again. Their password, two-factor authentication and passkeys stay as they are, so use this when a device was lost or a session looks unfamiliar, and reset their password or 2FA too if those may be known to someone else.", "end-sessions", string.Empty, string.Empty, "Sign out everywhere"),
        ["deactivate"] = ("Deactivate {0}?", "They can no longer sign in, every session of theirs is signed out now, and support cannot verify their PIN. You can reactivate them later; nothing else is deleted.", "active", "active", "false", "Deactivate"),
    };

    /// <summary>Maps the endpoints.</summary>
    public static void Map(WebApplication app)
    {
        var group = app.MapGroup("/users").RequireAuthorization(AccountSecurityPolicies.SignedIn);

        group.MapPost("/{userId}/force", async Task<IResult> (HttpContext context, string userId, ITwoFactorAdministrationService admin, Flash flash) =>
        {
            var caller = await AdminAsync(context);
            if (caller is not (var acting, null))
            {
                return caller?.Denied ?? Respond.SeeOther("/session-ended");
            }

            var forced = string.Equals(await FormFields.FieldAsync(context, "forced"), "true", StringComparison.Ordinal);
            if (!forced && !await ConfirmedAsync(context))
            {
                return Respond.SeeOther($"/users/{Uri.EscapeDataString(userId)}/confirm/unforce");
            }

            var result = await admin.SetForcedAsync(context.User.GetRequiredAccountSecuritySession(), userId, forced, context.RequestAborted);
            return result.Succeeded
                ? flash.Notice(context, "/users", forced
                    ? "Two-factor authentication is now required for this user. If they have not set it up, they are asked to at their next page (a signed-in session stays signed in for it) or sign-in; they cannot switch it off."
                    : "Two-factor authentication is no longer required for this user. If they have it set up, it stays on until they switch it off.")
                : StepUp.Expired(context, flash, result, "/users") ?? flash.Errors(context, "/users", "users", Failure(result));
        });

        group.MapPost("/{userId}/reset-2fa", async Task<IResult> (HttpContext context, string userId, ITwoFactorAdministrationService admin, Flash flash) =>
        {
            var caller = await AdminAsync(context);
            if (caller is not (var acting, null))
            {
                return caller?.Denied ?? Respond.SeeOther("/session-ended");
            }

            if (!await ConfirmedAsync(context))
            {
                return Respond.SeeOther($"/users/{Uri.EscapeDataString(userId)}/confirm/reset-2fa");
            }

            var result = await admin.ResetAsync(context.User.GetRequiredAccountSecuritySession(), userId, context.RequestAborted);
            return result.Succeeded
                ? flash.Notice(context, "/users", "Two-factor authentication was reset and the user's sessions have ended. Tell them to sign in again and set up their authenticator app.")
                : StepUp.Expired(context, flash, result, "/users") ?? flash.Errors(context, "/users", "users", Failure(result));
        });

        group.MapPost("/{userId}/active", async Task<IResult> (HttpContext context, string userId, IAccountAdministrationService accounts, Flash flash) =>
        {
            var caller = await AdminAsync(context);
            if (caller is not (var acting, null))
            {
                return caller?.Denied ?? Respond.SeeOther("/session-ended");
            }

            var activate = string.Equals(await FormFields.FieldAsync(context, "active"), "true", StringComparison.Ordinal);
            if (!activate && !await ConfirmedAsync(context))
            {
                return Respond.SeeOther($"/users/{Uri.EscapeDataString(userId)}/confirm/deactivate");
            }

            var result = activate
                ? await accounts.ReactivateAsync(context.User.GetRequiredAccountSecuritySession(), userId, context.RequestAborted)
                : await accounts.DeactivateAsync(context.User.GetRequiredAccountSecuritySession(), userId, context.RequestAborted);
            return result.Succeeded
                ? flash.Notice(context, "/users", activate ? "The user is active again and can sign in with their password." : "The user is deactivated and their sessions have ended. Reactivate them here when they need access again.")
                : StepUp.Expired(context, flash, result, "/users") ?? flash.Errors(context, "/users", "users", Failure(result));
        });

        group.MapPost("/{userId}/end-sessions", async Task<IResult> (HttpContext context, string userId, ISessionService sessions, Flash flash) =>
        {
            var caller = await AdminAsync(context);
            if (caller is not (var acting, null))
            {
                return caller?.Denied ?? Respond.SeeOther("/session-ended");
            }

            if (!await ConfirmedAsync(context))
            {
                return Respond.SeeOther($"/users/{Uri.EscapeDataString(userId)}/confirm/end-sessions");
            }

            var result = await sessions.EndAllByAdministratorAsync(context.User.GetRequiredAccountSecuritySession(), userId, context.RequestAborted);
            return result.Succeeded
                ? flash.Notice(context, "/users", result.Value switch
                {
                    0 => "The user had no open session; nothing needed signing out.",
                    1 => "The user's session has ended (1 session). Their next page asks them to sign in again.",
                    _ => ConsoleText.Of("The user's sessions have ended ({0} sessions). Their next page asks them to sign in again.", result.Value),
                })
                : StepUp.Expired(context, flash, result, "/users") ?? flash.Errors(context, "/users", "users", Failure(result));
        });

        group.MapPost("/{userId}/clear-pin-lock", async Task<IResult> (HttpContext context, string userId, ISupportPinService pins, Flash flash) =>
        {
            var caller = await AdminAsync(context);
            if (caller is not (var acting, null))
            {
                return caller?.Denied ?? Respond.SeeOther("/session-ended");
            }

            if (!await ConfirmedAsync(context))
            {
                return Respond.SeeOther($"/users/{Uri.EscapeDataString(userId)}/confirm/clear-pin-lock");
            }

            var result = await pins.ClearLockoutAsync(context.User.GetRequiredAccountSecuritySession(), userId, context.RequestAborted);
            return result.Succeeded
                ? flash.Notice(context, "/users", "The support PIN lock was cleared; support can verify the user's PIN again.")
                : StepUp.Expired(context, flash, result, "/users") ?? flash.Errors(context, "/users", "users", Failure(result));
        });

        group.MapPost("/policy", async Task<IResult> (HttpContext context, IPasswordPolicyService policies, Flash flash) =>
        {
            var caller = await AdminAsync(context);
            if (caller is not (var acting, null))
            {
                return caller?.Denied ?? Respond.SeeOther("/session-ended");
            }

            var form = await context.Request.ReadFormAsync(context.RequestAborted);

            // What the owner typed comes back into the form after an error, so a typo costs one field, not all.
            var typed = PolicyFields.ToDictionary(f => f, f => Truncate(form[f].ToString()), StringComparer.Ordinal);
            typed["blockCommonPasswords"] = form["blockCommonPasswords"] == "true" ? "true" : "false";
            typed["rejectEmail"] = form["rejectEmail"] == "true" ? "true" : "false";
            typed["rejectPredictablePatterns"] = form["rejectPredictablePatterns"] == "true" ? "true" : "false";
            var parsed = ParsePolicy(form, out var inputErrors);
            if (parsed is null)
            {
                return flash.Errors(context, "/users#policy", "policy", inputErrors, typed);
            }

            var result = await policies.SetPolicyAsync(context.User.GetRequiredAccountSecuritySession(), parsed, context.RequestAborted);
            if (StepUp.Expired(context, flash, result, "/users#policy") is { } expired)
            {
                return expired;
            }

            return result.Succeeded
                ? flash.Notice(context, "/users#policy", "The password policy of the contract is saved. It applies to every new password; existing passwords keep working.")
                : flash.Errors(context, "/users#policy", "policy", [.. SecurityPages.Messages(result), "Nothing was saved. Correct the values above and save again."], typed);
        });
    }

    internal const string NotAllowed = "You cannot change this user's security: only the contract owner may lower the security of an administrator or of the owner. Ask the contract owner.";

    private static readonly string[] PolicyFields = ["minimumLength", "maximumLength", "minimumDigits", "minimumUppercase", "minimumLowercase", "minimumSpecial", "historyDepth"];

    private static string Truncate(string value) => value.Length > 12 ? value[..12] : value;

    /// <summary>The library's view of a user for the peer rules.</summary>
    internal static SecurityPeer Peer(UserSummary user) => new(user.Id, user.ContractId, user.Role, user.IsActive);

    private static async Task<bool> ConfirmedAsync(HttpContext context) =>
        string.Equals(await FormFields.FieldAsync(context, "confirmed"), "true", StringComparison.Ordinal);

    /// <summary>A refusal says what to do instead of quoting the rule.</summary>
    private static IReadOnlyList<string> Failure(AccountSecurity.Results.SecurityResult result) =>
        result.HasError(AccountSecurity.Results.SecurityErrorCodes.NotAuthorized) ? [NotAllowed] : SecurityPages.Messages(result);

    /// <summary>The signed-in owner or administrator; otherwise a 403 page (or null when not signed in).</summary>
    internal static async Task<(UserSummary Acting, IResult? Denied)?> AdminAsync(HttpContext context, string active = "users", string title = "Users & Groups")
    {
        if (await CurrentUser.LoadAsync(context) is not (_, var user))
        {
            return null;
        }

        if (user.Role is UserRole.Administrator or UserRole.ContractOwner)
        {
            return (user, null);
        }

        var texts = context.RequestServices.GetRequiredService<IStringLocalizer<SharedTexts>>();
        var page = new MessagePage(texts[title], texts["Access denied: only the contract owner and administrators can open this page."]) { InConsole = true, Active = active };
        return (user, Respond.Message(page, StatusCodes.Status403Forbidden));
    }

    private static PasswordPolicySettings? ParsePolicy(IFormCollection form, out IReadOnlyList<string> errors)
    {
        var problems = new List<string>();
        int Read(string name, string label)
        {
            if (int.TryParse(form[name], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            problems.Add(ConsoleText.Of("{0} must be a whole number.", ConsoleText.Of(label)));
            return 0;
        }

        var settings = PasswordPolicySettings.Default with
        {
            MinimumLength = Read("minimumLength", "Minimum length"),
            MaximumLength = Read("maximumLength", "Maximum length"),
            MinimumDigits = Read("minimumDigits", "Minimum digits"),
            MinimumUppercase = Read("minimumUppercase", "Minimum upper-case letters"),
            MinimumLowercase = Read("minimumLowercase", "Minimum lower-case letters"),
            MinimumSpecial = Read("minimumSpecial", "Minimum special characters"),
            HistoryDepth = Read("historyDepth", "Passwords remembered"),
            BlockCommonPasswords = form["blockCommonPasswords"] == "true",
            RejectEmail = form["rejectEmail"] == "true",
            RejectPredictablePatterns = form["rejectPredictablePatterns"] == "true",
        };
        errors = problems;
        return problems.Count == 0 ? settings : null;
    }
}
