using System.Globalization;
using AccountSecurity.Accounts;
using AccountSecurity.AspNetCore.Authentication;
using AccountSecurity.AspNetCore.Authorization;
using AccountSecurity.AspNetCore.SignIn;
using AccountSecurity.DependencyInjection;
using AccountSecurity.Sessions;
using AccountSecurity.SignIn;
using AccountSecurity.WebSample.Infrastructure;
using Microsoft.Extensions.Options;

namespace AccountSecurity.WebSample.Pages;

/// <summary>
/// "Devices and sessions" on Password &amp; Security (the user's live sessions, one signed out at a time or all others
/// at once), the "Sign out of all other sessions" choice of every credential change, and the contract's session policy
/// beside the password policy on Users &amp; Groups (the owner sets it). The list shows no secret: a session's id is
/// its public half (the cookie's secret never leaves the store's hash), and the address is the anonymised one.
/// </summary>
public static class SessionPages
{
    /// <summary>The name of the "Sign out of all other sessions" checkbox of every credential change.</summary>
    public const string EndOthersField = "endOtherSessions";

    /// <summary>The flash key of the session policy form's general errors; a field's errors go under <c>session-policy.{field}</c>.</summary>
    private const string PolicyForm = "session-policy";

    private static readonly string[] PolicyFields = ["idleTimeout", "absoluteLifetime", "maxSessionsPerUser"];

    /// <summary>Maps the endpoints.</summary>
    public static void Map(WebApplication app)
    {
        var group = app.MapGroup("/security/sessions").RequireAuthorization(AccountSecurityPolicies.SignedIn);

        group.MapPost("/{sessionId}/end", async Task<IResult> (HttpContext context, string sessionId, ISessionService sessions, AccountSecuritySignInManager signIn, Flash flash) =>
        {
            if (CurrentUser.Session(context) is not { } session)
            {
                return Respond.SeeOther("/session-ended");
            }

            if (string.Equals(sessionId, session.SessionId, StringComparison.Ordinal))
            {
                // Ending this very session is signing out (the row of this device offers the sign-out form, but a
                // hand-made post lands here): the server-side session and its cookie go together.
                await signIn.SignOutAsync();
                return Respond.SeeOther("/signin?m=signed-out");
            }

            var ended = await sessions.EndAsync(session.UserId, sessionId, context.RequestAborted);
            return ended.Succeeded
                ? flash.Notice(context, "/security#sessions", "That session is signed out. Its next page asks for a sign-in.")
                : flash.Errors(context, "/security#sessions", "sessions", ["That session has already ended (signed out, timed out or replaced by a newer sign-in). The list below is up to date."]);
        });

        group.MapPost("/end-others", async Task<IResult> (HttpContext context, AccountSecuritySignInManager signIn, Flash flash) =>
        {
            if (CurrentUser.Session(context) is null)
            {
                return Respond.SeeOther("/session-ended");
            }

            var count = await signIn.EndOtherSessionsAsync();
            return flash.Notice(context, "/security#sessions", count switch
            {
                0 => "There were no other sessions to sign out. This one stays signed in.",
                1 => "1 other session is signed out. This one stays signed in.",
                _ => $"{count} other sessions are signed out. This one stays signed in.",
            });
        });

        app.MapPost("/users/session-policy", async Task<IResult> (HttpContext context, ISessionService sessions, Flash flash) =>
        {
            var caller = await UsersPages.AdminAsync(context);
            if (caller is not (var acting, null))
            {
                return caller?.Denied ?? Respond.SeeOther("/session-ended");
            }

            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var typed = PolicyFields.ToDictionary(f => f, f => Truncate(form[f].ToString()), StringComparer.Ordinal);
            var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            void Add(string key, string message)
            {
                if (!errors.TryGetValue(key, out var list))
                {
                    errors[key] = list = [];
                }

                list.Add(message);
            }

            var idle = ReadNumber(form["idleTimeout"]);
            var lifetime = ReadNumber(form["absoluteLifetime"]);
            var max = int.TryParse(form["maxSessionsPerUser"], NumberStyles.None, CultureInfo.InvariantCulture, out var parsedMax) ? parsedMax : (int?)null;
            if (idle is null)
            {
                Add(PolicyForm + ".idleTimeout", "Enter the idle timeout in whole minutes.");
            }

            if (lifetime is null)
            {
                Add(PolicyForm + ".absoluteLifetime", "Enter the session lifetime in hours (for example 12 or 1.5).");
            }

            if (max is null)
            {
                Add(PolicyForm + ".maxSessionsPerUser", "Enter the number of sessions as a whole number.");
            }

            if (errors.Count == 0)
            {
                var settings = new SessionPolicySettings(
                    TimeSpan.FromMinutes(Math.Round(idle!.Value)),
                    TimeSpan.FromMinutes(Math.Round(lifetime!.Value * 60)),
                    max);
                var result = await sessions.SetPolicyAsync(context.User.GetRequiredAccountSecuritySession(), settings, context.RequestAborted);
                if (result.Succeeded)
                {
                    return flash.Notice(context, "/users#session-policy", "The session policy of the contract is saved. It applies to sessions that begin from now on; open sessions keep the limits they began with.");
                }

                foreach (var error in result.Errors)
                {
                    // A field's error is shown at its field; anything else (not allowed) above the form.
                    Add(error.Field is { } field && PolicyFields.Contains(field, StringComparer.Ordinal) ? PolicyForm + "." + field : PolicyForm, error.Message);
                }
            }

            Add(PolicyForm, "Nothing was saved. Correct the marked values and save again.");
            return flash.Redirect(context, "/users#session-policy", new FlashData { Errors = errors, Values = typed });
        });
    }

