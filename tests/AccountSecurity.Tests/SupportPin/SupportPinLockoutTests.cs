using AccountSecurity.Events;
using AccountSecurity.Lockout;
using AccountSecurity.Results;
using AccountSecurity.SupportPin;
using AccountSecurity.Testing;

namespace AccountSecurity.Tests.SupportPin;

public sealed class SupportPinLockoutTests
{
    private const string Pin = "582039";
    private const string WrongPin = "730461";
    private const string User = SupportPinTestHost.UserId;
    private const string Agent = SupportPinTestHost.Agent;

    private static async Task<SupportPinVerificationResult> FailAsync(SupportPinTestHost host, int times)
    {
        SupportPinVerificationResult last = null!;
        for (var i = 0; i < times; i++)
        {
            last = await host.Pins.VerifyByUserIdAsync(Agent, User, WrongPin);
        }

        return last;
    }

    [Test]
    public async Task FifthWrongPin_LocksForFiveMinutes_AndRaisesLockedOutEventWithAgent()
    {
        await using var host = await SupportPinTestHost.CreateAsync();
        await host.SetPinAsync(Pin);

        var fourth = await FailAsync(host, 4);
        fourth.LockedOutUntil.Should().BeNull();
        var fifth = await FailAsync(host, 1);

        fifth.Outcome.Should().Be(SupportPinVerificationOutcome.WrongPin);
        fifth.LockedOutUntil.Should().Be(host.Time.GetUtcNow() + TimeSpan.FromMinutes(5));
        host.Events.OfType(SecurityEventType.LockedOut).Should().ContainSingle()
            .Which.Should().Match<SecurityEvent>(e => e.ActorId == Agent && e.UserId == User && e.Factor == AccountSecurity.Lockout.AuthenticationFactor.SupportPin);
        (await host.Pins.GetStatusAsync(User)).Value.VerificationLockedUntil.Should().Be(fifth.LockedOutUntil);
    }

    [Test]
    public async Task LockedAccount_RefusesTheRightPin_UntilTheLockEnds_ThenAcceptsItAndResetsTheCount()
    {
        await using var host = await SupportPinTestHost.CreateAsync();
        await host.SetPinAsync(Pin);
        var until = (await FailAsync(host, 5)).LockedOutUntil!.Value;
        host.Hasher.Reset();

        var whileLocked = await host.Pins.VerifyByUserIdAsync(Agent, User, Pin);
        host.Time.Advance(until - host.Time.GetUtcNow() - TimeSpan.FromSeconds(1));
        var justBeforeEnd = await host.Pins.VerifyByEmailAsync(Agent, SupportPinTestHost.Email, Pin);

        foreach (var refused in new[] { whileLocked, justBeforeEnd })
        {
            refused.Outcome.Should().Be(SupportPinVerificationOutcome.LockedOut);
            refused.ErrorCode.Should().Be(SecurityErrorCodes.LockedOut);
            refused.LockedOutUntil.Should().Be(until);
        }

        host.Hasher.Verifications.Should().Be(0, "a locked account compares nothing, not even the right PIN");
        host.Events.OfType(SecurityEventType.SupportPinVerificationFailed).Where(e => e.Outcome == SecurityErrorCodes.LockedOut).Should().HaveCount(2);

        host.Time.Advance(TimeSpan.FromSeconds(1));
        var afterEnd = await host.Pins.VerifyByUserIdAsync(Agent, User, Pin);

        afterEnd.Succeeded.Should().BeTrue();
        (await host.UserAsync()).Lockouts[AuthenticationFactor.SupportPin].Should().Be(AccountSecurity.Accounts.FactorLockoutState.Clear);
    }

    [Test]
    public async Task CorrectPin_ResetsTheFailureCount()
    {
        await using var host = await SupportPinTestHost.CreateAsync();
        await host.SetPinAsync(Pin);

        await FailAsync(host, 4);
        (await host.Pins.VerifyByUserIdAsync(Agent, User, Pin)).Succeeded.Should().BeTrue();
        var afterFourMore = await FailAsync(host, 4);

        afterFourMore.LockedOutUntil.Should().BeNull();
        (await host.UserAsync()).Lockouts[AuthenticationFactor.SupportPin].FailedCount.Should().Be(4);
        (await host.Pins.VerifyByUserIdAsync(Agent, User, Pin)).Succeeded.Should().BeTrue();
    }

