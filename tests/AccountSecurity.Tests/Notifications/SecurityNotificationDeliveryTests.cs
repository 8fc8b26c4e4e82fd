using AccountSecurity.Events;
using AccountSecurity.Notifications;
using AccountSecurity.Testing;
using AccountSecurity.Tests.TestSupport;
using Microsoft.Extensions.Logging;

namespace AccountSecurity.Tests.Notifications;

/// <summary>The sender is outside the operation: a failing, slow or swamped sender neither fails nor delays it.</summary>
public sealed class SecurityNotificationDeliveryTests
{
    private static SecurityEvent Locked(NotificationTestHost host, string userId = TestHost.UserId) =>
        new() { Type = SecurityEventType.LockedOut, OccurredAt = host.Host.Time.GetUtcNow(), UserId = userId, ContractId = TestHost.ContractId };

    [Test]
    public async Task FailingSender_TheOperationSucceeds_AttemptsAreRetriedThenDropped_LoggedByTypeAndCounted()
    {
        var sender = new CollectingNotificationSender { Fail = true };
        await using var host = await NotificationTestHost.CreateAsync(o => o.Notifications.MaxAttempts = 3, sender);

        await host.ChangePasswordAsync(); // succeeds although the sender throws

        await WaitUntilAsync(() => sender.Calls == 1);
        var start = host.Host.Time.GetUtcNow();
        await AdvanceUntilAsync(host, () => sender.Calls == 2); // the first retry after 5 s
        (host.Host.Time.GetUtcNow() - start).Should().BeCloseTo(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1));
        await AdvanceUntilAsync(host, () => sender.Calls == 3); // then 10 s
        (host.Host.Time.GetUtcNow() - start).Should().BeCloseTo(TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(2));
        await host.IdleAsync();

