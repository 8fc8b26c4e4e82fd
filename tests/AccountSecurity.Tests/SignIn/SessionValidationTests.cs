using AccountSecurity.SignIn;
using AccountSecurity.Testing;

namespace AccountSecurity.Tests.SignIn;

public sealed class SessionValidationTests
{
    [Test]
    public async Task ValidateSession_Unchanged_IsTrue()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("alice");
        var session = (await host.SignIn.PasswordSignInAsync("alice@a.example", TwoFactorTestHost.UserPassword)).Session!;

        (await host.SignIn.ValidateSessionAsync(session)).Should().BeTrue();
        host.Time.Advance(TimeSpan.FromDays(1));
        (await host.SignIn.ValidateSessionAsync(session)).Should().BeTrue();
    }

    [Test]
    public async Task ValidateSession_AfterPasswordChange_IsFalse()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("alice");
        var session = (await host.SignIn.PasswordSignInAsync("alice@a.example", TwoFactorTestHost.UserPassword)).Session!;

        (await host.PasswordChange.ChangePasswordAsync(TestSessions.Of("alice"), TwoFactorTestHost.UserPassword, TwoFactorTestHost.NewPassword, TwoFactorTestHost.NewPassword)).Succeeded.Should().BeTrue();

        (await host.SignIn.ValidateSessionAsync(session)).Should().BeFalse();
    }

    [Test]
    public async Task ValidateSession_AfterTwoFactorReset_IsFalse()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("alice");
        var enrolled = await host.EnableTwoFactorAsync("alice");
        var session = await host.SignInWithCodeAsync("alice", enrolled);

        (await host.Admin.ResetAsync(await TestSessions.FreshAsync(host.Services, TwoFactorTestHost.OwnerId), "alice")).Succeeded.Should().BeTrue();

        (await host.SignIn.ValidateSessionAsync(session)).Should().BeFalse();
    }

    [Test]
    public async Task ValidateSession_UserDeactivated_IsFalse()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("alice");
        var session = (await host.SignIn.PasswordSignInAsync("alice@a.example", TwoFactorTestHost.UserPassword)).Session!;

        await host.UpdateUserAsync("alice", u => u with { IsActive = false });

        (await host.SignIn.ValidateSessionAsync(session)).Should().BeFalse();
    }

    [Test]
    public async Task ValidateSession_ForgedStampOrUnknownUser_IsFalse()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("alice");
        var session = (await host.SignIn.PasswordSignInAsync("alice@a.example", TwoFactorTestHost.UserPassword)).Session!;

        (await host.SignIn.ValidateSessionAsync(session with { SecurityStamp = "forged" })).Should().BeFalse();
        (await host.SignIn.ValidateSessionAsync(session with { UserId = "nobody" })).Should().BeFalse();
        (await host.SignIn.ValidateSessionAsync(session with { ContractId = "other" })).Should().BeFalse();
    }

    [Test]
    public async Task SessionStatus_OfAForcedUserWithoutASecondFactor_IsSetupRequired_UntilOneIsSetUp()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("alice");
        var session = (await host.SignIn.PasswordSignInAsync("alice@a.example", TwoFactorTestHost.UserPassword)).Session!;
        (await host.SignIn.GetSessionStatusAsync(session)).Should().Be(SessionStatus.Valid);

        (await host.Admin.SetForcedAsync(await TestSessions.FreshAsync(host.Services, TwoFactorTestHost.OwnerId), "alice", forced: true)).Succeeded.Should().BeTrue();

        (await host.SignIn.GetSessionStatusAsync(session)).Should().Be(SessionStatus.TwoFactorSetupRequired);
        (await host.SignIn.ValidateSessionAsync(session)).Should().BeTrue("forcing ends no session: it sends it to the setup");
        (await host.SignIn.GetSessionStatusAsync(session with { SecurityStamp = "forged" })).Should().Be(SessionStatus.Invalid);
        await host.EnableTwoFactorAsync("alice");
        var renewed = session with { SecurityStamp = (await host.GetUserAsync("alice")).SecurityStamp };
        (await host.SignIn.GetSessionStatusAsync(renewed)).Should().Be(SessionStatus.Valid);
        (await host.SignIn.GetSessionStatusAsync(session)).Should().Be(SessionStatus.Invalid, "enabling 2FA changed the stamp");
    }
}
