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
    /// <summary>The id under which <see cref="Build"/> installs a shared secret-protection key.</summary>
    public const string SharedKeyId = "shared-test-key";

    /// <summary>
    /// Fast, valid options for tests; <paramref name="configure"/> then overrides what a test is about. With
    /// <paramref name="secretProtectionKey"/>, that key (not a fresh random one) protects TOTP secrets, so app
    /// instances given the same key can read each other's secrets, as a real deployment's instances share one key.
    /// </summary>
    public static void ApplyTestDefaults(AccountSecurityOptions options, Action<AccountSecurityOptions>? configure, byte[]? secretProtectionKey = null)
    {
        if (secretProtectionKey is not null)
        {
            // Before the fast defaults, which add a random per-instance key only when none is configured.
            options.SecretProtection.AddKey(SharedKeyId, secretProtectionKey);
        }

        AccountSecurityTestOptions.ApplyFastTestDefaults(options);
        configure?.Invoke(options);
    }

    /// <summary>
    /// A service provider as a host would build it: <c>AddAccountSecurity(...).UseEntityFrameworkCore(...)</c> over
    /// <paramref name="database"/>, with its own DbContexts, the shared clock, a capturing reset-token sender, the
    /// given event sink, and the given secret-protection key; <paramref name="configureServices"/> then changes
    /// registrations (a test decorating a store).
    /// </summary>
    public static ServiceProvider Build(
        TestDatabase database,
        FakeTimeProvider time,
        CapturingResetTokenSender resetTokens,
        ISecurityEventSink events,
        byte[] secretProtectionKey,
        Action<AccountSecurityOptions>? configure = null,
        Action<IServiceCollection>? configureServices = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton<IPasswordResetTokenSender>(resetTokens);
        services.AddAccountSecurity(options => ApplyTestDefaults(options, configure, secretProtectionKey))
            .AddEventSink(events)
            .UseEntityFrameworkCore(database.Configure);
        configureServices?.Invoke(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