        sender.Calls.Should().Be(3);
        host.Outcomes.Should().Contain(("PasswordChanged", "dropped_after_retries")).And.Contain(("PasswordChanged", "attempt_failed"));
        host.Outcomes.Count(o => o.Outcome == "attempt_failed").Should().Be(3);
        var lines = host.Host.Logs.Entries;
        lines.Should().Contain(e => e.EventId.Id == 603 && e.Level == LogLevel.Error);
        lines.Where(e => e.EventId.Id == 602).Should().HaveCount(3).And.OnlyContain(e => e.Message.Contains("InvalidOperationException"));
        host.Host.Logs.AllText().Should().NotContain(t => t.Contains("SMTP refused") || t.Contains(TestHost.UserEmail));
    }

    [Test]
    public async Task SlowSender_TheOperationReturnsWhileItIsBlocked_TheAttemptTimesOut()
    {
        var sender = new CollectingNotificationSender { Block = true };
        await using var host = await NotificationTestHost.CreateAsync(o => o.Notifications.MaxAttempts = 1, sender);

        var operation = host.ChangePasswordAsync();
        (await Task.WhenAny(operation, Task.Delay(TimeSpan.FromSeconds(30)))).Should().BeSameAs(operation, "the operation never waits for the sender");
        await operation;
        await WaitUntilAsync(() => sender.Calls == 1);
        host.Notifications.WhenIdleAsync().IsCompleted.Should().BeFalse("the sender is still blocked");

        await AdvanceUntilAsync(host, () => host.Notifications.WhenIdleAsync().IsCompleted); // SendTimeout: abandoned though it ignores its token
        await host.IdleAsync();

        host.Outcomes.Should().Contain(("PasswordChanged", "dropped_after_retries"));
        host.Host.Logs.Entries.Should().Contain(e => e.EventId.Id == 602 && e.Message.Contains("Timeout"));
    }

    [Test]
    public async Task FullQueue_DropsAndCountsTheNotification_WithoutWaiting()
    {
        var sender = new CollectingNotificationSender { Block = true };
        await using var host = await NotificationTestHost.CreateAsync(o => o.Notifications.MaxQueuedNotifications = 1, sender);
        var at = host.Host.Time.GetUtcNow();

        // Two workers take one each and block; one more waits in the queue; the fourth finds it full.
        for (var i = 0; i < AccountSecurity.Notifications.SecurityNotifications.Workers; i++)
        {
            await host.PublishAsync(new SecurityEvent { Type = SecurityEventType.PasswordChanged, OccurredAt = at.AddTicks(i), UserId = TestHost.UserId });
            await WaitUntilAsync(() => sender.Calls == i + 1); // taken off the queue before the next comes
        }

        await host.PublishAsync(new SecurityEvent { Type = SecurityEventType.PasswordChanged, OccurredAt = at.AddTicks(10), UserId = TestHost.UserId });
        await host.PublishAsync(new SecurityEvent { Type = SecurityEventType.TwoFactorDisabled, OccurredAt = at.AddTicks(11), UserId = TestHost.UserId });

        host.Outcomes.Should().ContainSingle(o => o.Outcome == "dropped_queue_full").Which.Kind.Should().Be("TwoFactorDisabled");
        host.Host.Logs.Entries.Should().ContainSingle(e => e.EventId.Id == 601 && e.Message.Contains("queue_full"));
        sender.Release();
        await host.IdleAsync();
        host.Sender.Sent.Should().HaveCount(3);
    }

    [Test]
    public async Task FloodControl_OneAccountLockedPerUserPerInterval()
    {
        await using var host = await NotificationTestHost.CreateAsync(o => o.Notifications.FloodInterval = TimeSpan.FromHours(1));

        for (var i = 0; i < 5; i++)
        {
            await host.PublishAsync(Locked(host));
            await host.IdleAsync(); // a jump of the fake clock during the store reads would time them out
            host.Host.Time.Advance(TimeSpan.FromMinutes(10));
        }

        await host.PublishAsync(Locked(host, TestHost.OwnerId)); // another user is told
        await host.IdleAsync();
        host.Host.Logs.Entries.Where(e => e.EventId.Id == 605).Select(e => e.Message).Should().BeEmpty();
        host.Sent(SecurityNotificationKind.AccountLocked).Should().HaveCount(2);
        host.Host.Logs.Entries.Count(e => e.EventId.Id == 604).Should().Be(4);
        host.Outcomes.Should().Contain(("AccountLocked", "suppressed_flood"));

        host.Host.Time.Advance(TimeSpan.FromMinutes(20)); // an hour after the first
        await host.PublishAsync(Locked(host));
        await host.IdleAsync();
        host.Sent(SecurityNotificationKind.AccountLocked).Where(n => n.UserId == TestHost.UserId).Should().HaveCount(2);
    }

    [Test]
    public async Task DisposingTheContainer_SendsWhatWasQueued()
    {
        var sender = new CollectingNotificationSender();
        var host = await NotificationTestHost.CreateAsync(sender: sender);
        await host.ChangePasswordAsync();
        await host.SetSupportPinAsync(password: TestHost.SecondPassword);

        await host.DisposeAsync(); // no wait for the queue first: disposal drains it

        sender.Sent.Select(n => n.Kind).Should().BeEquivalentTo([SecurityNotificationKind.PasswordChanged, SecurityNotificationKind.SupportPinSet]);
    }

    [Test]
    public async Task FloodControl_DoesNotLimitOtherKinds()
    {
        await using var host = await NotificationTestHost.CreateAsync();
        await host.SetSupportPinAsync();
        await host.SetSupportPinAsync(NotificationTestHost.SecondSupportPin);
        await host.IdleAsync();

        host.Sent(SecurityNotificationKind.SupportPinSet).Should().HaveCount(2);
    }

    [Test]
    public async Task WithoutASender_NothingIsQueued_AndOneInformationLineSaysSo()
    {
        await using var host = TestHost.Create();
        await host.SeedContractAsync();
        await host.Change.ChangePasswordAsync(TestSessions.Of(TestHost.UserId), TestHost.InitialPassword, TestHost.SecondPassword, TestHost.SecondPassword);

        var notifications = host.Get<AccountSecurity.Notifications.SecurityNotifications>();
        notifications.IsEnabled.Should().BeFalse();
        notifications.WhenIdleAsync().IsCompleted.Should().BeTrue();
        host.Logs.Entries.Where(e => e.EventId.Id == 600).Should().ContainSingle().Which.Level.Should().Be(LogLevel.Information);
    }

    [Test]
    public async Task AddSecurityNotificationSender_RegistersAScopedSender_ResolvedPerNotification()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(TestHost.Start);
        var builder = TestHost.BaseServices(time, new AccountSecurity.Testing.CollectingLoggerProvider())
            .AddSecurityNotificationSender<ScopedSender>(Microsoft.Extensions.DependencyInjection.ServiceLifetime.Scoped);
        await using var provider = Microsoft.Extensions.DependencyInjection.ServiceCollectionContainerBuilderExtensions.BuildServiceProvider(
            builder.Services, new Microsoft.Extensions.DependencyInjection.ServiceProviderOptions { ValidateScopes = true });
        var notifications = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<AccountSecurity.Notifications.SecurityNotifications>(provider);
        notifications.IsEnabled.Should().BeTrue();

        notifications.EmailChanged("u-1", "c-1", "old@example.com", "new@example.com", null, TestHost.Start);
        await notifications.WhenIdleAsync();

        ScopedSender.Sent.Should().Contain(n => n.UserId == "u-1" && n.Kind == SecurityNotificationKind.EmailChanged);
        FluentActions.Invoking(() => builder.AddSecurityNotificationSender<ScopedSender>(Microsoft.Extensions.DependencyInjection.ServiceLifetime.Transient))
            .Should().Throw<ArgumentOutOfRangeException>();
    }

    /// <summary>Moves the fake clock a second at a time (letting the workers run) until <paramref name="condition"/> holds.</summary>
    private static async Task AdvanceUntilAsync(NotificationTestHost host, Func<bool> condition)
    {
        for (var i = 0; i < 120 && !condition(); i++)
        {
            host.Host.Time.Advance(TimeSpan.FromSeconds(1));
            await WaitUntilAsync(condition, tries: 20);
        }

        condition().Should().BeTrue();
    }

    private static async Task WaitUntilAsync(Func<bool> condition, int tries = 1000)
    {
        for (var i = 0; i < tries && !condition(); i++)
        {
            await Task.Delay(10);
        }

        if (tries == 1000)
        {
            condition().Should().BeTrue();
        }
    }

    private sealed class ScopedSender : ISecurityNotificationSender
    {
        public static readonly System.Collections.Concurrent.ConcurrentBag<SecurityNotification> Sent = [];

        public ValueTask SendAsync(SecurityNotification notification, CancellationToken cancellationToken)
        {
            Sent.Add(notification);
            return ValueTask.CompletedTask;
        }
    }
}
