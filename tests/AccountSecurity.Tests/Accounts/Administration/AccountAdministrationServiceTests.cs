using AccountSecurity.Accounts;
using AccountSecurity.Accounts.Administration;
using AccountSecurity.Events;
using AccountSecurity.Lockout;
using AccountSecurity.Passwords.Policy;
using AccountSecurity.Results;
using AccountSecurity.SignIn;
using AccountSecurity.Testing;
using AccountSecurity.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using static AccountSecurity.Tests.TestSupport.TestHost;

namespace AccountSecurity.Tests.Accounts.Administration;

public sealed class AccountAdministrationServiceTests
{
    private const string User2Id = "user-2";
    private const string Admin2Id = "admin-2";
    private const string OtherOwnerId = "owner-2";
    private const string OtherUserId = "other-user";

    // ---- reading -------------------------------------------------------------------------------------------------

    [Test]
    public async Task GetUser_PlainUserReadingThemselves_ReturnsTheirSummary()
    {
        await using var host = await SeededAsync();

        var result = await Admin(host).GetUserAsync(UserId, UserId);

        result.Value.Should().BeEquivalentTo(new { Id = UserId, Email = UserEmail, Role = UserRole.User, IsActive = true });
    }

    [Test]
    public async Task GetUser_PlainUserReadingSomeoneElse_IsNotAuthorized()
    {
        await using var host = await SeededAsync();

        (await Admin(host).GetUserAsync(UserId, AdminId)).HasError(SecurityErrorCodes.NotAuthorized).Should().BeTrue();
    }

    [Test]
    public async Task GetUser_AdministratorReadingUserOfAnotherContract_IsNotFoundLikeAnUnknownId()
    {
        await using var host = await SeededAsync();

        (await Admin(host).GetUserAsync(AdminId, OtherUserId)).HasError(SecurityErrorCodes.NotFound).Should().BeTrue();
        (await Admin(host).GetUserAsync(AdminId, "no-such-user")).HasError(SecurityErrorCodes.NotFound).Should().BeTrue();
        (await Admin(host).GetUserAsync(AdminId, UserId)).Value.Id.Should().Be(UserId);
    }

    [Test]
    public async Task GetContractName_AnyActiveUser_ReadsTheirOwnContractsName()
    {
        await using var host = await SeededAsync();

        (await Admin(host).GetContractNameAsync(UserId)).Value.Should().Be("Contract One");
        (await Admin(host).GetContractNameAsync(OwnerId)).Value.Should().Be("Contract One");
        (await Admin(host).GetContractNameAsync(OtherUserId)).Value.Should().Be("Contract Two");
    }

    [Test]
    public async Task GetContractName_UnknownOrDeactivatedUser_IsNotAuthorized()
    {
        await using var host = await SeededAsync();
        (await Admin(host).DeactivateAsync(await TestSessions.FreshAsync(host.Services, OwnerId), UserId)).Succeeded.Should().BeTrue();

        (await Admin(host).GetContractNameAsync(UserId)).HasError(SecurityErrorCodes.NotAuthorized).Should().BeTrue();
        (await Admin(host).GetContractNameAsync("no-such-user")).HasError(SecurityErrorCodes.NotAuthorized).Should().BeTrue();
        (await Admin(host).GetContractNameAsync("' OR 1=1 --")).HasError(SecurityErrorCodes.NotAuthorized).Should().BeTrue();
    }

    [Test]
    public async Task ListUsers_Administrator_ListsOnlyTheirContractOrderedByEmail()
    {
        await using var host = await SeededAsync();

        var result = await Admin(host).ListUsersAsync(AdminId);

        result.Value.Select(u => u.Id).Should().Equal(Admin2Id, AdminId, OwnerId, UserId, User2Id); // abby, adam, olivia, ursula, zack
    }

    [TestCase(UserId)]
    [TestCase("no-such-user")]
    public async Task ListUsers_PlainOrUnknownActor_IsNotAuthorized(string actor)
    {
        await using var host = await SeededAsync();

        (await Admin(host).ListUsersAsync(actor)).HasError(SecurityErrorCodes.NotAuthorized).Should().BeTrue();
    }

    [Test]
    public async Task ListUsers_DeactivatedAdministrator_IsNotAuthorized()
    {
        await using var host = await SeededAsync();
        (await Admin(host).DeactivateAsync(await TestSessions.FreshAsync(host.Services, OwnerId), AdminId)).Succeeded.Should().BeTrue();

        (await Admin(host).ListUsersAsync(AdminId)).HasError(SecurityErrorCodes.NotAuthorized).Should().BeTrue();
    }

