using AccountSecurity.DependencyInjection;
using AccountSecurity.Events;
using AccountSecurity.Passwords.Reset;
using AccountSecurity.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AccountSecurity.EntityFrameworkCore.Tests.Infrastructure;

/// <summary>The one place the tests build an "app instance": AccountSecurity on EF Core over a test database.</summary>
internal static class TestServices
{
    /// <summary>Fast, valid options for tests; <paramref name="configure"/> then overrides what a test is about.</summary>
    public static void ApplyTestDefaults(AccountSecurityOptions options, Action<AccountSecurityOptions>? configure)
    {
        AccountSecurityTestOptions.ApplyFastTestDefaults(options);
        configure?.Invoke(options);
    }

    /// <summary>
    /// A service provider as a host would build it: <c>AddAccountSecurity(...).UseEntityFrameworkCore(...)</c> over
    /// <paramref name="database"/>, with its own DbContexts, the shared clock and a capturing reset-token sender.
    /// </summary>
    public static ServiceProvider Build(
        TestDatabase database,
        FakeTimeProvider time,
        CapturingResetTokenSender resetTokens,
        Action<AccountSecurityOptions>? configure = null,
        ISecurityEventSink? events = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton<IPasswordResetTokenSender>(resetTokens);
        var builder = services.AddAccountSecurity(options => ApplyTestDefaults(options, configure))
            .UseEntityFrameworkCore(database.Configure);
        if (events is not null)
        {
            builder.AddEventSink(events);
        }

        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
