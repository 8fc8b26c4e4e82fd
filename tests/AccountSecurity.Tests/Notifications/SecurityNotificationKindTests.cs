using AccountSecurity.Events;
using AccountSecurity.Notifications;
using AccountSecurity.Sessions;
using AccountSecurity.Tests.TestSupport;

namespace AccountSecurity.Tests.Notifications;

/// <summary>Each kind: the real operation through the real services, then exactly one notification of that kind to the right address.</summary>
public sealed class SecurityNotificationKindTests
{
    private static async Task<SecurityNotification> OnlyAsync(NotificationTestHost host, SecurityNotificationKind kind, string email = TestHost.UserEmail)
    {
        await host.IdleAsync();
        var sent = host.Sent(kind);
        sent.Should().ContainSingle("one {0} notification per operation", kind);
        sent[0].Recipients.Should().Equal(email);
        sent[0].UserId.Should().NotBeNullOrEmpty();
        sent[0].Subject.Should().NotBeNullOrWhiteSpace();
        sent[0].Body.Should().Contain("UTC");
        return sent[0];
    }

    [Test]
    public async Task PasswordChanged_SendsOnePasswordChanged_ToTheUser()
    {
        await using var host = await NotificationTestHost.CreateAsync();

        await host.ChangePasswordAsync();

        var notification = await OnlyAsync(host, SecurityNotificationKind.PasswordChanged);
        notification.Subject.Should().Be("Your password was changed");
        notification.Body.Should().Contain("an unknown device").And.Contain("UTC");
        host.Sender.Sent.Should().ContainSingle("nothing else was told");
    }

    [Test]
    public async Task PasswordResetCompleted_SendsOnePasswordResetCompleted()
    {
        await using var host = await NotificationTestHost.CreateAsync();

        await host.ResetPasswordAsync();

        await OnlyAsync(host, SecurityNotificationKind.PasswordResetCompleted);
        host.Sent(SecurityNotificationKind.PasswordChanged).Should().BeEmpty();
    }

    [Test]
    public async Task TwoFactorEnabled_SendsOneTwoFactorEnabled()
    {
        await using var host = await NotificationTestHost.CreateAsync();

        await host.EnableTwoFactorAsync();

        await OnlyAsync(host, SecurityNotificationKind.TwoFactorEnabled);
    }

    [Test]
    public async Task TwoFactorDisabled_SendsOneTwoFactorDisabled()
    {
        await using var host = await NotificationTestHost.CreateAsync();
        var enrolled = await host.EnableTwoFactorAsync();

        await host.DisableTwoFactorAsync(enrolled);

        await OnlyAsync(host, SecurityNotificationKind.TwoFactorDisabled);
    }

    [Test]
    public async Task TwoFactorReset_ByTheOwner_SendsOneTwoFactorResetByAdministrator_ToTheUser()
    {
        await using var host = await NotificationTestHost.CreateAsync();
        await host.EnableTwoFactorAsync();

        await host.ResetTwoFactorAsync();

        var notification = await OnlyAsync(host, SecurityNotificationKind.TwoFactorResetByAdministrator);
        notification.Body.Should().Contain("administrator");
        host.Sent(SecurityNotificationKind.TwoFactorDisabled).Should().BeEmpty();
    }

    [Test]
    public async Task TwoFactorForced_SendsOneTwoFactorForced_ToTheUserNotTheActor()
    {
        await using var host = await NotificationTestHost.CreateAsync();

        await host.ForceTwoFactorAsync();

        await OnlyAsync(host, SecurityNotificationKind.TwoFactorForced);
        host.Sender.Sent.SelectMany(n => n.Recipients).Should().NotContain(TestHost.OwnerEmail);
    }

    [Test]
    public async Task RecoveryCodesRegenerated_SendsOneRecoveryCodesRegenerated()
    {
        await using var host = await NotificationTestHost.CreateAsync();
        var enrolled = await host.EnableTwoFactorAsync();

        await host.RegenerateRecoveryCodesAsync(enrolled);

        await OnlyAsync(host, SecurityNotificationKind.RecoveryCodesRegenerated);
    }

    [Test]
    public async Task RecoveryCodeUsed_WithManyLeft_SendsRecoveryCodeUsedOnly()
    {
        await using var host = await NotificationTestHost.CreateAsync();
        var enrolled = await host.EnableTwoFactorAsync();

        await host.SignInWithRecoveryCodeAsync(enrolled.RecoveryCodes[0]);

        await OnlyAsync(host, SecurityNotificationKind.RecoveryCodeUsed);
        host.Sent(SecurityNotificationKind.RecoveryCodesLow).Should().BeEmpty("9 of 10 codes are left, above the threshold of 3");
    }

