using AccountSecurity.Accounts;
using AccountSecurity.DependencyInjection;
using AccountSecurity.Stores;
using AccountSecurity.SupportPin;
using AccountSecurity.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AccountSecurity.Tests.SupportPin;

/// <summary>
/// The one place the support-PIN tests build a service provider: fake clock, collecting event sink and logger,
/// counting PIN hasher, bcrypt at cost 4, and one contract with an owner who has a password.
/// </summary>
internal sealed class SupportPinTestHost : IAsyncDisposable
{
    public const string ContractId = "c-1";
    public const string UserId = "u-owner";
    public const string Email = "Owner@Example.test";
    public const string Password = "Tr0ub4dor&3-staple-horse";
    /// <summary>The support agent: an administrator of the owner's contract (the default authorizer's rule).</summary>
    public const string Agent = "agent-7";

    private readonly ServiceProvider _provider;
    private readonly AsyncServiceScope _scope;

    private SupportPinTestHost(ServiceProvider provider, FakeTimeProvider time, CollectingSecurityEventSink events, CollectingLoggerProvider logs, CountingSupportPinHasher hasher)
    {
        _provider = provider;
        _scope = provider.CreateAsyncScope();
        Time = time;
        Events = events;
        Logs = logs;
        Hasher = hasher;
    }

    public FakeTimeProvider Time { get; }

    public CollectingSecurityEventSink Events { get; }

    public CollectingLoggerProvider Logs { get; }

    public CountingSupportPinHasher Hasher { get; }

    public IServiceProvider Services => _scope.ServiceProvider;

    public ISupportPinService Pins => Services.GetRequiredService<ISupportPinService>();

    public IUserStore Users => Services.GetRequiredService<IUserStore>();

    public AccountSecurityOptions Options => Services.GetRequiredService<IOptions<AccountSecurityOptions>>().Value;

    /// <summary>Builds the host. <paramref name="store"/> lets two hosts (say, with different peppers) share one user store.</summary>
    public static async Task<SupportPinTestHost> CreateAsync(Action<AccountSecurityOptions>? configure = null, IUserStore? store = null, bool createOwner = true, Action<IServiceCollection>? services = null)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));
        var events = new CollectingSecurityEventSink();
        var logs = new CollectingLoggerProvider();
        CountingSupportPinHasher? hasher = null;

        var collection = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs))
            .AddSingleton<TimeProvider>(time);
        if (store is not null)
        {
            collection.AddSingleton(store);
        }

        services?.Invoke(collection);

        // Registered before AddAccountSecurity, whose TryAdd then keeps it: every PIN comparison passes through the counter.
        collection.AddSingleton<ISupportPinHasher>(sp => hasher = new CountingSupportPinHasher(
            new BcryptSupportPinHasher(sp.GetRequiredService<IOptions<AccountSecurityOptions>>())));
        collection.AddAccountSecurity(o =>
        {
            AccountSecurityTestOptions.ApplyFastTestDefaults(o);
            configure?.Invoke(o);
        }).AddEventSink(events);

        var provider = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        _ = provider.GetRequiredService<ISupportPinHasher>();
        var host = new SupportPinTestHost(provider, time, events, logs, hasher!);
        if (createOwner && store is null)
        {
            var provisioning = host.Services.GetRequiredService<IAccountProvisioningService>();
            var created = await provisioning.CreateContractAsync(new NewContract { ContractId = ContractId, ContractName = "Contract One", OwnerUserId = UserId, OwnerEmail = Email, OwnerPassword = Password });
            created.Succeeded.Should().BeTrue(created.ToString());
            var agent = await provisioning.CreateUserAsync(UserId, new NewUser { UserId = Agent, Email = "agent-7@example.test", Role = UserRole.Administrator, InitialPassword = Password });
            agent.Succeeded.Should().BeTrue(agent.ToString());
            host.Events.Clear();
            host.Logs.Clear();
        }

        return host;
    }

    /// <summary>A fresh scope's PIN service, as a separate request would get.</summary>
    public (AsyncServiceScope Scope, ISupportPinService Pins) NewRequest()
    {
        var scope = _provider.CreateAsyncScope();
        return (scope, scope.ServiceProvider.GetRequiredService<ISupportPinService>());
    }

    public async Task<UserAccount> UserAsync(string userId = UserId) =>
        (await Users.FindByIdAsync(userId, CancellationToken.None))!;

    /// <summary>Sets <paramref name="pin"/> for the owner and asserts it worked; clears the collected events and logs.</summary>
    public async Task SetPinAsync(string pin)
    {
        var result = await Pins.SetPinAsync(TestSessions.Of(UserId), Password, pin, pin);
        result.Succeeded.Should().BeTrue(result.ToString());
        Hasher.Reset();
    }

    public async ValueTask DisposeAsync()
    {
        await _scope.DisposeAsync();
        await _provider.DisposeAsync();
    }
}

/// <summary>Counts every PIN comparison (real and dummy) on its way to the real hasher.</summary>
internal sealed class CountingSupportPinHasher(ISupportPinHasher inner) : ISupportPinHasher
{
    private int _verifications;
    private int _dummies;
    private int _hashes;

    public int Verifications => Volatile.Read(ref _verifications);

    public int Dummies => Volatile.Read(ref _dummies);

    public int Hashes => Volatile.Read(ref _hashes);

    public void Reset()
    {
        Interlocked.Exchange(ref _verifications, 0);
        Interlocked.Exchange(ref _dummies, 0);
        Interlocked.Exchange(ref _hashes, 0);
    }

    public string Hash(string pin)
    {
        Interlocked.Increment(ref _hashes);
        return inner.Hash(pin);
    }

    public SupportPinHashCheck Verify(string? storedHash, string pin)
    {
        Interlocked.Increment(ref _verifications);
        return inner.Verify(storedHash, pin);
    }

    public void VerifyDummy(string pin)
    {
        Interlocked.Increment(ref _dummies);
        inner.VerifyDummy(pin);
    }
}
