using AccountSecurity.Events;
using AccountSecurity.Results;
using AccountSecurity.Sessions;
using AccountSecurity.SignIn;
using AccountSecurity.Testing;
using AccountSecurity.Testing.Hardening;
using AccountSecurity.Tests.TestSupport;

namespace AccountSecurity.Tests.Sessions;

/// <summary>The contract's session policy: host defaults, the owner's settings within the host's bounds, clamping to bounds that narrowed later.</summary>
public sealed class SessionPolicyTests
{
    private static IEnumerable<HostileValue> HostileStrings() => HostileInputs.Strings;

    [Test]
    public async Task Defaults_Are30MinutesIdle_12HoursInAll_10Sessions()
    {
        await using var host = await SessionTestHost.CreateAsync();

        (await host.Sessions.GetEffectivePolicyAsync(TestHost.ContractId)).Should().Be(new EffectiveSessionPolicy(TimeSpan.FromMinutes(30), TimeSpan.FromHours(12), 10));
        (await host.Sessions.GetEffectivePolicyAsync("unknown-contract")).Should().Be(new EffectiveSessionPolicy(TimeSpan.FromMinutes(30), TimeSpan.FromHours(12), 10));
    }

    [TestCaseSource(nameof(HostileStrings))]
    public async Task EffectivePolicy_ForHostileContractIds_IsTheDefault_NeverThrows(HostileValue id)
    {
        await using var host = await SessionTestHost.CreateAsync();

        (await host.Sessions.GetEffectivePolicyAsync(id.Value!)).Should().Be(new EffectiveSessionPolicy(TimeSpan.FromMinutes(30), TimeSpan.FromHours(12), 10));
    }

    [Test]
    public async Task Owner_SetsAPolicyWithinBounds_ItApplies_AndIsAnEvent()
    {
        await using var host = await SessionTestHost.CreateAsync();

        var result = await host.Sessions.SetPolicyAsync(await TestSessions.FreshAsync(host.Host.Services, TestHost.OwnerId), new SessionPolicySettings(TimeSpan.FromMinutes(5), TimeSpan.FromHours(24), 100));

        result.Succeeded.Should().BeTrue(result.ToString());
        (await host.Sessions.GetEffectivePolicyAsync(TestHost.ContractId)).Should().Be(new EffectiveSessionPolicy(TimeSpan.FromMinutes(5), TimeSpan.FromHours(24), 100));
        (await host.Host.Contracts.FindByIdAsync(TestHost.ContractId, CancellationToken.None))!.SessionPolicy.Should().Be(new SessionPolicySettings(TimeSpan.FromMinutes(5), TimeSpan.FromHours(24), 100));
        host.Host.Events.OfType(SecurityEventType.SessionPolicyChanged).Should().ContainSingle(
            e => e.UserId == TestHost.OwnerId && e.ContractId == TestHost.ContractId && e.ActorId == TestHost.OwnerId && e.Outcome == "set");
    }

    [Test]
    public async Task Owner_SetsOnlySomeMembers_TheOthersKeepTheHostDefaults()
    {
        await using var host = await SessionTestHost.CreateAsync();

        (await host.Sessions.SetPolicyAsync(await TestSessions.FreshAsync(host.Host.Services, TestHost.OwnerId), new SessionPolicySettings(IdleTimeout: TimeSpan.FromMinutes(15)))).Succeeded.Should().BeTrue();

        (await host.Sessions.GetEffectivePolicyAsync(TestHost.ContractId)).Should().Be(new EffectiveSessionPolicy(TimeSpan.FromMinutes(15), TimeSpan.FromHours(12), 10));
    }

    [Test]
    public async Task Owner_ClearingThePolicy_RestoresTheDefaults()
    {
        await using var host = await SessionTestHost.CreateAsync();
        (await host.Sessions.SetPolicyAsync(await TestSessions.FreshAsync(host.Host.Services, TestHost.OwnerId), new SessionPolicySettings(TimeSpan.FromMinutes(10), TimeSpan.FromHours(2), 3))).Succeeded.Should().BeTrue();
        host.Host.Events.Clear();

        (await host.Sessions.SetPolicyAsync(await TestSessions.FreshAsync(host.Host.Services, TestHost.OwnerId), null)).Succeeded.Should().BeTrue();

        (await host.Sessions.GetEffectivePolicyAsync(TestHost.ContractId)).Should().Be(new EffectiveSessionPolicy(TimeSpan.FromMinutes(30), TimeSpan.FromHours(12), 10));
        host.Host.Events.OfType(SecurityEventType.SessionPolicyChanged).Should().ContainSingle(e => e.Outcome == "cleared");
    }