    [Test]
    public async Task RecoveryCodeUsed_AtTheThreshold_SendsRecoveryCodeUsedAndRecoveryCodesLow()
    {
        await using var host = await NotificationTestHost.CreateAsync(o => o.TwoFactor.RecoveryCodeCount = 4);
        var enrolled = await host.EnableTwoFactorAsync();

        await host.SignInWithRecoveryCodeAsync(enrolled.RecoveryCodes[0]);

        await OnlyAsync(host, SecurityNotificationKind.RecoveryCodeUsed);
        var low = await OnlyAsync(host, SecurityNotificationKind.RecoveryCodesLow);
        low.Subject.Should().Contain("3");
        low.Body.Should().Contain(": 3.");
    }

    [Test]
    public async Task PasskeyAddedAndRemoved_EventsOfThePasskeysPackage_SendOneEach()
    {
        // The passkey service lives in AccountSecurity.Passkeys (not referenced here): publish the events it publishes.
        await using var host = await NotificationTestHost.CreateAsync();
        var at = host.Host.Time.GetUtcNow();

        await host.PublishAsync(new SecurityEvent { Type = SecurityEventType.PasskeyAdded, OccurredAt = at, UserId = TestHost.UserId, ContractId = TestHost.ContractId, Outcome = "swk" });
        await host.PublishAsync(new SecurityEvent { Type = SecurityEventType.PasskeyRemoved, OccurredAt = at, UserId = TestHost.UserId, ContractId = TestHost.ContractId });

        await OnlyAsync(host, SecurityNotificationKind.PasskeyAdded);
        await OnlyAsync(host, SecurityNotificationKind.PasskeyRemoved);
    }

    [Test]
    public async Task SupportPinSetThenChanged_SendsOneSupportPinSetEach()
    {
        await using var host = await NotificationTestHost.CreateAsync();

        await host.SetSupportPinAsync();
        await OnlyAsync(host, SecurityNotificationKind.SupportPinSet);
        await host.SetSupportPinAsync(NotificationTestHost.SecondSupportPin);
        await host.IdleAsync();

        host.Sent(SecurityNotificationKind.SupportPinSet).Should().HaveCount(2);
    }

    [Test]
    public async Task SupportPinRemoved_SendsOneSupportPinRemoved()
    {
        await using var host = await NotificationTestHost.CreateAsync();
        await host.SetSupportPinAsync();

        await host.RemoveSupportPinAsync();

        await OnlyAsync(host, SecurityNotificationKind.SupportPinRemoved);
    }

    [Test]
    public async Task AccountLocked_AfterRepeatedWrongPasswords_SendsOneAccountLocked()
    {
        await using var host = await NotificationTestHost.CreateAsync(o => o.Lockout.Password.MaxFailedAttempts = 3);

        await host.FailPasswordSignInAsync("Wrong-Guess-Number-1", 4);

        var notification = await OnlyAsync(host, SecurityNotificationKind.AccountLocked);
        notification.Body.Should().Contain("failed attempts");
    }

    [Test]
    public async Task TrustedDeviceLockedOut_SendsNothing()
    {
        await using var host = await NotificationTestHost.CreateAsync();

        await host.PublishAsync(new SecurityEvent { Type = SecurityEventType.TrustedDeviceLockedOut, OccurredAt = host.Host.Time.GetUtcNow(), UserId = TestHost.UserId, Outcome = "locked_out" });
        await host.IdleAsync();

        host.Sender.Sent.Should().BeEmpty();
    }

    [Test]
    public async Task EmailChanged_GoesToTheOldAndTheNewAddress_InOneNotification()
    {
        await using var host = await NotificationTestHost.CreateAsync();
        const string newEmail = "ursula.new@example.com";
        await host.ChangeEmailAsync(newEmail); // the service tells the old address too: the event alone could not
        await host.IdleAsync();

        var sent = host.Sent(SecurityNotificationKind.EmailChanged);
        sent.Should().ContainSingle();
        sent[0].Recipients.Should().Equal(TestHost.UserEmail, newEmail);
        sent[0].Body.Should().Contain(TestHost.UserEmail).And.Contain(newEmail);
        sent[0].ToString().Should().NotContain(TestHost.UserEmail).And.NotContain(newEmail);
    }

