using AccountSecurity.Sessions;
using AccountSecurity.Stores;
using AccountSecurity.Testing.Stores;

namespace AccountSecurity.Tests.Stores;

[TestFixture]
public sealed class InMemorySessionStoreConformanceTests : SessionStoreConformanceTests
{
    private InMemoryUserStore _users = new();
    private InMemorySessionStore _sessions = null!;

    protected override Task InitializeStorageAsync()
    {
        _users = new InMemoryUserStore();
        _sessions = new InMemorySessionStore(_users);
        return Task.CompletedTask;
    }

    // Thread-safe: every worker shares the one instance, over the one user store.
    protected override ISessionStore CreateStore() => _sessions;

    protected override IUserStore CreateUserStore() => _users;
}
