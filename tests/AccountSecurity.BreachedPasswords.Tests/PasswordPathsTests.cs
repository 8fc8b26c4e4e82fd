using AccountSecurity.Accounts;
using AccountSecurity.Accounts.Invitations;
using AccountSecurity.BreachedPasswords.Tests.TestSupport;
using AccountSecurity.Passwords.Change;
using AccountSecurity.Passwords.Reset;
using AccountSecurity.Results;
using AccountSecurity.Testing;

namespace AccountSecurity.BreachedPasswords.Tests;

/// <summary>Every path that sets a password refuses a breached one: account creation, invitation, change, reset.</summary>
public sealed class PasswordPathsTests
{
    private const string Breached = BreachTestHost.BreachedPassword;
    private const string Clean = BreachTestHost.CleanPassword;

    private string _folder = null!;
    private BreachTestHost _host = null!;

    [SetUp]
    public async Task CreateAsync()
    {
        _folder = Directory.CreateTempSubdirectory("breach-paths-").FullName;
        await BreachedPasswordMirror.WriteAsync(_folder, [Breached, "correct horse battery staple"]);
        _host = await BreachTestHost.CreateAsync(o =>
        {
            o.MirrorDirectory = _folder;
            o.PartialMirror = true;
        });
    }

    [TearDown]
    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Test]
    public async Task CreatingAUser_WithABreachedPassword_IsRefused()
    {
        var provisioning = _host.Get<IAccountProvisioningService>();

        var refused = await provisioning.CreateUserAsync(BreachTestHost.OwnerId, new NewUser { UserId = "u2", Email = "second@example.com", Role = UserRole.User, InitialPassword = Breached });
        var created = await provisioning.CreateUserAsync(BreachTestHost.OwnerId, new NewUser { UserId = "u3", Email = "third@example.com", Role = UserRole.User, InitialPassword = Clean });

        refused.ErrorCode.Should().Be(SecurityErrorCodes.PasswordBreached);
        created.Succeeded.Should().BeTrue(created.ToString());
    }

    [Test]
    public async Task CreatingAContract_WithABreachedOwnerPassword_IsRefused()
    {
        var result = await _host.Get<IAccountProvisioningService>().CreateContractAsync(new NewContract { ContractId = "c2", ContractName = "Second", OwnerUserId = "o2", OwnerEmail = "o2@example.com", OwnerPassword = Breached });

        result.ErrorCode.Should().Be(SecurityErrorCodes.PasswordBreached);
        (await _host.Get<AccountSecurity.Stores.IContractStore>().FindByIdAsync("c2", CancellationToken.None)).Should().BeNull();
    }

    [Test]
    public async Task AcceptingAnInvitation_WithABreachedPassword_IsRefused_AndTheTokenStillWorks()
    {
        var invitations = _host.Get<IAccountInvitationService>();
        (await invitations.InviteUserAsync(BreachTestHost.OwnerId, new NewInvitation { UserId = "invited", Email = "invited@example.com", Role = UserRole.User })).Succeeded.Should().BeTrue();
        await BreachTestHost.WaitUntilAsync(() => Task.FromResult(_host.Senders.Invitations.Count > 0), "the invitation is sent");
        var token = _host.Senders.Invitations[^1].Token;

        var refused = await invitations.AcceptInvitationAsync(token, Breached, Breached);
        var accepted = await invitations.AcceptInvitationAsync(token, Clean, Clean);

        refused.ErrorCode.Should().Be(SecurityErrorCodes.PasswordBreached);
        accepted.Succeeded.Should().BeTrue(accepted.ToString());
    }

    [Test]
    public async Task ChangingThePassword_ToABreachedOne_IsRefused()
    {
        var change = _host.Get<IPasswordChangeService>();

        var refused = await change.ChangePasswordAsync(TestSessions.Of(BreachTestHost.UserId), BreachTestHost.InitialPassword, Breached, Breached);

        refused.ErrorCode.Should().Be(SecurityErrorCodes.PasswordBreached);
        refused.Errors.Should().ContainSingle().Which.Message.Should().Contain("appeared in a data breach");
        var user = await _host.UserAsync();
        _host.Get<AccountSecurity.Passwords.Hashing.IPasswordHasher>().Verify(user.PasswordHash!, BreachTestHost.InitialPassword).Should().NotBe(AccountSecurity.Passwords.Hashing.PasswordVerificationResult.Failed);
    }

    [Test]
    public async Task ResettingThePassword_ToABreachedOne_IsRefused_AndTheTokenStillWorks()
    {
        var reset = _host.Get<IPasswordResetService>();
        (await reset.RequestResetAsync(BreachTestHost.UserEmail)).Succeeded.Should().BeTrue();
        await BreachTestHost.WaitUntilAsync(() => Task.FromResult(_host.Senders.Resets.Count > 0), "the reset link is sent");
        var token = _host.Senders.Resets[^1].Token;

        var refused = await reset.ResetPasswordAsync(BreachTestHost.UserEmail, token, Breached, Breached);
        var done = await reset.ResetPasswordAsync(BreachTestHost.UserEmail, token, Clean, Clean);

        refused.ErrorCode.Should().Be(SecurityErrorCodes.PasswordBreached);
        done.Succeeded.Should().BeTrue(done.ToString());
    }

    [Test]
    public async Task APasswordTheLocalRulesRefuse_CostsNoLookup()
    {
        var change = _host.Get<IPasswordChangeService>();
        var lookupsBefore = _host.MetricTags.Count(t => t.StartsWith("accountsecurity.breached_passwords.lookups outcome", StringComparison.Ordinal));

        // Too short and mismatched: the local rules answer; "correct horse battery staple" is in the data set but is never looked up.
        var tooShort = await change.ChangePasswordAsync(TestSessions.Of(BreachTestHost.UserId), BreachTestHost.InitialPassword, "short", "short");
        var mismatched = await change.ChangePasswordAsync(TestSessions.Of(BreachTestHost.UserId), BreachTestHost.InitialPassword, "correct horse battery staple", "correct horse battery stapler");

        tooShort.Errors.Select(e => e.Code).Should().NotContain(SecurityErrorCodes.PasswordBreached).And.Contain(SecurityErrorCodes.PasswordTooShort);
        mismatched.Errors.Select(e => e.Code).Should().Equal(SecurityErrorCodes.PasswordMismatch);
        _host.MetricTags.Count(t => t.StartsWith("accountsecurity.breached_passwords.lookups outcome", StringComparison.Ordinal)).Should().Be(lookupsBefore);
    }
}
