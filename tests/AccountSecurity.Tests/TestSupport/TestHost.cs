using AccountSecurity.Accounts;
using AccountSecurity.DependencyInjection;
using AccountSecurity.Events;
using AccountSecurity.Passwords.Change;
using AccountSecurity.Passwords.Hashing;
using AccountSecurity.Passwords.Policy;
using AccountSecurity.Passwords.Reset;
using AccountSecurity.Stores;
using AccountSecurity.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace AccountSecurity.Tests.TestSupport;

/// <summary>
/// The one place tests build the library's service provider: a fake clock, collecting logs and events, a capturing
/// reset sender and the low test work factor. Adjust shared setup (new required options) here only.
/// </summary>
internal sealed class TestHost : IAsyncDisposable
{
    public const string ContractId = "contract-1";
    public const string OwnerId = "owner-1";
    public const string OwnerEmail = "olivia.owner@example.com";
    public const string AdminId = "admin-1";
    public const string AdminEmail = "adam.admin@example.com";
    public const string UserId = "user-1";
    public const string UserEmail = "ursula.user@example.com";

    /// <summary>Passwords that satisfy the default policy and are not on the common list.</summary>
    public const string InitialPassword = "violet-Anchor-29-quiet";
    public const string SecondPassword = "Granite!Meadow-8841";
    public const string ThirdPassword = "Saffron^Tundra-5512";
    public const string FourthPassword = "Cobalt~Harbour-7730";

    public static readonly DateTimeOffset Start = new(2030, 1, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider _provider;
    private readonly AsyncServiceScope _scope;

    private TestHost(ServiceProvider provider, FakeTimeProvider time, CollectingLoggerProvider logs, CollectingSecurityEventSink events, CapturingResetTokenSender sender)
    {
        _provider = provider;
        _scope = provider.CreateAsyncScope();
        Time = time;
        Logs = logs;
        Events = events;
        Sender = sender;
    }

    public FakeTimeProvider Time { get; }

    public CollectingLoggerProvider Logs { get; }

    public CollectingSecurityEventSink Events { get; }

    public CapturingResetTokenSender Sender { get; }

    public IServiceProvider Services => _scope.ServiceProvider;

    public IUserStore Users => Get<IUserStore>();

    public IContractStore Contracts => Get<IContractStore>();

    public IPasswordHasher Hasher => Get<IPasswordHasher>();

    public IPasswordChangeService Change => Get<IPasswordChangeService>();

    public IPasswordResetService Reset => Get<IPasswordResetService>();

    public IPasswordPolicyService Policies => Get<IPasswordPolicyService>();

    public IAccountProvisioningService Provisioning => Get<IAccountProvisioningService>();

    /// <summary>
    /// Builds a host. <paramref name="configure"/> runs after the test defaults (work factor 4);
    /// <paramref name="services"/> may add or replace registrations.
    /// </summary>
    public static TestHost Create(
        Action<AccountSecurityOptions>? configure = null,
        Action<IServiceCollection>? services = null,
        bool registerSender = true,
        IEnumerable<ISecurityEventSink>? extraSinks = null)
    {
        var time = new FakeTimeProvider(Start);
        var logs = new CollectingLoggerProvider();
        var events = new CollectingSecurityEventSink();
        var sender = new CapturingResetTokenSender();

        var builder = BaseServices(time, logs, configure).AddEventSink(events);
        var collection = builder.Services;
        if (registerSender)
        {
            collection.AddSingleton<IPasswordResetTokenSender>(sender);
            collection.AddSingleton<AccountSecurity.Accounts.Invitations.IAccountInvitationSender>(new Accounts.Invitations.CapturingInvitationSender());
        }

        foreach (var sink in extraSinks ?? [])
        {
            builder.AddEventSink(sink);
        }

        services?.Invoke(collection);
        return new TestHost(collection.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true }), time, logs, events, sender);
    }

    /// <summary>The registrations every test host starts from (without a reset sender or sinks), for DI tests that inspect them.</summary>
    public static AccountSecurityBuilder BaseServices(FakeTimeProvider time, CollectingLoggerProvider logs, Action<AccountSecurityOptions>? configure = null) =>
        new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs))
            .AddSingleton<TimeProvider>(time)
            .AddAccountSecurity(o =>
            {
                AccountSecurityTestOptions.ApplyFastTestDefaults(o);
                configure?.Invoke(o);
            });

    /// <summary>Waits until every reset request made so far has done its work (token written, mail handed to <see cref="Sender"/>).</summary>
    public Task WaitForResetWorkAsync() => Get<PasswordResetService>().WhenBackgroundWorkIdleAsync();

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    /// <summary>Creates <see cref="ContractId"/> with its owner, an administrator and a plain user, all with <see cref="InitialPassword"/>.</summary>
    public async Task SeedContractAsync()
    {
        var owner = await Provisioning.CreateContractAsync(new NewContract { ContractId = ContractId, ContractName = "Contract One", OwnerUserId = OwnerId, OwnerEmail = OwnerEmail, OwnerPassword = InitialPassword });
        owner.Succeeded.Should().BeTrue(owner.ToString());
        var admin = await Provisioning.CreateUserAsync(OwnerId, new NewUser { UserId = AdminId, Email = AdminEmail, Role = UserRole.Administrator, InitialPassword = InitialPassword });
        admin.Succeeded.Should().BeTrue(admin.ToString());
        var user = await Provisioning.CreateUserAsync(OwnerId, new NewUser { UserId = UserId, Email = UserEmail, Role = UserRole.User, InitialPassword = InitialPassword });
        user.Succeeded.Should().BeTrue(user.ToString());
    }

    public async Task<UserAccount> UserAsync(string userId = UserId) =>
        (await Users.FindByIdAsync(userId, CancellationToken.None))!;

    /// <summary>Replaces stored state of a user directly (read-modify-write through the store).</summary>
    public async Task<UserAccount> ModifyUserAsync(string userId, Func<UserAccount, UserAccount> change)
    {
        var current = await UserAsync(userId);
        (await Users.UpdateAsync(change(current), CancellationToken.None)).Should().Be(StoreWriteResult.Success);
        return await UserAsync(userId);
    }

    public async ValueTask DisposeAsync()
    {
        await _scope.DisposeAsync();
        await _provider.DisposeAsync();
    }
}