    // ---- the peer rule --------------------------------------------------------------------------------------------

    /// <summary>Lowering another's access: the owner for anyone but themselves, an administrator for plain users only, nobody across contracts.</summary>
    private static IEnumerable<TestCaseData> PeerCases()
    {
        yield return new TestCaseData(OwnerId, AdminId, true).SetArgDisplayNames("owner → administrator");
        yield return new TestCaseData(OwnerId, UserId, true).SetArgDisplayNames("owner → user");
        yield return new TestCaseData(AdminId, UserId, true).SetArgDisplayNames("administrator → user");
        yield return new TestCaseData(AdminId, Admin2Id, false).SetArgDisplayNames("administrator → administrator");
        yield return new TestCaseData(AdminId, OwnerId, false).SetArgDisplayNames("administrator → owner");
        yield return new TestCaseData(UserId, User2Id, false).SetArgDisplayNames("user → user");
        yield return new TestCaseData(OwnerId, OwnerId, false).SetArgDisplayNames("owner → themselves");
        yield return new TestCaseData(AdminId, AdminId, false).SetArgDisplayNames("administrator → themselves");
        yield return new TestCaseData(OtherOwnerId, UserId, false).SetArgDisplayNames("other contract's owner → user");
        yield return new TestCaseData("no-such-user", UserId, false).SetArgDisplayNames("unknown actor → user");
        yield return new TestCaseData(OwnerId, "no-such-user", false).SetArgDisplayNames("owner → unknown id");
    }

    [TestCaseSource(nameof(PeerCases))]
    public async Task Deactivate_FollowsThePeerRule(string actor, string target, bool allowed)
    {
        await using var host = await SeededAsync();

        var result = await Admin(host).DeactivateAsync(await TestSessions.FreshAsync(host.Services, actor), target);

        result.Succeeded.Should().Be(allowed, result.ToString());
        if (!allowed)
        {
            result.HasError(SecurityErrorCodes.NotAuthorized).Should().BeTrue();
            host.Events.OfType(SecurityEventType.AuthorizationRefused).Should().ContainSingle().Which.Outcome.Should().Be("deactivate_user");
            host.Events.OfType(SecurityEventType.UserDeactivated).Should().BeEmpty();
            if (target != "no-such-user")
            {
                (await host.UserAsync(target)).IsActive.Should().BeTrue();
            }
        }
    }

    /// <summary>The peer cases on another person (changing one's own address is the self-service path, tested on its own).</summary>
    private static IEnumerable<TestCaseData> PeerCasesOnAnother() => PeerCases().Where(c => !Equals(c.Arguments[0], c.Arguments[1]));

    [TestCaseSource(nameof(PeerCasesOnAnother))]
    public async Task ChangeEmailOfAnother_FollowsThePeerRule(string actor, string target, bool allowed)
    {
        await using var host = await SeededAsync();

        var result = await Admin(host).ChangeEmailAsync(await TestSessions.FreshAsync(host.Services, actor), target, "fresh.address@example.com", currentPassword: null);

        result.Succeeded.Should().Be(allowed, result.ToString());
        if (!allowed)
        {
            result.HasError(SecurityErrorCodes.NotAuthorized).Should().BeTrue();
            (await host.Users.FindByEmailAsync("fresh.address@example.com", CancellationToken.None)).Should().BeNull();
        }
    }

    // ---- deactivation ---------------------------------------------------------------------------------------------

    [Test]
    public async Task Deactivate_ByAdministrator_EndsEverySessionBlocksSignInAndIsAudited()
    {
        await using var host = await SeededAsync();
        var signIn = host.Get<ISignInService>();
        var session = (await signIn.PasswordSignInAsync(UserEmail, InitialPassword)).Session!;

        var result = await Admin(host).DeactivateAsync(await TestSessions.FreshAsync(host.Services, AdminId), UserId);

        result.Value.IsActive.Should().BeFalse();
        (await signIn.ValidateSessionAsync(session)).Should().BeFalse("deactivation changes the security stamp");
        (await signIn.PasswordSignInAsync(UserEmail, InitialPassword)).Succeeded.Should().BeFalse();
        host.Events.OfType(SecurityEventType.UserDeactivated).Should().ContainSingle()
            .Which.Should().BeEquivalentTo(new { UserId, ActorId = AdminId, ContractId });
    }

