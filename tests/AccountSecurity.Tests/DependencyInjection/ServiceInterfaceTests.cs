using AccountSecurity.Accounts;
using AccountSecurity.Accounts.Administration;
using AccountSecurity.Passwords.Change;
using AccountSecurity.Passwords.Policy;
using AccountSecurity.Passwords.Reset;
using AccountSecurity.Resources;
using AccountSecurity.Results;
using AccountSecurity.SignIn;
using AccountSecurity.SupportPin;
using AccountSecurity.Testing;
using AccountSecurity.Tests.TestSupport;
using AccountSecurity.TwoFactor;
using Microsoft.Extensions.DependencyInjection;

namespace AccountSecurity.Tests.DependencyInjection;

/// <summary>
/// Issue 9, part 5: every service a host calls is an interface registered by <c>AddAccountSecurity()</c>, its default
/// implementation is internal (one public surface, not two), and a host can put a fake in its place.
/// </summary>
public sealed class ServiceInterfaceTests
{
    /// <summary>The services hosts call, as the issue names them; the reflection below must find at least these.</summary>
    private static readonly Type[] Named =
    [
        typeof(ISignInService), typeof(ITwoFactorService), typeof(ITwoFactorAdministrationService), typeof(IPasswordChangeService),
        typeof(IPasswordResetService), typeof(IPasswordPolicyService), typeof(IAccountProvisioningService),
        typeof(IAccountAdministrationService), typeof(IProtectedResourceAccess), typeof(ISupportPinService),
    ];

    /// <summary>Every public interface of the core named like a service, so a new one cannot be forgotten here.</summary>
    private static IEnumerable<Type> PublicServiceInterfaces() =>
        typeof(ISignInService).Assembly.GetExportedTypes()
            .Where(t => t.IsInterface && (t.Name.EndsWith("Service", StringComparison.Ordinal) || t == typeof(IProtectedResourceAccess)));

    [Test]
    public void TheScan_FindsEveryNamedServiceInterface()
    {
        PublicServiceInterfaces().Should().Contain(Named);
    }

    [Test]
    public async Task AddAccountSecurity_ResolvesEveryServiceInterface_FromAScope()
    {
        await using var host = TestHost.Create();
        foreach (var type in PublicServiceInterfaces())
        {
            host.Services.GetService(type).Should().NotBeNull(type.Name).And.BeAssignableTo(type);
        }
    }

    [Test]
    public async Task AddAccountSecurity_ResolvesEachServiceInterfaceOncePerScope()
    {
        var services = TestHost.BaseServices(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(TestHost.Start), new AccountSecurity.Testing.CollectingLoggerProvider()).Services;
        services.AddSingleton<IPasswordResetTokenSender>(new CapturingResetTokenSender());
        services.AddSingleton<AccountSecurity.Accounts.Invitations.IAccountInvitationSender>(new Accounts.Invitations.CapturingInvitationSender());
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        await using var one = provider.CreateAsyncScope();
        await using var other = provider.CreateAsyncScope();
        foreach (var type in PublicServiceInterfaces())
        {
            one.ServiceProvider.GetRequiredService(type).Should().BeSameAs(one.ServiceProvider.GetRequiredService(type), type.Name + " is scoped");
            other.ServiceProvider.GetRequiredService(type).Should().NotBeSameAs(one.ServiceProvider.GetRequiredService(type), type.Name + " is scoped, not a singleton");
        }
    }

    [Test]
    public void AddAccountSecurity_RegistersEachServiceInterfaceOnce_EvenWhenCalledTwice()
    {
        var services = new ServiceCollection().AddAccountSecurity().Services;
        services.AddAccountSecurity();
        foreach (var type in PublicServiceInterfaces())
        {
            services.Count(d => d.ServiceType == type).Should().Be(1, type.Name);
        }
    }

    [Test]
    public async Task DefaultImplementations_AreInternal_SoHostsSeeOnlyTheInterfaces()
    {
        await using var host = TestHost.Create();
        foreach (var type in PublicServiceInterfaces())
        {
            var implementation = host.Services.GetRequiredService(type).GetType();
            implementation.IsPublic.Should().BeFalse($"{implementation.Name} is the default {type.Name}; a public copy would double the API");
        }
    }

    [Test]
    public void NoPublicTypeOfTheCore_IsAConcreteService()
    {
        typeof(ISignInService).Assembly.GetExportedTypes()
            .Where(t => t.IsClass && (t.Name.EndsWith("Service", StringComparison.Ordinal) || t.Name == "ProtectedResourceAccess"))
            .Should().BeEmpty();
    }

    [TestCase(true, TestName = "AHostFake_RegisteredBeforeAddAccountSecurity_Wins")]
    [TestCase(false, TestName = "AHostFake_RegisteredAfterAddAccountSecurity_Wins")]
    public async Task AHostFake_ReplacesTheDefault(bool before)
    {
        var fake = new FakeTwoFactorAdministrationService();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(TestHost.Start);
        var services = new ServiceCollection();
        if (before)
        {
            // TryAdd in AddAccountSecurity keeps what the host registered first.
            services.AddScoped<ITwoFactorAdministrationService>(_ => fake);
        }

        services.AddSingleton<TimeProvider>(time).AddAccountSecurity(o => AccountSecurity.Testing.AccountSecurityTestOptions.ApplyFastTestDefaults(o));
        if (!before)
        {
            // Registered later, the host's descriptor is the last one: that is the one the container resolves.
            services.AddScoped<ITwoFactorAdministrationService>(_ => fake);
        }

        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        await using var scope = provider.CreateAsyncScope();
        var admin = scope.ServiceProvider.GetRequiredService<ITwoFactorAdministrationService>();
        admin.Should().BeSameAs(fake);
        (await admin.SetForcedAsync(TestSessions.Of("owner"), "user", forced: true)).Succeeded.Should().BeTrue();
        fake.Calls.Should().Equal("force user");

        // The other services are still the library's own.
        scope.ServiceProvider.GetRequiredService<ITwoFactorService>().GetType().Assembly.Should().BeSameAs(typeof(ITwoFactorService).Assembly);
    }

    private sealed class FakeTwoFactorAdministrationService : ITwoFactorAdministrationService
    {
        public List<string> Calls { get; } = [];

        public ValueTask<SecurityResult> SetForcedAsync(AuthenticatedSession actorSession, string targetUserId, bool forced, CancellationToken cancellationToken = default)
        {
            Calls.Add((forced ? "force " : "unforce ") + targetUserId);
            return ValueTask.FromResult(SecurityResult.Success());
        }

        public ValueTask<SecurityResult> ResetAsync(AuthenticatedSession actorSession, string targetUserId, CancellationToken cancellationToken = default)
        {
            Calls.Add("reset " + targetUserId);
            return ValueTask.FromResult(SecurityResult.Success());
        }
    }
}
