using AccountSecurity.Auditing;
using AccountSecurity.Stores;
using AccountSecurity.Testing;
using AccountSecurity.Testing.Stores;
using Microsoft.Extensions.DependencyInjection;

namespace AccountSecurity.Tests.Auditing;

[TestFixture]
public sealed class InMemoryAuditStoreConformanceTests : AuditStoreConformanceTests
{
    private readonly List<ServiceProvider> _providers = [];
    private InMemoryAuditStore _audit = new();
    private InMemoryUserStore _users = new();

    protected override Task InitializeStorageAsync()
    {
        _audit = new InMemoryAuditStore();
        _users = new InMemoryUserStore();
        return Task.CompletedTask;
    }

    protected override async Task CleanupStorageAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }

        _providers.Clear();
    }

    protected override IAuditStore CreateStore() => _audit;

    protected override IUserStore CreateUserStore() => _users;

    protected override IAuditTrailService CreateService(IAuditStore audit, IUserStore users, bool supportAgentsMayRead)
    {
        var services = new ServiceCollection().AddSingleton(audit).AddSingleton(users);
        services.AddAccountSecurity(o =>
        {
            AccountSecurityTestOptions.ApplyFastTestDefaults(o);
            o.Audit.Enabled = false;
            o.Audit.SupportAgentsMayReadUserRecords = supportAgentsMayRead;
        });
        var provider = services.BuildServiceProvider();
        _providers.Add(provider);
        return provider.CreateScope().ServiceProvider.GetRequiredService<IAuditTrailService>();
    }

    protected override Task AlterStoredRecordAsync(string contractId, long sequence, string outcome)
    {
        var record = _audit.ReadChainAsync(contractId, sequence - 1, 1, CancellationToken.None).Result.Single();
        _audit.OverwriteForTests(record with { Outcome = outcome });
        return Task.CompletedTask;
    }

    protected override Task DeleteStoredRecordAsync(string contractId, long sequence)
    {
        _audit.RemoveForTests(contractId, sequence);
        return Task.CompletedTask;
    }

    protected override Task InsertStoredRecordAsync(AuditRecord record)
    {
        _audit.OverwriteForTests(record);
        return Task.CompletedTask;
    }
}
