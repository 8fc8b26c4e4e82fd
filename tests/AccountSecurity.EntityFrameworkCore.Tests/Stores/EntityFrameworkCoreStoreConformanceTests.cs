using AccountSecurity.EntityFrameworkCore.Stores;
using AccountSecurity.EntityFrameworkCore.Tests.Infrastructure;
using AccountSecurity.Sessions;
using AccountSecurity.Stores;
using AccountSecurity.Testing.Stores;

namespace AccountSecurity.EntityFrameworkCore.Tests.Stores;

/// <summary>Contexts opened during one test, disposed after it; each store gets its own, as each DI scope would.</summary>
internal sealed class ContextPool
{
    private readonly List<AccountSecurityDbContext> _contexts = [];

    public AccountSecurityDbContext Open(TestDatabase database)
    {
        var context = database.CreateContext();
        lock (_contexts)
        {
            _contexts.Add(context);
        }

        return context;
    }

    public async Task DisposeAllAsync()
    {
        AccountSecurityDbContext[] contexts;
        lock (_contexts)
        {
            contexts = [.. _contexts];
            _contexts.Clear();
        }

        foreach (var context in contexts)
        {
            await context.DisposeAsync();
        }
    }
}

[TestFixture(TestDatabase.Sqlite)]
[TestFixture(TestDatabase.PostgreSql)]
public sealed class EntityFrameworkCoreUserStoreConformanceTests(string provider) : UserStoreConformanceTests
{
    private readonly ContextPool _contexts = new();
    private TestDatabase? _database;

    protected override async Task InitializeStorageAsync() => _database = await TestDatabase.CreateAsync(provider);

    protected override async Task CleanupStorageAsync()
    {
        await _contexts.DisposeAllAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
            _database = null;
        }
    }

    protected override IUserStore CreateStore() =>
        new EntityFrameworkCoreUserStore<AccountSecurityDbContext>(_contexts.Open(_database!));
}

[TestFixture(TestDatabase.Sqlite)]
[TestFixture(TestDatabase.PostgreSql)]
public sealed class EntityFrameworkCoreContractStoreConformanceTests(string provider) : ContractStoreConformanceTests
{
    private readonly ContextPool _contexts = new();
    private TestDatabase? _database;

    protected override async Task InitializeStorageAsync() => _database = await TestDatabase.CreateAsync(provider);

    protected override async Task CleanupStorageAsync()
    {
        await _contexts.DisposeAllAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
            _database = null;
        }
    }

    protected override IContractStore CreateStore() =>
        new EntityFrameworkCoreContractStore<AccountSecurityDbContext>(_contexts.Open(_database!));
}

[TestFixture(TestDatabase.Sqlite)]
[TestFixture(TestDatabase.PostgreSql)]
public sealed class EntityFrameworkCoreSessionStoreConformanceTests(string provider) : SessionStoreConformanceTests
{
    private readonly ContextPool _contexts = new();
    private TestDatabase? _database;

    protected override async Task InitializeStorageAsync() => _database = await TestDatabase.CreateAsync(provider);

    protected override async Task CleanupStorageAsync()
    {
        await _contexts.DisposeAllAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
            _database = null;
        }
    }

    protected override ISessionStore CreateStore() =>
        new EntityFrameworkCoreSessionStore<AccountSecurityDbContext>(_contexts.Open(_database!));

    protected override IUserStore CreateUserStore() =>
        new EntityFrameworkCoreUserStore<AccountSecurityDbContext>(_contexts.Open(_database!));
}
