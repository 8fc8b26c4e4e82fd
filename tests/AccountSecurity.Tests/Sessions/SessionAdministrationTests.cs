using AccountSecurity.Accounts;
using AccountSecurity.Accounts.Administration;
using AccountSecurity.Events;
using AccountSecurity.Results;
using AccountSecurity.Sessions;
using AccountSecurity.SignIn;
using AccountSecurity.Testing;
using AccountSecurity.Testing.Hardening;
using AccountSecurity.Tests.TestSupport;

namespace AccountSecurity.Tests.Sessions;

/// <summary>
/// Ending sessions on someone's behalf: an administrator (under the force-2FA peer rules), deactivation, and a
/// credential change adopting the new stamp.
/// </summary>
public sealed class SessionAdministrationTests
{
    private const string OtherContractId = "contract-2";
    private const string OtherOwnerId = "owner-2";
    private const string OtherAdminId = "admin-2";

    private static IEnumerable<HostileValue> HostileStrings() => HostileInputs.Strings;

    [TestCase(TestHost.OwnerId, TestHost.UserId)]
    [TestCase(TestHost.OwnerId, TestHost.AdminId)]
    [TestCase(TestHost.AdminId, TestHost.UserId)]
    [TestCase(TestHost.OwnerId, TestHost.OwnerId)]
    public async Task EndAllByAdministrator_OwnerOrAdministratorOfTheContract_EndsEverySessionOfTheUser(string actor, string target)
    {
        await using var host = await SessionTestHost.CreateAsync();
        var targets = new[] { await host.StartAsync(target), await host.StartAsync(target), await host.StartAsync(target) };
        var bystander = await host.StartAsync(target == TestHost.UserId ? TestHost.AdminId : TestHost.UserId);
        host.Host.Events.Clear();

        var result = await host.Sessions.EndAllByAdministratorAsync(await TestSessions.FreshAsync(host.Host.Services, actor), target);

        result.Value.Should().Be(3);
        foreach (var session in targets)
        {
            (await host.StatusAsync(session)).Should().Be(SessionStatus.Invalid);
            (await host.RecordAsync(session.Session.SessionId!))!.EndReason.Should().Be(SessionEndReasons.EndedByAdministrator);
        }

        (await host.StatusAsync(bystander)).Should().Be(SessionStatus.Valid);
        host.Host.Events.OfType(SecurityEventType.SessionEnded).Should().ContainSingle(
            e => e.UserId == target && e.ContractId == TestHost.ContractId && e.ActorId == actor && e.Outcome == SessionEndReasons.EndedByAdministrator);
        host.Host.Events.OfType(SecurityEventType.AuthorizationRefused).Should().BeEmpty();
    }

    [TestCase(TestHost.UserId, TestHost.AdminId, TestName = "EndAllByAdministrator_PlainUser_IsNotAuthorized")]
    [TestCase(TestHost.UserId, TestHost.UserId, TestName = "EndAllByAdministrator_PlainUserOnThemself_IsNotAuthorized")]
    [TestCase(TestHost.AdminId, TestHost.OwnerId, TestName = "EndAllByAdministrator_AdministratorOnTheOwner_IsNotAuthorized")]
    [TestCase(OtherAdminId, TestHost.UserId, TestName = "EndAllByAdministrator_AnotherContractsAdministrator_IsNotAuthorized")]
    [TestCase(OtherOwnerId, TestHost.UserId, TestName = "EndAllByAdministrator_AnotherContractsOwner_IsNotAuthorized")]
    [TestCase("nobody", TestHost.UserId, TestName = "EndAllByAdministrator_UnknownActor_IsNotAuthorized")]
    public async Task EndAllByAdministrator_Refused_IsNotAuthorized_Audited_AndEndsNothing(string actor, string target)
    {
        await using var host = await SessionTestHost.CreateAsync();
        await SeedOtherContractAsync(host);
        var session = await host.StartAsync(target);
        host.Host.Events.Clear();

        var result = await host.Sessions.EndAllByAdministratorAsync(await TestSessions.FreshAsync(host.Host.Services, actor), target);

        result.ErrorCode.Should().Be(SecurityErrorCodes.NotAuthorized);
        (await host.StatusAsync(session)).Should().Be(SessionStatus.Valid);
        host.Host.Events.OfType(SecurityEventType.AuthorizationRefused).Should().ContainSingle(e => e.ActorId == actor && e.UserId == target);
        host.Host.Events.OfType(SecurityEventType.SessionEnded).Should().BeEmpty();
    }

