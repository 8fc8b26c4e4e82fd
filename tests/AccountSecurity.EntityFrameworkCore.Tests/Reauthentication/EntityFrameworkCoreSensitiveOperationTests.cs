using AccountSecurity.EntityFrameworkCore.Tests.Infrastructure;
using AccountSecurity.Testing;
using AccountSecurity.Tests.Reauthentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AccountSecurity.EntityFrameworkCore.Tests.Reauthentication;

/// <summary>
/// The sensitive-operation suite (compiled from the core tests) on EF Core: every operation's freshness is read from
/// the session row and a re-authentication written to it, on SQLite and on PostgreSQL.
/// </summary>
[TestFixture(TestDatabase.Sqlite)]
[TestFixture(TestDatabase.PostgreSql)]
public sealed class EntityFrameworkCoreSensitiveOperationTests(string provider) : SensitiveOperationSuite
{
    private TestDatabase? _database;

    protected override async Task<ServiceProvider> BuildAsync(FakeTimeProvider time)
    {
        _database = await TestDatabase.CreateAsync(provider);
        return TestServices.Build(_database, time, new CapturingResetTokenSender(), new CollectingSecurityEventSink(), System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    }

    protected override async Task CleanUpAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