    private static IEnumerable<TestCaseData> OutOfBounds()
    {
        yield return new TestCaseData(new SessionPolicySettings(IdleTimeout: TimeSpan.FromMinutes(5) - TimeSpan.FromTicks(1)), new[] { "idleTimeout" }).SetArgDisplayNames("idle below 5 min");
        yield return new TestCaseData(new SessionPolicySettings(IdleTimeout: TimeSpan.FromHours(1) + TimeSpan.FromTicks(1)), new[] { "idleTimeout" }).SetArgDisplayNames("idle above 1 h");
        yield return new TestCaseData(new SessionPolicySettings(IdleTimeout: TimeSpan.Zero), new[] { "idleTimeout" }).SetArgDisplayNames("idle zero");
        yield return new TestCaseData(new SessionPolicySettings(IdleTimeout: TimeSpan.MinValue), new[] { "idleTimeout" }).SetArgDisplayNames("idle negative");
        yield return new TestCaseData(new SessionPolicySettings(AbsoluteLifetime: TimeSpan.FromHours(1) - TimeSpan.FromTicks(1)), new[] { "absoluteLifetime" }).SetArgDisplayNames("lifetime below 1 h");
        yield return new TestCaseData(new SessionPolicySettings(AbsoluteLifetime: TimeSpan.FromHours(24) + TimeSpan.FromTicks(1)), new[] { "absoluteLifetime" }).SetArgDisplayNames("lifetime above 24 h");
        yield return new TestCaseData(new SessionPolicySettings(AbsoluteLifetime: TimeSpan.MaxValue), new[] { "absoluteLifetime" }).SetArgDisplayNames("lifetime maximal");
        yield return new TestCaseData(new SessionPolicySettings(MaxSessionsPerUser: 0), new[] { "maxSessionsPerUser" }).SetArgDisplayNames("no sessions");
        yield return new TestCaseData(new SessionPolicySettings(MaxSessionsPerUser: int.MinValue), new[] { "maxSessionsPerUser" }).SetArgDisplayNames("negative sessions");
        yield return new TestCaseData(new SessionPolicySettings(MaxSessionsPerUser: 101), new[] { "maxSessionsPerUser" }).SetArgDisplayNames("101 sessions");
        yield return new TestCaseData(new SessionPolicySettings(TimeSpan.FromDays(1), TimeSpan.FromDays(2), 1000), new[] { "idleTimeout", "absoluteLifetime", "maxSessionsPerUser" }).SetArgDisplayNames("all three");
        yield return new TestCaseData(new SessionPolicySettings(TimeSpan.FromHours(2), TimeSpan.FromHours(1)), new[] { "idleTimeout" }).SetArgDisplayNames("idle out of bounds and longer than the lifetime: one error");
        yield return new TestCaseData(new SessionPolicySettings(TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(20)), new[] { "absoluteLifetime" }).SetArgDisplayNames("lifetime out of bounds and shorter than the idle timeout: one error");
    }

    [TestCaseSource(nameof(OutOfBounds))]
    public async Task Owner_OutOfBounds_IsSessionPolicyInvalid_OneErrorPerMember_NamingIt_AndChangesNothing(SessionPolicySettings settings, string[] fields)
    {
        await using var host = await SessionTestHost.CreateAsync();

        var result = await host.Sessions.SetPolicyAsync(await TestSessions.FreshAsync(host.Host.Services, TestHost.OwnerId), settings);

        result.Errors.Should().OnlyContain(e => e.Code == SecurityErrorCodes.SessionPolicyInvalid);
        result.Errors.Select(e => e.Field).Should().Equal(fields);
        (await host.Host.Contracts.FindByIdAsync(TestHost.ContractId, CancellationToken.None))!.SessionPolicy.Should().BeNull();
        host.Host.Events.OfType(SecurityEventType.SessionPolicyChanged).Should().BeEmpty();
    }

    [Test]
    public async Task Owner_IdleTimeoutLongerThanTheLifetime_WithBothInBounds_IsInvalid()
    {
        await using var host = await SessionTestHost.CreateAsync(o =>
        {
            o.Sessions.MaxIdleTimeout = TimeSpan.FromHours(2);
            o.Sessions.MaxAbsoluteLifetime = TimeSpan.FromHours(24);
        });

        var result = await host.Sessions.SetPolicyAsync(await TestSessions.FreshAsync(host.Host.Services, TestHost.OwnerId), new SessionPolicySettings(TimeSpan.FromHours(2), TimeSpan.FromHours(1)));

        result.Errors.Should().ContainSingle().Which.Should().Match<SecurityError>(e => e.Code == SecurityErrorCodes.SessionPolicyInvalid && e.Field == "idleTimeout");
    }

