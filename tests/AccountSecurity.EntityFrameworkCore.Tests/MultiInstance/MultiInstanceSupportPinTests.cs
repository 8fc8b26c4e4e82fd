using System.Globalization;
using AccountSecurity.Accounts;
using AccountSecurity.EntityFrameworkCore.Tests.Infrastructure;
using AccountSecurity.Events;
using AccountSecurity.Lockout;
using AccountSecurity.Results;
using AccountSecurity.SupportPin;
using AccountSecurity.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AccountSecurity.EntityFrameworkCore.Tests.MultiInstance;

/// <summary>Two app instances sharing one database count support-PIN guesses as one: a flood compares at most the limit and locks both.</summary>
[TestFixture(TestDatabase.Sqlite)]
[TestFixture(TestDatabase.PostgreSql)]
public sealed class MultiInstanceSupportPinTests(string provider) : MultiInstanceFixture(provider)
{
    private const string Pin = "730519";
    private const string AgentId = "agent-7";
    private const int MaxFailedAttempts = 5;


    [SetUp]
    public async Task StartInstancesAsync()
    {
        await StartAsync(o => o.Lockout.SupportPin.MaxFailedAttempts = MaxFailedAttempts);

        // The support agent: an administrator of the contract (the default rule for who may verify its PINs).
        var agent = await Instances.A.RunAsync(sp => sp.GetRequiredService<IAccountProvisioningService>()
            .CreateUserAsync(UserId, new NewUser { UserId = AgentId, Email = "agent-7@example.com", Role = UserRole.Administrator, InitialPassword = Password }));
        agent.Succeeded.Should().BeTrue(agent.ToString());
    }

    [Test]
    public async Task WrongPins_ConcurrentlyThroughBoth_CompareAtMostTheLimitAndLockBothUntilTheLockEnds()
    {
        const int Flood = 40;
        var set = await Instances.A.RunAsync(sp => sp.GetRequiredService<ISupportPinService>().SetPinAsync(TestSessions.Of(UserId), Password, Pin, Pin));
        set.Succeeded.Should().BeTrue(set.ToString());
        var wrong = WrongPins(Flood);

        // Spread over both instances (i % 2) and both ways an agent names the account (by id, by e-mail). A busy answer
        // (one account, one hashing place per instance) counted nothing and is sent again; the instances still race.
        var results = await Instances.RaceAsync<ISupportPinService, SupportPinVerificationResult>(Flood, (pins, i) => TwoInstances.UntilNotBusyAsync(
            () => i % 4 < 2 ? pins.VerifyByUserIdAsync(AgentId, UserId, wrong[i]) : pins.VerifyByEmailAsync(AgentId, Email, wrong[i]),
            r => r.ErrorCode == SecurityErrorCodes.Busy));

        var stored = await FindAsync(Instances.B);
        stored.Lockouts[AuthenticationFactor.SupportPin].FailedCount.Should().Be(MaxFailedAttempts, "no attempt is lost or counted twice");
        stored.Lockouts[AuthenticationFactor.SupportPin].LockoutEnd.Should().NotBeNull();
        var lockEnd = stored.Lockouts[AuthenticationFactor.SupportPin].LockoutEnd!.Value;
        var described = string.Join("; ", results.Select(r => r.ToString()));
        results.Count(r => r.Outcome == SupportPinVerificationOutcome.WrongPin).Should().Be(MaxFailedAttempts, "at most the limit of PINs is compared: " + described);
        results.Where(r => r.Outcome != SupportPinVerificationOutcome.WrongPin).Should().OnlyContain(
            r => r.Outcome == SupportPinVerificationOutcome.LockedOut && r.LockedOutUntil == lockEnd, described);
        results.Count(r => r.LockedOutUntil == lockEnd && r.Outcome == SupportPinVerificationOutcome.WrongPin).Should().Be(1, "the last compared guess locked it");
        var failures = Instances.A.Events.OfType(SecurityEventType.SupportPinVerificationFailed)
            .Concat(Instances.B.Events.OfType(SecurityEventType.SupportPinVerificationFailed)).ToList();
        failures.Count(e => e.Outcome == SecurityErrorCodes.SupportPinWrong).Should().Be(MaxFailedAttempts);
        failures.Should().OnlyContain(e => e.ActorId == AgentId && e.UserId == UserId);

        var rightOnB = await VerifyAsync(Instances.B, Pin);
        Instances.Time.Advance(lockEnd - Instances.Time.GetUtcNow() - TimeSpan.FromSeconds(1));
        var rightOnAJustBeforeTheEnd = await VerifyAsync(Instances.A, Pin);

        rightOnB.Outcome.Should().Be(SupportPinVerificationOutcome.LockedOut, "the lock holds on the other instance, even for the right PIN: " + rightOnB);
        rightOnB.LockedOutUntil.Should().Be(lockEnd);
        rightOnAJustBeforeTheEnd.Outcome.Should().Be(SupportPinVerificationOutcome.LockedOut, rightOnAJustBeforeTheEnd.ToString());
        (await FindAsync(Instances.A)).Lockouts[AuthenticationFactor.SupportPin].FailedCount.Should().Be(MaxFailedAttempts, "refusals under the lock compare and count nothing");

        Instances.Time.Advance(TimeSpan.FromSeconds(2));
        var afterTheLock = await VerifyAsync(Instances.B, Pin);

        afterTheLock.Succeeded.Should().BeTrue(afterTheLock.ToString());
        afterTheLock.Value.UserId.Should().Be(UserId);
        (await FindAsync(Instances.A)).Lockouts[AuthenticationFactor.SupportPin].Should().Be(FactorLockoutState.Clear, "the right PIN resets the count");
    }

    [Test]
    public async Task SetPin_OnInstanceA_IsThePinInstanceBVerifies()
    {
        var set = await Instances.A.RunAsync(sp => sp.GetRequiredService<ISupportPinService>().SetPinAsync(TestSessions.Of(UserId), Password, Pin, Pin));
        set.Succeeded.Should().BeTrue(set.ToString());

        var byId = await VerifyAsync(Instances.B, Pin);
        var byEmail = await Instances.B.RunAsync(sp => sp.GetRequiredService<ISupportPinService>().VerifyByEmailAsync(AgentId, Email, Pin));

        byId.Succeeded.Should().BeTrue(byId.ToString());
        byEmail.Succeeded.Should().BeTrue(byEmail.ToString());
        Instances.B.Events.OfType(SecurityEventType.SupportPinVerified).Should().HaveCount(2);
    }

    private Task<SupportPinVerificationResult> VerifyAsync(AppInstance instance, string pin) =>
        instance.RunAsync(sp => sp.GetRequiredService<ISupportPinService>().VerifyByUserIdAsync(AgentId, UserId, pin));


    /// <summary>Distinct six-digit PINs, none of them the account's.</summary>
    private static List<string> WrongPins(int count) =>
        [.. Enumerable.Range(1, count).Select(i => ((100_003 + (i * 7919)) % 1_000_000).ToString("D6", CultureInfo.InvariantCulture))];
}
