using AccountSecurity.Testing.Hardening;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AccountSecurity.Tests.Hardening.Input;

/// <summary>The hostile-input suite on the in-memory stores (the embedded default).</summary>
[TestFixture]
public sealed class InMemoryHostileInputTests : HostileInputTests
{
    protected override Task InitializeStorageAsync() => Task.CompletedTask;

    protected override IServiceProvider BuildServices(HostileInputEnvironment environment)
    {
        var services = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(environment.Logs))
            .AddSingleton<TimeProvider>(environment.Time)
            .AddSingleton(environment.ResetTokenSender);
        services.AddAccountSecurity(environment.ConfigureOptions).AddEventSink(environment.Events);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }
}
