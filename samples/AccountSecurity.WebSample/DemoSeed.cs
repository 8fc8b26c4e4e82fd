using AccountSecurity.Accounts;
using AccountSecurity.Accounts.Administration;
using AccountSecurity.EntityFrameworkCore;

namespace AccountSecurity.WebSample;

/// <summary>The demo contract, its three users, two data centers and three snapshots.</summary>
public static class DemoAccounts
{
    /// <summary>The demo contract.</summary>
    public const string ContractId = "contract-4711";

    /// <summary>The demo contract's name, shown in the console instead of its id.</summary>
    public const string ContractName = "Example GmbH";

    /// <summary>The demo users: id, e-mail, role, password. Documented demo credentials, never real ones.</summary>
    public static readonly IReadOnlyList<(string Id, string Email, UserRole Role, string Password)> Users =
    [
        ("owner", "owner@example.com", UserRole.ContractOwner, "correct horse battery staple"),
        ("admin", "admin@example.com", UserRole.Administrator, "violet kettle mountain river"),
        ("user", "user@example.com", UserRole.User, "tangerine submarine orchestra"),
    ];

    /// <summary>
    /// The demo users' cultures (<c>NewUser.Culture</c>) where not the default: the administrator reads the security
    /// e-mails in German (the console's pages stay English).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Cultures = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["admin"] = "de-DE",
    };

    /// <summary>
    /// The contract's resources as first seeded: one unprotected and one production data center behind
    /// secAuthProtection, and snapshots of each (the production database's snapshot protected too). The owner or an
    /// administrator signed in with 2FA can switch the flag later; the switch is kept in the SQLite file.
    /// </summary>
    public static readonly IReadOnlyList<ConsoleResource> Resources =
    [
        new("dc-fra", ResourceKind.DataCenter, "Frankfurt (de/fra)", "Frankfurt am Main", SecAuthProtection: false),
        new("dc-txl", ResourceKind.DataCenter, "Berlin (de/txl) - production", "Berlin", SecAuthProtection: true),
        new("snap-web-fra", ResourceKind.Snapshot, "web-01 nightly", "Frankfurt (de/fra)", SecAuthProtection: false),
        new("snap-db-txl", ResourceKind.Snapshot, "db-prod before upgrade", "Berlin (de/txl) - production", SecAuthProtection: true),
        new("snap-staging-fra", ResourceKind.Snapshot, "staging weekly", "Frankfurt (de/fra)", SecAuthProtection: false),
    ];

    /// <summary>The demo group as first seeded: id, name, member ids, granted resource ids.</summary>
    public static readonly (string Id, string Name, IReadOnlyList<string> Members, IReadOnlyList<string> Grants) Group =
        ("grp-operations", "Operations", ["user"], ["dc-txl"]);

    /// <summary>
    /// Prints where the app listens, where its data is kept (the SQLite file survives restarts) and the demo sign-ins
    /// as first seeded.
    /// </summary>
    public static void PrintTo(TextWriter output, IEnumerable<string> addresses, SampleStorage storage)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(storage);
        output.WriteLine();
        output.WriteLine("AccountSecurity web sample");
        foreach (var address in addresses)
        {
            output.WriteLine($"  open {address}/signin");
        }

        output.WriteLine($"  data: SQLite file {storage.DatabasePath} (kept across restarts: accounts, passwords, 2FA, lockouts, resources)");
        output.WriteLine($"  key:  {storage.KeyPath} (encrypts the TOTP secrets); delete both files to start over");
        output.WriteLine("  demo accounts as first seeded (documented demo passwords, for this sample only; a changed one stays changed):");
        foreach (var (id, email, role, password) in Users)
        {
            output.WriteLine($"    {email,-20} {role,-14} {password}{(Cultures.TryGetValue(id, out var culture) ? $"  (security e-mails in {culture})" : string.Empty)}");
        }

        output.WriteLine("  reset mails and security notifications land in /dev/outbox (a demo stand-in for e-mail)");
        output.WriteLine("  press Ctrl+C to stop");
    }
}

/// <summary>
/// Before the server starts listening: creates the tables if missing and, on an empty database only, the demo contract
/// and users — so a restart keeps every account, password and 2FA setting.
/// </summary>
public sealed class DemoSeed(IServiceScopeFactory scopes) : IHostedService
{
    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        await AccountSecurityDatabase.EnsureCreatedAsync(services.GetRequiredService<AccountSecurityDbContext>(), cancellationToken);
        await services.GetRequiredService<ResourceCatalog>().EnsureCreatedAsync(DemoAccounts.Resources, cancellationToken);
        var groups = services.GetRequiredService<GroupStore>();
        await groups.EnsureCreatedAsync(cancellationToken);

        var (ownerId, ownerEmail, _, ownerPassword) = DemoAccounts.Users[0];
        if ((await services.GetRequiredService<IAccountAdministrationService>().GetUserAsync(ownerId, ownerId, cancellationToken)).Succeeded)
        {
            return;
        }

        var provisioning = services.GetRequiredService<IAccountProvisioningService>();
        var owner = await provisioning.CreateContractAsync(new NewContract { ContractId = DemoAccounts.ContractId, ContractName = DemoAccounts.ContractName, OwnerUserId = ownerId, OwnerEmail = ownerEmail, OwnerPassword = ownerPassword }, cancellationToken);
        if (!owner.Succeeded)
        {
            throw new InvalidOperationException("Seeding the demo contract failed: " + string.Join(", ", owner.Errors.Select(e => e.Code)));
        }

        foreach (var (id, email, role, password) in DemoAccounts.Users.Skip(1))
        {
            var created = await provisioning.CreateUserAsync(ownerId, new NewUser { UserId = id, Email = email, Role = role, InitialPassword = password, Culture = DemoAccounts.Cultures.GetValueOrDefault(id) }, cancellationToken);
            if (!created.Succeeded)
            {
                throw new InvalidOperationException($"Seeding {id} failed: " + string.Join(", ", created.Errors.Select(e => e.Code)));
            }
        }

        // The demo group: the plain demo user is in "Operations", which is granted the protected production data center,
        // so that user sees it once signed in with a code (and never without, whatever the group grants).
        var (groupId, groupName, members, grants) = DemoAccounts.Group;
        await groups.CreateAsync(DemoAccounts.ContractId, groupName, cancellationToken, groupId);
        foreach (var member in members)
        {
            await groups.AddMemberAsync(DemoAccounts.ContractId, groupId, member, cancellationToken);
        }

        foreach (var resource in grants)
        {
            await groups.GrantAsync(DemoAccounts.ContractId, groupId, resource, cancellationToken);
        }
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