    [TestCaseSource(nameof(HostileStrings))]
    public async Task EndAllByAdministrator_HostileIds_AreNotAuthorized_NeverThrow(HostileValue id)
    {
        await using var host = await SessionTestHost.CreateAsync();
        var session = await host.StartAsync();

        (await host.Sessions.EndAllByAdministratorAsync(TestSessions.Of(id.Value!), TestHost.UserId)).ErrorCode.Should().Be(SecurityErrorCodes.NotAuthorized);
        (await host.Sessions.EndAllByAdministratorAsync(await TestSessions.FreshAsync(host.Host.Services, TestHost.OwnerId), id.Value!)).ErrorCode.Should().Be(SecurityErrorCodes.NotAuthorized);
        (await host.StatusAsync(session)).Should().Be(SessionStatus.Valid);
    }

    [Test]
    public async Task Deactivation_EndsEverySessionOfTheUser_WithEventOutcomeDeactivated()
    {
        await using var host = await SessionTestHost.CreateAsync();
        var sessions = new[] { await host.StartAsync(), await host.StartAsync() };
        var bystander = await host.StartAsync(TestHost.AdminId);
        host.Host.Events.Clear();

        (await host.Host.Get<IAccountAdministrationService>().DeactivateAsync(await TestSessions.FreshAsync(host.Host.Services, TestHost.OwnerId), TestHost.UserId)).Succeeded.Should().BeTrue();

        foreach (var session in sessions)
        {
            var record = (await host.RecordAsync(session.Session.SessionId!))!;
            record.EndReason.Should().Be(SessionEndReasons.Deactivated);
            record.EndedAt.Should().Be(TestHost.Start);
            (await host.StatusAsync(session)).Should().Be(SessionStatus.Invalid);
        }

        (await host.StatusAsync(bystander)).Should().Be(SessionStatus.Valid);
        host.Host.Events.OfType(SecurityEventType.SessionEnded).Should().ContainSingle(
            e => e.UserId == TestHost.UserId && e.ContractId == TestHost.ContractId && e.ActorId == TestHost.OwnerId && e.Outcome == SessionEndReasons.Deactivated);

        // Reactivating does not bring them back.
        (await host.Host.Get<IAccountAdministrationService>().ReactivateAsync(await TestSessions.FreshAsync(host.Host.Services, TestHost.OwnerId), TestHost.UserId)).Succeeded.Should().BeTrue();
        (await host.StatusAsync(sessions[0])).Should().Be(SessionStatus.Invalid);
        (await host.Sessions.ListAsync(TestHost.UserId, null)).Should().BeEmpty();
    }

    [Test]
    public async Task AdoptStamp_EndingOthers_KeepsTheCurrentWithTheNewStamp_AndEndsTheOthers()
    {
        await using var host = await SessionTestHost.CreateAsync();
        var current = await host.StartAsync();
        var others = new[] { await host.StartAsync(), await host.StartAsync() };
        var bystander = await host.StartAsync(TestHost.AdminId);
        var newStamp = (await ChangeStampAsync(host)).SecurityStamp;
        host.Host.Events.Clear();

        var result = await host.Sessions.AdoptStampAsync(TestHost.UserId, current.Session.SessionId!, newStamp);

        result.Value.Should().Be(2);
        var validation = await host.Sessions.ValidateAsync(current.Reference);
        validation.Status.Should().Be(SessionStatus.Valid);
        validation.Session!.SecurityStamp.Should().Be(newStamp);
        foreach (var other in others)
        {
            (await host.StatusAsync(other)).Should().Be(SessionStatus.Invalid);
            (await host.RecordAsync(other.Session.SessionId!))!.EndReason.Should().Be(SessionEndReasons.CredentialsChanged);
        }

        (await host.StatusAsync(bystander)).Should().Be(SessionStatus.Valid);
        (await host.Sessions.ListAsync(TestHost.UserId, current.Session.SessionId)).Should().ContainSingle().Which.IsCurrent.Should().BeTrue();
        host.Host.Events.OfType(SecurityEventType.SessionEnded).Should().ContainSingle(e => e.UserId == TestHost.UserId && e.Outcome == SessionEndReasons.CredentialsChanged);
    }

