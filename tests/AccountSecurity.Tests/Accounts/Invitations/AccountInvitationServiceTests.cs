using AccountSecurity.Accounts;
using AccountSecurity.Accounts.Invitations;
using AccountSecurity.DependencyInjection;
using AccountSecurity.Events;
using AccountSecurity.Results;
using AccountSecurity.SignIn;
using AccountSecurity.Tests.TestSupport;

namespace AccountSecurity.Tests.Accounts.Invitations;

public sealed class AccountInvitationServiceTests
{
    private const string NewEmail = "nina.new@example.com";
    private const string NewPassword = "Quartz-Lantern-4471!";

    [Test]
    public async Task AnAdministratorInvites_TheInviteeAcceptsWithAPassword_AndSignsIn()
    {
        await using var host = await CreateAsync();
        var invited = await Service(host).InviteUserAsync(TestHost.AdminId, new NewInvitation { Email = NewEmail, Role = UserRole.Administrator, UserId = "nina" });
        invited.Succeeded.Should().BeTrue(invited.ToString());
        await WaitAsync(host);

        var message = Sender(host).Invitations.Should().ContainSingle().Subject;
        message.Email.Should().Be(NewEmail);
        message.Kind.Should().Be(AccountInvitationKind.Invitation);
        var pending = await host.Users.FindByIdAsync("nina", default);
        pending!.IsActive.Should().BeFalse("an invitee cannot sign in before setting a password");
        pending.PasswordHash.Should().BeNull();
        pending.Role.Should().Be(UserRole.Administrator);
        pending.ContractId.Should().Be(TestHost.ContractId);
        pending.PasswordResetTokens.Should().ContainSingle().Which.TokenHash.Should().NotContain(message.Token, "only the token's hash is stored");
        (await host.Get<ISignInService>().PasswordSignInAsync(NewEmail, NewPassword)).Succeeded.Should().BeFalse();

        var accepted = await Service(host).AcceptInvitationAsync(message.Token, NewPassword, NewPassword);
        accepted.Succeeded.Should().BeTrue(accepted.ToString());
        (await host.Get<ISignInService>().PasswordSignInAsync(NewEmail, NewPassword)).Succeeded.Should().BeTrue();
        host.Events.OfType(SecurityEventType.UserInvited).Should().ContainSingle(e => e.Outcome == "invited");
        host.Events.OfType(SecurityEventType.InvitationAccepted).Should().ContainSingle();
    }

    [Test]
    public async Task APlainUserMayNotInvite_NorMayAnyoneInviteAnOwner()
    {
        await using var host = await CreateAsync();
        (await Service(host).InviteUserAsync(TestHost.UserId, new NewInvitation { Email = NewEmail })).ErrorCode.Should().Be(SecurityErrorCodes.NotAuthorized);
        (await Service(host).InviteUserAsync(TestHost.OwnerId, new NewInvitation { Email = NewEmail, Role = UserRole.ContractOwner })).ErrorCode.Should().Be(SecurityErrorCodes.NotAuthorized);
        (await Service(host).InviteUserAsync("nobody", new NewInvitation { Email = NewEmail })).ErrorCode.Should().Be(SecurityErrorCodes.NotAuthorized);
        await WaitAsync(host);
        Sender(host).Invitations.Should().BeEmpty();
        (await host.Users.FindByEmailAsync(NewEmail, default)).Should().BeNull();
    }