    [Test]
    public async Task Reactivate_AfterDeactivation_LetsTheUserSignInAgain()
    {
        await using var host = await SeededAsync();
        await Admin(host).DeactivateAsync(await TestSessions.FreshAsync(host.Services, OwnerId), UserId);

        var result = await Admin(host).ReactivateAsync(await TestSessions.FreshAsync(host.Services, OwnerId), UserId);

        result.Value.IsActive.Should().BeTrue();
        (await host.Get<ISignInService>().PasswordSignInAsync(UserEmail, InitialPassword)).Succeeded.Should().BeTrue();
        host.Events.OfType(SecurityEventType.UserReactivated).Should().ContainSingle().Which.ActorId.Should().Be(OwnerId);
    }

    [Test]
    public async Task Deactivate_AlreadyDeactivated_SucceedsWithoutWriteOrEvent()
    {
        await using var host = await SeededAsync();
        await Admin(host).DeactivateAsync(await TestSessions.FreshAsync(host.Services, OwnerId), UserId);
        var before = await host.UserAsync(UserId);

        var again = await Admin(host).DeactivateAsync(await TestSessions.FreshAsync(host.Services, OwnerId), UserId);

        again.Succeeded.Should().BeTrue();
        (await host.UserAsync(UserId)).Version.Should().Be(before.Version);
        host.Events.OfType(SecurityEventType.UserDeactivated).Should().ContainSingle();
    }

    // ---- e-mail ---------------------------------------------------------------------------------------------------

    [Test]
    public async Task ChangeOwnEmail_WithCurrentPassword_ChangesAddressEndsSessionsKillsResetTokensAndReturnsCallerStamp()
    {
        await using var host = await SeededAsync();
        var signIn = host.Get<ISignInService>();
        var session = (await signIn.PasswordSignInAsync(UserEmail, InitialPassword)).Session!;
        await host.Reset.RequestResetAsync(UserEmail);
        await host.WaitForResetWorkAsync();
        (await host.UserAsync(UserId)).PasswordResetTokens.Should().NotBeEmpty();

        var result = await Admin(host).ChangeEmailAsync(TestSessions.Of(UserId), UserId, "  ursula.new@example.com ", InitialPassword);

        result.Value.User.Email.Should().Be("ursula.new@example.com");
        var stored = await host.UserAsync(UserId);
        stored.Email.Should().Be("ursula.new@example.com");
        stored.PasswordResetTokens.Should().BeEmpty("reset links went to the old address");
        result.Value.CallerSecurityStamp.Should().Be(stored.SecurityStamp);
        result.Value.ToString().Should().NotContain(stored.SecurityStamp);
        (await signIn.ValidateSessionAsync(session)).Should().BeFalse();
        (await signIn.PasswordSignInAsync("ursula.new@example.com", InitialPassword)).Succeeded.Should().BeTrue();
        (await signIn.PasswordSignInAsync(UserEmail, InitialPassword)).Succeeded.Should().BeFalse();
        host.Events.OfType(SecurityEventType.EmailChanged).Should().ContainSingle().Which.ActorId.Should().Be(UserId);
    }

    [Test]
    public async Task ChangeOwnEmail_WrongPassword_IsCountedUnderThePasswordLockoutAndKeepsTheAddress()
    {
        await using var host = await SeededAsync();

        var result = await Admin(host).ChangeEmailAsync(TestSessions.Of(UserId), UserId, "ursula.new@example.com", "not-the-password");

        result.HasError(SecurityErrorCodes.PasswordWrongCurrent).Should().BeTrue();
        var stored = await host.UserAsync(UserId);
        stored.Email.Should().Be(UserEmail);
        stored.Lockouts[AuthenticationFactor.Password].FailedCount.Should().Be(1);
        host.Events.OfType(SecurityEventType.EmailChangeFailed).Should().ContainSingle().Which.Outcome.Should().Be(SecurityErrorCodes.PasswordWrongCurrent);
    }

    [Test]
    public async Task ChangeOwnEmail_TakenAddressWithWrongPassword_AnswersWrongPasswordNotDuplicate()
    {
        await using var host = await SeededAsync();

        var result = await Admin(host).ChangeEmailAsync(TestSessions.Of(UserId), UserId, AdminEmail, "not-the-password");

        result.Errors.Select(e => e.Code).Should().Equal(SecurityErrorCodes.PasswordWrongCurrent);
    }

