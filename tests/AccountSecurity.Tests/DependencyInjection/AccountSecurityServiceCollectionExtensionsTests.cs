using AccountSecurity.Accounts;
using AccountSecurity.DependencyInjection;
using AccountSecurity.Events;
using AccountSecurity.Passwords.Change;
using AccountSecurity.Passwords.Hashing;
using AccountSecurity.Passwords.Policy;
using AccountSecurity.Passwords.Reset;
using AccountSecurity.Stores;
using AccountSecurity.Testing;
using AccountSecurity.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using static AccountSecurity.Tests.TestSupport.TestHost;

namespace AccountSecurity.Tests.DependencyInjection;

public sealed class AccountSecurityServiceCollectionExtensionsTests
{
    [Test]
    public void AddAccountSecurity_CalledTwice_RegistersEachServiceOnce()
    {
        var services = BaseServices(new FakeTimeProvider(Start), new CollectingLoggerProvider()).Services;
        var countsAfterOne = services.GroupBy(d => d.ServiceType).ToDictionary(g => g.Key, g => g.Count());

        services.AddAccountSecurity();

        foreach (var type in new[]
        {
            typeof(IUserStore), typeof(IContractStore), typeof(IPasswordHasher), typeof(IPasswordPolicy),
            typeof(IValidateOptions<AccountSecurityOptions>), typeof(IPasswordChangeService), typeof(IPasswordResetService),
            typeof(IPasswordPolicyService), typeof(IAccountProvisioningService), typeof(TimeProvider),
        })
        {
            services.Count(d => d.ServiceType == type).Should().Be(1, type.Name);
            countsAfterOne[type].Should().Be(1, type.Name);
        }

        // The four default sinks (logging, metrics, security notifications, the audit trail), each once.
        services.Count(d => d.ServiceType == typeof(ISecurityEventSink)).Should().Be(4);
        countsAfterOne[typeof(ISecurityEventSink)].Should().Be(4);
    }

    [Test]
    public async Task AddAccountSecurity_CalledTwice_AppliesBothConfigurationsAndStillWorks()
    {
        var builder = BaseServices(new FakeTimeProvider(Start), new CollectingLoggerProvider());
        builder.Services.AddAccountSecurity(o => o.Lockout.Password.MaxFailedAttempts = 7);
        builder.Services.AddSingleton<IPasswordResetTokenSender>(new CapturingResetTokenSender());
        await using var provider = builder.Services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<AccountSecurityOptions>>().Value;
        options.Hashing.WorkFactor.Should().Be(4);
        options.Lockout.Password.MaxFailedAttempts.Should().Be(7);
        provider.GetServices<ISecurityEventSink>().OfType<LoggingSecurityEventSink>().Should().ContainSingle();
        await using var scope = provider.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<IPasswordChangeService>().Should().NotBeNull();
    }

    [Test]
    public async Task LoggingAddedAfterAddAccountSecurity_StillReceivesTheLibrarysLogLines()
    {
        var logs = new CollectingLoggerProvider();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(Start));
        services.AddAccountSecurity(o => AccountSecurityTestOptions.ApplyFastTestDefaults(o));
        services.AddLogging(b => b.AddProvider(logs)); // after: the library must not have pinned a null logger
        await using var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        var owner = await scope.ServiceProvider.GetRequiredService<IAccountProvisioningService>()
            .CreateContractAsync(new NewContract { ContractId = "c1", ContractName = "Contract", OwnerUserId = "owner", OwnerEmail = "owner@example.com", OwnerPassword = "correct horse battery staple" });
        owner.Succeeded.Should().BeTrue();

        await scope.ServiceProvider.GetRequiredService<IPasswordChangeService>().ChangePasswordAsync(TestSessions.Of("owner"), "wrong password", "x", "x");

