using AccountSecurity.Accounts;
using AccountSecurity.Events;
using AccountSecurity.Passwords.Policy;
using AccountSecurity.Results;
using AccountSecurity.Testing;
using static AccountSecurity.Tests.TestSupport.TestHost;

namespace AccountSecurity.Tests.Passwords.Policy;

public sealed class PasswordPolicyServiceTests
{
    private static readonly PasswordPolicySettings Strict = PasswordPolicySettings.Default with { MinimumLength = 16, MinimumDigits = 2 };

    [Test]
    public async Task GetEffectivePolicy_ContractWithoutPolicy_ReturnsDefault()
    {
        await using var host = Create();
        await host.SeedContractAsync();

        (await host.Policies.GetEffectivePolicyAsync(ContractId)).Should().Be(PasswordPolicySettings.Default);
        (await host.Policies.GetEffectivePolicyAsync("no-such-contract")).Should().Be(PasswordPolicySettings.Default);
    }

    [Test]
    public async Task GetEffectivePolicy_ConfiguredDefault_IsUsedForContractsWithoutPolicy()
    {
        var configured = PasswordPolicySettings.Default with { MinimumLength = 14 };
        await using var host = Create(o => o.DefaultPasswordPolicy = configured);
        await host.SeedContractAsync();

        (await host.Policies.GetEffectivePolicyAsync(ContractId)).Should().Be(configured);
    }

    [Test]
    public async Task SetPolicy_ByOwner_AppliesToContractAndRaisesEvent()
    {
        await using var host = Create();
        await host.SeedContractAsync();

        var result = await host.Policies.SetPolicyAsync(await TestSessions.FreshAsync(host.Services, OwnerId), Strict);

        result.Succeeded.Should().BeTrue(result.ToString());
        (await host.Policies.GetEffectivePolicyAsync(ContractId)).Should().Be(Strict);
        host.Events.OfType(SecurityEventType.PasswordPolicyChanged).Should().ContainSingle().Which.Outcome.Should().Be("set");
    }

    [Test]
    public async Task SetPolicy_NullByOwner_ClearsBackToDefault()
    {
        await using var host = Create();
        await host.SeedContractAsync();
        await host.Policies.SetPolicyAsync(await TestSessions.FreshAsync(host.Services, OwnerId), Strict);

        (await host.Policies.SetPolicyAsync(await TestSessions.FreshAsync(host.Services, OwnerId), null)).Succeeded.Should().BeTrue();

        (await host.Policies.GetEffectivePolicyAsync(ContractId)).Should().Be(PasswordPolicySettings.Default);
    }

    [TestCase(AdminId)]
    [TestCase(UserId)]
    [TestCase("nobody")]
    public async Task SetPolicy_ByAnyoneButTheOwner_FailsWithNotAuthorized(string actor)
    {
        await using var host = Create();
        await host.SeedContractAsync();

        var set = await host.Policies.SetPolicyAsync(await TestSessions.FreshAsync(host.Services, actor), Strict);
        var clear = await host.Policies.SetPolicyAsync(await TestSessions.FreshAsync(host.Services, actor), null);

        set.Errors.Select(e => e.Code).Should().Equal(SecurityErrorCodes.NotAuthorized);
        clear.Errors.Select(e => e.Code).Should().Equal(SecurityErrorCodes.NotAuthorized);
        (await host.Policies.GetEffectivePolicyAsync(ContractId)).Should().Be(PasswordPolicySettings.Default);
        host.Events.OfType(SecurityEventType.AuthorizationRefused).Should().HaveCount(2);
    }

    [Test]
    public async Task SetPolicy_ByOwnerOfAnotherContract_ChangesOnlyThatContract()
    {
        await using var host = Create();
        await host.SeedContractAsync();
        (await host.Provisioning.CreateContractAsync(new NewContract { ContractId = "contract-2", ContractName = "Two", OwnerUserId = "owner-2", OwnerEmail = "second.owner@example.com", OwnerPassword = InitialPassword })).Succeeded.Should().BeTrue();

        (await host.Policies.SetPolicyAsync(await TestSessions.FreshAsync(host.Services, "owner-2"), Strict)).Succeeded.Should().BeTrue();

        (await host.Policies.GetEffectivePolicyAsync(ContractId)).Should().Be(PasswordPolicySettings.Default);
        (await host.Policies.GetEffectivePolicyAsync("contract-2")).Should().Be(Strict);
    }

    [Test]
    public async Task SetPolicy_ByUserWithOwnerRoleWhoIsNotTheContractsOwner_FailsWithNotAuthorized()
    {
        await using var host = Create();
        await host.SeedContractAsync();
        await host.ModifyUserAsync(AdminId, u => u with { Role = UserRole.ContractOwner });

        (await host.Policies.SetPolicyAsync(await TestSessions.FreshAsync(host.Services, AdminId), Strict)).Errors.Select(e => e.Code).Should().Equal(SecurityErrorCodes.NotAuthorized);
    }

    [Test]
    public async Task SetPolicy_ByDeactivatedOwner_FailsWithNotAuthorized()
    {
        await using var host = Create();
        await host.SeedContractAsync();
        await host.ModifyUserAsync(OwnerId, u => u with { IsActive = false });

        (await host.Policies.SetPolicyAsync(await TestSessions.FreshAsync(host.Services, OwnerId), Strict)).Errors.Select(e => e.Code).Should().Equal(SecurityErrorCodes.NotAuthorized);
    }

    [Test]
    public async Task SetPolicy_InvalidSettings_FailsWithEveryProblemAndKeepsOldPolicy()
    {
        await using var host = Create();
        await host.SeedContractAsync();

        var result = await host.Policies.SetPolicyAsync(await TestSessions.FreshAsync(host.Services, OwnerId), PasswordPolicySettings.Default with { MinimumLength = 6, MaximumLength = 32 });

        result.Errors.Should().HaveCountGreaterThanOrEqualTo(2).And.OnlyContain(e => e.Code == SecurityErrorCodes.PasswordPolicyInvalid);
        (await host.Policies.GetEffectivePolicyAsync(ContractId)).Should().Be(PasswordPolicySettings.Default);
    }

    [Test]
    public async Task SetPolicy_ExistingPasswordThatBreaksNewPolicy_StillWorksAsCurrentPassword()
    {
        await using var host = Create();
        await host.SeedContractAsync();
        (await host.Policies.SetPolicyAsync(await TestSessions.FreshAsync(host.Services, OwnerId), PasswordPolicySettings.Default with { MinimumLength = 24 })).Succeeded.Should().BeTrue();
        InitialPassword.Length.Should().BeLessThan(24);

        var result = await host.Change.ChangePasswordAsync(TestSessions.Of(UserId), InitialPassword, "Granite!Meadow-8841-xxyy", "Granite!Meadow-8841-xxyy");

        result.Succeeded.Should().BeTrue(result.ToString());
    }
}
