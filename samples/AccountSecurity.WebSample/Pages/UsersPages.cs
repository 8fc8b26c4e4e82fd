using System.Globalization;
using AccountSecurity.Accounts;
using AccountSecurity.Accounts.Administration;
using AccountSecurity.Administration;
using AccountSecurity.AspNetCore.Authentication;
using AccountSecurity.AspNetCore.Authorization;
using AccountSecurity.Lockout;
using AccountSecurity.Passwords.Policy;
using AccountSecurity.Sessions;
using AccountSecurity.SupportPin;
using AccountSecurity.TwoFactor;
using AccountSecurity.WebSample.Infrastructure;

namespace AccountSecurity.WebSample.Pages;

/// <summary>"Users &amp; Groups": the contract's users with their 2FA state (owner and administrators), and the password policy (owner).</summary>
public static class UsersPages
{
    /// <summary>The actions that lower someone's security or end their sessions, each behind a confirmation page.</summary>
    private static readonly Dictionary<string, (string Question, string Consequence, string Action, string Field, string Value, string Button)> Lowering = new(StringComparer.Ordinal)
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

        group.MapGet("/", async Task<IResult> (HttpContext context, Flash flash) => await RenderAsync(context, flash.Take(context)));

        group.MapGet("/{userId}/confirm/{action}", async Task<IResult> (HttpContext context, string userId, string action, IAccountAdministrationService accounts, Flash flash) =>
        {
            var caller = await AdminAsync(context);
            if (caller is not (var acting, null))
            {
                return caller?.Denied ?? Respond.Redirect("/session-ended");
            }

            var target = await accounts.GetUserAsync(acting.Id, userId, context.RequestAborted);
            if (!Lowering.TryGetValue(action, out var step) || !target.Succeeded)
            {
                return flash.Errors(context, "/users", "users", ["That user or action does not exist any more. Check the list below."]);
            }

            // Ending someone's sessions follows the rule of forcing 2FA (it takes nothing away); the rest lower security.
            var allowed = action == "end-sessions"
                ? PeerRules.CanRaiseSecurityOf(Peer(acting), Peer(target.Value))
                : PeerRules.CanLowerSecurityOf(Peer(acting), Peer(target.Value));
            if (!allowed)
            {
                return flash.Errors(context, "/users", "users", [NotAllowed]);
            }

            var fields = new List<(string, string)> { ("confirmed", "true") };
            if (step.Field.Length > 0)
            {
                fields.Add((step.Field, step.Value));
            }

            // A stale session confirms it's you here first, and comes back to this question.
            if (!await StepUp.IsFreshAsync(context))
            {
                var card = await StepUp.CardAsync(context, StepUp.CurrentPath(context), flash.Take(context).ErrorsOf(StepUp.FlashKey), "change the security of " + target.Value.Email);
                return new HtmlPageResult(Layout.Console(context, acting, "users", "Please confirm", Html.Of($"""
                    {card}
                    <p class="muted"><a href="/users">Cancel</a></p>
                    """)));
            }

            var body = Layout.Confirmation(
                context,
                string.Format(CultureInfo.InvariantCulture, step.Question, target.Value.Email),
                step.Consequence,
                $"/users/{Uri.EscapeDataString(userId)}/{step.Action}",
                fields,
                step.Button + " for " + target.Value.Email,
                "/users");
            return new HtmlPageResult(Layout.Console(context, acting, "users", "Please confirm", body));
        });

