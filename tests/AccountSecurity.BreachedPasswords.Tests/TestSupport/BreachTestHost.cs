using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using AccountSecurity.Accounts;
using AccountSecurity.Accounts.Invitations;
using AccountSecurity.DependencyInjection;
using AccountSecurity.Notifications;
using AccountSecurity.Passwords.Reset;
using AccountSecurity.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AccountSecurity.BreachedPasswords.Tests.TestSupport;

/// <summary>
/// The library with the breached-password check, a contract with an owner and a user, and everything the check could
/// leak into collected: log lines, events, metric tags, sent reset tokens, invitations and notifications.
/// </summary>
internal sealed class BreachTestHost : IAsyncDisposable
{
    public const string ContractId = "contract-1";
    public const string OwnerId = "owner-1";
    public const string OwnerEmail = "olivia.owner@example.com";
    public const string UserId = "user-1";
    public const string UserEmail = "ursula.user@example.com";

    /// <summary>Passes the default policy; never breached in these tests.</summary>
    public const string InitialPassword = "violet-Anchor-29-quiet";

    /// <summary>Passes the default policy; the tests that want it breached put it in the data set.</summary>
    public const string BreachedPassword = "Granite!Meadow-8841";

    /// <summary>Passes the default policy; never breached.</summary>
    public const string CleanPassword = "Saffron^Tundra-5512";

    private readonly ServiceProvider _provider;
    private readonly AsyncServiceScope _scope;
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<string> _metricTags = new();

    private BreachTestHost(ServiceProvider provider, CollectingLoggerProvider logs, CollectingSecurityEventSink events, Senders senders)
    {
        _provider = provider;
        _scope = provider.CreateAsyncScope();
        Logs = logs;
        Events = events;
        Senders = senders;
        _listener.InstrumentPublished = (instrument, listener) => listener.EnableMeasurementEvents(instrument);
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                _metricTags.Enqueue($"{instrument.Name} {tag.Key}={tag.Value}");
            }
        });
        _listener.Start();
    }

    public CollectingLoggerProvider Logs { get; }

    public CollectingSecurityEventSink Events { get; }

    public Senders Senders { get; }

    public IServiceProvider Services => _scope.ServiceProvider;

    /// <summary>Every metric tag recorded so far, as <c>instrument key=value</c>.</summary>
    public IReadOnlyList<string> MetricTags => [.. _metricTags];

    public static async Task<BreachTestHost> CreateAsync(Action<BreachedPasswordOptions> configure, Action<AccountSecurityOptions>? options = null, bool seed = true)
    {
        var logs = new CollectingLoggerProvider();
        var events = new CollectingSecurityEventSink();
        var senders = new Senders();
        var services = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs))
            .AddSingleton<IPasswordResetTokenSender>(senders)
            .AddSingleton<IAccountInvitationSender>(senders)
            .AddSingleton<ISecurityNotificationSender>(senders);
        services.AddAccountSecurity(o =>
            {
                AccountSecurityTestOptions.ApplyFastTestDefaults(o);
                options?.Invoke(o);
            })
            .AddEventSink(events)
            .AddBreachedPasswordCheck(configure);
        var host = new BreachTestHost(services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true }), logs, events, senders);
        if (seed)
        {
            await host.SeedAsync();
        }

        return host;
    }

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    public async Task<UserAccount> UserAsync(string userId = UserId) =>
        (await Get<AccountSecurity.Stores.IUserStore>().FindByIdAsync(userId, CancellationToken.None))!;

    /// <summary>Waits for <paramref name="condition"/> with a generous ceiling (background work on a busy machine).</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!await condition())
        {
            if (DateTime.UtcNow > until)
            {
                Assert.Fail("Timed out waiting until " + what);
            }

            await Task.Delay(20);
        }
    }

    private async Task SeedAsync()
    {
        var provisioning = Get<IAccountProvisioningService>();
        var owner = await provisioning.CreateContractAsync(new NewContract { ContractId = ContractId, ContractName = "Contract One", OwnerUserId = OwnerId, OwnerEmail = OwnerEmail, OwnerPassword = InitialPassword });
        owner.Succeeded.Should().BeTrue(owner.ToString());
        var user = await provisioning.CreateUserAsync(OwnerId, new NewUser { UserId = UserId, Email = UserEmail, Role = UserRole.User, InitialPassword = InitialPassword });
        user.Succeeded.Should().BeTrue(user.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Dispose();
        await _scope.DisposeAsync();
        await _provider.DisposeAsync();
    }
}

/// <summary>Keeps every reset message, invitation and notification the library hands over.</summary>
internal sealed class Senders : IPasswordResetTokenSender, IAccountInvitationSender, ISecurityNotificationSender
{
    private readonly ConcurrentQueue<PasswordResetMessage> _resets = new();
    private readonly ConcurrentQueue<AccountInvitationMessage> _invitations = new();
    private readonly ConcurrentQueue<SecurityNotification> _notifications = new();

    public IReadOnlyList<PasswordResetMessage> Resets => [.. _resets];

    public IReadOnlyList<AccountInvitationMessage> Invitations => [.. _invitations];

    public IReadOnlyList<SecurityNotification> Notifications => [.. _notifications];

    public ValueTask SendAsync(PasswordResetMessage message, CancellationToken cancellationToken)
    {
        _resets.Enqueue(message);
        return ValueTask.CompletedTask;
    }

    public ValueTask SendInvitationAsync(AccountInvitationMessage message, CancellationToken cancellationToken)
    {
        _invitations.Enqueue(message);
        return ValueTask.CompletedTask;
    }

    public ValueTask SendAccountExistsNoticeAsync(AccountExistsNotice notice, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask SendAsync(SecurityNotification notification, CancellationToken cancellationToken)
    {
        _notifications.Enqueue(notification);
        return ValueTask.CompletedTask;
    }
}
