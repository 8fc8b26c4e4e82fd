using AccountSecurity.Stores;
using AccountSecurity.Testing.Stores;

namespace AccountSecurity.Tests.Stores;

[TestFixture]
public sealed class InMemoryUserStoreConformanceTests : UserStoreConformanceTests
{
    private InMemoryUserStore _store = new();

    protected override Task InitializeStorageAsync()
    {
        _store = new InMemoryUserStore();
        return Task.CompletedTask;
    }

    // Thread-safe: every worker shares the one instance.
    protected override IUserStore CreateStore() => _store;
}

[TestFixture]
public sealed class InMemoryContractStoreConformanceTests : ContractStoreConformanceTests
{
    private InMemoryContractStore _store = new();

    protected override Task InitializeStorageAsync()
    {
        _store = new InMemoryContractStore();
        return Task.CompletedTask;
    }

    protected override IContractStore CreateStore() => _store;
}
