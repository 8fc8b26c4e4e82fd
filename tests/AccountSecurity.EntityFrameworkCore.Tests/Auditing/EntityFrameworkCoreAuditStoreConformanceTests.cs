using AccountSecurity.Auditing;
using AccountSecurity.EntityFrameworkCore.Model;
using AccountSecurity.EntityFrameworkCore.Stores;
using AccountSecurity.EntityFrameworkCore.Tests.Infrastructure;
using AccountSecurity.EntityFrameworkCore.Tests.Stores;
using AccountSecurity.Stores;
using AccountSecurity.Testing;
using AccountSecurity.Testing.Stores;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AccountSecurity.EntityFrameworkCore.Tests.Auditing;

[TestFixture(TestDatabase.Sqlite)]
[TestFixture(TestDatabase.PostgreSql)]
public sealed class EntityFrameworkCoreAuditStoreConformanceTests(string provider) : AuditStoreConformanceTests
{
    private readonly ContextPool _contexts = new();
    private readonly List<ServiceProvider> _providers = [];
    private TestDatabase? _database;

    protected override async Task InitializeStorageAsync() => _database = await TestDatabase.CreateAsync(provider);

    protected override async Task CleanupStorageAsync()
    {
        foreach (var services in _providers)
        {
            await services.DisposeAsync();
        }

        _providers.Clear();
        await _contexts.DisposeAllAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
            _database = null;
        }
    }

    protected override IAuditStore CreateStore() =>
        new EntityFrameworkCoreAuditStore<AccountSecurityDbContext>(_contexts.Open(_database!));

    protected override IUserStore CreateUserStore() =>
        new EntityFrameworkCoreUserStore<AccountSecurityDbContext>(_contexts.Open(_database!));

    protected override IAuditTrailService CreateService(IAuditStore audit, IUserStore users, bool supportAgentsMayRead)
    {
        var services = new ServiceCollection().AddSingleton(audit).AddSingleton(users);
        services.AddAccountSecurity(o =>
        {
            AccountSecurityTestOptions.ApplyFastTestDefaults(o);
            o.Audit.Enabled = false;
            o.Audit.SupportAgentsMayReadUserRecords = supportAgentsMayRead;
        });
        var built = services.BuildServiceProvider();
        _providers.Add(built);
        return built.CreateScope().ServiceProvider.GetRequiredService<IAuditTrailService>();
    }

    // What someone with write access to the database would do: change, delete and insert rows behind the store's back.
    protected override async Task AlterStoredRecordAsync(string contractId, long sequence, string outcome)
    {
        await using var context = _database!.CreateContext();
        var changed = await context.Set<AuditRecordEntity>()
            .Where(r => r.ContractId == contractId && r.Sequence == sequence)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Outcome, outcome));
        Assert.That(changed, Is.EqualTo(1));
    }

    protected override async Task DeleteStoredRecordAsync(string contractId, long sequence)
    {
        await using var context = _database!.CreateContext();
        var deleted = await context.Set<AuditRecordEntity>().Where(r => r.ContractId == contractId && r.Sequence == sequence).ExecuteDeleteAsync();
        Assert.That(deleted, Is.EqualTo(1));
    }

    protected override async Task InsertStoredRecordAsync(AuditRecord record)
    {
        await using var context = _database!.CreateContext();
        context.Add(new AuditRecordEntity
        {
            ContractId = record.ContractId,
            Sequence = record.Sequence,
            OccurredAt = record.OccurredAt.UtcTicks,
            EventType = (int)record.EventType,
            UserId = record.UserId,
            Outcome = record.Outcome,
            PreviousHash = record.PreviousHash,
            Hash = record.Hash,
        });
        await context.SaveChangesAsync();
    }
}