        group.MapPost("/{userId}/force", async Task<IResult> (HttpContext context, string userId, ITwoFactorAdministrationService admin, Flash flash) =>
        {
            var caller = await AdminAsync(context);
            if (caller is not (var acting, null))
            {
                return caller?.Denied ?? Respond.SeeOther("/session-ended");
            }

            var forced = string.Equals(await Forms.FieldAsync(context, "forced"), "true", StringComparison.Ordinal);
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

            var activate = string.Equals(await Forms.FieldAsync(context, "active"), "true", StringComparison.Ordinal);
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
                    _ => $"The user's sessions have ended ({result.Value} sessions). Their next page asks them to sign in again.",
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

    private const string NotAllowed = "You cannot change this user's security: only the contract owner may lower the security of an administrator or of the owner. Ask the contract owner.";

    private static readonly string[] PolicyFields = ["minimumLength", "maximumLength", "minimumDigits", "minimumUppercase", "minimumLowercase", "minimumSpecial", "historyDepth"];

    private static string Truncate(string value) => value.Length > 12 ? value[..12] : value;

    private static SecurityPeer Peer(UserSummary user) => new(user.Id, user.ContractId, user.Role, user.IsActive);

    private static async Task<bool> ConfirmedAsync(HttpContext context) =>
        string.Equals(await Forms.FieldAsync(context, "confirmed"), "true", StringComparison.Ordinal);

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

        var page = Layout.Console(context, user, active, title, Html.Of($"""
            <div class="alert alert-error" role="alert">Access denied: only the contract owner and administrators can open this page.</div>
            """));
        return (user, new HtmlPageResult(page, StatusCodes.Status403Forbidden));
    }

    private static async Task<IResult> RenderAsync(HttpContext context, FlashData data)
    {
        if (await AdminAsync(context) is not (var acting, var denied))
        {
            return Respond.Redirect("/session-ended");
        }

        if (denied is not null)
        {
            return denied;
        }

        var services = context.RequestServices;
        var listed = await services.GetRequiredService<IAccountAdministrationService>().ListUsersAsync(acting.Id, context.RequestAborted);
        var users = listed.Succeeded ? listed.Value : [];
        var policy = await services.GetRequiredService<IPasswordPolicyService>().GetEffectivePolicyAsync(acting.ContractId, context.RequestAborted);
        var fresh = await StepUp.IsFreshAsync(context);
        var rows = Html.Join(users.OrderByDescending(u => u.Role).ThenBy(u => u.Email, StringComparer.OrdinalIgnoreCase).Select(u => Row(context, acting, u, stale: !fresh)));
        var policyCard = acting.Role == UserRole.ContractOwner
            ? PolicyForm(context, policy, data)
            : Html.Of($"<section class=\"card\"><h2>Password policy</h2><p class=\"muted\">Only the contract owner can change the password policy.</p></section>");
        var passkeySwitch = await PasskeyPages.OwnerSwitchAsync(context, acting, data);
        var sessionPolicy = await SessionPages.PolicyCardAsync(context, acting, data);
        var stepUp = await StepUp.CardAsync(context, "/users", data.ErrorsOf(StepUp.FlashKey), "change users' security and the contract's policies");
        var body = Html.Of($"""
            {Layout.Success(data.Notice)}
            {stepUp}
            <fieldset{StepUp.LockAttributes(fresh)}>
            <section class="card">
              <h2 data-testid="users-of">Users of {CurrentUser.ContractName(context, acting)}</h2>
              {Layout.Errors(data.ErrorsOf("users"))}
              <table class="table stackable" data-testid="users">
                <thead><tr><th scope="col">E-mail</th><th scope="col">Role</th><th scope="col">Status</th><th scope="col">Two-factor authentication</th><th scope="col">Actions</th></tr></thead>
                <tbody>{rows}</tbody>
              </table>
              <p class="muted">You can require two-factor authentication, but only the user can switch it on: they are asked to set it up at their next sign-in.</p>
            </section>
            {policyCard}
            {sessionPolicy}
            {passkeySwitch}
            </fieldset>
            """);
        return new HtmlPageResult(Layout.Console(context, acting, "users", "Users & Groups", body));
    }

    private static HtmlContent Row(HttpContext context, UserSummary acting, UserSummary user, bool stale)
    {
        // Until the session is confirmed, the links to a confirmation page are disabled buttons like the forms'.
        HtmlContent Link(string href, string classes, string testId, string label, string text) => stale
            ? Html.Of($"""<button type="button" class="{classes}" data-testid="{testId}" aria-label="{label}" disabled>{text}</button>""")
            : Html.Of($"""<a class="button {classes}" href="{href}" data-testid="{testId}" aria-label="{label}">{text}</a>""");

        var state = user.TwoFactorEnabled
            ? Html.Of($"<span class=\"badge on\">Active</span>")
            : user.TwoFactorSetupPending
                ? Html.Of($"<span class=\"badge off\">Setup started</span>")
                : Html.Of($"<span class=\"badge off\">Not set up</span>");
        var forced = Html.If(user.TwoFactorForced, Html.Of($" <span class=\"badge forced\">Required</span>"));
        var pinLocked = user.IsLocked(AuthenticationFactor.SupportPin);
        var locked = Html.If(pinLocked, Html.Of($" <span class=\"badge off\" data-testid=\"pin-locked-{user.Id}\">PIN locked</span>"));
        var status = user.IsActive
            ? Html.Of($"<span class=\"badge on\">Active</span>")
            : Html.Of($"<span class=\"badge off\" data-testid=\"inactive-{user.Id}\">Deactivated</span>");
        if (user.Id == acting.Id)
        {
            return RowOf(user, status, state, forced, locked, Html.Of($"<span class=\"muted\">(you)</span>"));
        }

        // The library's peer rules decide which actions to offer: the owner may lower anyone's security or access, an
        // administrator only a plain user's; forcing 2FA is open to administrators for anyone but the owner. The
        // services check again.
        var actor = Peer(acting);
        var target = Peer(user);
        var mayLower = PeerRules.CanLowerSecurityOf(actor, target);
        var mayForce = user.TwoFactorForced ? mayLower : PeerRules.CanRaiseSecurityOf(actor, target);
        var hasFactor = user.TwoFactorEnabled || user.TwoFactorSetupPending;
        var userPath = Uri.EscapeDataString(user.Id);
        var email = user.Email;

        // Raising security is one click; lowering it (or ending sessions) goes through a confirmation page first.
        // Accessible names carry the user, so a screen reader's list of buttons says whom each one acts on.
        var force = Html.If(mayForce, user.TwoFactorForced
            ? Link($"/users/{userPath}/confirm/unforce", string.Empty, $"force-{user.Id}", $"Stop requiring 2FA for {email}", "Stop requiring 2FA")
            : Html.Of($"""
                <form method="post" action="/users/{userPath}/force" class="inline">
                  {Forms.Antiforgery(context)}
                  <input type="hidden" name="forced" value="true">
                  <button type="submit" data-testid="force-{user.Id}" aria-label="Require 2FA for {email}">Require 2FA</button>
                </form>
                """));
        var reset = Html.If(mayLower, hasFactor
            ? Link($"/users/{userPath}/confirm/reset-2fa", "danger", $"reset-{user.Id}", $"Reset 2FA for {email}", "Reset 2FA")
            : Html.Of($"""<button type="button" class="danger" data-testid="reset-{user.Id}" aria-label="Reset 2FA for {email} (nothing to reset)" disabled>Reset 2FA</button>"""));
        var clearPin = Html.If(mayLower && pinLocked, Link($"/users/{userPath}/confirm/clear-pin-lock", string.Empty, $"clear-pin-lock-{user.Id}", $"Clear PIN lock for {email}", "Clear PIN lock"));
        var active = Html.If(mayLower, user.IsActive
            ? Link($"/users/{userPath}/confirm/deactivate", "danger", $"deactivate-{user.Id}", $"Deactivate {email}", "Deactivate")
            : Html.Of($"""
                <form method="post" action="/users/{userPath}/active" class="inline">
                  {Forms.Antiforgery(context)}
                  <input type="hidden" name="active" value="true">
                  <button type="submit" data-testid="reactivate-{user.Id}" aria-label="Reactivate {email}">Reactivate</button>
                </form>
                """));
        var mayEndSessions = user.IsActive && PeerRules.CanRaiseSecurityOf(actor, target);
        var endSessions = Html.If(mayEndSessions, Link($"/users/{userPath}/confirm/end-sessions", "danger", $"end-sessions-{user.Id}", $"Sign out everywhere: {email}", "Sign out everywhere"));
        var actions = mayForce || mayLower || mayEndSessions
            ? Html.Of($"{force}{reset}{endSessions}{clearPin}{active}")
            : Html.Of($"<span class=\"muted\" data-testid=\"no-actions-{user.Id}\">Only the contract owner can change this user's security.</span>");
        return RowOf(user, status, state, forced, locked, actions);
    }

    private static HtmlContent RowOf(UserSummary user, HtmlContent status, HtmlContent state, HtmlContent forced, HtmlContent locked, HtmlContent actions) =>
        Html.Of($"<tr data-user=\"{user.Email}\"><th scope=\"row\" data-label=\"E-mail\" class=\"email\">{user.Email}</th><td data-label=\"Role\">{Layout.RoleName(user.Role)}</td><td data-label=\"Status\">{status}</td><td data-label=\"Two-factor authentication\">{state}{forced}{locked}</td><td data-label=\"Actions\" class=\"actions\">{actions}</td></tr>");

    private static HtmlContent PolicyForm(HttpContext context, PasswordPolicySettings policy, FlashData data)
    {
        // After an error the form shows what was typed (from the flash), otherwise the stored policy.
        string Value(string name, int stored) => data.Value(name) ?? stored.ToString(CultureInfo.InvariantCulture);
        bool Checked(string name, bool stored) => data.Value(name) is { } typed ? typed == "true" : stored;
        static HtmlContent Number(string name, string label, string value, int min, int max) =>
            Html.Of($"<label>{label} <input type=\"number\" name=\"{name}\" value=\"{value}\" min=\"{min}\" max=\"{max}\" required></label>");
        static HtmlContent Check(string name, string label, bool value) =>
            Html.Of($"<label class=\"check\"><input type=\"checkbox\" name=\"{name}\" value=\"true\"{Html.If(value, HtmlContent.Trusted(" checked"))}> {label}</label>");
        return Html.Of($"""
            <section class="card" id="policy" aria-labelledby="policy-title">
              <h2 id="policy-title">Password policy of the contract</h2>
              {Layout.Errors(data.ErrorsOf("policy"))}
              <form method="post" action="/users/policy" class="policy-form">
                {Forms.Antiforgery(context)}
                <div class="fields">
                  {Number("minimumLength", "Minimum length", Value("minimumLength", policy.MinimumLength), 1, 4096)}
                  {Number("maximumLength", "Maximum length", Value("maximumLength", policy.MaximumLength), 1, 4096)}
                  {Number("minimumDigits", "Minimum digits", Value("minimumDigits", policy.MinimumDigits), 0, 128)}
                  {Number("minimumUppercase", "Minimum upper-case letters", Value("minimumUppercase", policy.MinimumUppercase), 0, 128)}
                  {Number("minimumLowercase", "Minimum lower-case letters", Value("minimumLowercase", policy.MinimumLowercase), 0, 128)}
                  {Number("minimumSpecial", "Minimum special characters", Value("minimumSpecial", policy.MinimumSpecial), 0, 128)}
                  {Number("historyDepth", "Passwords remembered (no reuse)", Value("historyDepth", policy.HistoryDepth), 0, 64)}
                </div>
                {Check("blockCommonPasswords", "Refuse commonly used passwords", Checked("blockCommonPasswords", policy.BlockCommonPasswords))}
                {Check("rejectEmail", "Refuse passwords containing the user's e-mail address", Checked("rejectEmail", policy.RejectEmail))}
                {Check("rejectPredictablePatterns", "Refuse passwords that are mostly repeats, sequences, keyboard walks or e-mail words", Checked("rejectPredictablePatterns", policy.RejectPredictablePatterns))}
                <button type="submit" class="primary">Save policy</button>
              </form>
            </section>
            """);
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

            problems.Add($"{label} must be a whole number.");
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
