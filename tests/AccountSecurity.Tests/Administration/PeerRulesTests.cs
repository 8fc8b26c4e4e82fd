using AccountSecurity.Accounts;
using AccountSecurity.Administration;
using AccountSecurity.Events;
using AccountSecurity.Lockout;
using AccountSecurity.Results;
using AccountSecurity.SupportPin;
using AccountSecurity.Testing;
using AccountSecurity.Tests.SignIn;
using Microsoft.Extensions.DependencyInjection;

namespace AccountSecurity.Tests.Administration;

/// <summary>
/// Who may lower someone else's security (unforce 2FA, reset 2FA, clear a support-PIN lockout): the owner for anyone in
/// the contract, an administrator only for plain users. Raising it (force 2FA) stays open to administrators for anyone
/// but the owner.
/// </summary>
public sealed class PeerRulesTests
{
    private const string Owner = TwoFactorTestHost.OwnerId;
    private const string Pin = "582039";
    private const string WrongPin = "730461";

    private static SecurityPeer Peer(string id, UserRole role, string contract = "c", bool active = true) => new(id, contract, role, active);

    [TestCase(UserRole.ContractOwner, UserRole.ContractOwner, true)]
    [TestCase(UserRole.ContractOwner, UserRole.Administrator, true)]
    [TestCase(UserRole.ContractOwner, UserRole.User, true)]
    [TestCase(UserRole.Administrator, UserRole.ContractOwner, false)]
    [TestCase(UserRole.Administrator, UserRole.Administrator, false)]
    [TestCase(UserRole.Administrator, UserRole.User, true)]
    [TestCase(UserRole.User, UserRole.ContractOwner, false)]
    [TestCase(UserRole.User, UserRole.Administrator, false)]
    [TestCase(UserRole.User, UserRole.User, false)]
    public void CanLowerSecurityOf_OwnerForAnyone_AdministratorOnlyForPlainUsers(UserRole actor, UserRole target, bool expected) =>
        PeerRules.CanLowerSecurityOf(Peer("a", actor), Peer("t", target)).Should().Be(expected);

    [TestCase(UserRole.ContractOwner, UserRole.ContractOwner, true)]
    [TestCase(UserRole.ContractOwner, UserRole.Administrator, true)]
    [TestCase(UserRole.ContractOwner, UserRole.User, true)]
    [TestCase(UserRole.Administrator, UserRole.ContractOwner, false)]
    [TestCase(UserRole.Administrator, UserRole.Administrator, true)]
    [TestCase(UserRole.Administrator, UserRole.User, true)]
    [TestCase(UserRole.User, UserRole.ContractOwner, false)]
    [TestCase(UserRole.User, UserRole.Administrator, false)]
    [TestCase(UserRole.User, UserRole.User, false)]
    public void CanRaiseSecurityOf_AdministratorsForAnyoneButTheOwner(UserRole actor, UserRole target, bool expected) =>
        PeerRules.CanRaiseSecurityOf(Peer("a", actor), Peer("t", target)).Should().Be(expected);

    [Test]
    public void PeerRules_AcrossContracts_ForADeactivatedActor_OrWithoutPeers_AllowNothing()
    {
        var owner = Peer("o", UserRole.ContractOwner);
        var user = Peer("u", UserRole.User);

        PeerRules.CanLowerSecurityOf(owner, user with { ContractId = "other" }).Should().BeFalse();
        PeerRules.CanRaiseSecurityOf(owner, user with { ContractId = "other" }).Should().BeFalse();
        PeerRules.CanLowerSecurityOf(owner with { IsActive = false }, user).Should().BeFalse();
        PeerRules.CanRaiseSecurityOf(owner with { IsActive = false }, user).Should().BeFalse();
        PeerRules.CanLowerSecurityOf(null, user).Should().BeFalse();
        PeerRules.CanRaiseSecurityOf(owner, null).Should().BeFalse();
        PeerRules.CanLowerSecurityOf(default(SecurityPeer), default(SecurityPeer)).Should().BeFalse();
        PeerRules.CanLowerSecurityOf(owner, user with { IsActive = false }).Should().BeTrue("a deactivated target may still be made safe");
    }

    [Test]
    public async Task Unforce_ByAdministratorOnAnotherAdministrator_IsRefusedAndAudited()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("admin", UserRole.Administrator);
        await host.CreateUserAsync("admin2", UserRole.Administrator);
        (await host.Admin.SetForcedAsync(await TestSessions.FreshAsync(host.Services, Owner), "admin2", forced: true)).Succeeded.Should().BeTrue();

        var result = await host.Admin.SetForcedAsync(await TestSessions.FreshAsync(host.Services, "admin"), "admin2", forced: false);

