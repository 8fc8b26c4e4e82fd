using AccountSecurity.Accounts;
using AccountSecurity.Accounts.Administration;
using AccountSecurity.EntityFrameworkCore;
using AccountSecurity.Resources;

namespace AccountSecurity.WebSample;

/// <summary>A data center, the host's own type; the library only reads its secAuthProtection flag.</summary>
public sealed record DataCenter(string Id, string Name, string Location, bool SecAuthProtection) : ISecAuthProtectedResource;

/// <summary>The demo contract, its three users and two data centers.</summary>
public static class DemoAccounts
{
    /// <summary>The demo contract.</summary>
    public const string ContractId = "contract-4711";

    /// <summary>The demo users: id, e-mail, role, password. Documented demo credentials, never real ones.</summary>
    public static readonly IReadOnlyList<(string Id, string Email, UserRole Role, string Password)> Users =
    [
        ("owner", "owner@example.com", UserRole.ContractOwner, "correct horse battery staple"),
        ("admin", "admin@example.com", UserRole.Administrator, "violet kettle mountain river"),
        ("user", "user@example.com", UserRole.User, "tangerine submarine orchestra"),
    ];

    /// <summary>The contract's data centers: one unprotected, one production data center behind secAuthProtection.</summary>
    public static readonly IReadOnlyList<DataCenter> DataCenters =
    [
        new("dc-fra", "Frankfurt (de/fra)", "Frankfurt am Main", SecAuthProtection: false),
        new("dc-txl", "Berlin (de/txl) - production", "Berlin", SecAuthProtection: true),
    ];

    /// <summary>Prints where the app listens and the demo sign-ins.</summary>
    public static void PrintTo(TextWriter output, IEnumerable<string> addresses)
    {
        output.WriteLine();
        output.WriteLine("AccountSecurity web sample (in-memory stores: everything is lost at shutdown)");
        foreach (var address in addresses)
        {
            output.WriteLine($"  open {address}/signin");
        }

        output.WriteLine("  demo accounts (documented demo passwords, for this sample only):");
        foreach (var (_, email, role, password) in Users)
        {
            output.WriteLine($"    {email,-20} {role,-14} {password}");
        }

        output.WriteLine("  password reset mails land in /dev/outbox (a demo stand-in for e-mail)");
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

        var (ownerId, ownerEmail, _, ownerPassword) = DemoAccounts.Users[0];
        if ((await services.GetRequiredService<AccountAdministrationService>().GetUserAsync(ownerId, ownerId, cancellationToken)).Succeeded)
        {
            return;
        }

        var provisioning = services.GetRequiredService<AccountProvisioningService>();
        var owner = await provisioning.CreateContractAsync(DemoAccounts.ContractId, "Example GmbH", ownerId, ownerEmail, ownerPassword, cancellationToken);
        if (!owner.Succeeded)
        {
            throw new InvalidOperationException("Seeding the demo contract failed: " + string.Join(", ", owner.Errors.Select(e => e.Code)));
        }

        foreach (var (id, email, role, password) in DemoAccounts.Users.Skip(1))
        {
            var created = await provisioning.CreateUserAsync(ownerId, id, email, role, password, cancellationToken);
            if (!created.Succeeded)
            {
                throw new InvalidOperationException($"Seeding {id} failed: " + string.Join(", ", created.Errors.Select(e => e.Code)));
            }
        }
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