    /// <summary>The "Sign out of all other sessions" checkbox of a credential change; checked unless the user unticked it and the form came back.</summary>
    public static HtmlContent EndOthersCheckbox(string idSuffix) => Html.Of($"""
        <label class="check"><input type="checkbox" name="{EndOthersField}" value="true" checked data-testid="end-others-{idSuffix}"> Sign out of all other sessions</label>
        """);

    /// <summary>Whether the posted form asks to end the other sessions (the checkbox sends a value only when ticked).</summary>
    public static bool EndOthersRequested(IFormCollection form) => string.Equals(form[EndOthersField], "true", StringComparison.Ordinal);

    /// <summary>The notice after a credential change, saying what became of the other sessions.</summary>
    public static string OthersAfterChange(bool ended) => ended
        ? "Your other sessions have been signed out; this one stays signed in."
        : "Your other sessions stay signed in, as you chose. You can sign them out under Devices and sessions.";

    /// <summary>The "Devices and sessions" card of the signed-in user.</summary>
    public static async Task<HtmlContent> CardAsync(HttpContext context, UserSummary user, AuthenticatedSession session, IReadOnlyList<string> errors)
    {
        var services = context.RequestServices;
        var sessions = services.GetRequiredService<ISessionService>();
        var list = await sessions.ListAsync(user.Id, session.SessionId, context.RequestAborted);
        var policy = await sessions.GetEffectivePolicyAsync(user.ContractId, context.RequestAborted);
        var others = list.Count(s => !s.IsCurrent);
        var rows = Html.Join(list.OrderByDescending(s => s.IsCurrent).ThenByDescending(s => s.LastSeenAt).Select(s => Row(context, s)));
        var endOthers = others > 0
            ? Html.Of($"""
                <form method="post" action="/security/sessions/end-others" class="inline">
                  {Forms.Antiforgery(context)}
                  <button type="submit" class="danger" data-testid="end-other-sessions">Sign out of all other sessions</button>
                </form>
                """)
            : Html.Of($"<p class=\"muted\" data-testid=\"no-other-sessions\">You are signed in on this device only.</p>");
        return Html.Of($"""
            <section class="card sessions-card" id="sessions" aria-labelledby="sessions-title">
              <h2 id="sessions-title">Devices and sessions</h2>
              <p class="muted">Where your account is signed in now. If you do not recognise a session, sign it out and change your password.</p>
              {Layout.Errors(errors)}
              <table class="table stackable sessions" data-testid="sessions">
                <caption class="visually-hidden">Your signed-in sessions</caption>
                <thead><tr><th scope="col">Device</th><th scope="col">Approximate address</th><th scope="col">Signed in</th><th scope="col">Last active</th><th scope="col">Signed in with</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
                <tbody>{rows}</tbody>
              </table>
              {endOthers}
              <p class="muted">A session ends after {Duration(policy.IdleTimeout)} without use and {Duration(policy.AbsoluteLifetime)} after its sign-in at the latest; at most {policy.MaxSessionsPerUser} at once (a new sign-in beyond that signs out the oldest). Times are UTC; "last active" is to the minute.</p>
            </section>
            """);
    }

