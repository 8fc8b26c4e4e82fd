using System.Data.Common;
using AccountSecurity.EntityFrameworkCore.Stores;
using AccountSecurity.EntityFrameworkCore.Tests.Infrastructure;
using AccountSecurity.Sessions;
using AccountSecurity.Stores;
using AccountSecurity.Testing.Stores;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace AccountSecurity.EntityFrameworkCore.Tests.Stores;

/// <summary>
/// What the session store sends to the database: the read of every request is one query that reads the session row
/// and only the narrow part of the user, and every write is one statement with its condition in the WHERE clause.
/// </summary>
[TestFixture(TestDatabase.Sqlite)]
[TestFixture(TestDatabase.PostgreSql)]
public sealed class SessionStoreStatementTests(string provider)
{
    private static readonly DateTimeOffset Now = StoreConformanceData.Instant;
    private TestDatabase? _database;

    [SetUp]
    public async Task CreateDatabaseAsync() => _database = await TestDatabase.CreateAsync(provider);

    [TearDown]
    public async Task DropDatabaseAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
            _database = null;
        }
    }

    [Test]
    public async Task FindForValidation_IsOneQueryOfTheSessionAndTheNarrowUser()
    {
        var user = StoreConformanceData.FullyPopulatedUser("u1", "c1", "u1@example.com");
        await using (var context = _database!.CreateContext())
        {
            (await new EntityFrameworkCoreUserStore<AccountSecurityDbContext>(context).CreateAsync(user, CancellationToken.None)).Should().Be(StoreWriteResult.Success);
            (await new EntityFrameworkCoreSessionStore<AccountSecurityDbContext>(context).CreateAsync(
                StoreConformanceData.MinimalSession("s1", "u1", "c1", user.SecurityStamp), CancellationToken.None)).Should().Be(StoreWriteResult.Success);
        }

        var (state, commands) = await CaptureAsync(store => store.FindForValidationAsync("s1", CancellationToken.None));

        state.Should().NotBeNull();
        state!.UserSecurityStamp.Should().Be(user.SecurityStamp);
        commands.Should().ContainSingle("one round trip per request");
        var sql = commands[0];
        sql.Should().Contain("LEFT JOIN").And.Contain(AccountSecurityTables.Sessions).And.Contain(AccountSecurityTables.Users);
        foreach (var column in new[] { "PasswordHash", "PasswordHistory", "TotpProtectedSecret", "RecoveryCodeHashes", "Lockouts", "PasswordResetTokens", "PasskeyCeremonies", "PendingSignIns", "TrustedDevices", "Email" })
        {
            sql.Should().NotContain("\"" + column + "\"", "the user is read narrowly, never whole");
        }
    }

    [Test]
    public async Task Writes_AreOneConditionalStatementEach()
    {
        await using (var context = _database!.CreateContext())
        {
            var sessions = new EntityFrameworkCoreSessionStore<AccountSecurityDbContext>(context);
            foreach (var id in new[] { "s1", "s2", "s3" })
            {
                (await sessions.CreateAsync(StoreConformanceData.MinimalSession(id, "u1", "c1", "stamp"), CancellationToken.None)).Should().Be(StoreWriteResult.Success);
            }
        }

        var (touched, touch) = await CaptureAsync(store => store.TouchAsync("s1", Now.AddMinutes(5), Now.AddMinutes(4), CancellationToken.None));
        var (renewed, renew) = await CaptureAsync(store => store.RenewStampAsync("u1", "s1", "new", CancellationToken.None));
        var (ended, end) = await CaptureAsync(store => store.EndAsync("u1", "s2", Now, SessionEndReasons.SignedOut, CancellationToken.None));
        var (endedAll, endAll) = await CaptureAsync(store => store.EndAllAsync("u1", "s1", Now, SessionEndReasons.EndedByUser, CancellationToken.None));
        var (deleted, delete) = await CaptureAsync(store => store.DeleteEndedAsync(Now.AddMinutes(1), 1, CancellationToken.None));

        (touched, renewed, ended, endedAll, deleted).Should().Be((true, true, true, 1, 1));
        foreach (var statement in new[] { touch, renew, end, endAll })
        {
            statement.Should().ContainSingle().Which.Should().StartWith("UPDATE").And.Contain("\"EndedAt\" IS NULL");
        }

        touch[0].Should().Contain("\"LastSeenAt\" <");
        delete.Should().ContainSingle().Which.Should().StartWith("DELETE").And.Contain("LIMIT");
    }

    private async Task<(T Result, List<string> Commands)> CaptureAsync<T>(Func<ISessionStore, ValueTask<T>> call)
    {
        var capture = new CommandCapture();
        var options = new DbContextOptionsBuilder<AccountSecurityDbContext>();
        _database!.Configure(options);
        options.AddInterceptors(capture);
        await using var context = new AccountSecurityDbContext(options.Options);
        var store = new EntityFrameworkCoreSessionStore<AccountSecurityDbContext>(context);
        var result = await call(store);
        return (result, capture.Commands.Select(c => c.Trim()).ToList());
    }

    private sealed class CommandCapture : DbCommandInterceptor
    {
        public List<string> Commands { get; } = [];

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Commands.Add(command.CommandText);
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Commands.Add(command.CommandText);
            return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
        }
    }
}
