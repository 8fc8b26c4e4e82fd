using AccountSecurity.Accounts;
using AccountSecurity.Accounts.Administration;
using AccountSecurity.AspNetCore.Authorization;
using AccountSecurity.Resources;
using AccountSecurity.WebSample.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace AccountSecurity.WebSample.Pages.Resources;

/// <summary>
/// "Data centers" and "Snapshots": the contract's resources, with the <c>secAuthProtection</c>-flagged ones hidden
/// unless the session was signed in with 2FA (<see cref="IProtectedResourceAccess"/>), and the switch for that flag.
/// </summary>
/// <param name="kind">Which resources the page lists.</param>
[Authorize(Policy = AccountSecurityPolicies.SignedIn)]
public abstract class ResourceListModel(ResourceKind kind) : ConsolePageModel
{
    /// <summary>Navigation key, path, title and noun of the page.</summary>
    public (string Key, string Path, string Title, string Noun) Info { get; } = ResourcePages.Kinds[kind];

    /// <summary>The resources this session may see.</summary>
    public IReadOnlyList<ConsoleResource> Visible { get; private set; } = [];

    /// <summary>Whether some are hidden from this session.</summary>
    public bool SomeHidden { get; private set; }

    /// <summary>The names of the groups the signed-in user is in (read-only here; the owner and administrators change them on Users &amp; Groups).</summary>
    public IReadOnlyList<string> MyGroups { get; private set; } = [];

    /// <summary>Whether this session may switch secAuthProtection.</summary>
    public bool MaySwitch { get; private set; }

    /// <summary>The recent changes to this page's resources (owner and administrators only), named for people.</summary>
    public IReadOnlyList<AuditRow>? Audit { get; private set; }

    /// <summary>Shows the list.</summary>
    public async Task<IActionResult> OnGetAsync([FromServices] IProtectedResourceAccess access, [FromServices] ResourceCatalog catalog)
    {
        if (!await LoadUserAsync())
        {
            return SessionEndedPage();
        }

        TakeFlash();
        var aborted = HttpContext.RequestAborted;
        var all = await catalog.ListAsync(kind, aborted);

        // The host's own permissions filter first (its groups: GroupStore.MaySee); the library then only ever removes
        // what needs a 2FA sign-in, whatever a group grants.
        var groups = HttpContext.RequestServices.GetRequiredService<GroupStore>();
        var allowed = await groups.FilterAsync(Me, all, aborted);
        Visible = await access.FilterAsync(Session, allowed, aborted);
        SomeHidden = Visible.Count < allowed.Count;
        MyGroups = [.. (await groups.ListAsync(Me.ContractId, aborted)).Where(g => g.Members.Contains(Me.Id, StringComparer.Ordinal)).Select(g => g.Name)];
        MaySwitch = await ResourcePages.MaySwitchAsync(access, Session, Me, aborted);
        if (Me.Role != UserRole.User)
        {
            // Only lines about this page's resources; the audit list names resources by id, which a hidden one would
            // leak no more than its existence (the hint above already says some are hidden).
            // Each line names the person (their e-mail address) and the resource (its name), not their ids (issue 27
            // item 6); someone no longer in the contract keeps their id.
            var names = all.ToDictionary(r => r.Id, r => r.Name, StringComparer.Ordinal);
            var listed = await HttpContext.RequestServices.GetRequiredService<IAccountAdministrationService>().ListUsersAsync(Me.Id, aborted);
            var people = listed.Succeeded ? listed.Value.ToDictionary(u => u.Id, u => u.Email, StringComparer.Ordinal) : [];
            Audit = [.. (await catalog.RecentAuditAsync(50, aborted))
                .Where(a => names.ContainsKey(a.ResourceId))
                .Take(10)
                .Select(a => new AuditRow(
                    a.At,
                    people.GetValueOrDefault(a.ActorId, a.ActorId),
                    Texts[a.Action.EndsWith(".on", StringComparison.Ordinal) ? "Switched on for {0}" : "Switched off for {0}", names[a.ResourceId]],
                    Texts[a.Outcome == "done" ? "Done" : "Refused"]))];
        }

        return Page();
    }
}

/// <summary>The "Data centers" page.</summary>
public sealed class DatacentersModel() : ResourceListModel(ResourceKind.DataCenter);

/// <summary>The "Snapshots" page.</summary>
public sealed class SnapshotsModel() : ResourceListModel(ResourceKind.Snapshot);

/// <summary>A line of the secAuthProtection change list, in words.</summary>
/// <param name="At">When.</param>
/// <param name="Who">The person's e-mail address.</param>
/// <param name="What">What they switched, for which resource (by name).</param>
/// <param name="Result">Done or refused.</param>
public sealed record AuditRow(DateTimeOffset At, string Who, string What, string Result);