    /// <summary>The session policy card of Users &amp; Groups: a form for the owner, the values in force for an administrator.</summary>
    public static async Task<HtmlContent> PolicyCardAsync(HttpContext context, UserSummary acting, FlashData data)
    {
        var services = context.RequestServices;
        var policy = await services.GetRequiredService<ISessionService>().GetEffectivePolicyAsync(acting.ContractId, context.RequestAborted);
        var bounds = services.GetRequiredService<IOptions<AccountSecurityOptions>>().Value.Sessions;
        if (acting.Role != UserRole.ContractOwner)
        {
            return Html.Of($"""
                <section class="card" id="session-policy" aria-labelledby="session-policy-title">
                  <h2 id="session-policy-title">Session policy</h2>
                  <dl class="facts" data-testid="session-policy-values">
                    <dt>Idle timeout</dt><dd>{Duration(policy.IdleTimeout)}</dd>
                    <dt>Session lifetime</dt><dd>{Duration(policy.AbsoluteLifetime)}</dd>
                    <dt>Sessions per user</dt><dd>{policy.MaxSessionsPerUser}</dd>
                  </dl>
                  <p class="muted">Only the contract owner can change the session policy.</p>
                </section>
                """);
        }

        string Value(string name, string stored) => data.Value(name) ?? stored;
        HtmlContent Field(string name, string label, string value, string hint, string attributes)
        {
            var fieldErrors = data.ErrorsOf(PolicyForm + "." + name);
            var invalid = fieldErrors.Count > 0;
            var errorList = Html.If(invalid, Html.Of($"<ul class=\"field-errors\" id=\"{name}-errors\" data-testid=\"{name}-errors\">{Html.Join(fieldErrors.Select(m => Html.Of($"<li>{m}</li>")))}</ul>"));
            var describedBy = invalid ? $"{name}-hint {name}-errors" : $"{name}-hint";
            return Html.Of($"""
                <div class="field{(invalid ? " invalid" : string.Empty)}">
                  <label>{label} <input type="number" name="{name}" value="{value}" {HtmlContent.Trusted(attributes)} required aria-describedby="{describedBy}"{Html.If(invalid, HtmlContent.Trusted(" aria-invalid=\"true\""))}></label>
                  <span class="hint" id="{name}-hint">{hint}</span>
                  {errorList}
                </div>
                """);
        }

        var idleMin = (int)bounds.MinIdleTimeout.TotalMinutes;
        var idleMax = (int)bounds.MaxIdleTimeout.TotalMinutes;
        var lifeMin = bounds.MinAbsoluteLifetime.TotalHours;
        var lifeMax = bounds.MaxAbsoluteLifetime.TotalHours;
        var generalErrors = data.ErrorsOf(PolicyForm);
        return Html.Of($"""
            <section class="card" id="session-policy" aria-labelledby="session-policy-title">
              <h2 id="session-policy-title">Session policy of the contract</h2>
              {Layout.Errors(generalErrors)}
              <form method="post" action="/users/session-policy" class="policy-form" novalidate>
                {Forms.Antiforgery(context)}
                <div class="fields">
                  {Field("idleTimeout", "Idle timeout (minutes)", Value("idleTimeout", Number(policy.IdleTimeout.TotalMinutes)), $"{idleMin} to {idleMax} minutes without use", "step=\"1\"")}
                  {Field("absoluteLifetime", "Session lifetime (hours)", Value("absoluteLifetime", Number(policy.AbsoluteLifetime.TotalHours)), $"{Number(lifeMin)} to {Number(lifeMax)} hours after sign-in", "step=\"0.25\"")}
                  {Field("maxSessionsPerUser", "Sessions per user", Value("maxSessionsPerUser", policy.MaxSessionsPerUser.ToString(CultureInfo.InvariantCulture)), $"1 to {bounds.MaxSessionsPerUserLimit}; a new sign-in beyond it signs out the oldest", "step=\"1\"")}
                </div>
                <button type="submit" class="primary">Save session policy</button>
              </form>
              <p class="muted">Applies to sessions that begin after saving. Signing out, a password change and an administrator's "Sign out everywhere" end sessions at once.</p>
            </section>
            """);
    }

