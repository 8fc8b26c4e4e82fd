using AccountSecurity.Accounts;
using AccountSecurity.EntityFrameworkCore.Stores;
using AccountSecurity.EntityFrameworkCore.Tests.Infrastructure;
using AccountSecurity.Stores;
using AccountSecurity.Testing.Stores;
using Microsoft.EntityFrameworkCore;

namespace AccountSecurity.EntityFrameworkCore.Tests.Stores;

/// <summary>
/// The passkey credentials table (issue 26): its key makes a credential id name one account, the user store keeps it in
/// step with the users table in one transaction, and inside a host's own transaction a refused write rolls back only to
/// its savepoint, leaving the host's transaction usable (on PostgreSQL a failed statement would otherwise abort it).
/// </summary>
[TestFixture(TestDatabase.Sqlite)]
[TestFixture(TestDatabase.PostgreSql)]
public sealed class PasskeyCredentialUniquenessTests(string provider)
{
    private readonly ContextPool _contexts = new();
    private TestDatabase? _database;

    [SetUp]
    public async Task CreateDatabaseAsync() => _database = await TestDatabase.CreateAsync(provider);

    [TearDown]
    public async Task DropDatabaseAsync()
    {
        await _contexts.DisposeAllAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
            _database = null;
        }
    }

    private TestDatabase Database => _database ?? throw new InvalidOperationException("Database not created.");

    private static PasskeyCredential Held => StoreConformanceData.FullyPopulatedUser("u1", "c1", "a@example.com").Passkeys[0];

    [Test]
    public void CreateScript_KeysTheCredentialsTableByTheCredentialId()
    {
        using var context = Database.CreateContext();

        var script = AccountSecurityDatabase.GenerateCreateScript(context);

        script.Should().Contain($"CREATE TABLE \"{AccountSecurityTables.PasskeyCredentials}\"")
            .And.MatchRegex($"(\"CredentialId\" TEXT NOT NULL CONSTRAINT \"PK_{AccountSecurityTables.PasskeyCredentials}\" PRIMARY KEY|CONSTRAINT \"PK_{AccountSecurityTables.PasskeyCredentials}\" PRIMARY KEY \\(\"CredentialId\"\\))", "SQLite declares the key on the column, PostgreSQL as a table constraint")
            .And.Contain($"\"IX_{AccountSecurityTables.PasskeyCredentials}_UserId\"");
        script.Should().MatchRegex("\"Culture\" (TEXT|character varying\\(84\\))", "the users table holds the culture");
    }

    [Test]
    public async Task TheCredentialsTable_FollowsEveryWrite()
    {
        var store = Store();
        (await store.CreateAsync(StoreConformanceData.MinimalUser("u1", "c1", "a@example.com") with { Passkeys = [Held] }, CancellationToken.None)).Should().Be(StoreWriteResult.Success);
        (await RowsAsync()).Should().Equal((Held.CredentialId, "u1"));

        var alice = (await store.FindByIdAsync("u1", CancellationToken.None))!;
        (await store.UpdateAsync(alice with { Passkeys = [] }, CancellationToken.None)).Should().Be(StoreWriteResult.Success);
        (await RowsAsync()).Should().BeEmpty();
    }

    [Test]
    public async Task InsideAHostTransaction_ARefusedCredential_UndoesOnlyTheStoresWrite_AndTheHostTransactionGoesOn()
    {
        await Store().CreateAsync(StoreConformanceData.MinimalUser("u1", "c1", "a@example.com") with { Passkeys = [Held] }, CancellationToken.None);
        await Store().CreateAsync(StoreConformanceData.MinimalUser("u2", "c1", "b@example.com"), CancellationToken.None);

        var context = _contexts.Open(Database);
        var store = new EntityFrameworkCoreUserStore<AccountSecurityDbContext>(context);
        await using (var transaction = await context.Database.BeginTransactionAsync())
        {
            var bob = (await store.FindByIdAsync("u2", CancellationToken.None))!;
            (await store.UpdateAsync(bob with { Passkeys = [Held], IsActive = false }, CancellationToken.None)).Should().Be(StoreWriteResult.Duplicate);

            // The host's transaction is still usable: the store's next write in it lands and commits with it.
            bob = (await store.FindByIdAsync("u2", CancellationToken.None))!;
            bob.IsActive.Should().BeTrue("the refused write was undone to its savepoint");
            (await store.UpdateAsync(bob with { Culture = "de-DE" }, CancellationToken.None)).Should().Be(StoreWriteResult.Success);
            await transaction.CommitAsync();
        }

        var stored = (await Store().FindByIdAsync("u2", CancellationToken.None))!;
        stored.Culture.Should().Be("de-DE");
        stored.Passkeys.Should().BeEmpty();
        (await RowsAsync()).Should().Equal((Held.CredentialId, "u1"));
    }

    [Test]
    public async Task AHostTransactionRolledBack_TakesTheCredentialRowsWithIt()
    {
        await Store().CreateAsync(StoreConformanceData.MinimalUser("u1", "c1", "a@example.com"), CancellationToken.None);
        var context = _contexts.Open(Database);
        var store = new EntityFrameworkCoreUserStore<AccountSecurityDbContext>(context);
        await using (var transaction = await context.Database.BeginTransactionAsync())
        {
            var alice = (await store.FindByIdAsync("u1", CancellationToken.None))!;
            (await store.UpdateAsync(alice with { Passkeys = [Held] }, CancellationToken.None)).Should().Be(StoreWriteResult.Success);
            await transaction.RollbackAsync();
        }

        (await RowsAsync()).Should().BeEmpty();
        (await Store().FindByIdAsync("u1", CancellationToken.None))!.Passkeys.Should().BeEmpty();
    }

    private async Task<List<(string, string)>> RowsAsync()
    {
        await using var context = Database.CreateContext();
        var rows = await context.Set<Model.PasskeyCredentialEntity>().AsNoTracking().OrderBy(c => c.CredentialId).ToListAsync();
        return [.. rows.Select(r => (r.CredentialId, r.UserId))];
    }

    private EntityFrameworkCoreUserStore<AccountSecurityDbContext> Store() => new(_contexts.Open(Database));
}