    [TestCase(TestHost.AdminId)]
    [TestCase(TestHost.UserId)]
    [TestCase("nobody")]
    public async Task NonOwner_IsNotAuthorized_Audited_AndChangesNothing(string actor)
    {
        await using var host = await SessionTestHost.CreateAsync();

        var result = await host.Sessions.SetPolicyAsync(await TestSessions.FreshAsync(host.Host.Services, actor), new SessionPolicySettings(MaxSessionsPerUser: 1));

        result.ErrorCode.Should().Be(SecurityErrorCodes.NotAuthorized);
        (await host.Sessions.GetEffectivePolicyAsync(TestHost.ContractId)).MaxSessionsPerUser.Should().Be(10);
        host.Host.Events.OfType(SecurityEventType.AuthorizationRefused).Should().ContainSingle(e => e.ActorId == actor && e.Outcome == "set_session_policy");
    }

    [Test]
    public async Task DeactivatedOwner_IsNotAuthorized()
    {
        await using var host = await SessionTestHost.CreateAsync();
        await host.Host.ModifyUserAsync(TestHost.OwnerId, u => u with { IsActive = false });

        (await host.Sessions.SetPolicyAsync(await TestSessions.FreshAsync(host.Host.Services, TestHost.OwnerId), null)).ErrorCode.Should().Be(SecurityErrorCodes.NotAuthorized);
    }

    [TestCaseSource(nameof(HostileStrings))]
    public async Task HostileActor_IsNotAuthorized_NeverThrows(HostileValue actor)
    {
        await using var host = await SessionTestHost.CreateAsync();

        (await host.Sessions.SetPolicyAsync(TestSessions.Of(actor.Value!), new SessionPolicySettings(MaxSessionsPerUser: 1))).ErrorCode.Should().Be(SecurityErrorCodes.NotAuthorized);
    }

    [Test]
    public async Task AStoredPolicyOutsideNarrowerHostBounds_IsClamped()
    {
        var wide = new SessionPolicySettings(TimeSpan.FromMinutes(5), TimeSpan.FromHours(24), 100);
        await using var host = await SessionTestHost.CreateAsync();
        (await host.Sessions.SetPolicyAsync(await TestSessions.FreshAsync(host.Host.Services, TestHost.OwnerId), wide)).Succeeded.Should().BeTrue();

        // The same stored contract under a host that narrowed every bound since.
        await using var narrower = await SessionTestHost.CreateAsync(o =>
        {
            o.Sessions.MinIdleTimeout = TimeSpan.FromMinutes(10);
            o.Sessions.MaxAbsoluteLifetime = TimeSpan.FromHours(8);
            o.Sessions.DefaultAbsoluteLifetime = TimeSpan.FromHours(8);
            o.Sessions.MaxSessionsPerUserLimit = 10;
        });
        var contract = (await narrower.Host.Contracts.FindByIdAsync(TestHost.ContractId, CancellationToken.None))!;
        (await narrower.Host.Contracts.UpdateAsync(contract with { SessionPolicy = wide }, CancellationToken.None)).Should().Be(AccountSecurity.Stores.StoreWriteResult.Success);

        (await narrower.Sessions.GetEffectivePolicyAsync(TestHost.ContractId)).Should().Be(new EffectiveSessionPolicy(TimeSpan.FromMinutes(10), TimeSpan.FromHours(8), 10));
        var started = await narrower.StartAsync();
        var record = (await narrower.RecordAsync(started.Session.SessionId!))!;
        record.IdleTimeout.Should().Be(TimeSpan.FromMinutes(10));
        record.ExpiresAt.Should().Be(TestHost.Start + TimeSpan.FromHours(8));
    }

    [Test]
    public async Task APolicyChange_AppliesToSessionsThatBeginAfterwards()
    {
        await using var host = await SessionTestHost.CreateAsync();
        var before = await host.StartAsync();

        (await host.Sessions.SetPolicyAsync(await TestSessions.FreshAsync(host.Host.Services, TestHost.OwnerId), new SessionPolicySettings(TimeSpan.FromMinutes(10)))).Succeeded.Should().BeTrue();
        var after = await host.StartAsync();
        host.Host.Time.Advance(TimeSpan.FromMinutes(10));

        (await host.StatusAsync(before)).Should().Be(SessionStatus.Valid);
        (await host.StatusAsync(after)).Should().Be(SessionStatus.Invalid);
    }
}