    /// <summary>How a session was signed in, from its <c>amr</c> values, in words.</summary>
    public static string Methods(IReadOnlyCollection<string> methods)
    {
        var passkey = methods.Contains(AuthenticationMethods.HardwareKey) || methods.Contains(AuthenticationMethods.SoftwareKey);
        var kind = methods.Contains(AuthenticationMethods.HardwareKey) ? "Passkey (this device)" : "Passkey";
        if (!methods.Contains(AuthenticationMethods.Password))
        {
            return passkey ? kind : "Unknown";
        }

        var second = methods.Contains(AuthenticationMethods.Otp) ? "authenticator app"
            : methods.Contains(AuthenticationMethods.RecoveryCode) ? "recovery code"
            : passkey ? "passkey"
            : null;
        return second is null ? "Password" : "Password + " + second;
    }

    private static HtmlContent Row(HttpContext context, SessionSummary session)
    {
        var device = session.DeviceLabel is { Length: > 0 } label ? label : "Unknown device";
        var address = session.ClientAddress is { Length: > 0 } recorded ? recorded : "not recorded";
        var action = session.IsCurrent
            ? Html.Of($"""
                <form method="post" action="/signout" class="inline">
                  {Forms.Antiforgery(context)}
                  <button type="submit" aria-label="Sign out of this device">Sign out</button>
                </form>
                """)
            : Html.Of($"""
                <form method="post" action="/security/sessions/{Uri.EscapeDataString(session.Id)}/end" class="inline">
                  {Forms.Antiforgery(context)}
                  <button type="submit" class="danger" aria-label="Sign out {device}, signed in {Time(session.CreatedAt)}">Sign out</button>
                </form>
                """);
        var current = Html.If(session.IsCurrent, Html.Of($" <span class=\"badge on\" data-testid=\"this-device\">This device</span>"));
        return Html.Of($"""
            <tr data-testid="session"{Html.If(session.IsCurrent, HtmlContent.Trusted(" data-current=\"true\""))}>
              <th scope="row" data-label="Device">{device}{current}</th>
              <td data-label="Approximate address">{address}</td>
              <td data-label="Signed in">{Time(session.CreatedAt)}</td>
              <td data-label="Last active">{Time(session.LastSeenAt)}</td>
              <td data-label="Signed in with" data-testid="methods">{Methods(session.Methods)}</td>
              <td data-label="Actions" class="actions">{action}</td>
            </tr>
            """);
    }

    private static string Time(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Duration(TimeSpan span) =>
        span.TotalMinutes < 120 && span.TotalMinutes % 60 != 0 ? $"{span.TotalMinutes:0} minutes"
        : span.TotalHours == 1 ? "1 hour"
        : $"{Number(span.TotalHours)} hours";

    private static double? ReadNumber(string? text) =>
        double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && value is >= 0 and <= 10_000_000 ? value : null;

    private static string Truncate(string value) => value.Length > 12 ? value[..12] : value;
}