    [Test]
    public async Task AnAddressOfAnotherContract_IsAnsweredLikeAFreshOne_GetsANotice_AndNothingIsCreated()
    {
        await using var host = await CreateAsync();
        (await host.Provisioning.CreateContractAsync(new NewContract { ContractId = "contract-b", ContractName = "B", OwnerUserId = "owner-b", OwnerEmail = "boris@b.example", OwnerPassword = TestHost.InitialPassword })).Succeeded.Should().BeTrue();

        var other = await Service(host).InviteUserAsync(TestHost.AdminId, new NewInvitation { Email = "BORIS@b.example" });
        var fresh = await Service(host).InviteUserAsync(TestHost.AdminId, new NewInvitation { Email = NewEmail });
        other.Should().BeEquivalentTo(fresh, "the administrator must not learn that the address has an account elsewhere");
        await WaitAsync(host);

        Sender(host).Notices.Should().ContainSingle().Which.Email.Should().Be("boris@b.example");
        Sender(host).Invitations.Should().ContainSingle().Which.Email.Should().Be(NewEmail);
        (await host.Users.FindByIdAsync("owner-b", default))!.ContractId.Should().Be("contract-b");
        (await host.Users.ListByContractAsync(TestHost.ContractId, default)).Should().HaveCount(4, "owner, admin, user and the one fresh invitee");
    }

    [Test]
    public async Task AnAddressOfTheAdminsOwnContract_IsADuplicate()
    {
        await using var host = await CreateAsync();
        (await Service(host).InviteUserAsync(TestHost.AdminId, new NewInvitation { Email = TestHost.UserEmail })).ErrorCode.Should().Be(SecurityErrorCodes.Duplicate);
    }

    [Test]
    public async Task AcceptingWithAWeakPassword_ReportsEveryViolation_AndTheTokenStaysUsable()
    {
        await using var host = await CreateAsync();
        var token = await InviteAsync(host);

        var weak = await Service(host).AcceptInvitationAsync(token, "short", "shorter");
        weak.Succeeded.Should().BeFalse();
        weak.Errors.Select(e => e.Code).Should().Contain([SecurityErrorCodes.PasswordMismatch, SecurityErrorCodes.PasswordTooShort]);

        (await Service(host).AcceptInvitationAsync(token, NewPassword, NewPassword)).Succeeded.Should().BeTrue();
    }

    [Test]
    public async Task ATokenWorksOnce_AndNotAfterItExpired()
    {
        await using var host = await CreateAsync();
        var token = await InviteAsync(host);
        (await Service(host).AcceptInvitationAsync(token, NewPassword, NewPassword)).Succeeded.Should().BeTrue();
        (await Service(host).AcceptInvitationAsync(token, NewPassword, NewPassword)).ErrorCode.Should().Be(SecurityErrorCodes.InvitationInvalid);

        var second = await InviteAsync(host, "otto.other@example.com");
        host.Time.Advance(TimeSpan.FromHours(73));
        (await Service(host).AcceptInvitationAsync(second, NewPassword, NewPassword)).ErrorCode.Should().Be(SecurityErrorCodes.InvitationInvalid);
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase(".")]
    [TestCase("bm9ib2R5.abc")]
    [TestCase("%%%.%%%")]
    [TestCase("\uD800.\0")]
    public async Task AHostileOrUnknownToken_IsInvalid_NeverAnException(string? token)
    {
        await using var host = await CreateAsync();
        (await Service(host).AcceptInvitationAsync(token, NewPassword, NewPassword)).ErrorCode.Should().Be(SecurityErrorCodes.InvitationInvalid);
        (await Service(host).AcceptInvitationAsync(new string('a', 5000) + "." + token, NewPassword, NewPassword)).ErrorCode.Should().Be(SecurityErrorCodes.InvitationInvalid);
    }

    [Test]
    public async Task RegistrationIsOffByDefault()
    {
        await using var host = await CreateAsync();
        (await Service(host).RegisterAsync(new NewRegistration { Email = NewEmail })).ErrorCode.Should().Be(SecurityErrorCodes.RegistrationDisabled);
        await WaitAsync(host);
        Sender(host).Invitations.Should().BeEmpty();
    }