    [Test]
    public async Task ChangeEmail_ByAdministratorForPlainUser_NeedsNoPasswordAndReturnsNoStamp()
    {
        await using var host = await SeededAsync();
        var before = await host.UserAsync(UserId);

        var result = await Admin(host).ChangeEmailAsync(await TestSessions.FreshAsync(host.Services, AdminId), UserId, "ursula.new@example.com", currentPassword: null);

        result.Value.CallerSecurityStamp.Should().BeNull("the stamp of another user is never handed out");
        (await host.UserAsync(UserId)).SecurityStamp.Should().NotBe(before.SecurityStamp);
        host.Events.OfType(SecurityEventType.EmailChanged).Should().ContainSingle().Which.Should().BeEquivalentTo(new { UserId, ActorId = AdminId });
    }

    [TestCase(AdminEmail, SecurityErrorCodes.Duplicate)]
    [TestCase("ADAM.ADMIN@example.com", SecurityErrorCodes.Duplicate)]
    [TestCase("ad\u0430m.admin@example.com", SecurityErrorCodes.EmailConfusable)]
    [TestCase("", SecurityErrorCodes.InvalidInput)]
    [TestCase("no-at-sign", SecurityErrorCodes.InvalidInput)]
    [TestCase("a\u0000b@example.com", SecurityErrorCodes.InvalidInput)]
    [TestCase("a\u202Eb@example.com", SecurityErrorCodes.InvalidInput)]
    [TestCase(null, SecurityErrorCodes.InvalidInput)]
    public async Task ChangeEmail_AddressCreationWouldRefuse_IsRefusedWithTheSameCode(string? email, string code)
    {
        await using var host = await SeededAsync();

        var byOwner = await Admin(host).ChangeEmailAsync(await TestSessions.FreshAsync(host.Services, OwnerId), UserId, email, null);
        var bySelf = await Admin(host).ChangeEmailAsync(TestSessions.Of(UserId), UserId, email, InitialPassword);
        var creation = await host.Provisioning.CreateUserAsync(OwnerId, new NewUser { UserId = "new-user", Email = email, Role = UserRole.User, InitialPassword = InitialPassword });

        byOwner.Errors.Select(e => e.Code).Should().Equal(code);
        bySelf.Errors.Select(e => e.Code).Should().Equal(code);
        creation.HasError(code).Should().BeTrue("the rules are the same as at creation");
        (await host.UserAsync(UserId)).Email.Should().Be(UserEmail);
    }

    [Test]
    public async Task ChangeOwnEmail_OnlyCaseDiffers_IsNotADuplicateOfItself()
    {
        await using var host = await SeededAsync();

        var result = await Admin(host).ChangeEmailAsync(TestSessions.Of(UserId), UserId, UserEmail.ToUpperInvariant(), InitialPassword);

        result.Value.User.Email.Should().Be(UserEmail.ToUpperInvariant());
    }

    // ---- roles and ownership --------------------------------------------------------------------------------------

    [Test]
    public async Task ChangeRole_OwnerPromotesUser_EndsTheirSessionsAndIsAudited()
    {
        await using var host = await SeededAsync();
        var before = await host.UserAsync(UserId);

        var result = await Admin(host).ChangeRoleAsync(await TestSessions.FreshAsync(host.Services, OwnerId), UserId, UserRole.Administrator);

        result.Value.User.Role.Should().Be(UserRole.Administrator);
        result.Value.CallerSecurityStamp.Should().BeNull();
        (await host.UserAsync(UserId)).SecurityStamp.Should().NotBe(before.SecurityStamp);
        host.Events.OfType(SecurityEventType.RoleChanged).Should().ContainSingle().Which.Should().BeEquivalentTo(new { UserId, ActorId = OwnerId, Outcome = "Administrator" });
    }

    [TestCase(AdminId, UserId, UserRole.Administrator)]
    [TestCase(AdminId, AdminId, UserRole.User)]
    [TestCase(OwnerId, OwnerId, UserRole.Administrator)]
    [TestCase(UserId, UserId, UserRole.ContractOwner)]
    [TestCase(OtherOwnerId, UserId, UserRole.Administrator)]
    [TestCase(AdminId, UserId, UserRole.ContractOwner)]
    public async Task ChangeRole_AnyoneButTheOwnerOnAnother_IsNotAuthorized(string actor, string target, UserRole role)
    {
        await using var host = await SeededAsync();
        var before = await host.UserAsync(target);

        var result = await Admin(host).ChangeRoleAsync(await TestSessions.FreshAsync(host.Services, actor), target, role);

        result.HasError(SecurityErrorCodes.NotAuthorized).Should().BeTrue(result.ToString());
        (await host.UserAsync(target)).Role.Should().Be(before.Role);
        (await host.Contracts.FindByIdAsync(ContractId, CancellationToken.None))!.OwnerUserId.Should().Be(OwnerId);
    }