        result.HasError(SecurityErrorCodes.NotAuthorized).Should().BeTrue();
        (await host.GetUserAsync("admin2")).IsTwoFactorForced.Should().BeTrue();
        host.Events.OfType(SecurityEventType.AuthorizationRefused).Should().ContainSingle(
            e => e.ActorId == "admin" && e.UserId == "admin2" && e.Outcome == "unforce_two_factor");
        host.Events.OfType(SecurityEventType.TwoFactorUnforced).Should().BeEmpty();
    }

    [Test]
    public async Task Reset_ByAdministratorOnAnotherAdministrator_IsRefusedAndKeepsTheirFactor()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("admin", UserRole.Administrator);
        await host.CreateUserAsync("admin2", UserRole.Administrator);
        var enrolled = await host.EnableTwoFactorAsync("admin2");
        var before = await host.GetUserAsync("admin2");

        var result = await host.Admin.ResetAsync(await TestSessions.FreshAsync(host.Services, "admin"), "admin2");

        result.HasError(SecurityErrorCodes.NotAuthorized).Should().BeTrue();
        var after = await host.GetUserAsync("admin2");
        after.TwoFactor.IsEnabled.Should().BeTrue();
        after.SecurityStamp.Should().Be(before.SecurityStamp);
        host.Events.OfType(SecurityEventType.AuthorizationRefused).Should().ContainSingle(
            e => e.ActorId == "admin" && e.UserId == "admin2" && e.Outcome == "reset_two_factor");
        host.Events.OfType(SecurityEventType.TwoFactorReset).Should().BeEmpty();
        await host.SignInWithCodeAsync("admin2", enrolled);
    }

    [Test]
    public async Task UnforceAndReset_ByOwnerOnAdministrator_AreAllowed()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("admin", UserRole.Administrator);
        await host.EnableTwoFactorAsync("admin");
        (await host.Admin.SetForcedAsync(await TestSessions.FreshAsync(host.Services, Owner), "admin", forced: true)).Succeeded.Should().BeTrue();

        (await host.Admin.SetForcedAsync(await TestSessions.FreshAsync(host.Services, Owner), "admin", forced: false)).Succeeded.Should().BeTrue();
        (await host.Admin.ResetAsync(await TestSessions.FreshAsync(host.Services, Owner), "admin")).Succeeded.Should().BeTrue();

        var admin = await host.GetUserAsync("admin");
        admin.IsTwoFactorForced.Should().BeFalse();
        admin.TwoFactor.IsEnabled.Should().BeFalse();
        host.Events.OfType(SecurityEventType.TwoFactorReset).Should().ContainSingle(e => e.ActorId == Owner && e.UserId == "admin");
    }

    [Test]
    public async Task UnforceAndReset_ByAdministratorOnPlainUser_AreAllowed()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("admin", UserRole.Administrator);
        await host.CreateUserAsync("alice");
        await host.EnableTwoFactorAsync("alice");
        (await host.Admin.SetForcedAsync(await TestSessions.FreshAsync(host.Services, Owner), "alice", forced: true)).Succeeded.Should().BeTrue();

        (await host.Admin.SetForcedAsync(await TestSessions.FreshAsync(host.Services, "admin"), "alice", forced: false)).Succeeded.Should().BeTrue();
        (await host.Admin.ResetAsync(await TestSessions.FreshAsync(host.Services, "admin"), "alice")).Succeeded.Should().BeTrue();

        var alice = await host.GetUserAsync("alice");
        alice.IsTwoFactorForced.Should().BeFalse();
        alice.TwoFactor.IsEnabled.Should().BeFalse();
        host.Events.OfType(SecurityEventType.AuthorizationRefused).Should().BeEmpty();
    }

    [Test]
    public async Task Force_ByAdministratorOnAnotherAdministrator_StaysAllowed()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("admin", UserRole.Administrator);
        await host.CreateUserAsync("admin2", UserRole.Administrator);

        (await host.Admin.SetForcedAsync(await TestSessions.FreshAsync(host.Services, "admin"), "admin2", forced: true)).Succeeded.Should().BeTrue();

        (await host.GetUserAsync("admin2")).IsTwoFactorForced.Should().BeTrue();
    }

    [Test]
    public async Task DeactivatedOwner_LowersAndRaisesNothing()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("alice");
        await host.EnableTwoFactorAsync("alice");
        (await host.Admin.SetForcedAsync(await TestSessions.FreshAsync(host.Services, Owner), "alice", forced: true)).Succeeded.Should().BeTrue();
        await LockPinAsync(host, "alice");
        await host.UpdateUserAsync(Owner, u => u with { IsActive = false });

        (await host.Admin.SetForcedAsync(await TestSessions.FreshAsync(host.Services, Owner), "alice", forced: false)).HasError(SecurityErrorCodes.NotAuthorized).Should().BeTrue();
        (await host.Admin.ResetAsync(await TestSessions.FreshAsync(host.Services, Owner), "alice")).HasError(SecurityErrorCodes.NotAuthorized).Should().BeTrue();
        (await Pins(host).ClearLockoutAsync(await TestSessions.FreshAsync(host.Services, Owner), "alice")).HasError(SecurityErrorCodes.NotAuthorized).Should().BeTrue();

        var alice = await host.GetUserAsync("alice");
        alice.IsTwoFactorForced.Should().BeTrue();
        alice.TwoFactor.IsEnabled.Should().BeTrue();
        alice.Lockouts[AuthenticationFactor.SupportPin].IsLockedAt(host.Time.GetUtcNow()).Should().BeTrue();
        host.Events.OfType(SecurityEventType.AuthorizationRefused).Should().HaveCount(3);
    }

    [TestCase(Owner, "alice", true)]
    [TestCase(Owner, "admin2", true)]
    [TestCase(Owner, Owner, true)]
    [TestCase("admin", "alice", true)]
    [TestCase("admin", "admin2", false)]
    [TestCase("admin", "admin", false)]
    [TestCase("admin", Owner, false)]
    [TestCase("bob", "alice", false)]
    [TestCase("alice", "alice", false)]
    [TestCase("owner-b", "alice", false)]
    [TestCase("nobody", "alice", false)]
    public async Task ClearPinLockout_FollowsThePeerRule(string actor, string target, bool allowed)
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("admin", UserRole.Administrator);
        await host.CreateUserAsync("admin2", UserRole.Administrator);
        await host.CreateUserAsync("alice");
        await host.CreateUserAsync("bob");
        await host.CreateContractAsync("contract-b", "owner-b", "chief@b.example");
        await LockPinAsync(host, target, target == Owner ? TwoFactorTestHost.OwnerPassword : TwoFactorTestHost.UserPassword);
        host.Events.Clear();

        var result = await Pins(host).ClearLockoutAsync(await TestSessions.FreshAsync(host.Services, actor), target);

        var locked = (await Pins(host).GetStatusAsync(target)).Value.VerificationLockedUntil;
        if (allowed)
        {
            result.Succeeded.Should().BeTrue(result.ToString());
            locked.Should().BeNull();
            host.Events.OfType(SecurityEventType.SupportPinLockoutCleared).Should().ContainSingle(
                e => e.ActorId == actor && e.UserId == target && e.ContractId == TwoFactorTestHost.ContractId);
        }
        else
        {
            result.HasError(SecurityErrorCodes.NotAuthorized).Should().BeTrue(result.ToString());
            locked.Should().NotBeNull();
            host.Events.OfType(SecurityEventType.AuthorizationRefused).Should().ContainSingle(
                e => e.ActorId == actor && e.Outcome == "clear_support_pin_lockout");
            host.Events.OfType(SecurityEventType.SupportPinLockoutCleared).Should().BeEmpty();
        }
    }

    [Test]
    public async Task ClearPinLockout_LetsTheRightPinVerifyAgain_KeepsThePinAndTheLockStreak()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("admin", UserRole.Administrator);
        await host.CreateUserAsync("alice");
        await LockPinAsync(host, "alice");
        var before = await host.GetUserAsync("alice");
        (await Pins(host).VerifyByUserIdAsync("admin", "alice", Pin)).Outcome.Should().Be(SupportPinVerificationOutcome.LockedOut);

        (await Pins(host).ClearLockoutAsync(await TestSessions.FreshAsync(host.Services, "admin"), "alice")).Succeeded.Should().BeTrue();

        var after = await host.GetUserAsync("alice");
        after.SupportPinHash.Should().Be(before.SupportPinHash);
        after.Lockouts[AuthenticationFactor.SupportPin].FailedCount.Should().Be(0);
        after.Lockouts[AuthenticationFactor.SupportPin].LockoutCount.Should().Be(before.Lockouts[AuthenticationFactor.SupportPin].LockoutCount, "a next lock still lasts longer");
        (await Pins(host).VerifyByUserIdAsync("admin", "alice", Pin)).Outcome.Should().Be(SupportPinVerificationOutcome.Verified);
    }

    [Test]
    public async Task ClearPinLockout_OfAnUnknownUser_IsRefusedWithoutThrowing()
    {
        using var host = await TwoFactorTestHost.CreateAsync();

        (await Pins(host).ClearLockoutAsync(await TestSessions.FreshAsync(host.Services, Owner), "nobody")).HasError(SecurityErrorCodes.NotAuthorized).Should().BeTrue();
        (await Pins(host).ClearLockoutAsync(await TestSessions.FreshAsync(host.Services, Owner), new string('x', 100_000))).HasError(SecurityErrorCodes.NotAuthorized).Should().BeTrue();
    }

    private static ISupportPinService Pins(TwoFactorTestHost host) => host.Services.GetRequiredService<ISupportPinService>();

    /// <summary>Sets <see cref="Pin"/> for the user and locks its verification with wrong PINs given to the owner as support agent.</summary>
    private static async Task LockPinAsync(TwoFactorTestHost host, string userId, string password = TwoFactorTestHost.UserPassword)
    {
        var set = await Pins(host).SetPinAsync(TestSessions.Of(userId), password, Pin, Pin);
        set.Succeeded.Should().BeTrue(set.ToString());
        for (var i = 0; i < 50; i++)
        {
            if ((await Pins(host).VerifyByUserIdAsync(Owner, userId, WrongPin)).LockedOutUntil is not null)
            {
                return;
            }
        }

        Assert.Fail("the PIN never locked");
    }
}
