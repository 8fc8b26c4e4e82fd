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
    /// <summary>The two resource pages: navigation key, path, title and noun (keys of the console's texts).</summary>
    internal static readonly Dictionary<ResourceKind, (string Key, string Path, string Title, string Noun)> Kinds = new()
    {
        [ResourceKind.DataCenter] = ("datacenters", "/datacenters", "Data centers", "data center"),
        [ResourceKind.Snapshot] = ("snapshots", "/snapshots", "Snapshots", "snapshot"),
    };

    /// <summary>Maps the endpoints (all require a signed-in user; the pages are Razor Pages).</summary>
    public static void Map(WebApplication app)
    {
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
                ? ConsoleText.Of("secAuthProtection is on for {0}: only users signed in with two-factor authentication see it now.", resource.Name)
                : ConsoleText.Of("secAuthProtection is off for {0}: every user of the contract who may see it sees it now, with or without 2FA.", resource.Name));
        }).RequireAuthorization(AccountSecurityPolicies.SignedIn);
    }

    internal const string Refused = "Only the contract owner or an administrator whose session was signed in with two-factor authentication can switch secAuthProtection. Set up two-factor authentication under Password & Security, sign out, and sign in again with a code.";

    /// <summary>
    /// Owner or administrator, and a session the library would show protected resources to (valid stamp, 2FA active
    /// now, signed in with the second factor): the library's rule, asked rather than re-implemented.
    /// </summary>
    internal static async Task<bool> MaySwitchAsync(IProtectedResourceAccess access, AuthenticatedSession session, UserSummary user, CancellationToken cancellationToken) =>
        user.Role is UserRole.ContractOwner or UserRole.Administrator
        && await access.CanSeeAsync(session, secAuthProtection: true, cancellationToken);
}

/// <summary>The sample's audit log lines (ids and fixed words only).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 9001, Level = LogLevel.Information, Message = "secAuthProtection switch by {ActorId} on {ResourceId}: {Action} {Outcome}")]
    public static partial void Switch(ILogger logger, string actorId, string resourceId, string action, string outcome);
}
