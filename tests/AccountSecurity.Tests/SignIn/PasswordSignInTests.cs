using AccountSecurity.Lockout;
using AccountSecurity.Results;
using AccountSecurity.SignIn;
using AccountSecurity.Testing;

namespace AccountSecurity.Tests.SignIn;

public sealed class PasswordSignInTests
{
    [Test]
    public async Task PasswordSignIn_WithoutTwoFactor_SucceedsWithPasswordOnly()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("alice");

        var result = await host.SignIn.PasswordSignInAsync("alice@a.example", TwoFactorTestHost.UserPassword);

        result.Status.Should().Be(SignInStatus.Succeeded);
        result.Ticket.Should().BeNull();
        result.Session!.Methods.Should().Equal(AuthenticationMethods.Password);
        result.Session.UsedSecondFactor.Should().BeFalse();
        result.Session.SecurityStamp.Should().Be((await host.GetUserAsync("alice")).SecurityStamp);
    }

    [Test]
    public async Task PasswordSignIn_WithTwoFactorEnabled_AsksForSecondFactorWithTicket()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("alice");
        await host.EnableTwoFactorAsync("alice");

        var result = await host.SignIn.PasswordSignInAsync("ALICE@a.example", TwoFactorTestHost.UserPassword);

        result.Status.Should().Be(SignInStatus.SecondFactorRequired);
        result.Session.Should().BeNull();
        result.Ticket.Should().NotBeNullOrEmpty();
        result.ToString().Should().NotContain(result.Ticket!);
    }

    [Test]
    public async Task PasswordSignIn_ForcedButNotSetUp_AsksForSetupWithTicket()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("alice");
        (await host.Admin.SetForcedAsync(await TestSessions.FreshAsync(host.Services, TwoFactorTestHost.OwnerId), "alice", forced: true)).Succeeded.Should().BeTrue();

        var result = await host.SignIn.PasswordSignInAsync("alice@a.example", TwoFactorTestHost.UserPassword);

        result.Status.Should().Be(SignInStatus.TwoFactorSetupRequired);
        result.Session.Should().BeNull();
        result.Ticket.Should().NotBeNullOrEmpty();
    }

    [Test]
    public async Task PasswordSignIn_UnknownEmailWrongPasswordInactiveUser_AllFailIdentically()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("alice");
        await host.CreateUserAsync("bob");
        await host.UpdateUserAsync("bob", u => u with { IsActive = false });

        var unknown = await host.SignIn.PasswordSignInAsync("nobody@a.example", TwoFactorTestHost.UserPassword);
        var wrong = await host.SignIn.PasswordSignInAsync("alice@a.example", "Not-The-Password-123");
        var inactive = await host.SignIn.PasswordSignInAsync("bob@a.example", TwoFactorTestHost.UserPassword);

        foreach (var result in new[] { unknown, wrong, inactive })
        {
            result.Status.Should().Be(SignInStatus.Failed);
            result.ErrorCode.Should().Be(SecurityErrorCodes.InvalidCredentials);
            result.Session.Should().BeNull();
            result.Ticket.Should().BeNull();
            result.LockedOutUntil.Should().BeNull();
        }

        unknown.Should().Be(wrong).And.Be(inactive);
    }

    private static IEnumerable<string?> OddInputs() => [null, string.Empty, " ", new string('x', 10_000), "a@b\0c", "\uD800", new string('@', 10_000)];

    [Test]
    public async Task PasswordSignIn_NullEmptyOrHugeInputs_FailWithoutThrowing()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("alice");

        foreach (var email in OddInputs().Append("alice@a.example"))
        {
            foreach (var password in OddInputs())
            {
                var result = await host.SignIn.PasswordSignInAsync(email, password);
                result.Status.Should().Be(SignInStatus.Failed, $"email length {email?.Length}, password length {password?.Length}");
                result.ErrorCode.Should().Be(SecurityErrorCodes.InvalidCredentials);
            }
        }
    }

    [Test]
    public async Task PasswordSignIn_AfterMaxWrongPasswords_LocksOutAndRefusesTheRightPassword()
    {
        using var host = await TwoFactorTestHost.CreateAsync(o => o.Lockout.Password.MaxFailedAttempts = 3);
        await host.CreateUserAsync("alice");

        for (var i = 0; i < 2; i++)
        {
            (await host.SignIn.PasswordSignInAsync("alice@a.example", "Wrong-Password-" + i)).ErrorCode.Should().Be(SecurityErrorCodes.InvalidCredentials);
        }

        var third = await host.SignIn.PasswordSignInAsync("alice@a.example", "Wrong-Password-x");
        third.Status.Should().Be(SignInStatus.LockedOut);
        third.LockedOutUntil.Should().Be(host.Time.GetUtcNow() + TimeSpan.FromMinutes(5));
        (await host.GetUserAsync("alice")).Lockouts[AuthenticationFactor.Password].LockoutEnd.Should().Be(third.LockedOutUntil);

        var right = await host.SignIn.PasswordSignInAsync("alice@a.example", TwoFactorTestHost.UserPassword);
        right.Status.Should().Be(SignInStatus.LockedOut);
        right.Session.Should().BeNull();

        host.Time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        (await host.SignIn.PasswordSignInAsync("alice@a.example", TwoFactorTestHost.UserPassword)).Status.Should().Be(SignInStatus.Succeeded);
    }
}