    [Test]
    public async Task RegistrationWhenOn_CreatesAContractWithItsOwnerAfterAcceptance_AndAnExistingAddressGetsANotice()
    {
        await using var host = await CreateAsync(o => o.Registration.Enabled = true);
        var fresh = await Service(host).RegisterAsync(new NewRegistration { Email = NewEmail, ContractName = "Nina's shop" });
        var existing = await Service(host).RegisterAsync(new NewRegistration { Email = TestHost.UserEmail });
        fresh.Should().BeEquivalentTo(existing);
        fresh.Succeeded.Should().BeTrue();
        await WaitAsync(host);

        Sender(host).Notices.Should().ContainSingle().Which.Email.Should().Be(TestHost.UserEmail);
        var message = Sender(host).Invitations.Should().ContainSingle().Subject;
        message.Kind.Should().Be(AccountInvitationKind.Registration);
        (await Service(host).AcceptInvitationAsync(message.Token, NewPassword, NewPassword)).Succeeded.Should().BeTrue();

        var owner = await host.Users.FindByEmailAsync(NewEmail, default);
        owner!.IsActive.Should().BeTrue();
        owner.Role.Should().Be(UserRole.ContractOwner);
        var contract = await host.Contracts.FindByIdAsync(owner.ContractId, default);
        contract!.OwnerUserId.Should().Be(owner.Id);
        contract.Name.Should().Be("Nina's shop");
        (await host.Get<ISignInService>().PasswordSignInAsync(NewEmail, NewPassword)).Succeeded.Should().BeTrue();
    }

    [Test]
    public async Task APendingRegistration_DoesNotLockTheAddressOut_TheMailboxGetsAFreshToken()
    {
        await using var host = await CreateAsync(o => o.Registration.Enabled = true);
        await Service(host).RegisterAsync(new NewRegistration { Email = NewEmail });
        await WaitAsync(host);
        host.Time.Advance(TimeSpan.FromDays(4));
        await Service(host).RegisterAsync(new NewRegistration { Email = NewEmail });
        await WaitAsync(host);

        Sender(host).Notices.Should().BeEmpty();
        Sender(host).Invitations.Should().HaveCount(2);
        (await Service(host).AcceptInvitationAsync(Sender(host).Invitations[^1].Token, NewPassword, NewPassword)).Succeeded.Should().BeTrue();
    }

    [Test]
    public async Task NoTokenOrPassword_InLogsEventsOrToString()
    {
        await using var host = await CreateAsync();
        var token = await InviteAsync(host);
        await Service(host).AcceptInvitationAsync(token, "short", "short");
        await Service(host).AcceptInvitationAsync(token, NewPassword, NewPassword);
        var message = Sender(host).Invitations[0];

        var secret = token[(token.IndexOf('.', StringComparison.Ordinal) + 1)..];
        string[] texts = [.. host.Logs.AllText(), .. host.Events.AllText(), message.ToString(), new NewUser { UserId = "u", Email = NewEmail, Role = UserRole.User, InitialPassword = NewPassword }.ToString(),
            new NewContract { ContractId = "c", ContractName = "n", OwnerUserId = "o", OwnerEmail = NewEmail, OwnerPassword = NewPassword }.ToString()];
        texts.Should().NotContain(t => t.Contains(secret, StringComparison.Ordinal) || t.Contains(NewPassword, StringComparison.Ordinal) || t.Contains("short", StringComparison.Ordinal));
    }

    private static async Task<string> InviteAsync(TestHost host, string email = NewEmail)
    {
        (await Service(host).InviteUserAsync(TestHost.OwnerId, new NewInvitation { Email = email })).Succeeded.Should().BeTrue();
        await WaitAsync(host);
        return Sender(host).Invitations.Single(m => m.Email == email).Token;
    }

    private static async Task<TestHost> CreateAsync(Action<AccountSecurityOptions>? configure = null)
    {
        var host = TestHost.Create(configure);
        await host.SeedContractAsync();
        return host;
    }

    private static IAccountInvitationService Service(TestHost host) => host.Get<IAccountInvitationService>();

    private static CapturingInvitationSender Sender(TestHost host) => (CapturingInvitationSender)host.Get<IAccountInvitationSender>();

    private static Task WaitAsync(TestHost host) => host.Get<AccountInvitationService>().WhenBackgroundWorkIdleAsync();
}
