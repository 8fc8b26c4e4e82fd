using System.Globalization;
using AccountSecurity.Accounts;
using AccountSecurity.AspNetCore.Authorization;
using AccountSecurity.Resources;
using AccountSecurity.SignIn;
using AccountSecurity.WebSample.Infrastructure;

namespace AccountSecurity.WebSample.Pages;

/// <summary>
/// "Data centers" and "Snapshots": the contract's resources, with the <c>secAuthProtection</c>-flagged ones hidden
/// unless the session was signed in with 2FA (<see cref="IProtectedResourceAccess"/>), and the switch for that flag.
/// </summary>
public static class ResourcePages
{
    private static readonly Dictionary<ResourceKind, (string Key, string Path, string Title, string Noun)> Kinds = new()
    {
        [ResourceKind.DataCenter] = ("datacenters", "/datacenters", "Data centers", "data center"),
        [ResourceKind.Snapshot] = ("snapshots", "/snapshots", "Snapshots", "snapshot"),
    };

    /// <summary>Maps the endpoints (all require a signed-in user).</summary>
    public static void Map(WebApplication app)
    {
        foreach (var (kind, info) in Kinds)
        {
            app.MapGet(info.Path, async Task<IResult> (HttpContext context, IProtectedResourceAccess access, ResourceCatalog catalog, Flash flash) =>
            {
                if (await CurrentUser.LoadAsync(context) is not (var session, var user))
                {
                    return Respond.Redirect("/session-ended");
                }

                var data = flash.Take(context);
                var all = await catalog.ListAsync(kind, context.RequestAborted);

                // The host's own permissions would filter first (here: every user of the contract may see all);
                // the library then only ever removes what needs a 2FA sign-in.
                var visible = await access.FilterAsync(session, all, context.RequestAborted);
                var maySwitch = await MaySwitchAsync(access, session, user, context.RequestAborted);
                var rows = Html.Join(visible.Select(r => Row(context, r, maySwitch)));
                var hint = Html.If(
                    visible.Count < all.Count,
                    Layout.Info($"Some {info.Title.ToLowerInvariant()} are protected by two-factor authentication (secAuthProtection) and are shown only after you sign in with a code from your authenticator app."
                        + (user.Role == UserRole.User ? string.Empty : " Set up two-factor authentication under Password & Security, then sign out and in again.")));
                var switchNote = maySwitch
                    ? Html.Of($"<p class=\"muted\">You signed in with two-factor authentication, so you can switch secAuthProtection. Every change is recorded below.</p>")
                    : user.Role == UserRole.User
                        ? HtmlContent.Empty
                        : Html.Of($"<p class=\"muted\" data-testid=\"switch-needs-2fa\">To switch secAuthProtection, sign in with two-factor authentication (owner and administrators only).</p>");
                var audit = user.Role == UserRole.User ? HtmlContent.Empty : await AuditAsync(catalog, all, context.RequestAborted);
                var body = Html.Of($"""
                    {Layout.Success(data.Notice)}
                    {Layout.Errors(data.ErrorsOf("resources"))}
                    {hint}
                    <section class="card">
                      <table class="table stackable" data-testid="{info.Key}">
                        <thead><tr><th scope="col">Name</th><th scope="col">Location</th><th scope="col">Protection</th>{Html.If(maySwitch, Html.Of($"<th scope=\"col\">secAuthProtection</th>"))}</tr></thead>
                        <tbody>{rows}</tbody>
                      </table>
                      {switchNote}
                    </section>
                    {audit}
                    """);
                return new HtmlPageResult(Layout.Console(context, user, info.Key, info.Title, body));
            }).RequireAuthorization(AccountSecurityPolicies.SignedIn);
        }

        app.MapGet("/resources/{id}/confirm-unprotect", async Task<IResult> (HttpContext context, string id, IProtectedResourceAccess access, ResourceCatalog catalog, Flash flash) =>
        {
            if (await CurrentUser.LoadAsync(context) is not (var session, var user))
            {
                return Respond.Redirect("/session-ended");
            }

            var resource = await catalog.FindAsync(id, context.RequestAborted);
            var back = resource is null ? "/datacenters" : Kinds[resource.Kind].Path;
            if (resource is null || !await MaySwitchAsync(access, session, user, context.RequestAborted))
            {
                return flash.Errors(context, back, "resources", [Refused]);
            }

            var body = Layout.Confirmation(
                context,
                $"Switch off secAuthProtection for {resource.Name}?",
                $"The {Kinds[resource.Kind].Noun} is then shown to every user of the contract who may see it, also to sessions signed in with a password only. The change is recorded in the audit list.",
                $"/resources/{Uri.EscapeDataString(id)}/protection",
                [("protected", "false"), ("confirmed", "true")],
                "Switch off protection for " + resource.Name,
                back);
            return new HtmlPageResult(Layout.Console(context, user, Kinds[resource.Kind].Key, "Please confirm", body));
        }).RequireAuthorization(AccountSecurityPolicies.SignedIn);

        app.MapPost("/resources/{id}/protection", async Task<IResult> (HttpContext context, string id, IProtectedResourceAccess access, ResourceCatalog catalog, Flash flash, ILoggerFactory loggers) =>
        {
            if (await CurrentUser.LoadAsync(context) is not (var session, var user))
            {
                return Respond.SeeOther("/session-ended");
            }

            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var protect = form["protected"] == "true";
            var resource = await catalog.FindAsync(id, context.RequestAborted);
            var logger = loggers.CreateLogger("AccountSecurity.WebSample.Audit");
            var action = protect ? "secAuthProtection.on" : "secAuthProtection.off";
            if (resource is null)
            {
                return flash.Errors(context, "/datacenters", "resources", ["That resource does not exist. Check the list below."]);
            }

            var back = Kinds[resource.Kind].Path;
            if (!await MaySwitchAsync(access, session, user, context.RequestAborted))
            {
                // Refusals are audited too: a request the page never offers is worth a look.
                await catalog.AuditAsync(user.Id, resource.Id, action, "refused", context.RequestAborted);
                Log.Switch(logger, user.Id, resource.Id, action, "refused");
                return flash.Errors(context, back, "resources", [Refused]);
            }

            if (!protect && form["confirmed"] != "true")
            {
                return Respond.SeeOther($"/resources/{Uri.EscapeDataString(id)}/confirm-unprotect");
            }

            await catalog.SetProtectionAsync(resource.Id, protect, context.RequestAborted);
            await catalog.AuditAsync(user.Id, resource.Id, action, "done", context.RequestAborted);
            Log.Switch(logger, user.Id, resource.Id, action, "done");
            return flash.Notice(context, back, protect
                ? $"secAuthProtection is on for {resource.Name}: only users signed in with two-factor authentication see it now."
                : $"secAuthProtection is off for {resource.Name}: every user of the contract who may see it sees it now, with or without 2FA.");
        }).RequireAuthorization(AccountSecurityPolicies.SignedIn);
    }