    [Test]
    public async Task RepeatedLocks_LastLongerEachTime_UpToTheMaximum()
    {
        await using var host = await SupportPinTestHost.CreateAsync(o => o.Lockout.SupportPin.MaxLockoutDuration = TimeSpan.FromMinutes(15));
        await host.SetPinAsync(Pin);

        var durations = new List<TimeSpan>();
        for (var round = 0; round < 4; round++)
        {
            var until = (await FailAsync(host, 5)).LockedOutUntil!.Value;
            durations.Add(until - host.Time.GetUtcNow());
            host.Time.Advance(until - host.Time.GetUtcNow());
        }

        durations.Should().Equal(TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(15));
    }

    [TestCase(1)]
    [TestCase(3)]
    [TestCase(10)]
    public async Task MaxFailedAttempts_IsConfigurable(int max)
    {
        await using var host = await SupportPinTestHost.CreateAsync(o => o.Lockout.SupportPin.MaxFailedAttempts = max);
        await host.SetPinAsync(Pin);

        if (max > 1)
        {
            (await FailAsync(host, max - 1)).LockedOutUntil.Should().BeNull();
        }

        (await FailAsync(host, 1)).LockedOutUntil.Should().NotBeNull();
        (await host.Pins.VerifyByUserIdAsync(Agent, User, Pin)).Outcome.Should().Be(SupportPinVerificationOutcome.LockedOut);
    }

    [Test]
    public async Task NewPin_EndsTheLock_ButTheNextLockStillGrows()
    {
        await using var host = await SupportPinTestHost.CreateAsync();
        await host.SetPinAsync(Pin);
        await FailAsync(host, 5);

        (await host.Pins.SetPinAsync(TestSessions.Of(User), SupportPinTestHost.Password, "904715", "904715")).Value.VerificationLockedUntil.Should().BeNull();

        (await host.UserAsync()).Lockouts[AuthenticationFactor.SupportPin].Should().Be(new AccountSecurity.Accounts.FactorLockoutState(0, null, 1));
        var until = (await FailAsync(host, 5)).LockedOutUntil;
        until.Should().Be(host.Time.GetUtcNow() + TimeSpan.FromMinutes(10), "the second lock in a row lasts twice as long");
        host.Time.Advance(TimeSpan.FromMinutes(10));
        (await host.Pins.VerifyByUserIdAsync(Agent, User, "904715")).Succeeded.Should().BeTrue();
    }

    // One process gives an account one hashing place at a time (issue 23): of concurrent checks for one account, those
    // arriving while another is in flight are answered busy, with a retry-after, before anything is counted. So here
    // every guess is compared and counted exactly, or answered busy and counted not at all; the race of guesses through
    // the counter itself (several app instances on one store) is proved in FactorPipelineTests for every factor.

