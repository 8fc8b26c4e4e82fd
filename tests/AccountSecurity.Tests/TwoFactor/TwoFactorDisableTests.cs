using AccountSecurity.Events;
using AccountSecurity.Lockout;
using AccountSecurity.Results;
using AccountSecurity.SignIn;
using AccountSecurity.Testing;
using AccountSecurity.Tests.SignIn;

namespace AccountSecurity.Tests.TwoFactor;

public sealed class TwoFactorDisableTests
{
    [Test]
    public async Task Disable_WhenForced_IsRefusedAndCountsNothing()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("alice");
        var enrolled = await host.EnableTwoFactorAsync("alice");
        (await host.Admin.SetForcedAsync(await TestSessions.FreshAsync(host.Services, TwoFactorTestHost.OwnerId), "alice", forced: true)).Succeeded.Should().BeTrue();
        var before = await host.GetUserAsync("alice");

        var result = await host.TwoFactor.DisableAsync(TestSessions.Of("alice"), "Wrong-Password-Here", host.WrongCodeFor(enrolled.Secret));

        result.HasError(SecurityErrorCodes.TwoFactorForced).Should().BeTrue();
        var after = await host.GetUserAsync("alice");
        after.Should().Be(before);
        after.TwoFactor.IsEnabled.Should().BeTrue();
    }

    [Test]
    public async Task Disable_WithWrongPassword_Fails()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("alice");
        var enrolled = await host.EnableTwoFactorAsync("alice");

        var result = await host.TwoFactor.DisableAsync(TestSessions.Of("alice"), "Wrong-Password-Here", host.CodeFor(enrolled.Secret));

        result.HasError(SecurityErrorCodes.PasswordWrongCurrent).Should().BeTrue();
        (await host.GetUserAsync("alice")).TwoFactor.IsEnabled.Should().BeTrue();
    }

    [Test]
    public async Task Disable_WithWrongCode_FailsAndCountsSecondFactor_WithMissingCode_AsksForItAndCountsNothing()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("alice");
        var enrolled = await host.EnableTwoFactorAsync("alice");

        (await host.TwoFactor.DisableAsync(TestSessions.Of("alice"), TwoFactorTestHost.UserPassword, host.WrongCodeFor(enrolled.Secret))).HasError(SecurityErrorCodes.InvalidCode).Should().BeTrue();
        (await host.TwoFactor.DisableAsync(TestSessions.Of("alice"), TwoFactorTestHost.UserPassword, null)).HasError(SecurityErrorCodes.TwoFactorCurrentCodeRequired).Should().BeTrue();
        (await host.TwoFactor.DisableAsync(TestSessions.Of("alice"), TwoFactorTestHost.UserPassword, "  ")).HasError(SecurityErrorCodes.TwoFactorCurrentCodeRequired).Should().BeTrue();

        var user = await host.GetUserAsync("alice");
        user.TwoFactor.IsEnabled.Should().BeTrue();
        user.Lockouts[AuthenticationFactor.SecondFactor].FailedCount.Should().Be(1);
    }

    [Test]
    public async Task Disable_WithPasswordAndValidCode_ClearsSecretAndCodesAndChangesStamp()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("alice");
        var enrolled = await host.EnableTwoFactorAsync("alice");
        var session = await host.SignInWithCodeAsync("alice", enrolled);
        var before = await host.GetUserAsync("alice");

        var result = await host.TwoFactor.DisableAsync(TestSessions.Of("alice"), TwoFactorTestHost.UserPassword, host.CodeFor(enrolled.Secret));

        result.Succeeded.Should().BeTrue(result.ToString());
        var after = await host.GetUserAsync("alice");
        after.TwoFactor.IsEnabled.Should().BeFalse();
        after.TwoFactor.ProtectedSecret.Should().BeNull();
        after.TwoFactor.RecoveryCodeHashes.Should().BeEmpty();
        after.SecurityStamp.Should().NotBe(before.SecurityStamp);
        (await host.SignIn.ValidateSessionAsync(session)).Should().BeFalse();
        host.Events.OfType(SecurityEventType.TwoFactorDisabled).Should().ContainSingle();
        (await host.SignIn.PasswordSignInAsync("alice@a.example", TwoFactorTestHost.UserPassword)).Status.Should().Be(SignInStatus.Succeeded);
    }
}
