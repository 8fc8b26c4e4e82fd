using AccountSecurity.Events;
using AccountSecurity.Lockout;
using AccountSecurity.Results;
using AccountSecurity.SignIn;
using AccountSecurity.Testing;
using AccountSecurity.Tests.SignIn;
using AccountSecurity.TwoFactor;

namespace AccountSecurity.Tests.TwoFactor;

public sealed class TwoFactorSetupTests
{
    [Test]
    public async Task BeginSetup_WithWrongPassword_FailsAndCountsTowardPasswordLockout()
    {
        using var host = await TwoFactorTestHost.CreateAsync(o => o.Lockout.Password.MaxFailedAttempts = 2);
        await host.CreateUserAsync("alice");

        var first = await host.TwoFactor.BeginSetupAsync(TestSessions.Of("alice"), "Not-The-Password-1");
        first.HasError(SecurityErrorCodes.PasswordWrongCurrent).Should().BeTrue();
        (await host.GetUserAsync("alice")).TwoFactor.PendingProtectedSecret.Should().BeNull();
        (await host.GetUserAsync("alice")).Lockouts[AuthenticationFactor.Password].FailedCount.Should().Be(1);

        // Locked out after the second wrong password (issue 26: a missing password is no longer counted as a wrong one).
        var second = await host.TwoFactor.BeginSetupAsync(TestSessions.Of("alice"), "Not-The-Password-2");
        second.HasError(SecurityErrorCodes.LockedOut).Should().BeTrue(second.ToString());
        (await host.SignIn.PasswordSignInAsync("alice@a.example", TwoFactorTestHost.UserPassword)).Status.Should().Be(SignInStatus.LockedOut);
    }

    [Test]
    public async Task BeginSetup_ReturnsQrUriAndManualKey_AndToStringHidesThem()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("alice");

        var setup = await host.TwoFactor.BeginSetupAsync(TestSessions.Of("alice"), TwoFactorTestHost.UserPassword);

