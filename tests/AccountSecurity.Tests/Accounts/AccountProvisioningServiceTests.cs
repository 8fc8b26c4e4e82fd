using AccountSecurity.Accounts;
using AccountSecurity.Events;
using AccountSecurity.Passwords.Hashing;
using AccountSecurity.Passwords.Policy;
using AccountSecurity.Results;
using AccountSecurity.Testing;
using static AccountSecurity.Tests.TestSupport.TestHost;

namespace AccountSecurity.Tests.Accounts;

public sealed class AccountProvisioningServiceTests
{
    [Test]
    public async Task CreateContract_Valid_CreatesContractAndOwnerWithHashedPassword()
    {
        await using var host = Create();

        var result = await host.Provisioning.CreateContractAsync(new NewContract { ContractId = ContractId, ContractName = "Contract One", OwnerUserId = OwnerId, OwnerEmail = OwnerEmail, OwnerPassword = InitialPassword });

        result.Succeeded.Should().BeTrue(result.ToString());
        result.Value.Role.Should().Be(UserRole.ContractOwner);
        result.Value.Id.Should().Be(OwnerId);
        var contract = await host.Contracts.FindByIdAsync(ContractId, CancellationToken.None);
        contract!.OwnerUserId.Should().Be(OwnerId);
        contract.PasswordPolicy.Should().BeNull();
        var owner = await host.UserAsync(OwnerId);
        owner.PasswordHash.Should().StartWith(BcryptPasswordHasher.CurrentSchemeMarker).And.NotContain(InitialPassword);
        owner.PasswordChangedAt.Should().Be(Start);
        owner.SecurityStamp.Should().NotBeNullOrEmpty();
        host.Hasher.Verify(owner.PasswordHash, InitialPassword).Should().Be(PasswordVerificationResult.Success);
        host.Events.OfType(SecurityEventType.UserCreated).Should().ContainSingle().Which.UserId.Should().Be(OwnerId);
    }

    [Test]
    public async Task CreateContract_WeakOwnerPassword_ReturnsEveryViolationAndCreatesNothing()
    {
        await using var host = Create();

        var result = await host.Provisioning.CreateContractAsync(new NewContract { ContractId = ContractId, ContractName = "Contract One", OwnerUserId = OwnerId, OwnerEmail = OwnerEmail, OwnerPassword = "password" });

        result.Errors.Select(e => e.Code).Should().BeEquivalentTo(SecurityErrorCodes.PasswordTooShort, SecurityErrorCodes.PasswordCommon);
        (await host.Contracts.FindByIdAsync(ContractId, CancellationToken.None)).Should().BeNull();
        (await host.Users.FindByIdAsync(OwnerId, CancellationToken.None)).Should().BeNull();
    }

    [TestCase("", "Name", OwnerId, OwnerEmail)]
    [TestCase(ContractId, " ", OwnerId, OwnerEmail)]
    [TestCase(ContractId, "Name", "", OwnerEmail)]
    [TestCase(ContractId, "Name", "bad\u0001id", OwnerEmail)]
    [TestCase(ContractId, "Name", OwnerId, "not-an-email")]
    [TestCase(ContractId, "Name", OwnerId, null)]
    public async Task CreateContract_InvalidInput_FailsWithInvalidInput(string contractId, string name, string ownerId, string? email)
    {
        await using var host = Create();

        var result = await host.Provisioning.CreateContractAsync(new NewContract { ContractId = contractId, ContractName = name, OwnerUserId = ownerId, OwnerEmail = email, OwnerPassword = InitialPassword });

        result.Errors.Select(e => e.Code).Should().Equal(SecurityErrorCodes.InvalidInput);
    }

    [Test]
    public async Task CreateContract_ExistingContractId_FailsWithDuplicate()
    {
        await using var host = Create();
        await host.SeedContractAsync();

        var result = await host.Provisioning.CreateContractAsync(new NewContract { ContractId = ContractId, ContractName = "Again", OwnerUserId = "owner-2", OwnerEmail = "second.owner@example.com", OwnerPassword = InitialPassword });

        result.Errors.Select(e => e.Code).Should().Equal(SecurityErrorCodes.Duplicate);
        (await host.Users.FindByIdAsync("owner-2", CancellationToken.None)).Should().BeNull();
    }

