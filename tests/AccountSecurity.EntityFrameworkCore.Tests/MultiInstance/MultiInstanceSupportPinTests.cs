using System.Globalization;
using AccountSecurity.Accounts;
using AccountSecurity.EntityFrameworkCore.Tests.Infrastructure;
using AccountSecurity.Events;
using AccountSecurity.Stores;
using AccountSecurity.SupportPin;
using Microsoft.Extensions.DependencyInjection;

namespace AccountSecurity.EntityFrameworkCore.Tests.MultiInstance;

/// <summary>Two app instances sharing one database count support-PIN guesses as one: a flood compares at most the limit and locks both.</summary>
[TestFixture(TestDatabase.Sqlite)]
[TestFixture(TestDatabase.PostgreSql)]
public sealed class MultiInstanceSupportPinTests(string provider)
{
    private const string Email = "owner@example.com";
    private const string Password = "Initial pass phrase 4 tests";
    private const string Pin = "730519";
    private const string AgentId = "agent-7";
    private const int MaxFailedAttempts = 5;

    private TwoInstances? _instances;
    private string _userId = null!;

    [SetUp]
    public async Task StartInstancesAsync()
    {
        _instances = await TwoInstances.StartAsync(provider, o => o.Lockout.SupportPin.MaxFailedAttempts = MaxFailedAttempts);
        var owner = await Instances.A.RunAsync(sp => sp.GetRequiredService<AccountProvisioningService>()
            .CreateContractAsync("contract-1", "Contract One", "owner-1", Email, Password));
        owner.Succeeded.Should().BeTrue(owner.ToString());
        _userId = owner.Value.Id;
    }

    // Runs after an ignored SetUp too (PostgreSQL not configured), when nothing was started.
    [TearDown]
    public async Task StopInstancesAsync()
    {
        if (_instances is not null)
        {
            await Instances.DisposeAsync();
            _instances = null;
        }
    }

    private TwoInstances Instances => _instances ?? throw new InvalidOperationException("Instances not started.");

    [Test]
    public async Task WrongPins_ConcurrentlyThroughBoth_CompareAtMostTheLimitAndLockBothUntilTheLockEnds()
    {
        const int Flood = 40;
        var set = await Instances.A.RunAsync(sp => sp.GetRequiredService<ISupportPinService>().SetPinAsync(_userId, Password, Pin, Pin));
        set.Succeeded.Should().BeTrue(set.ToString());
        var wrong = WrongPins(Flood);

        // Spread over both instances (i % 2) and both ways an agent names the account (by id, by e-mail).
        var results = await Instances.RaceAsync<ISupportPinService, SupportPinVerificationResult>(Flood, (pins, i) => i % 4 < 2
            ? pins.VerifyByUserIdAsync(AgentId, _userId, wrong[i])
            : pins.VerifyByEmailAsync(AgentId, Email, wrong[i]));

        var stored = await FindAsync(Instances.B);
        stored.SupportPinLockout.FailedCount.Should().Be(MaxFailedAttempts, "no attempt is lost or counted twice");
        stored.SupportPinLockout.LockoutEnd.Should().NotBeNull();
        var lockEnd = stored.SupportPinLockout.LockoutEnd!.Value;
        var described = string.Join("; ", results.Select(r => r.ToString()));
        results.Count(r => r.Outcome == SupportPinVerificationOutcome.WrongPin).Should().Be(MaxFailedAttempts, "at most the limit of PINs is compared: " + described);
        results.Where(r => r.Outcome != SupportPinVerificationOutcome.WrongPin).Should().OnlyContain(
            r => r.Outcome == SupportPinVerificationOutcome.LockedOut && r.LockedUntil == lockEnd, described);
        results.Count(r => r.LockedUntil == lockEnd && r.Outcome == SupportPinVerificationOutcome.WrongPin).Should().Be(1, "the last compared guess locked it");
        var failures = Instances.A.Events.OfType(SecurityEventType.SupportPinVerificationFailed)
            .Concat(Instances.B.Events.OfType(SecurityEventType.SupportPinVerificationFailed)).ToList();
        failures.Count(e => e.Outcome == SupportPinErrorCodes.Wrong).Should().Be(MaxFailedAttempts);
        failures.Should().OnlyContain(e => e.ActorId == AgentId && e.UserId == _userId);

        var rightOnB = await VerifyAsync(Instances.B, Pin);
        Instances.Time.Advance(lockEnd - Instances.Time.GetUtcNow() - TimeSpan.FromSeconds(1));
        var rightOnAJustBeforeTheEnd = await VerifyAsync(Instances.A, Pin);

        rightOnB.Outcome.Should().Be(SupportPinVerificationOutcome.LockedOut, "the lock holds on the other instance, even for the right PIN: " + rightOnB);
        rightOnB.LockedUntil.Should().Be(lockEnd);
        rightOnAJustBeforeTheEnd.Outcome.Should().Be(SupportPinVerificationOutcome.LockedOut, rightOnAJustBeforeTheEnd.ToString());
        (await FindAsync(Instances.A)).SupportPinLockout.FailedCount.Should().Be(MaxFailedAttempts, "refusals under the lock compare and count nothing");

        Instances.Time.Advance(TimeSpan.FromSeconds(2));
        var afterTheLock = await VerifyAsync(Instances.B, Pin);

        afterTheLock.IsVerified.Should().BeTrue(afterTheLock.ToString());
        afterTheLock.UserId.Should().Be(_userId);
        (await FindAsync(Instances.A)).SupportPinLockout.Should().Be(FactorLockoutState.Clear, "the right PIN resets the count");
    }

    [Test]
    public async Task SetPin_OnInstanceA_IsThePinInstanceBVerifies()
    {
        var set = await Instances.A.RunAsync(sp => sp.GetRequiredService<ISupportPinService>().SetPinAsync(_userId, Password, Pin, Pin));
        set.Succeeded.Should().BeTrue(set.ToString());

        var byId = await VerifyAsync(Instances.B, Pin);
        var byEmail = await Instances.B.RunAsync(sp => sp.GetRequiredService<ISupportPinService>().VerifyByEmailAsync(AgentId, Email, Pin));

        byId.IsVerified.Should().BeTrue(byId.ToString());
        byEmail.IsVerified.Should().BeTrue(byEmail.ToString());
        Instances.B.Events.OfType(SecurityEventType.SupportPinVerified).Should().HaveCount(2);
    }

    private Task<SupportPinVerificationResult> VerifyAsync(AppInstance instance, string pin) =>
        instance.RunAsync(sp => sp.GetRequiredService<ISupportPinService>().VerifyByUserIdAsync(AgentId, _userId, pin));

    private async Task<UserAccount> FindAsync(AppInstance instance) =>
        (await instance.RunAsync(sp => sp.GetRequiredService<IUserStore>().FindByIdAsync(_userId, CancellationToken.None)))!;

    /// <summary>Distinct six-digit PINs, none of them the account's.</summary>
    private static List<string> WrongPins(int count) =>
        [.. Enumerable.Range(1, count).Select(i => ((100_003 + (i * 7919)) % 1_000_000).ToString("D6", CultureInfo.InvariantCulture))];
}