    private const string Refused = "Only the contract owner or an administrator whose session was signed in with two-factor authentication can switch secAuthProtection. Set up two-factor authentication under Password & Security, sign out, and sign in again with a code.";

    /// <summary>
    /// Owner or administrator, and a session the library would show protected resources to (valid stamp, 2FA active
    /// now, signed in with the second factor): the library's rule, asked rather than re-implemented.
    /// </summary>
    private static async Task<bool> MaySwitchAsync(IProtectedResourceAccess access, AuthenticatedSession session, UserSummary user, CancellationToken cancellationToken) =>
        user.Role is UserRole.ContractOwner or UserRole.Administrator
        && await access.CanSeeAsync(session, secAuthProtection: true, cancellationToken);

    private static HtmlContent Row(HttpContext context, ConsoleResource resource, bool maySwitch)
    {
        var badge = resource.SecAuthProtection
            ? Html.Of($"<span class=\"badge forced\">2FA protected</span>")
            : Html.Of($"<span class=\"muted\">—</span>");
        var path = Uri.EscapeDataString(resource.Id);
        var toggle = !maySwitch
            ? HtmlContent.Empty
            : resource.SecAuthProtection
                ? Html.Of($"""<td data-label="secAuthProtection"><a class="button danger" href="/resources/{path}/confirm-unprotect" data-testid="unprotect-{resource.Id}" aria-label="Switch off secAuthProtection for {resource.Name}">Switch off</a></td>""")
                : Html.Of($"""
                    <td data-label="secAuthProtection"><form method="post" action="/resources/{path}/protection" class="inline">
                      {Forms.Antiforgery(context)}
                      <input type="hidden" name="protected" value="true">
                      <button type="submit" data-testid="protect-{resource.Id}" aria-label="Switch on secAuthProtection for {resource.Name}">Switch on</button>
                    </form></td>
                    """);
        var testId = resource.Kind == ResourceKind.DataCenter ? "datacenter" : "snapshot";
        return Html.Of($"""
            <tr data-testid="{testId}" data-id="{resource.Id}"><td data-label="Name" class="name">{resource.Name}</td><td data-label="Location">{resource.Location}</td><td data-label="Protection">{badge}</td>{toggle}</tr>
            """);
    }

    private static async Task<HtmlContent> AuditAsync(ResourceCatalog catalog, IReadOnlyList<ConsoleResource> shown, CancellationToken cancellationToken)
    {
        // Only lines about this page's resources; the audit list names resources by id, which a hidden one would leak
        // no more than its existence (the hint above already says some are hidden).
        var ids = shown.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        var lines = (await catalog.RecentAuditAsync(50, cancellationToken)).Where(a => ids.Contains(a.ResourceId)).Take(10).ToList();
        var rows = lines.Count == 0
            ? Html.Of($"<tr><td colspan=\"4\" class=\"muted\">No changes yet.</td></tr>")
            : Html.Join(lines.Select(a => Html.Of($"""
                <tr data-testid="audit-line"><td data-label="When">{a.At.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)}</td><td data-label="Who">{a.ActorId}</td><td data-label="What">{a.Action} {a.ResourceId}</td><td data-label="Result">{a.Outcome}</td></tr>
                """)));
        return Html.Of($"""
            <section class="card" aria-labelledby="audit-title">
              <h2 id="audit-title">Changes to secAuthProtection</h2>
              <table class="table stackable" data-testid="audit"><thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">Result</th></tr></thead><tbody>{rows}</tbody></table>
            </section>
            """);
    }
}

/// <summary>The sample's audit log lines (ids and fixed words only).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 9001, Level = LogLevel.Information, Message = "secAuthProtection switch by {ActorId} on {ResourceId}: {Action} {Outcome}")]
    public static partial void Switch(ILogger logger, string actorId, string resourceId, string action, string outcome);
}
