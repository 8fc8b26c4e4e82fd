using System.Globalization;
using AccountSecurity.Accounts;
using AccountSecurity.Accounts.Administration;
using AccountSecurity.Administration;
using AccountSecurity.Lockout;
using AccountSecurity.Passwords.Policy;
using AccountSecurity.SupportPin;
using AccountSecurity.TwoFactor;
using AccountSecurity.WebSample.Infrastructure;

namespace AccountSecurity.WebSample.Pages;

/// <summary>"Users &amp; Groups": the contract's users with their 2FA state (owner and administrators), and the password policy (owner).</summary>
public static class UsersPages
{
    /// <summary>Maps the endpoints.</summary>
    public static void Map(WebApplication app)
    {
        var group = app.MapGroup("/users").RequireAuthorization();

        group.MapGet("/", (Func<HttpContext, Task<IResult>>)(context => RenderAsync(context)));

        group.MapPost("/{userId}/force", async Task<IResult> (HttpContext context, string userId, TwoFactorAdministrationService admin) =>
        {
            var caller = await AdminAsync(context);
            if (caller is not (var acting, null))
            {
                return caller?.Denied ?? Respond.Redirect("/signin?m=session-ended");
            }

            var forced = string.Equals(await Forms.FieldAsync(context, "forced"), "true", StringComparison.Ordinal);
            var result = await admin.SetForcedAsync(acting.Id, userId, forced, context.RequestAborted);
            return result.Succeeded
                ? await RenderAsync(context, notice: forced ? "Two-factor authentication is now required for this user." : "Two-factor authentication is no longer required for this user.")
                : await RenderAsync(context, userErrors: SecurityPages.Messages(result), status: StatusCodes.Status400BadRequest);
        });

        group.MapPost("/{userId}/reset-2fa", async Task<IResult> (HttpContext context, string userId, TwoFactorAdministrationService admin) =>
        {
            var caller = await AdminAsync(context);
            if (caller is not (var acting, null))
            {
                return caller?.Denied ?? Respond.Redirect("/signin?m=session-ended");
            }

            var result = await admin.ResetAsync(acting.Id, userId, context.RequestAborted);
            return result.Succeeded
                ? await RenderAsync(context, notice: "Two-factor authentication was reset; the user's sessions have ended.")
                : await RenderAsync(context, userErrors: SecurityPages.Messages(result), status: StatusCodes.Status400BadRequest);
        });

        group.MapPost("/{userId}/active", async Task<IResult> (HttpContext context, string userId, AccountAdministrationService accounts) =>
        {
            var caller = await AdminAsync(context);
            if (caller is not (var acting, null))
            {
                return caller?.Denied ?? Respond.Redirect("/signin?m=session-ended");
            }

            var activate = string.Equals(await Forms.FieldAsync(context, "active"), "true", StringComparison.Ordinal);
            var result = activate
                ? await accounts.ReactivateAsync(acting.Id, userId, context.RequestAborted)
                : await accounts.DeactivateAsync(acting.Id, userId, context.RequestAborted);
            return result.Succeeded
                ? await RenderAsync(context, notice: activate ? "The user is active again and can sign in." : "The user is deactivated; their sessions have ended.")
                : await RenderAsync(context, userErrors: SecurityPages.Messages(result), status: StatusCodes.Status400BadRequest);
        });

        group.MapPost("/{userId}/clear-pin-lock", async Task<IResult> (HttpContext context, string userId, ISupportPinService pins) =>
        {
            var caller = await AdminAsync(context);
            if (caller is not (var acting, null))
            {
                return caller?.Denied ?? Respond.Redirect("/signin?m=session-ended");
            }

            var result = await pins.ClearLockoutAsync(acting.Id, userId, context.RequestAborted);
            return result.Succeeded
                ? await RenderAsync(context, notice: "The support PIN lock was cleared; support can verify the user's PIN again.")
                : await RenderAsync(context, userErrors: SecurityPages.Messages(result), status: StatusCodes.Status400BadRequest);
        });

        group.MapPost("/policy", async Task<IResult> (HttpContext context, PasswordPolicyService policies) =>
        {
            var caller = await AdminAsync(context);
            if (caller is not (var acting, null))
            {
                return caller?.Denied ?? Respond.Redirect("/signin?m=session-ended");
            }

            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var parsed = ParsePolicy(form, out var inputErrors);
            if (parsed is null)
            {
                return await RenderAsync(context, policyErrors: inputErrors, status: StatusCodes.Status400BadRequest);
            }

            var result = await policies.SetPolicyAsync(acting.Id, parsed, context.RequestAborted);
            return result.Succeeded
                ? await RenderAsync(context, notice: "The password policy of the contract is saved. It applies to every new password.")
                : await RenderAsync(context, policyErrors: SecurityPages.Messages(result), status: StatusCodes.Status400BadRequest);
        });
    }

