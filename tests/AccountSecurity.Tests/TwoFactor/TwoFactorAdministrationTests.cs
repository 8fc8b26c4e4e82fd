using AccountSecurity.Accounts;
using AccountSecurity.Events;
using AccountSecurity.Results;
using AccountSecurity.SignIn;
using AccountSecurity.Testing;
using AccountSecurity.Tests.SignIn;

namespace AccountSecurity.Tests.TwoFactor;

public sealed class TwoFactorAdministrationTests
{
    [TestCase(TwoFactorTestHost.OwnerId)]
    [TestCase("admin")]
    public async Task SetForced_ByOwnerOrAdminOfSameContract_ForcesAndUnforcesWithoutEnabling(string actor)
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("admin", UserRole.Administrator);
        await host.CreateUserAsync("alice");

        (await host.Admin.SetForcedAsync(await TestSessions.FreshAsync(host.Services, actor), "alice", forced: true)).Succeeded.Should().BeTrue();
        var forced = await host.GetUserAsync("alice");
        forced.IsTwoFactorForced.Should().BeTrue();
        forced.TwoFactor.IsEnabled.Should().BeFalse();
        host.Events.OfType(SecurityEventType.TwoFactorForced).Should().ContainSingle(e => e.UserId == "alice" && e.ActorId == actor && e.ContractId == TwoFactorTestHost.ContractId);

