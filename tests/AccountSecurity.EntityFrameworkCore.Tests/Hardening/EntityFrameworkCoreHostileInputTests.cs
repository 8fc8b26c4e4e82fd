using AccountSecurity.EntityFrameworkCore.Tests.Infrastructure;
using AccountSecurity.Testing.Hardening;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AccountSecurity.EntityFrameworkCore.Tests.Hardening;

/// <summary>
/// The hostile-input suite on the EF Core stores, on SQLite and on PostgreSQL (whose driver throws on a lone surrogate
/// and whose text type cannot hold NUL: what the library must never let reach it).
/// </summary>
[TestFixture(TestDatabase.Sqlite)]
[TestFixture(TestDatabase.PostgreSql)]
public sealed class EntityFrameworkCoreHostileInputTests : HostileInputTests
{
    private readonly string _provider;
    private TestDatabase? _database;

    public EntityFrameworkCoreHostileInputTests(string provider) => _provider = provider;

    protected override async Task InitializeStorageAsync() => _database = await TestDatabase.CreateAsync(_provider);

    protected override async Task CleanupStorageAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    protected override IServiceProvider BuildServices(HostileInputEnvironment environment)
    {
        var services = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(environment.Logs))
            .AddSingleton<TimeProvider>(environment.Time)
            .AddSingleton(environment.ResetTokenSender);
        services.AddAccountSecurity(environment.ConfigureOptions)
            .AddEventSink(environment.Events)
            .UseEntityFrameworkCore(_database!.Configure);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }
}