    [Test]
    public async Task TransferOwnership_MakesTargetTheOneOwnerAndTheOldOwnerAnAdministrator()
    {
        await using var host = await SeededAsync();
        var oldOwner = await host.UserAsync(OwnerId);
        var newOwner = await host.UserAsync(AdminId);

        var result = await Admin(host).ChangeRoleAsync(await TestSessions.FreshAsync(host.Services, OwnerId), AdminId, UserRole.ContractOwner);

        result.Value.User.Should().BeEquivalentTo(new { Id = AdminId, Role = UserRole.ContractOwner });
        (await host.Contracts.FindByIdAsync(ContractId, CancellationToken.None))!.OwnerUserId.Should().Be(AdminId);
        (await OwnersByRoleAsync(host)).Should().Equal(AdminId);
        var demoted = await host.UserAsync(OwnerId);
        demoted.Role.Should().Be(UserRole.Administrator);
        demoted.SecurityStamp.Should().NotBe(oldOwner.SecurityStamp);
        result.Value.CallerSecurityStamp.Should().Be(demoted.SecurityStamp, "the old owner re-issues their own session with it");
        (await host.UserAsync(AdminId)).SecurityStamp.Should().NotBe(newOwner.SecurityStamp);

        // What only an owner may do follows the transfer.
        (await host.Policies.SetPolicyAsync(await TestSessions.FreshAsync(host.Services, AdminId), PasswordPolicySettings.Default)).Succeeded.Should().BeTrue();
        (await host.Policies.SetPolicyAsync(await TestSessions.FreshAsync(host.Services, OwnerId), PasswordPolicySettings.Default)).HasError(SecurityErrorCodes.NotAuthorized).Should().BeTrue();
        (await Admin(host).ChangeRoleAsync(await TestSessions.FreshAsync(host.Services, OwnerId), UserId, UserRole.Administrator)).HasError(SecurityErrorCodes.NotAuthorized).Should().BeTrue();
        host.Events.OfType(SecurityEventType.ContractOwnershipTransferred).Should().ContainSingle().Which.Should().BeEquivalentTo(new { UserId = AdminId, ActorId = OwnerId, Outcome = (string?)null });
    }

    [Test]
    public async Task TransferOwnership_ToDeactivatedUser_IsRefusedAndChangesNothing()
    {
        await using var host = await SeededAsync();
        await Admin(host).DeactivateAsync(await TestSessions.FreshAsync(host.Services, OwnerId), UserId);

        var result = await Admin(host).ChangeRoleAsync(await TestSessions.FreshAsync(host.Services, OwnerId), UserId, UserRole.ContractOwner);

        result.HasError(SecurityErrorCodes.UserInactive).Should().BeTrue();
        (await OwnersByRoleAsync(host)).Should().Equal(OwnerId);
        (await host.Contracts.FindByIdAsync(ContractId, CancellationToken.None))!.OwnerUserId.Should().Be(OwnerId);
    }

    [Test]
    public async Task TransferOwnership_WhenTheDemotionCannotLand_AnswersIncompleteNeverTwoOwnersAndARepeatFinishes()
    {
        var failing = new FailingUpdatesUserStore();
        await using var host = await SeededAsync(failing, o => o.Stores.MaxConcurrencyRetries = 2);
        failing.FailUpdatesOf = OwnerId;

        var result = await Admin(host).ChangeRoleAsync(await TestSessions.FreshAsync(host.Services, OwnerId), AdminId, UserRole.ContractOwner);

        result.HasError(SecurityErrorCodes.OwnershipTransferIncomplete).Should().BeTrue(result.ToString());
        (await host.Contracts.FindByIdAsync(ContractId, CancellationToken.None))!.OwnerUserId.Should().Be(AdminId, "the contract record is the commit point");
        (await OwnersByRoleAsync(host)).Should().HaveCountLessThanOrEqualTo(1, "never two owners");
        (await host.Policies.SetPolicyAsync(await TestSessions.FreshAsync(host.Services, OwnerId), PasswordPolicySettings.Default)).HasError(SecurityErrorCodes.NotAuthorized).Should().BeTrue("the record no longer names the old owner");
        (await Admin(host).ChangeRoleAsync(await TestSessions.FreshAsync(host.Services, OwnerId), UserId, UserRole.Administrator)).Succeeded.Should().BeFalse("the old owner lost the owner's rights at the commit point");

        failing.FailUpdatesOf = null;
        var repeated = await Admin(host).ChangeRoleAsync(await TestSessions.FreshAsync(host.Services, OwnerId), AdminId, UserRole.ContractOwner);

        (await OwnersByRoleAsync(host)).Should().Equal(AdminId);
        (await host.UserAsync(OwnerId)).Role.Should().Be(UserRole.Administrator);
        repeated.Succeeded.Should().BeTrue("the repeated request finds the transfer finished");
    }