    [Test]
    public async Task AdoptStamp_KeepingOthers_ReStampsThem_SoAllKeepWorking()
    {
        await using var host = await SessionTestHost.CreateAsync();
        var current = await host.StartAsync();
        var others = new[] { await host.StartAsync(), await host.StartAsync() };
        var newStamp = (await ChangeStampAsync(host)).SecurityStamp;
        host.Host.Events.Clear();

        var result = await host.Sessions.AdoptStampAsync(TestHost.UserId, current.Session.SessionId!, newStamp, endOtherSessions: false);

        result.Value.Should().Be(0);
        foreach (var session in others.Append(current))
        {
            (await host.Sessions.ValidateAsync(session.Reference)).Should().Match<SessionValidation>(v => v.Status == SessionStatus.Valid && v.Session!.SecurityStamp == newStamp);
        }

        host.Host.Events.OfType(SecurityEventType.SessionEnded).Should().BeEmpty();
    }

    [Test]
    public async Task AdoptStamp_WithoutAdopting_TheNewStampRefusesEverySession()
    {
        await using var host = await SessionTestHost.CreateAsync();
        var current = await host.StartAsync();

        await ChangeStampAsync(host);

        (await host.StatusAsync(current)).Should().Be(SessionStatus.Invalid, "AdoptStampAsync is what keeps the current session");
    }

    [Test]
    public async Task AdoptStamp_KeepingOthers_DoesNotRevive_SessionsAnEarlierStampChangeHadAlreadyRefused()
    {
        await using var host = await SessionTestHost.CreateAsync();
        var stolen = await host.StartAsync();

        // A reset by e-mail (or an administrator's 2FA reset) changes the stamp: the stolen session is refused from now on, though not ended in the store.
        await ChangeStampAsync(host);
        (await host.StatusAsync(stolen)).Should().Be(SessionStatus.Invalid);

        // The user signs in afresh, then changes the password keeping their other sessions.
        var current = await host.StartAsync();
        var newStamp = (await ChangeStampAsync(host)).SecurityStamp;
        (await host.Sessions.AdoptStampAsync(TestHost.UserId, current.Session.SessionId!, newStamp, endOtherSessions: false)).Succeeded.Should().BeTrue();

        (await host.StatusAsync(current)).Should().Be(SessionStatus.Valid);
        (await host.StatusAsync(stolen)).Should().Be(SessionStatus.Invalid, "keeping other sessions keeps those that stood before the change, not those refused earlier");
    }

    [Test]
    public async Task AdoptStamp_ForAnotherUsersSession_ChangesNothingOfIt()
    {
        await using var host = await SessionTestHost.CreateAsync();
        var admins = await host.StartAsync(TestHost.AdminId);

        (await host.Sessions.AdoptStampAsync(TestHost.UserId, admins.Session.SessionId!, "forged-stamp", endOtherSessions: false)).ErrorCode.Should().Be(SecurityErrorCodes.NotFound, "another user's session is no session of this user");

        (await host.RecordAsync(admins.Session.SessionId!))!.SecurityStamp.Should().NotBe("forged-stamp");
        (await host.StatusAsync(admins)).Should().Be(SessionStatus.Valid);
    }

    [TestCaseSource(nameof(HostileStrings))]
    public async Task AdoptStamp_HostileIds_AreAnsweredAsUnknown_NeverThrow(HostileValue id)
    {
        await using var host = await SessionTestHost.CreateAsync();
        var started = await host.StartAsync();
        var stamp = (await host.Host.UserAsync()).SecurityStamp;

        (await host.Sessions.AdoptStampAsync(id.Value!, started.Session.SessionId!, stamp)).ErrorCode.Should().Be(SecurityErrorCodes.NotFound, "a hostile id is answered as an unknown one");
        (await host.Sessions.AdoptStampAsync(TestHost.UserId, id.Value!, stamp)).ErrorCode.Should().Be(SecurityErrorCodes.NotFound, "a hostile id is answered as an unknown one");
        (await host.StatusAsync(started)).Should().Be(SessionStatus.Valid);
    }

    private static Task<UserAccount> ChangeStampAsync(SessionTestHost host) =>
        host.Host.ModifyUserAsync(TestHost.UserId, u => u with { SecurityStamp = Guid.NewGuid().ToString("N") });

    private static async Task SeedOtherContractAsync(SessionTestHost host)
    {
        var owner = await host.Host.Provisioning.CreateContractAsync(new NewContract { ContractId = OtherContractId, ContractName = "Contract Two", OwnerUserId = OtherOwnerId, OwnerEmail = "oscar.owner@example.com", OwnerPassword = TestHost.InitialPassword });
        owner.Succeeded.Should().BeTrue(owner.ToString());
        var admin = await host.Host.Provisioning.CreateUserAsync(OtherOwnerId, new NewUser { UserId = OtherAdminId, Email = "anna.admin@example.com", Role = UserRole.Administrator, InitialPassword = TestHost.InitialPassword });
        admin.Succeeded.Should().BeTrue(admin.ToString());
    }
}
