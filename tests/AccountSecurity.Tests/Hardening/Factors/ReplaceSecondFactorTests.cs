using AccountSecurity.Events;
using AccountSecurity.Lockout;
using AccountSecurity.Results;
using AccountSecurity.Testing;
using AccountSecurity.Tests.SignIn;

namespace AccountSecurity.Tests.Hardening.Factors;

/// <summary>
/// With 2FA active, the password alone never moves the second factor: replacing the authenticator, new recovery
/// codes and switching 2FA off each need the current factor too (a code from the current key or a recovery code),
/// checked under the second-factor lockout and replay protection.
/// </summary>
public sealed class ReplaceSecondFactorTests
{
    [Test]
    public async Task BeginSetup_WhileActive_WithThePasswordAlone_IsRefusedAndNoNewKeyCanBeConfirmedOrDisable()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("alice");
        var enrolled = await host.EnableTwoFactorAsync("alice");
        var before = await host.GetUserAsync("alice");

        // The attack of the report: password, then a key of the attacker's own, then switching 2FA off with it.
        var setup = await host.TwoFactor.BeginSetupAsync(TestSessions.Of("alice"), TwoFactorTestHost.UserPassword);

        setup.HasError(SecurityErrorCodes.TwoFactorCurrentCodeRequired).Should().BeTrue(setup.ToString());
        var after = await host.GetUserAsync("alice");
        after.TwoFactor.PendingProtectedSecret.Should().BeNull("no key of anyone's choosing waits for confirmation");
        after.TwoFactor.ProtectedSecret.Should().Be(before.TwoFactor.ProtectedSecret);
        after.Lockouts[AuthenticationFactor.SecondFactor].FailedCount.Should().Be(0, "no code given, nothing compared or counted");
        (await host.TwoFactor.ConfirmSetupAsync("alice", "123456")).HasError(SecurityErrorCodes.TwoFactorNoPendingSetup).Should().BeTrue();
        await host.SignInWithCodeAsync("alice", enrolled);
    }

    [Test]
    public async Task BeginSetup_WhileActive_WithAWrongCurrentCode_FailsAndCountsTowardTheSecondFactorLock()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("alice");
        var enrolled = await host.EnableTwoFactorAsync("alice");

        for (var i = 0; i < 4; i++)
        {
            (await host.TwoFactor.BeginSetupAsync(TestSessions.Of("alice"), TwoFactorTestHost.UserPassword, host.WrongCodeFor(enrolled.Secret)))
                .HasError(SecurityErrorCodes.InvalidCode).Should().BeTrue();
        }

        var fifth = await host.TwoFactor.BeginSetupAsync(TestSessions.Of("alice"), TwoFactorTestHost.UserPassword, host.WrongCodeFor(enrolled.Secret));
        var right = await host.TwoFactor.BeginSetupAsync(TestSessions.Of("alice"), TwoFactorTestHost.UserPassword, host.CodeFor(enrolled.Secret));

        fifth.HasError(SecurityErrorCodes.LockedOut).Should().BeTrue(fifth.ToString());
        right.HasError(SecurityErrorCodes.LockedOut).Should().BeTrue("the sign-in's lock holds here too: " + right);
        (await host.GetUserAsync("alice")).TwoFactor.PendingProtectedSecret.Should().BeNull();
        host.Events.OfType(SecurityEventType.SecondFactorFailed).Should().HaveCount(5);
    }

    [Test]
    public async Task BeginSetup_WhileActive_WithACodeAlreadyUsedToSignIn_IsRefusedAsAReplay()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("alice");
        var enrolled = await host.EnableTwoFactorAsync("alice");
        var code = host.CodeFor(enrolled.Secret);
        (await host.SignIn.SecondFactorSignInAsync(await host.TicketAsync("alice"), code)).Succeeded.Should().BeTrue();

        var setup = await host.TwoFactor.BeginSetupAsync(TestSessions.Of("alice"), TwoFactorTestHost.UserPassword, code);

        setup.HasError(SecurityErrorCodes.InvalidCode).Should().BeTrue(setup.ToString());
        host.Events.OfType(SecurityEventType.ReplayRejected).Should().NotBeEmpty();
        (await host.GetUserAsync("alice")).TwoFactor.PendingProtectedSecret.Should().BeNull();
    }

    [Test]
    public async Task BeginSetup_WhileActive_WithWrongPasswordAndRightCode_FailsOnThePasswordAndComparesNoCode()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("alice");
        var enrolled = await host.EnableTwoFactorAsync("alice");

        var setup = await host.TwoFactor.BeginSetupAsync(TestSessions.Of("alice"), "Not-The-Password-1", host.CodeFor(enrolled.Secret));

        setup.HasError(SecurityErrorCodes.PasswordWrongCurrent).Should().BeTrue();
        (await host.GetUserAsync("alice")).Lockouts[AuthenticationFactor.SecondFactor].FailedCount.Should().Be(0);
        await host.SignInWithCodeAsync("alice", enrolled); // the code was not spent
    }

    [Test]
    public async Task BeginSetup_WhileActive_WithPasswordAndARecoveryCode_SpendsItAndReplacesTheKeyOnConfirm()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("alice");
        var enrolled = await host.EnableTwoFactorAsync("alice");

        var setup = await host.TwoFactor.BeginSetupAsync(TestSessions.Of("alice"), TwoFactorTestHost.UserPassword, enrolled.RecoveryCodes[0]);
        setup.Succeeded.Should().BeTrue(setup.ToString());
        (await host.GetUserAsync("alice")).TwoFactor.RecoveryCodeHashes.Should().HaveCount(enrolled.RecoveryCodes.Count - 1);
        var fresh = TwoFactorTestHost.SecretOf(setup.Value);
        (await host.TwoFactor.ConfirmSetupAsync("alice", host.CodeFor(fresh))).Succeeded.Should().BeTrue();
        host.NextStep();

        (await host.SignIn.SecondFactorSignInAsync(await host.TicketAsync("alice"), host.CodeFor(enrolled.Secret))).ErrorCode.Should().Be(SecurityErrorCodes.InvalidCode);
        (await host.SignIn.SecondFactorSignInAsync(await host.TicketAsync("alice"), host.CodeFor(fresh))).Succeeded.Should().BeTrue();
    }

    [Test]
    public async Task RegenerateRecoveryCodes_WithThePasswordAlone_IsRefusedAndTheOldCodesStay()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("alice");
        var enrolled = await host.EnableTwoFactorAsync("alice");

        var refused = await host.TwoFactor.RegenerateRecoveryCodesAsync(TestSessions.Of("alice"), TwoFactorTestHost.UserPassword, null);
        var wrong = await host.TwoFactor.RegenerateRecoveryCodesAsync(TestSessions.Of("alice"), TwoFactorTestHost.UserPassword, host.WrongCodeFor(enrolled.Secret));

        refused.HasError(SecurityErrorCodes.TwoFactorCurrentCodeRequired).Should().BeTrue(refused.ToString());
        wrong.HasError(SecurityErrorCodes.InvalidCode).Should().BeTrue(wrong.ToString());
        host.Events.OfType(SecurityEventType.RecoveryCodesRegenerated).Should().BeEmpty();
        (await host.SignIn.RecoveryCodeSignInAsync(await host.TicketAsync("alice"), enrolled.RecoveryCodes[0])).Succeeded.Should().BeTrue();
    }

    [Test]
    public async Task Disable_WithPasswordAndARecoveryCode_SwitchesOff()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("alice");
        var enrolled = await host.EnableTwoFactorAsync("alice");

        var result = await host.TwoFactor.DisableAsync(TestSessions.Of("alice"), TwoFactorTestHost.UserPassword, enrolled.RecoveryCodes[3]);

        result.Succeeded.Should().BeTrue(result.ToString());
        (await host.GetUserAsync("alice")).TwoFactor.IsEnabled.Should().BeFalse();
    }
}
