using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using AccountSecurity.DependencyInjection;
using AccountSecurity.Events;
using AccountSecurity.Notifications;
using AccountSecurity.Passwords.Change;
using AccountSecurity.Sessions;
using AccountSecurity.SignIn;
using AccountSecurity.SupportPin;
using AccountSecurity.Testing;
using AccountSecurity.Tests.SignIn;
using AccountSecurity.Tests.TestSupport;
using AccountSecurity.TwoFactor;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;

namespace AccountSecurity.Tests.Notifications;

/// <summary>
/// A <see cref="TestHost"/> with a collecting notification sender, the outcome counter, and every secret the test used.
/// The calls of the sensitive services are here, in one place, so a change of their signatures is adapted once.
/// </summary>
internal sealed class NotificationTestHost : IAsyncDisposable
{
    public const string SupportPin = "274915";
    public const string SecondSupportPin = "803162";

    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Kind, string Outcome)> _outcomes = new();
    private readonly List<string> _secrets = [TestHost.InitialPassword, TestHost.SecondPassword, TestHost.ThirdPassword, TestHost.FourthPassword, SupportPin, SecondSupportPin];

    private NotificationTestHost(TestHost host, CollectingNotificationSender sender)
    {
        Host = host;
        Sender = sender;
        Notifications = host.Services.GetRequiredService<AccountSecurity.Notifications.SecurityNotifications>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, Notifications.Meter))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            string? kind = null, outcome = null;
            foreach (var tag in tags)
            {
                kind = tag.Key == "accountsecurity.notification.kind" ? tag.Value as string : kind;
                outcome = tag.Key == "accountsecurity.notification.outcome" ? tag.Value as string : outcome;
            }

            for (var i = 0; i < value; i++)
            {
                _outcomes.Enqueue((kind!, outcome!));
            }
        });
        _listener.Start();
    }

    public TestHost Host { get; }

    public CollectingNotificationSender Sender { get; }

    public AccountSecurity.Notifications.SecurityNotifications Notifications { get; }

    /// <summary>Every secret the test used: passwords, PINs, TOTP secrets and codes, recovery codes, reset tokens.</summary>
    public IReadOnlyList<string> Secrets => _secrets;

    public IReadOnlyList<(string Kind, string Outcome)> Outcomes => [.. _outcomes];

    public static async Task<NotificationTestHost> CreateAsync(
        Action<AccountSecurityOptions>? configure = null,
        CollectingNotificationSender? sender = null,
        Action<IServiceCollection>? services = null,
        bool seed = true)
    {
        sender ??= new CollectingNotificationSender();
        var host = TestHost.Create(configure, s =>
        {
            s.AddSingleton<ISecurityNotificationSender>(sender);
            services?.Invoke(s);
        });
        var result = new NotificationTestHost(host, sender);
        if (seed)
        {
            await host.SeedContractAsync();
            await result.IdleAsync();
        }

        return result;
    }

    /// <summary>Waits until everything queued so far was sent, dropped or given up on.</summary>
    public Task IdleAsync() => Notifications.WhenIdleAsync();

    public IReadOnlyList<SecurityNotification> Sent(SecurityNotificationKind kind) => [.. Sender.Sent.Where(n => n.Kind == kind)];

    public void Remember(params string[] secrets) => _secrets.AddRange(secrets);

    public ValueTask PublishAsync(SecurityEvent securityEvent) => Host.Get<SecurityEventPublisher>().PublishAsync(securityEvent, CancellationToken.None);

    public Task SetCultureAsync(string userId, string? culture) => Host.ModifyUserAsync(userId, u => u with { Culture = culture });

    // The operations, through the real services.
    public async Task ChangePasswordAsync(string userId = TestHost.UserId, string current = TestHost.InitialPassword, string next = TestHost.SecondPassword)
    {
        var result = await Host.Get<IPasswordChangeService>().ChangePasswordAsync(TestSessions.Of(userId), current, next, next);
        result.Succeeded.Should().BeTrue(result.ToString());
    }

    public async Task ResetPasswordAsync(string email = TestHost.UserEmail, string next = TestHost.SecondPassword)
    {
        (await Host.Reset.RequestResetAsync(email)).Succeeded.Should().BeTrue();
        await Host.WaitForResetWorkAsync();
        var token = Host.Sender.Last.Token;
        Remember(token);
        var result = await Host.Reset.ResetPasswordAsync(email, token, next, next);
        result.Succeeded.Should().BeTrue(result.ToString());
    }

    /// <summary>Turns 2FA on for <paramref name="userId"/>; returns the TOTP secret (remembered with its codes and the recovery codes).</summary>
    public async Task<Enrolled> EnableTwoFactorAsync(string userId = TestHost.UserId, string password = TestHost.InitialPassword)
    {
        var twoFactor = Host.Get<ITwoFactorService>();
        var setup = await twoFactor.BeginSetupAsync(TestSessions.Of(userId), password);
        setup.Succeeded.Should().BeTrue(setup.ToString());
        var secret = TwoFactorTestHost.SecretOf(setup.Value);
        var confirmed = await twoFactor.ConfirmSetupAsync(userId, Code(secret));
        confirmed.Succeeded.Should().BeTrue(confirmed.ToString());
        await NextStepAsync();
        var enrolled = new Enrolled(secret, TwoFactorTestHost.Base32Of(setup.Value), setup.Value.ManualEntryKey, confirmed.Value.RecoveryCodes);
        Remember([enrolled.Base32, enrolled.ManualKey, .. enrolled.RecoveryCodes]);
        return enrolled;
    }

    public async Task DisableTwoFactorAsync(Enrolled enrolled, string userId = TestHost.UserId, string password = TestHost.InitialPassword)
    {
        var result = await Host.Get<ITwoFactorService>().DisableAsync(TestSessions.Of(userId), password, Code(enrolled.Secret));
        result.Succeeded.Should().BeTrue(result.ToString());
        await NextStepAsync();
    }

    public async Task<IReadOnlyList<string>> RegenerateRecoveryCodesAsync(Enrolled enrolled, string userId = TestHost.UserId, string password = TestHost.InitialPassword)
    {
        var result = await Host.Get<ITwoFactorService>().RegenerateRecoveryCodesAsync(TestSessions.Of(userId), password, Code(enrolled.Secret));
        result.Succeeded.Should().BeTrue(result.ToString());
        await NextStepAsync();
        Remember([.. result.Value]);
        return result.Value;
    }

    public async Task SignInWithRecoveryCodeAsync(string recoveryCode, string email = TestHost.UserEmail, string password = TestHost.InitialPassword)
    {
        var signIn = Host.Get<ISignInService>();
        var step = await signIn.PasswordSignInAsync(email, password);
        step.Status.Should().Be(SignInStatus.SecondFactorRequired, step.ToString());
        var result = await signIn.RecoveryCodeSignInAsync(step.Ticket, recoveryCode);
        result.Succeeded.Should().BeTrue(result.ToString());
    }

    public async Task ForceTwoFactorAsync(string userId = TestHost.UserId, string actingUserId = TestHost.OwnerId) =>
        (await Host.Get<ITwoFactorAdministrationService>().SetForcedAsync(await TestSessions.FreshAsync(Host.Services, actingUserId), userId, forced: true)).Succeeded.Should().BeTrue();

    public async Task ResetTwoFactorAsync(string userId = TestHost.UserId, string actingUserId = TestHost.OwnerId) =>
        (await Host.Get<ITwoFactorAdministrationService>().ResetAsync(await TestSessions.FreshAsync(Host.Services, actingUserId), userId)).Succeeded.Should().BeTrue();

    public async Task SetSupportPinAsync(string pin = SupportPin, string userId = TestHost.UserId, string password = TestHost.InitialPassword)
    {
        var result = await Host.Get<ISupportPinService>().SetPinAsync(TestSessions.Of(userId), password, pin, pin);
        result.Succeeded.Should().BeTrue(result.ToString());
    }

    public async Task RemoveSupportPinAsync(string userId = TestHost.UserId, string password = TestHost.InitialPassword) =>
        (await Host.Get<ISupportPinService>().RemovePinAsync(TestSessions.Of(userId), password)).Succeeded.Should().BeTrue();

    public async Task ChangeEmailAsync(string newEmail, string userId = TestHost.UserId, string password = TestHost.InitialPassword)
    {
        var result = await Host.Get<AccountSecurity.Accounts.Administration.IAccountAdministrationService>().ChangeEmailAsync(TestSessions.Of(userId), userId, newEmail, password);
        result.Succeeded.Should().BeTrue(result.ToString());
    }

    public async Task FailPasswordSignInAsync(string wrongPassword, int times, string email = TestHost.UserEmail)
    {
        Remember(wrongPassword);
        for (var i = 0; i < times; i++)
        {
            var result = await Host.Get<ISignInService>().PasswordSignInAsync(email, wrongPassword);
            result.Succeeded.Should().BeFalse();
        }
    }

    /// <summary>Signs in with the password and starts a server-side session from <paramref name="device"/>; returns its record.</summary>
    public async Task<SessionRecord> StartSessionAsync(SessionDevice? device, string email = TestHost.UserEmail, string password = TestHost.InitialPassword)
    {
        var signIn = await Host.Get<ISignInService>().PasswordSignInAsync(email, password);
        signIn.Succeeded.Should().BeTrue(signIn.ToString());
        var started = await Host.Get<ISessionService>().StartAsync(signIn.Session!, device);
        started.Succeeded.Should().BeTrue(started.ToString());
        Remember(started.Value.Reference);
        return (await Host.Get<ISessionService>().GetRecordAsync(started.Value.Reference))!;
    }

    public string Code(byte[] secret)
    {
        var code = new Totp(secret).ComputeTotp(Host.Time.GetUtcNow().UtcDateTime);
        Remember(code);
        return code;
    }

    /// <summary>The next TOTP step; first lets the queue finish, as a 30-second jump of the fake clock would time out its store reads.</summary>
    public async Task NextStepAsync()
    {
        await IdleAsync();
        Host.Time.Advance(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Dispose();
        Sender.Release();
        await Host.DisposeAsync();
    }
}

/// <summary>Keeps every notification; can fail, or block until released, to test delivery.</summary>
internal sealed class CollectingNotificationSender : ISecurityNotificationSender
{
    private readonly ConcurrentQueue<SecurityNotification> _sent = new();
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _calls;

    /// <summary>Throw on every call (the message carries an address, which must never reach a log line).</summary>
    public bool Fail { get; set; }

    /// <summary>Never complete (ignoring the token) until <see cref="Release"/>.</summary>
    public bool Block { get; set; }

    public IReadOnlyList<SecurityNotification> Sent => [.. _sent];

    public int Calls => Volatile.Read(ref _calls);

    public void Release() => _release.TrySetResult();

    public async ValueTask SendAsync(SecurityNotification notification, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        if (Block)
        {
            await _release.Task; // deliberately ignores the token: the queue must abandon it at the timeout anyway
        }

        if (Fail)
        {
            throw new InvalidOperationException("SMTP refused mail for " + string.Join(", ", notification.Recipients));
        }

        _sent.Enqueue(notification);
    }
}