        setup.Succeeded.Should().BeTrue();
        var base32 = TwoFactorTestHost.Base32Of(setup.Value);
        setup.Value.OtpAuthUri.Should().StartWith("otpauth://totp/").And.Contain("issuer=Test");
        setup.Value.ManualEntryKey.Replace(" ", string.Empty, StringComparison.Ordinal).Should().Be(base32);
        setup.Value.QrCodeSvg.Should().Contain("<svg");
        setup.Value.QrCodePng.Should().NotBeEmpty();
        setup.Value.ToString().Should().NotContain(base32);
        setup.ToString().Should().NotContain(base32);
        (await host.GetUserAsync("alice")).TwoFactor.IsEnabled.Should().BeFalse();
        (await host.TwoFactor.GetStatusAsync("alice")).Should().Be(new TwoFactorStatus(false, false, true, 0));
    }

    [Test]
    public async Task ConfirmSetup_WithWrongCode_FailsAndLeavesTwoFactorInactive()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("alice");
        var setup = await host.TwoFactor.BeginSetupAsync(TestSessions.Of("alice"), TwoFactorTestHost.UserPassword);

        var result = await host.TwoFactor.ConfirmSetupAsync("alice", host.WrongCodeFor(TwoFactorTestHost.SecretOf(setup.Value)));

        result.HasError(SecurityErrorCodes.InvalidCode).Should().BeTrue();
        var user = await host.GetUserAsync("alice");
        user.TwoFactor.IsEnabled.Should().BeFalse();
        user.TwoFactor.ProtectedSecret.Should().BeNull();
        (await host.SignIn.PasswordSignInAsync("alice@a.example", TwoFactorTestHost.UserPassword)).Status.Should().Be(SignInStatus.Succeeded);
    }

    [Test]
    public async Task ConfirmSetup_WithValidCode_ActivatesAndChangesStamp()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("alice");
        var before = await host.GetUserAsync("alice");
        var setup = await host.TwoFactor.BeginSetupAsync(TestSessions.Of("alice"), TwoFactorTestHost.UserPassword);

        var result = await host.TwoFactor.ConfirmSetupAsync("alice", host.CodeFor(TwoFactorTestHost.SecretOf(setup.Value)));

        result.Succeeded.Should().BeTrue();
        var after = await host.GetUserAsync("alice");
        after.TwoFactor.IsEnabled.Should().BeTrue();
        after.TwoFactor.ProtectedSecret.Should().NotBeNull();
        after.TwoFactor.PendingProtectedSecret.Should().BeNull();
        after.SecurityStamp.Should().NotBe(before.SecurityStamp);
        host.Events.OfType(SecurityEventType.TwoFactorEnabled).Should().ContainSingle(e => e.UserId == "alice");
    }

    [Test]
    public async Task ConfirmSetup_WithoutPendingSetup_FailsWithNoPendingSetup()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("alice");

        (await host.TwoFactor.ConfirmSetupAsync("alice", "123456")).HasError(SecurityErrorCodes.TwoFactorNoPendingSetup).Should().BeTrue();
    }

    [Test]
    public async Task ConfirmSetup_AfterSetupLifetime_FailsWithNoPendingSetup()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("alice");
        var setup = await host.TwoFactor.BeginSetupAsync(TestSessions.Of("alice"), TwoFactorTestHost.UserPassword);

        host.Time.Advance(TimeSpan.FromMinutes(15));
        var result = await host.TwoFactor.ConfirmSetupAsync("alice", host.CodeFor(TwoFactorTestHost.SecretOf(setup.Value)));

        result.HasError(SecurityErrorCodes.TwoFactorNoPendingSetup).Should().BeTrue(result.ToString());
        (await host.GetUserAsync("alice")).TwoFactor.IsEnabled.Should().BeFalse();
    }

    [Test]
    public async Task ConfirmSetup_ExpiredReSetupOfActiveUser_FailsWithNoPendingSetupAndKeepsOldFactor()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("alice");
        var old = await host.EnableTwoFactorAsync("alice");
        var setup = await host.TwoFactor.BeginSetupAsync(TestSessions.Of("alice"), TwoFactorTestHost.UserPassword, host.CodeFor(old.Secret));

        host.Time.Advance(TimeSpan.FromMinutes(16));
        var result = await host.TwoFactor.ConfirmSetupAsync("alice", host.CodeFor(TwoFactorTestHost.SecretOf(setup.Value)));

        result.HasError(SecurityErrorCodes.TwoFactorNoPendingSetup).Should().BeTrue(result.ToString());
        await host.SignInWithCodeAsync("alice", old);
    }

    [Test]
    public async Task BeginSetup_WhileActive_OldSecretWorksUntilConfirm_ThenOnlyTheNewOne()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("alice");
        var old = await host.EnableTwoFactorAsync("alice");

        var setup = await host.TwoFactor.BeginSetupAsync(TestSessions.Of("alice"), TwoFactorTestHost.UserPassword, host.CodeFor(old.Secret));
        setup.Succeeded.Should().BeTrue();
        var fresh = TwoFactorTestHost.SecretOf(setup.Value);
        host.NextStep(); // the current code just authorised the replacement

        // Pending: the old app still signs in, the new secret does not.
        (await host.SignIn.SecondFactorSignInAsync(await host.TicketAsync("alice"), host.CodeFor(fresh))).ErrorCode.Should().Be(SecurityErrorCodes.InvalidCode);
        await host.SignInWithCodeAsync("alice", old);

        var confirmed = await host.TwoFactor.ConfirmSetupAsync("alice", host.CodeFor(fresh));
        confirmed.Succeeded.Should().BeTrue(confirmed.ToString());
        host.NextStep();

        (await host.SignIn.SecondFactorSignInAsync(await host.TicketAsync("alice"), host.CodeFor(old.Secret))).ErrorCode.Should().Be(SecurityErrorCodes.InvalidCode);
        (await host.SignIn.SecondFactorSignInAsync(await host.TicketAsync("alice"), host.CodeFor(fresh))).Succeeded.Should().BeTrue();
    }

    [Test]
    public async Task ForcedUser_SetupThroughSignInTicket_CompletesSignInWithMfaAndRecoveryCodes()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("alice");
        (await host.Admin.SetForcedAsync(await TestSessions.FreshAsync(host.Services, TwoFactorTestHost.OwnerId), "alice", forced: true)).Succeeded.Should().BeTrue();

        var step = await host.SignIn.PasswordSignInAsync("alice@a.example", TwoFactorTestHost.UserPassword);
        step.Status.Should().Be(SignInStatus.TwoFactorSetupRequired);
        (await host.SignIn.SecondFactorSignInAsync(step.Ticket, "123456")).ErrorCode.Should().Be(SecurityErrorCodes.InvalidTicket, "a setup ticket is no second-factor ticket");

        var setup = await host.SignIn.BeginTwoFactorSetupAsync(step.Ticket);
        setup.Succeeded.Should().BeTrue(setup.ToString());
        var secret = TwoFactorTestHost.SecretOf(setup.Value);
        var done = await host.SignIn.TwoFactorSetupSignInAsync(step.Ticket, host.CodeFor(secret));

        done.Status.Should().Be(SignInStatus.Succeeded, done.ToString());
        done.Session!.Methods.Should().Equal(AuthenticationMethods.Password, AuthenticationMethods.Otp, AuthenticationMethods.MultiFactor);
        done.RecoveryCodes.Should().HaveCount(10);
        done.Session.SecurityStamp.Should().Be((await host.GetUserAsync("alice")).SecurityStamp);
        (await host.SignIn.ValidateSessionAsync(done.Session)).Should().BeTrue();
        (await host.GetUserAsync("alice")).TwoFactor.IsEnabled.Should().BeTrue();

        host.NextStep();
        (await host.SignIn.TwoFactorSetupSignInAsync(step.Ticket, host.CodeFor(secret))).ErrorCode.Should().Be(SecurityErrorCodes.InvalidTicket);
        (await host.SignIn.BeginTwoFactorSetupAsync(step.Ticket)).HasError(SecurityErrorCodes.InvalidTicket).Should().BeTrue();
    }

    [Test]
    public async Task BeginTwoFactorSetup_MalformedOrSecondFactorTicket_IsRefused()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("alice");
        await host.EnableTwoFactorAsync("alice");
        var secondFactorTicket = await host.TicketAsync("alice");

        foreach (var ticket in new[] { null, string.Empty, "a.b", "%%%.x", new string('z', 50_000), secondFactorTicket })
        {
            (await host.SignIn.BeginTwoFactorSetupAsync(ticket)).HasError(SecurityErrorCodes.InvalidTicket).Should().BeTrue();
            (await host.SignIn.TwoFactorSetupSignInAsync(ticket, "123456")).ErrorCode.Should().Be(SecurityErrorCodes.InvalidTicket);
        }
    }
}