    /// <summary>The signed-in owner or administrator; otherwise a 403 page (or null when not signed in).</summary>
    internal static async Task<(UserSummary Acting, IResult? Denied)?> AdminAsync(HttpContext context, string active = "users", string title = "Users & Groups")
    {
        if (await SessionCookie.LoadAsync(context) is not (_, var user))
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

    private static async Task<IResult> RenderAsync(
        HttpContext context,
        string? notice = null,
        IReadOnlyList<string>? userErrors = null,
        IReadOnlyList<string>? policyErrors = null,
        int status = StatusCodes.Status200OK)
    {
        if (await AdminAsync(context) is not (var acting, var denied))
        {
            return Respond.Redirect("/signin?m=session-ended");
        }

        if (denied is not null)
        {
            return denied;
        }

        var services = context.RequestServices;
        var listed = await services.GetRequiredService<AccountAdministrationService>().ListUsersAsync(acting.Id, context.RequestAborted);
        var users = listed.Succeeded ? listed.Value : [];
        var policy = await services.GetRequiredService<PasswordPolicyService>().GetEffectivePolicyAsync(acting.ContractId, context.RequestAborted);
        var rows = Html.Join(users.OrderByDescending(u => u.Role).ThenBy(u => u.Email, StringComparer.OrdinalIgnoreCase).Select(u => Row(context, acting, u)));
        var policyCard = acting.Role == UserRole.ContractOwner
            ? PolicyForm(context, policy, policyErrors ?? [])
            : Html.Of($"<section class=\"card\"><h2>Password policy</h2><p class=\"muted\">Only the contract owner can change the password policy.</p></section>");
        var body = Html.Of($"""
            {Layout.Success(notice)}
            <section class="card">
              <h2>Users of contract {acting.ContractId}</h2>
              {Layout.Errors(userErrors ?? [])}
              <table class="table" data-testid="users">
                <thead><tr><th>E-mail</th><th>Role</th><th>Status</th><th>Two-factor authentication</th><th>Actions</th></tr></thead>
                <tbody>{rows}</tbody>
              </table>
              <p class="muted">You can require two-factor authentication, but only the user can switch it on: they are asked to set it up at their next sign-in.</p>
            </section>
            {policyCard}
            """);
        return new HtmlPageResult(Layout.Console(context, acting, "users", "Users & Groups", body), status);
    }

    private static HtmlContent Row(HttpContext context, UserSummary acting, UserSummary user)
    {
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
        var actor = new SecurityPeer(acting.Id, acting.ContractId, acting.Role, acting.IsActive);
        var target = new SecurityPeer(user.Id, user.ContractId, user.Role, user.IsActive);
        var mayLower = PeerRules.CanLowerSecurityOf(actor, target);
        var mayForce = user.TwoFactorForced ? mayLower : PeerRules.CanRaiseSecurityOf(actor, target);
        var hasFactor = user.TwoFactorEnabled || user.TwoFactorSetupPending;
        var userPath = Uri.EscapeDataString(user.Id);
        var force = Html.If(mayForce, Html.Of($"""
            <form method="post" action="/users/{userPath}/force" class="inline">
              {Forms.Antiforgery(context)}
              <input type="hidden" name="forced" value="{(user.TwoFactorForced ? "false" : "true")}">
              <button type="submit" data-testid="force-{user.Id}">{(user.TwoFactorForced ? "Stop requiring 2FA" : "Require 2FA")}</button>
            </form>
            """));
        var reset = Html.If(mayLower, Html.Of($"""
            <form method="post" action="/users/{userPath}/reset-2fa" class="inline">
              {Forms.Antiforgery(context)}
              <button type="submit" class="danger" data-testid="reset-{user.Id}"{Html.If(!hasFactor, HtmlContent.Trusted(" disabled"))}>Reset 2FA</button>
            </form>
            """));
        var clearPin = Html.If(mayLower && pinLocked, Html.Of($"""
            <form method="post" action="/users/{userPath}/clear-pin-lock" class="inline">
              {Forms.Antiforgery(context)}
              <button type="submit" data-testid="clear-pin-lock-{user.Id}">Clear PIN lock</button>
            </form>
            """));
        var active = Html.If(mayLower, Html.Of($"""
            <form method="post" action="/users/{userPath}/active" class="inline">
              {Forms.Antiforgery(context)}
              <input type="hidden" name="active" value="{(user.IsActive ? "false" : "true")}">
              <button type="submit"{Html.If(user.IsActive, HtmlContent.Trusted(" class=\"danger\""))} data-testid="{(user.IsActive ? "deactivate" : "reactivate")}-{user.Id}">{(user.IsActive ? "Deactivate" : "Reactivate")}</button>
            </form>
            """));
        var actions = mayForce || mayLower
            ? Html.Of($"{force}{reset}{clearPin}{active}")
            : Html.Of($"<span class=\"muted\" data-testid=\"no-actions-{user.Id}\">Only the contract owner can change this user's security.</span>");
        return RowOf(user, status, state, forced, locked, actions);
    }

    private static HtmlContent RowOf(UserSummary user, HtmlContent status, HtmlContent state, HtmlContent forced, HtmlContent locked, HtmlContent actions) =>
        Html.Of($"<tr data-user=\"{user.Email}\"><td>{user.Email}</td><td>{Layout.RoleName(user.Role)}</td><td>{status}</td><td>{state}{forced}{locked}</td><td class=\"actions\">{actions}</td></tr>");

    private static HtmlContent PolicyForm(HttpContext context, PasswordPolicySettings policy, IReadOnlyList<string> errors)
    {
        static HtmlContent Number(string name, string label, int value, int min, int max) =>
            Html.Of($"<label>{label} <input type=\"number\" name=\"{name}\" value=\"{value}\" min=\"{min}\" max=\"{max}\" required></label>");
        static HtmlContent Check(string name, string label, bool value) =>
            Html.Of($"<label class=\"check\"><input type=\"checkbox\" name=\"{name}\" value=\"true\"{Html.If(value, HtmlContent.Trusted(" checked"))}> {label}</label>");
        return Html.Of($"""
            <section class="card" id="policy">
              <h2>Password policy of the contract</h2>
              {Layout.Errors(errors)}
              <form method="post" action="/users/policy" class="policy-form">
                {Forms.Antiforgery(context)}
                <div class="fields">
                  {Number("minimumLength", "Minimum length", policy.MinimumLength, 1, 4096)}
                  {Number("maximumLength", "Maximum length", policy.MaximumLength, 1, 4096)}
                  {Number("minimumDigits", "Minimum digits", policy.MinimumDigits, 0, 128)}
                  {Number("minimumUppercase", "Minimum upper-case letters", policy.MinimumUppercase, 0, 128)}
                  {Number("minimumLowercase", "Minimum lower-case letters", policy.MinimumLowercase, 0, 128)}
                  {Number("minimumSpecial", "Minimum special characters", policy.MinimumSpecial, 0, 128)}
                  {Number("historyDepth", "Passwords remembered (no reuse)", policy.HistoryDepth, 0, 64)}
                </div>
                {Check("blockCommonPasswords", "Refuse commonly used passwords", policy.BlockCommonPasswords)}
                {Check("rejectEmail", "Refuse passwords containing the user's e-mail address", policy.RejectEmail)}
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
        };
        errors = problems;
        return problems.Count == 0 ? settings : null;
    }
}