    [Test]
    public async Task CreateContract_OwnerEmailAlreadyTaken_FailsWithDuplicateAndLeavesNoContractBehind()
    {
        await using var host = Create();
        await host.SeedContractAsync();

        var result = await host.Provisioning.CreateContractAsync(new NewContract { ContractId = "contract-2", ContractName = "Two", OwnerUserId = "owner-2", OwnerEmail = UserEmail.ToUpperInvariant(), OwnerPassword = InitialPassword });

        result.Errors.Select(e => e.Code).Should().Equal(SecurityErrorCodes.Duplicate);
        (await host.Contracts.FindByIdAsync("contract-2", CancellationToken.None)).Should().BeNull();
        (await host.Provisioning.CreateContractAsync(new NewContract { ContractId = "contract-2", ContractName = "Two", OwnerUserId = "owner-2", OwnerEmail = "second.owner@example.com", OwnerPassword = InitialPassword })).Succeeded.Should().BeTrue();
    }

    [Test]
    public async Task CreateContract_OwnerIdAlreadyTaken_FailsWithDuplicateAndLeavesNoContractBehind()
    {
        await using var host = Create();
        await host.SeedContractAsync();

        var result = await host.Provisioning.CreateContractAsync(new NewContract { ContractId = "contract-2", ContractName = "Two", OwnerUserId = UserId, OwnerEmail = "second.owner@example.com", OwnerPassword = InitialPassword });

        result.Errors.Select(e => e.Code).Should().Equal(SecurityErrorCodes.Duplicate);
        (await host.Contracts.FindByIdAsync("contract-2", CancellationToken.None)).Should().BeNull();
    }

    [TestCase(OwnerId, UserRole.User)]
    [TestCase(OwnerId, UserRole.Administrator)]
    [TestCase(AdminId, UserRole.User)]
    [TestCase(AdminId, UserRole.Administrator)]
    public async Task CreateUser_ByOwnerOrAdministrator_CreatesUserInActorsContract(string actor, UserRole role)
    {
        await using var host = Create();
        await host.SeedContractAsync();

        var result = await host.Provisioning.CreateUserAsync(actor, new NewUser { UserId = "new-user", Email = "new.person@example.com", Role = role, InitialPassword = SecondPassword });

        result.Succeeded.Should().BeTrue(result.ToString());
        var stored = await host.UserAsync("new-user");
        stored.ContractId.Should().Be(ContractId);
        stored.Role.Should().Be(role);
        host.Events.OfType(SecurityEventType.UserCreated).Last().ActorId.Should().Be(actor);
    }

    [Test]
    public async Task CreateUser_ByPlainUser_FailsWithNotAuthorized()
    {
        await using var host = Create();
        await host.SeedContractAsync();

        var result = await host.Provisioning.CreateUserAsync(UserId, new NewUser { UserId = "new-user", Email = "new.person@example.com", Role = UserRole.User, InitialPassword = SecondPassword });

        result.Errors.Select(e => e.Code).Should().Equal(SecurityErrorCodes.NotAuthorized);
        (await host.Users.FindByIdAsync("new-user", CancellationToken.None)).Should().BeNull();
        host.Events.OfType(SecurityEventType.AuthorizationRefused).Should().ContainSingle();
    }

    [Test]
    public async Task CreateUser_ByUnknownOrInactiveActor_FailsWithNotAuthorized()
    {
        await using var host = Create();
        await host.SeedContractAsync();
        await host.ModifyUserAsync(AdminId, u => u with { IsActive = false });

        (await host.Provisioning.CreateUserAsync("nobody", new NewUser { UserId = "new-user", Email = "new.person@example.com", Role = UserRole.User, InitialPassword = SecondPassword })).Errors.Select(e => e.Code).Should().Equal(SecurityErrorCodes.NotAuthorized);
        (await host.Provisioning.CreateUserAsync(AdminId, new NewUser { UserId = "new-user", Email = "new.person@example.com", Role = UserRole.User, InitialPassword = SecondPassword })).Errors.Select(e => e.Code).Should().Equal(SecurityErrorCodes.NotAuthorized);
    }