    [Test]
    public async Task TransferOwnership_TwoConcurrentTransfersToDifferentUsers_ExactlyOneOwnerAfterwards()
    {
        for (var round = 0; round < 20; round++)
        {
            await using var host = await SeededAsync();
            var service = Admin(host);

            var results = await Task.WhenAll(
                Task.Run(async () => await service.ChangeRoleAsync(await TestSessions.FreshAsync(host.Services, OwnerId), AdminId, UserRole.ContractOwner)),
                Task.Run(async () => await service.ChangeRoleAsync(await TestSessions.FreshAsync(host.Services, OwnerId), Admin2Id, UserRole.ContractOwner)));

            results.Count(r => r.Succeeded).Should().Be(1, string.Join(" / ", results.Select(r => r.ToString())));
            var recorded = (await host.Contracts.FindByIdAsync(ContractId, CancellationToken.None))!.OwnerUserId;
            (await OwnersByRoleAsync(host)).Should().Equal(recorded);
            (await host.UserAsync(OwnerId)).Role.Should().Be(UserRole.Administrator);
        }
    }

    [Test]
    public async Task ChangeRole_TargetAlreadyHasTheRole_SucceedsWithoutWriteOrEvent()
    {
        await using var host = await SeededAsync();
        var before = await host.UserAsync(AdminId);

        var result = await Admin(host).ChangeRoleAsync(await TestSessions.FreshAsync(host.Services, OwnerId), AdminId, UserRole.Administrator);

        result.Succeeded.Should().BeTrue();
        (await host.UserAsync(AdminId)).Version.Should().Be(before.Version);
        host.Events.OfType(SecurityEventType.RoleChanged).Should().BeEmpty();
    }

    [Test]
    public async Task ChangeRole_UndefinedRole_IsInvalidInput()
    {
        await using var host = await SeededAsync();

        (await Admin(host).ChangeRoleAsync(await TestSessions.FreshAsync(host.Services, OwnerId), UserId, (UserRole)42)).HasError(SecurityErrorCodes.InvalidInput).Should().BeTrue();
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    private static IAccountAdministrationService Admin(TestHost host) => host.Get<IAccountAdministrationService>();

    private static async Task<List<string>> OwnersByRoleAsync(TestHost host) =>
        [.. (await host.Users.ListByContractAsync(ContractId, CancellationToken.None)).Where(u => u.Role == UserRole.ContractOwner).Select(u => u.Id)];

    /// <summary>The seeded contract plus a second administrator and user, and a second contract with its owner and a user.</summary>
    private static async Task<TestHost> SeededAsync(FailingUpdatesUserStore? store = null, Action<AccountSecurity.DependencyInjection.AccountSecurityOptions>? configure = null)
    {
        var host = TestHost.Create(configure, services: store is null ? null : s => { s.AddSingleton<AccountSecurity.Stores.IUserStore>(store); });
        await host.SeedContractAsync();
        (await host.Provisioning.CreateUserAsync(OwnerId, new NewUser { UserId = Admin2Id, Email = "abby.admin@example.com", Role = UserRole.Administrator, InitialPassword = InitialPassword })).Succeeded.Should().BeTrue();
        (await host.Provisioning.CreateUserAsync(OwnerId, new NewUser { UserId = User2Id, Email = "zack.user@example.com", Role = UserRole.User, InitialPassword = InitialPassword })).Succeeded.Should().BeTrue();
        (await host.Provisioning.CreateContractAsync(new NewContract { ContractId = "contract-2", ContractName = "Contract Two", OwnerUserId = OtherOwnerId, OwnerEmail = "oscar@other.example", OwnerPassword = InitialPassword })).Succeeded.Should().BeTrue();
        (await host.Provisioning.CreateUserAsync(OtherOwnerId, new NewUser { UserId = OtherUserId, Email = "otto@other.example", Role = UserRole.User, InitialPassword = InitialPassword })).Succeeded.Should().BeTrue();
        host.Events.Clear();
        return host;
    }
}