    [Test]
    public async Task NewDeviceSignIn_FromAnUnseenDevice_SendsOne_WithTheDeviceAndAddress()
    {
        await using var host = await NotificationTestHost.CreateAsync();
        await host.StartSessionAsync(new SessionDevice("Firefox on Windows", "198.51.100.0"));
        await host.StartSessionAsync(new SessionDevice("Chrome on Android", "203.0.113.0")); // SessionStarted names its session

        var notification = await OnlyAsync(host, SecurityNotificationKind.NewDeviceSignIn);
        notification.DeviceLabel.Should().Be("Chrome on Android");
        notification.ClientAddress.Should().Be("203.0.113.0");
        notification.Body.Should().Contain("Chrome on Android").And.Contain("203.0.113.0");
        notification.ToString().Should().NotContain("203.0.113.0");
    }

    [Test]
    public async Task NewDeviceSignIn_FromAKnownDevice_OrTheFirstSession_SendsNothing()
    {
        await using var host = await NotificationTestHost.CreateAsync();
        var first = await host.StartSessionAsync(new SessionDevice("Firefox on Windows", "198.51.100.0"));
        await host.PublishAsync(new SecurityEvent { Type = SecurityEventType.SessionStarted, OccurredAt = first.CreatedAt, UserId = TestHost.UserId, SessionId = first.Id });
        var again = await host.StartSessionAsync(new SessionDevice("Firefox on Windows", "198.51.100.0"));
        await host.PublishAsync(new SecurityEvent { Type = SecurityEventType.SessionStarted, OccurredAt = again.CreatedAt, UserId = TestHost.UserId, SessionId = again.Id });
        await host.IdleAsync();

        host.Sender.Sent.Should().BeEmpty();
    }

    [Test]
    public async Task AnEventFromTheUsersSession_NamesItsDeviceAndAddress_AnotherUsersSessionIsNotShown()
    {
        await using var host = await NotificationTestHost.CreateAsync();
        var own = await host.StartSessionAsync(new SessionDevice("Safari on iPhone", "192.0.2.0"));
        var owners = await host.StartSessionAsync(new SessionDevice("Edge on Windows", "198.51.100.7"), TestHost.OwnerEmail);
        var at = host.Host.Time.GetUtcNow();

        await host.PublishAsync(new SecurityEvent { Type = SecurityEventType.PasswordChanged, OccurredAt = at, UserId = TestHost.UserId, SessionId = own.Id });
        await host.PublishAsync(new SecurityEvent { Type = SecurityEventType.TwoFactorForced, OccurredAt = at, UserId = TestHost.UserId, ActorId = TestHost.OwnerId, SessionId = owners.Id });
        await host.IdleAsync();

        var changed = host.Sent(SecurityNotificationKind.PasswordChanged).Single();
        changed.Body.Should().Contain("Device: Safari on iPhone").And.Contain("Address: 192.0.2.0");
        var forced = host.Sent(SecurityNotificationKind.TwoFactorForced).Single();
        forced.DeviceLabel.Should().BeNull();
        forced.Body.Should().Contain("an unknown device").And.NotContain("198.51.100.7");
    }

    [Test]
    public void EveryEvent_ThatNotifies_HasAKind_AndOthersNone()
    {
        var notifying = Enum.GetValues<SecurityEventType>()
            .Where(t => AccountSecurity.Notifications.SecurityNotifications.KindOf(new SecurityEvent { Type = t, OccurredAt = TestHost.Start, UserId = "u", SessionId = "s" }) is not null)
            .ToList();

        notifying.Should().BeEquivalentTo(
        [
            SecurityEventType.PasswordChanged, SecurityEventType.PasswordResetCompleted, SecurityEventType.TwoFactorEnabled, SecurityEventType.TwoFactorDisabled,
            SecurityEventType.TwoFactorReset, SecurityEventType.TwoFactorForced, SecurityEventType.RecoveryCodesRegenerated, SecurityEventType.RecoveryCodeUsed,
            SecurityEventType.PasskeyAdded, SecurityEventType.PasskeyRemoved, SecurityEventType.SupportPinSet, SecurityEventType.SupportPinChanged,
            SecurityEventType.SupportPinRemoved, SecurityEventType.LockedOut, SecurityEventType.SessionStarted,
        ]);
    }
}
