using AccountSecurity.Accounts;
using AccountSecurity.EntityFrameworkCore.Stores;
using AccountSecurity.EntityFrameworkCore.Tests.Infrastructure;
using AccountSecurity.Stores;
using AccountSecurity.Testing.Stores;

namespace AccountSecurity.EntityFrameworkCore.Tests.Stores;

/// <summary>
/// The schema's unique index on the passkey user handle: a handle names one account in passwordless sign-in, so a
/// second user may never take it, by create or by update, and the store answers Duplicate rather than throwing.
/// Users without a handle (null) are not duplicates of each other.
/// </summary>
[TestFixture(TestDatabase.Sqlite)]
[TestFixture(TestDatabase.PostgreSql)]
public sealed class PasskeyUserHandleUniquenessTests(string provider)
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

    private static string Handle => StoreConformanceData.PasskeyUserHandleFor("u1");

    [Test]
    public void CreateScript_HasTheUniqueIndexOnPasskeyUserHandle()
    {
        using var context = Database.CreateContext();

        var script = AccountSecurityDatabase.GenerateCreateScript(context);

        script.Should().MatchRegex($"CREATE UNIQUE INDEX \"IX_{AccountSecurityTables.Users}_PasskeyUserHandle\" ON \"{AccountSecurityTables.Users}\" \\(\"PasskeyUserHandle\"\\)");
    }

    [Test]
    public async Task Create_SecondUserWithTakenHandle_ReturnsDuplicateAndStoresNothing()
    {
        (await Store().CreateAsync(WithHandle("u1", "a@example.com", Handle), CancellationToken.None)).Should().Be(StoreWriteResult.Success);

        (await Store().CreateAsync(WithHandle("u2", "b@example.com", Handle), CancellationToken.None)).Should().Be(StoreWriteResult.Duplicate);

        (await Store().FindByIdAsync("u2", CancellationToken.None)).Should().BeNull();
        (await Store().FindByEmailAsync("b@example.com", CancellationToken.None)).Should().BeNull();
        (await Store().FindByPasskeyUserHandleAsync(Handle, CancellationToken.None))!.Id.Should().Be("u1");
    }

    [Test]
    public async Task Update_TakingAnotherUsersHandle_ReturnsDuplicateAndWritesNothing()
    {
        (await Store().CreateAsync(WithHandle("u1", "a@example.com", Handle), CancellationToken.None)).Should().Be(StoreWriteResult.Success);
        (await Store().CreateAsync(StoreConformanceData.MinimalUser("u2", "c1", "b@example.com"), CancellationToken.None)).Should().Be(StoreWriteResult.Success);
        var bob = (await Store().FindByIdAsync("u2", CancellationToken.None))!;

        (await Store().UpdateAsync(bob with { PasskeyUserHandle = Handle, IsActive = false }, CancellationToken.None)).Should().Be(StoreWriteResult.Duplicate);

        var stored = (await Store().FindByIdAsync("u2", CancellationToken.None))!;
        stored.Version.Should().Be(bob.Version);
        stored.PasskeyUserHandle.Should().BeNull();
        stored.IsActive.Should().BeTrue();
        (await Store().FindByPasskeyUserHandleAsync(Handle, CancellationToken.None))!.Id.Should().Be("u1");
    }

    [Test]
    public async Task Update_KeepingOwnHandle_IsNotADuplicate()
    {
        (await Store().CreateAsync(WithHandle("u1", "a@example.com", Handle), CancellationToken.None)).Should().Be(StoreWriteResult.Success);
        var alice = (await Store().FindByIdAsync("u1", CancellationToken.None))!;

        (await Store().UpdateAsync(alice with { IsActive = false }, CancellationToken.None)).Should().Be(StoreWriteResult.Success);
    }

    [Test]
    public async Task HandleFreedByItsUser_CanBeTakenByAnother()
    {
        (await Store().CreateAsync(WithHandle("u1", "a@example.com", Handle), CancellationToken.None)).Should().Be(StoreWriteResult.Success);
        var alice = (await Store().FindByIdAsync("u1", CancellationToken.None))!;
        (await Store().UpdateAsync(alice with { PasskeyUserHandle = null }, CancellationToken.None)).Should().Be(StoreWriteResult.Success);

        (await Store().CreateAsync(WithHandle("u2", "b@example.com", Handle), CancellationToken.None)).Should().Be(StoreWriteResult.Success);

        (await Store().FindByPasskeyUserHandleAsync(Handle, CancellationToken.None))!.Id.Should().Be("u2");
    }

    [Test]
    public async Task UsersWithoutHandle_AreNotDuplicatesOfEachOther()
    {
        (await Store().CreateAsync(StoreConformanceData.MinimalUser("u1", "c1", "a@example.com"), CancellationToken.None)).Should().Be(StoreWriteResult.Success);
        (await Store().CreateAsync(StoreConformanceData.MinimalUser("u2", "c1", "b@example.com"), CancellationToken.None)).Should().Be(StoreWriteResult.Success);
        var bob = (await Store().FindByIdAsync("u2", CancellationToken.None))!;

        (await Store().UpdateAsync(bob with { IsActive = false }, CancellationToken.None)).Should().Be(StoreWriteResult.Success);
    }

    private TestDatabase Database => _database ?? throw new InvalidOperationException("Database not created.");

    private static UserAccount WithHandle(string id, string email, string handle) =>
        StoreConformanceData.MinimalUser(id, "c1", email) with { PasskeyUserHandle = handle };

    // A store over its own context (as each DI scope or app instance would have), disposed after the test.
    private EntityFrameworkCoreUserStore<AccountSecurityDbContext> Store() => new(_contexts.Open(Database));
}
