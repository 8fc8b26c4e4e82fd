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

        (await host.PasswordChange.ChangePasswordAsync("alice", TwoFactorTestHost.UserPassword, TwoFactorTestHost.NewPassword, TwoFactorTestHost.NewPassword)).Succeeded.Should().BeTrue();

        (await host.SignIn.ValidateSessionAsync(session)).Should().BeFalse();
    }

    [Test]
    public async Task ValidateSession_AfterTwoFactorReset_IsFalse()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("alice");
        var enrolled = await host.EnableTwoFactorAsync("alice");
        var session = await host.SignInWithCodeAsync("alice", enrolled);

        (await host.Admin.ResetAsync(TwoFactorTestHost.OwnerId, "alice")).Succeeded.Should().BeTrue();

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
}