        (await host.Admin.SetForcedAsync(await TestSessions.FreshAsync(host.Services, actor), "alice", forced: false)).Succeeded.Should().BeTrue();
        (await host.GetUserAsync("alice")).IsTwoFactorForced.Should().BeFalse();
        host.Events.OfType(SecurityEventType.TwoFactorUnforced).Should().ContainSingle(e => e.ActorId == actor);
    }

    [Test]
    public async Task SetForcedAndReset_ByPlainUser_AreRefused()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("alice");
        await host.CreateUserAsync("bob");

        (await host.Admin.SetForcedAsync(await TestSessions.FreshAsync(host.Services, "bob"), "alice", forced: true)).HasError(SecurityErrorCodes.NotAuthorized).Should().BeTrue();
        (await host.Admin.ResetAsync(await TestSessions.FreshAsync(host.Services, "bob"), "alice")).HasError(SecurityErrorCodes.NotAuthorized).Should().BeTrue();
        (await host.GetUserAsync("alice")).IsTwoFactorForced.Should().BeFalse();
        host.Events.OfType(SecurityEventType.AuthorizationRefused).Should().HaveCount(2);
    }

    [Test]
    public async Task SetForcedAndReset_ByAdminOfAnotherContract_AreRefused()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("alice");
        var enrolled = await host.EnableTwoFactorAsync("alice");
        await host.CreateContractAsync("contract-b", "owner-b", "chief@b.example");
        (await host.Provisioning.CreateUserAsync("owner-b", new NewUser { UserId = "admin-b", Email = "admin-b@b.example", Role = UserRole.Administrator, InitialPassword = TwoFactorTestHost.UserPassword })).Succeeded.Should().BeTrue();

        foreach (var actor in new[] { "owner-b", "admin-b" })
        {
            (await host.Admin.SetForcedAsync(await TestSessions.FreshAsync(host.Services, actor), "alice", forced: true)).HasError(SecurityErrorCodes.NotAuthorized).Should().BeTrue();
            (await host.Admin.ResetAsync(await TestSessions.FreshAsync(host.Services, actor), "alice")).HasError(SecurityErrorCodes.NotAuthorized).Should().BeTrue();
        }

        var alice = await host.GetUserAsync("alice");
        alice.IsTwoFactorForced.Should().BeFalse();
        alice.TwoFactor.IsEnabled.Should().BeTrue();
        await host.SignInWithCodeAsync("alice", enrolled);
    }

    [Test]
    public async Task SetForcedAndReset_ByAdminOnContractOwner_AreRefused()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("admin", UserRole.Administrator);
        await host.EnableTwoFactorAsync(TwoFactorTestHost.OwnerId, TwoFactorTestHost.OwnerPassword);

        (await host.Admin.SetForcedAsync(await TestSessions.FreshAsync(host.Services, "admin"), TwoFactorTestHost.OwnerId, forced: true)).HasError(SecurityErrorCodes.NotAuthorized).Should().BeTrue();
        (await host.Admin.ResetAsync(await TestSessions.FreshAsync(host.Services, "admin"), TwoFactorTestHost.OwnerId)).HasError(SecurityErrorCodes.NotAuthorized).Should().BeTrue();
        var owner = await host.GetUserAsync(TwoFactorTestHost.OwnerId);
        owner.TwoFactor.IsEnabled.Should().BeTrue();
        owner.IsTwoFactorForced.Should().BeFalse();
    }

    [Test]
    public async Task SetForced_AdministratorLiftingForceOnThemselves_IsRefusedAndDisableStaysRefused()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("admin", UserRole.Administrator);
        var enrolled = await host.EnableTwoFactorAsync("admin");
        (await host.Admin.SetForcedAsync(await TestSessions.FreshAsync(host.Services, TwoFactorTestHost.OwnerId), "admin", forced: true)).Succeeded.Should().BeTrue();

        var lifted = await host.Admin.SetForcedAsync(await TestSessions.FreshAsync(host.Services, "admin"), "admin", forced: false);

        lifted.HasError(SecurityErrorCodes.NotAuthorized).Should().BeTrue();
        (await host.GetUserAsync("admin")).IsTwoFactorForced.Should().BeTrue();
        host.Events.OfType(SecurityEventType.AuthorizationRefused).Should().ContainSingle(e => e.ActorId == "admin" && e.Outcome == "unforce_two_factor");
        (await host.TwoFactor.DisableAsync(TestSessions.Of("admin"), TwoFactorTestHost.UserPassword, host.CodeFor(enrolled.Secret))).Succeeded.Should().BeFalse();
        (await host.GetUserAsync("admin")).TwoFactor.IsEnabled.Should().BeTrue();
    }

    [Test]
    public async Task SetForced_OnOneself_ForcingByAdministratorAndLiftingByOwner_AreAllowed()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("admin", UserRole.Administrator);

        (await host.Admin.SetForcedAsync(await TestSessions.FreshAsync(host.Services, "admin"), "admin", forced: true)).Succeeded.Should().BeTrue();
        (await host.Admin.SetForcedAsync(await TestSessions.FreshAsync(host.Services, TwoFactorTestHost.OwnerId), TwoFactorTestHost.OwnerId, forced: true)).Succeeded.Should().BeTrue();
        (await host.Admin.SetForcedAsync(await TestSessions.FreshAsync(host.Services, TwoFactorTestHost.OwnerId), TwoFactorTestHost.OwnerId, forced: false)).Succeeded.Should().BeTrue();

        (await host.GetUserAsync("admin")).IsTwoFactorForced.Should().BeTrue();
        (await host.GetUserAsync(TwoFactorTestHost.OwnerId)).IsTwoFactorForced.Should().BeFalse();
    }

    [Test]
    public async Task Reset_OnOneself_IsRefused()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("admin", UserRole.Administrator);
        await host.EnableTwoFactorAsync("admin");

        (await host.Admin.ResetAsync(await TestSessions.FreshAsync(host.Services, "admin"), "admin")).HasError(SecurityErrorCodes.NotAuthorized).Should().BeTrue();
        (await host.GetUserAsync("admin")).TwoFactor.IsEnabled.Should().BeTrue();
    }

    [Test]
    public async Task Reset_AfterLostDevice_ClearsFactorKeepsForcedChangesStampIsAudited_AndForcesSetupAgain()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("admin", UserRole.Administrator);
        await host.CreateUserAsync("alice");
        (await host.Admin.SetForcedAsync(await TestSessions.FreshAsync(host.Services, "admin"), "alice", forced: true)).Succeeded.Should().BeTrue();
        var step = await host.SignIn.PasswordSignInAsync("alice@a.example", TwoFactorTestHost.UserPassword);
        var setup = await host.SignIn.BeginTwoFactorSetupAsync(step.Ticket);
        var done = await host.SignIn.TwoFactorSetupSignInAsync(step.Ticket, host.CodeFor(TwoFactorTestHost.SecretOf(setup.Value)));
        done.Succeeded.Should().BeTrue();
        var before = await host.GetUserAsync("alice");

        var reset = await host.Admin.ResetAsync(await TestSessions.FreshAsync(host.Services, "admin"), "alice");

        reset.Succeeded.Should().BeTrue();
        var after = await host.GetUserAsync("alice");
        after.TwoFactor.IsEnabled.Should().BeFalse();
        after.IsTwoFactorForced.Should().BeTrue();
        after.TwoFactor.ProtectedSecret.Should().BeNull();
        after.TwoFactor.PendingProtectedSecret.Should().BeNull();
        after.TwoFactor.RecoveryCodeHashes.Should().BeEmpty();
        after.SecurityStamp.Should().NotBe(before.SecurityStamp);
        (await host.SignIn.ValidateSessionAsync(done.Session!)).Should().BeFalse();
        host.Events.OfType(SecurityEventType.TwoFactorReset).Should().ContainSingle(e => e.UserId == "alice" && e.ActorId == "admin");

        (await host.SignIn.PasswordSignInAsync("alice@a.example", TwoFactorTestHost.UserPassword)).Status.Should().Be(SignInStatus.TwoFactorSetupRequired);
    }

    [Test]
    public async Task NoOperation_EnablesTwoFactorForSomeoneElse()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("alice");

        await host.Admin.SetForcedAsync(await TestSessions.FreshAsync(host.Services, TwoFactorTestHost.OwnerId), "alice", forced: true);
        await host.Admin.ResetAsync(await TestSessions.FreshAsync(host.Services, TwoFactorTestHost.OwnerId), "alice");
        await host.Admin.SetForcedAsync(await TestSessions.FreshAsync(host.Services, TwoFactorTestHost.OwnerId), "alice", forced: true);

        var alice = await host.GetUserAsync("alice");
        alice.TwoFactor.IsEnabled.Should().BeFalse();
        alice.TwoFactor.ProtectedSecret.Should().BeNull();
        host.Events.OfType(SecurityEventType.TwoFactorEnabled).Should().BeEmpty();
    }
}