        logs.Entries.Should().Contain(e => e.Message.Contains("PasswordChangeFailed", StringComparison.Ordinal));
    }

    [Test]
    public async Task AddAccountSecurity_HostStoreRegisteredFirst_IsKept()
    {
        var store = new InMemoryUserStore();
        var services = new ServiceCollection().AddSingleton<IUserStore>(store);
        services.AddAccountSecurity(o =>
        {
            o.Hashing.WorkFactor = 4;
            o.Hashing.AllowInsecureWorkFactorForTesting = true;
        });
        await using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IUserStore>().Should().BeSameAs(store);
    }

    [TestCase(3, true)]
    [TestCase(9, false)]
    [TestCase(21, false)]
    public async Task ResolvingAService_WithInvalidWorkFactor_ThrowsOptionsValidationException(int workFactor, bool allowInsecure)
    {
        var services = new ServiceCollection();
        services.AddAccountSecurity(o =>
        {
            o.Hashing.WorkFactor = workFactor;
            o.Hashing.AllowInsecureWorkFactorForTesting = allowInsecure;
        });
        await using var provider = services.BuildServiceProvider();

        var act = () => provider.GetRequiredService<IPasswordHasher>();

        act.Should().Throw<OptionsValidationException>().Which.Message.Should().Contain("WorkFactor");
    }

    [TestCase(9, false, false)]
    [TestCase(10, false, true)]
    [TestCase(4, true, true)]
    [TestCase(4, false, false)]
    [TestCase(20, false, true)]
    public void OptionsValidation_WorkFactor_NeedsTheTestingSwitchBelow10(int workFactor, bool allowInsecure, bool valid)
    {
        var options = RequiredOnly();
        options.Hashing.WorkFactor = workFactor;
        options.Hashing.AllowInsecureWorkFactorForTesting = allowInsecure;

        new AccountSecurityOptionsValidator().Validate(null, options).Succeeded.Should().Be(valid);
    }

    [Test]
    public void OptionsValidation_InvalidDefaultPolicyAndResetOptions_ReportsEveryProblem()
    {
        var options = RequiredOnly();
        options.DefaultPasswordPolicy = PasswordPolicySettings.Default with { MaximumLength = 32 };
        options.PasswordReset.TokenLifetime = TimeSpan.Zero;
        options.PasswordReset.MaxOutstandingTokens = 0;
        options.Stores.MaxConcurrencyRetries = 0;

        var result = new AccountSecurityOptionsValidator().Validate(null, options);

        result.Failures.Should().HaveCount(5, "a zero lifetime also leaves no room for the interval between tokens");
    }

    [Test]
    public void OptionsValidation_DefaultsWithTheRequiredIssuerAndKey_AreValid()
    {
        new AccountSecurityOptionsValidator().Validate(null, RequiredOnly()).Succeeded.Should().BeTrue();
    }

    [Test]
    public async Task TimeProviderFromContainer_IsUsedForTimestamps()
    {
        await using var host = Create();
        host.Time.Advance(TimeSpan.FromDays(3));
        await host.SeedContractAsync();
        host.Time.Advance(TimeSpan.FromHours(2));

        (await host.Change.ChangePasswordAsync(TestSessions.Of(UserId), InitialPassword, SecondPassword, SecondPassword)).Succeeded.Should().BeTrue();

        (await host.UserAsync(OwnerId)).PasswordChangedAt.Should().Be(Start + TimeSpan.FromDays(3));
        (await host.UserAsync()).PasswordChangedAt.Should().Be(Start + TimeSpan.FromDays(3) + TimeSpan.FromHours(2));
        host.Events.Events.Last().OccurredAt.Should().Be(Start + TimeSpan.FromDays(3) + TimeSpan.FromHours(2));
    }

    [Test]
    public async Task ResolvingPasswordResetService_WithoutSender_ThrowsClearInvalidOperationException()
    {
        await using var host = Create(registerSender: false);

        var act = () => host.Get<IPasswordResetService>();

        act.Should().Throw<InvalidOperationException>().WithMessage("*IPasswordResetTokenSender*");
        host.Get<IPasswordChangeService>().Should().NotBeNull("services that need no sender still resolve");
    }

    /// <summary>Library defaults plus the two settings every host must supply (TOTP issuer, secret-protection key).</summary>
    private static AccountSecurityOptions RequiredOnly()
    {
        var options = new AccountSecurityOptions();
        options.Totp.Issuer = "Tests";
        options.SecretProtection.AddKey("k1", System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        return options;
    }
}