    [TestCase(OwnerId)]
    [TestCase(AdminId)]
    public async Task CreateUser_SecondContractOwner_IsRefused(string actor)
    {
        await using var host = Create();
        await host.SeedContractAsync();

        var result = await host.Provisioning.CreateUserAsync(actor, new NewUser { UserId = "new-owner", Email = "new.owner@example.com", Role = UserRole.ContractOwner, InitialPassword = SecondPassword });

        result.Errors.Select(e => e.Code).Should().Equal(SecurityErrorCodes.NotAuthorized);
        (await host.Users.FindByIdAsync("new-owner", CancellationToken.None)).Should().BeNull();
    }

    [Test]
    public async Task CreateUser_UndefinedRole_IsRefused()
    {
        await using var host = Create();
        await host.SeedContractAsync();

        (await host.Provisioning.CreateUserAsync(OwnerId, new NewUser { UserId = "new-user", Email = "new.person@example.com", Role = (UserRole)42, InitialPassword = SecondPassword })).Errors.Select(e => e.Code).Should().Equal(SecurityErrorCodes.NotAuthorized);
    }

    [Test]
    public async Task CreateUser_DuplicateEmailInAnotherCase_FailsWithDuplicate()
    {
        await using var host = Create();
        await host.SeedContractAsync();

        var result = await host.Provisioning.CreateUserAsync(OwnerId, new NewUser { UserId = "new-user", Email = "  URSULA.User@EXAMPLE.com ", Role = UserRole.User, InitialPassword = SecondPassword });

        result.Errors.Select(e => e.Code).Should().Equal(SecurityErrorCodes.Duplicate);
        (await host.Users.FindByIdAsync("new-user", CancellationToken.None)).Should().BeNull();
    }

    [Test]
    public async Task CreateUser_DuplicateId_FailsWithDuplicate()
    {
        await using var host = Create();
        await host.SeedContractAsync();

        (await host.Provisioning.CreateUserAsync(OwnerId, new NewUser { UserId = UserId, Email = "other.person@example.com", Role = UserRole.User, InitialPassword = SecondPassword })).Errors.Select(e => e.Code).Should().Equal(SecurityErrorCodes.Duplicate);
    }

    [Test]
    public async Task CreateUser_InitialPassword_IsCheckedUnderTheContractPolicy()
    {
        await using var host = Create();
        await host.SeedContractAsync();
        (await host.Policies.SetPolicyAsync(await TestSessions.FreshAsync(host.Services, OwnerId), PasswordPolicySettings.Default with { MinimumDigits = 2, MinimumLength = 16 })).Succeeded.Should().BeTrue();

        var refused = await host.Provisioning.CreateUserAsync(OwnerId, new NewUser { UserId = "new-user", Email = "new.person@example.com", Role = UserRole.User, InitialPassword = "Granite!Meadow-8" });

        refused.Errors.Select(e => e.Code).Should().BeEquivalentTo(SecurityErrorCodes.PasswordRequiresDigit);
        (await host.Provisioning.CreateUserAsync(OwnerId, new NewUser { UserId = "new-user", Email = "new.person@example.com", Role = UserRole.User, InitialPassword = "Granite!Meadow-88" })).Succeeded.Should().BeTrue();
    }

    [Test]
    public async Task CreateUser_PasswordContainingEmail_IsRefused()
    {
        await using var host = Create();
        await host.SeedContractAsync();

        var result = await host.Provisioning.CreateUserAsync(OwnerId, new NewUser { UserId = "new-user", Email = "new.person@example.com", Role = UserRole.User, InitialPassword = "new.person-Quartz-77" });

        result.Errors.Select(e => e.Code).Should().Equal(SecurityErrorCodes.PasswordContainsEmail);
    }

    [Test]
    public async Task CreateUser_UnusablePassword_FailsWithoutThrowing()
    {
        await using var host = Create();
        await host.SeedContractAsync();

        (await host.Provisioning.CreateUserAsync(OwnerId, new NewUser { UserId = "new-user", Email = "new.person@example.com", Role = UserRole.User, InitialPassword = null })).Errors.Select(e => e.Code).Should().Equal(SecurityErrorCodes.PasswordRequired);
        (await host.Provisioning.CreateUserAsync(OwnerId, new NewUser { UserId = "new-user", Email = "new.person@example.com", Role = UserRole.User, InitialPassword = "abc\0defghijklmn" })).Errors.Select(e => e.Code).Should().Equal(SecurityErrorCodes.PasswordInvalidCharacters);
    }
}
