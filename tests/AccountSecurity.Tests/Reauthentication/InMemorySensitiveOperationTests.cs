using AccountSecurity.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AccountSecurity.Tests.Reauthentication;

/// <summary>The sensitive-operation suite on the in-memory stores.</summary>
public sealed class InMemorySensitiveOperationTests : SensitiveOperationSuite
{
    protected override Task<ServiceProvider> BuildAsync(FakeTimeProvider time)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddAccountSecurity(o => AccountSecurityTestOptions.ApplyFastTestDefaults(o));
        return Task.FromResult(services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true }));
    }
}
