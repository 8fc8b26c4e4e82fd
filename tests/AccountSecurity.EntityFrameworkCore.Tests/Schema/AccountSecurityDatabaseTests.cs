using AccountSecurity.EntityFrameworkCore.Stores;
using AccountSecurity.EntityFrameworkCore.Tests.Infrastructure;
using AccountSecurity.Stores;
using AccountSecurity.Testing.Stores;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AccountSecurity.EntityFrameworkCore.Tests.Schema;

/// <summary>A host's own context with a table of its own, mapping AccountSecurity's tables beside it.</summary>
internal sealed class HostDbContext(DbContextOptions<HostDbContext> options) : DbContext(options)
{
    public DbSet<HostOrder> Orders => Set<HostOrder>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.ApplyAccountSecurityModel();
}

internal sealed class HostOrder
{
    public int Id { get; set; }

    public string Item { get; set; } = "";
}

/// <summary>A context that forgot ApplyAccountSecurityModel().</summary>
internal sealed class ForgetfulDbContext(DbContextOptions<ForgetfulDbContext> options) : DbContext(options)
{
    public DbSet<HostOrder> Orders => Set<HostOrder>();
}

[TestFixture(TestDatabase.Sqlite)]
[TestFixture(TestDatabase.PostgreSql)]
public sealed class AccountSecurityDatabaseTests(string provider)
{
    private TestDatabase? _database;

    [SetUp]
    public async Task CreateDatabaseAsync() => _database = await TestDatabase.CreateAsync(provider);

    // Runs after an ignored SetUp too (PostgreSQL not configured), when nothing was created.
    [TearDown]
    public async Task DropDatabaseAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
            _database = null;
        }
    }

    private TestDatabase Database => _database ?? throw new InvalidOperationException("Database not created.");

    [Test]
    public async Task EnsureCreated_WhenTablesExist_CreatesNothing()
    {
        await using var context = Database.CreateContext();

        (await AccountSecurityDatabase.EnsureCreatedAsync(context)).Should().BeFalse();
    }

    [Test]
    public async Task EnsureCreated_InHostDatabaseWithOtherTables_CreatesOnlyAccountSecurityTables()
    {
        // The host's own table exists first: Database.EnsureCreated() would now do nothing at all.
        await using (var context = Database.CreateContext())
        {
            await context.Database.ExecuteSqlRawAsync($"DROP TABLE \"{AccountSecurityTables.Users}\"");
            await context.Database.ExecuteSqlRawAsync($"DROP TABLE \"{AccountSecurityTables.Contracts}\"");
            await context.Database.ExecuteSqlRawAsync("CREATE TABLE \"Orders\" (\"Id\" INTEGER PRIMARY KEY, \"Item\" TEXT NOT NULL)");
            await context.Database.ExecuteSqlRawAsync("INSERT INTO \"Orders\" (\"Id\", \"Item\") VALUES (1, 'kept')");
        }

        await using var host = HostContext();
        (await AccountSecurityDatabase.EnsureCreatedAsync(host)).Should().BeTrue();
        (await AccountSecurityDatabase.EnsureCreatedAsync(host)).Should().BeFalse("a second call finds everything in place");

        (await host.Orders.AsNoTracking().SingleAsync()).Item.Should().Be("kept");
        var store = new EntityFrameworkCoreUserStore<HostDbContext>(host);
        (await store.CreateAsync(StoreConformanceData.FullyPopulatedUser("u1", "c1", "a@example.com"), CancellationToken.None))
            .Should().Be(StoreWriteResult.Success);
    }

    [Test]
    public async Task EnsureCreated_ConcurrentlyFromSeveralInstances_Succeeds()
    {
        await using (var context = Database.CreateContext())
        {
            await context.Database.ExecuteSqlRawAsync($"DROP TABLE \"{AccountSecurityTables.Users}\"");
        }

        var contexts = Enumerable.Range(0, 4).Select(_ => Database.CreateContext()).ToList();
        try
        {
            var created = await Task.WhenAll(contexts.Select(c => Task.Run(() => AccountSecurityDatabase.EnsureCreatedAsync(c))));
            created.Count(c => c).Should().BeLessThanOrEqualTo(1);
        }
        finally
        {
            foreach (var context in contexts)
            {
                await context.DisposeAsync();
            }
        }

        await using var check = Database.CreateContext();
        (await AccountSecurityDatabase.EnsureCreatedAsync(check)).Should().BeFalse();
    }

    [Test]
    public async Task GenerateCreateScript_ContainsBothTablesAndTheUniqueEmailIndex()
    {
        await using var context = Database.CreateContext();

        var script = AccountSecurityDatabase.GenerateCreateScript(context);

        script.Should().Contain("CREATE TABLE").And.Contain(AccountSecurityTables.Users).And.Contain(AccountSecurityTables.Contracts);
        script.Should().Contain("CREATE UNIQUE INDEX").And.Contain("NormalizedEmail");
        TestContext.Out.WriteLine(script);
    }

    [Test]
    public void Store_OverContextWithoutTheModel_ThrowsWithTheFix()
    {
        var options = new DbContextOptionsBuilder<ForgetfulDbContext>();
        Database.Configure(options);
        using var context = new ForgetfulDbContext(options.Options);

        FluentActions.Invoking(() => new EntityFrameworkCoreUserStore<ForgetfulDbContext>(context))
            .Should().Throw<InvalidOperationException>().WithMessage("*ApplyAccountSecurityModel*");
        FluentActions.Invoking(() => AccountSecurityDatabase.GenerateCreateScript(context))
            .Should().Throw<InvalidOperationException>().WithMessage("*ApplyAccountSecurityModel*");
    }

    [Test]
    public async Task UseEntityFrameworkCore_ReplacesInMemoryStoresWithScopedEfStores()
    {
        var services = new ServiceCollection();
        services.AddDbContext<HostDbContext>(Database.Configure);
        services.AddAccountSecurity(o => TestServices.ApplyTestDefaults(o, null)).UseEntityFrameworkCore<HostDbContext>();
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        await using var scope1 = provider.CreateAsyncScope();
        await using var scope2 = provider.CreateAsyncScope();
        var store = scope1.ServiceProvider.GetRequiredService<IUserStore>();

        store.Should().BeOfType<EntityFrameworkCoreUserStore<HostDbContext>>();
        scope1.ServiceProvider.GetRequiredService<IContractStore>().Should().BeOfType<EntityFrameworkCoreContractStore<HostDbContext>>();
        scope2.ServiceProvider.GetRequiredService<IUserStore>().Should().NotBeSameAs(store);
        services.Count(d => d.ServiceType == typeof(IUserStore)).Should().Be(1);
    }

    private HostDbContext HostContext()
    {
        var options = new DbContextOptionsBuilder<HostDbContext>();
        Database.Configure(options);
        return new HostDbContext(options.Options);
    }
}