    [TestCase(5)]
    [TestCase(3)]
    public async Task ThousandConcurrentWrongGuesses_CompareAtMostTheConfiguredNumber_AndAnswerAllOthersLockedOrBusy(int max)
    {
        await using var host = await SupportPinTestHost.CreateAsync(o => o.Lockout.SupportPin.MaxFailedAttempts = max);
        await host.SetPinAsync(Pin);

        using var start = new ManualResetEventSlim();
        var guesses = Enumerable.Range(0, 1000).Select(i => Task.Run(async () =>
        {
            start.Wait();
            var (scope, pins) = host.NewRequest();
            await using (scope)
            {
                // Every guess is wrong and distinct from the PIN.
                var guess = (100_000 + ((i * 7919) % 899_999)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return await pins.VerifyByUserIdAsync(Agent, User, guess == Pin ? WrongPin : guess);
            }
        })).ToArray();
        start.Set();
        var results = await Task.WhenAll(guesses);

        host.Hasher.Verifications.Should().BeInRange(1, max);
        var compared = results.Where(r => r.Outcome == SupportPinVerificationOutcome.WrongPin).ToArray();
        compared.Should().HaveCount(host.Hasher.Verifications, "only compared guesses may be answered as wrong");
        results.Where(r => r.Outcome != SupportPinVerificationOutcome.WrongPin).Should().HaveCount(1000 - compared.Length)
            .And.OnlyContain(r => r.Outcome == SupportPinVerificationOutcome.LockedOut || (r.ErrorCode == SecurityErrorCodes.Busy && r.RetryAfter != null));
        results.Should().NotContain(r => r.Succeeded);
        (await host.UserAsync()).Lockouts[AuthenticationFactor.SupportPin].FailedCount.Should().Be(compared.Length, "busy answers count nothing");
        await FailAsync(host, max - compared.Length);
        host.Hasher.Verifications.Should().Be(max, "the limit holds across the burst and what follows it");
        (await host.Pins.VerifyByUserIdAsync(Agent, User, Pin)).Outcome.Should().Be(SupportPinVerificationOutcome.LockedOut);
    }

    [Test]
    public async Task ConcurrentWrongGuesses_BelowTheLimit_AreCountedExactly_AndBusyOnesNotAtAll()
    {
        await using var host = await SupportPinTestHost.CreateAsync(o => o.Lockout.SupportPin.MaxFailedAttempts = 100);
        await host.SetPinAsync(Pin);

        using var start = new ManualResetEventSlim();
        var guesses = Enumerable.Range(0, 40).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            var (scope, pins) = host.NewRequest();
            await using (scope)
            {
                return await pins.VerifyByUserIdAsync(Agent, User, WrongPin);
            }
        })).ToArray();
        start.Set();
        var results = await Task.WhenAll(guesses);

        var wrong = results.Count(r => r.Outcome == SupportPinVerificationOutcome.WrongPin);
        wrong.Should().BeGreaterThan(0);
        results.Where(r => r.Outcome != SupportPinVerificationOutcome.WrongPin).Should().OnlyContain(r => r.ErrorCode == SecurityErrorCodes.Busy && r.RetryAfter != null);
        (await host.UserAsync()).Lockouts[AuthenticationFactor.SupportPin].FailedCount.Should().Be(wrong);
        host.Hasher.Verifications.Should().Be(wrong);
    }

    [Test]
    public async Task ConcurrentRightAndWrongGuesses_NeverLoseACount()
    {
        // Right PINs clear the count and wrong ones add to it; whatever the interleaving, the stored count equals
        // the wrong guesses after the last success, so it can never exceed the total number of wrong guesses.
        await using var host = await SupportPinTestHost.CreateAsync(o => o.Lockout.SupportPin.MaxFailedAttempts = 100);
        await host.SetPinAsync(Pin);

        var tasks = Enumerable.Range(0, 30).Select(i => Task.Run(async () =>
        {
            var (scope, pins) = host.NewRequest();
            await using (scope)
            {
                return await pins.VerifyByUserIdAsync(Agent, User, i % 3 == 0 ? Pin : WrongPin);
            }
        })).ToArray();
        var results = await Task.WhenAll(tasks);

        var verified = results.Count(r => r.Succeeded);
        var wrong = results.Count(r => r.Outcome == SupportPinVerificationOutcome.WrongPin);
        verified.Should().BeInRange(0, 10);
        wrong.Should().BeInRange(0, 20);
        (verified + wrong).Should().BeGreaterThan(0);
        results.Where(r => !r.Succeeded && r.Outcome != SupportPinVerificationOutcome.WrongPin).Should().OnlyContain(r => r.ErrorCode == SecurityErrorCodes.Busy);
        host.Hasher.Verifications.Should().Be(verified + wrong, "busy answers compare nothing");
        (await host.UserAsync()).Lockouts[AuthenticationFactor.SupportPin].FailedCount.Should().BeInRange(0, wrong);
    }
}
