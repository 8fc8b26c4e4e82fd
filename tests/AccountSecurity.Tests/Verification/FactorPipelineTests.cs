using AccountSecurity.Accounts;
using AccountSecurity.Events;
using AccountSecurity.Lockout;
using AccountSecurity.Passwords;
using AccountSecurity.Passwords.Hashing;
using AccountSecurity.SupportPin;
using AccountSecurity.Tests.SignIn;
using AccountSecurity.TwoFactor;
using AccountSecurity.Verification;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace AccountSecurity.Tests.Verification;

/// <summary>
/// Each rule of the factor pipeline, proved once for every factor: the four the library ships and a fifth that exists
/// only in this test project (<see cref="SecurityQuestionStrategy"/>), plugged in through the same extension point
/// with no change to src/. Comparisons are counted through the strategy (<see cref="CountingStrategy"/>), never timed.
/// </summary>
public sealed class FactorPipelineTests
{
    private const string User = "alice";
    private const int Guesses = 1_000;

    public static IEnumerable<TestCaseData> AllFactors() => FactorCase.All.Select(c => new TestCaseData(c).SetArgDisplayNames(c.Name));

    public static IEnumerable<TestCaseData> OneTimeFactors() => FactorCase.All.Where(c => c.OneTime).Select(c => new TestCaseData(c).SetArgDisplayNames(c.Name));

    [TestCaseSource(nameof(AllFactors))]
    public async Task CountedBeforeCompare_ThousandConcurrentWrongGuesses_ComparesExactlyTheLimitAndLocksOnce(FactorCase factor)
    {
        using var host = await HostAsync();
        var user = await factor.ArrangeAsync(host, User);
        var pipeline = host.Services.GetRequiredService<FactorVerification>();
        var compared = 0;
        host.Events.Clear();

        // Each guess as if on its own app instance sharing the store: one process gives an account one hashing place at a
        // time (issue 23), so there only several instances can race one account's guesses, and the count must hold then too.
        using var instances = new Instances(host);
        var results = await Task.WhenAll(Enumerable.Range(0, Guesses).Select(_ => Task.Run(async () =>
        {
            var instance = instances.Rent();
            try
            {
                return await pipeline.VerifyAsync(user, new CountingStrategy(factor.WrongOn(host, instance), () => Interlocked.Increment(ref compared)), CancellationToken.None);
            }
            finally
            {
                instances.Return(instance);
            }
        })));

        var limit = factor.Limit(host);
        compared.Should().Be(limit, "every guess is counted before it is compared, so no race compares more than the limit");
        results.Count(r => r.Status == FactorStatus.Wrong).Should().Be(limit, "only compared guesses may be answered as wrong");
        results.Count(r => r.Status == FactorStatus.LockedOut).Should().Be(Guesses - limit);
        results.Count(r => r.Status == FactorStatus.Wrong && r.LockedUntil is not null).Should().Be(1, "exactly one failure locks");
        host.Events.OfType(SecurityEventType.LockedOut).Should().ContainSingle().Which.Factor.Should().Be(factor.Factor);
        var stored = await host.GetUserAsync(User);
        stored.Lockouts[factor.Factor].IsLockedAt(host.Time.GetUtcNow()).Should().BeTrue();
        UserSummary.From(stored, host.Time.GetUtcNow()).IsLocked(factor.Factor).Should().BeTrue("the host view shows every factor's lock");
    }

    [TestCaseSource(nameof(AllFactors))]
    public async Task SuccessWrite_AccountDeactivatedBetweenCompareAndWrite_IsNoSuccess(FactorCase factor)
    {
        using var host = await HostAsync();
        var user = await factor.ArrangeAsync(host, User);
        var pipeline = host.Services.GetRequiredService<FactorVerification>();

        var check = await pipeline.VerifyAsync(
            user,
            new CountingStrategy(factor.Right(host), () => { }, () => host.UpdateUserAsync(User, u => u with { IsActive = false })),
            CancellationToken.None);

        check.Status.Should().Be(FactorStatus.Unavailable);
        check.User.Should().BeNull();
        factor.Unspent(user, await host.GetUserAsync(User)).Should().BeTrue("a refused success changes nothing of the factor");
    }

    [TestCaseSource(nameof(AllFactors))]
    public async Task SuccessWrite_StampChangedBetweenCompareAndWrite_IsNoSuccess(FactorCase factor)
    {
        using var host = await HostAsync();
        var user = await factor.ArrangeAsync(host, User);
        var pipeline = host.Services.GetRequiredService<FactorVerification>();

        var check = await pipeline.VerifyAsync(
            user,
            new CountingStrategy(factor.Right(host), () => { }, () => host.UpdateUserAsync(User, u => u with { SecurityStamp = SecurityStamp.New() })),
            CancellationToken.None);

        check.Status.Should().Be(FactorStatus.Unavailable, "a stamp change (sign out everywhere, a credential change) ends what was proven before it");
        factor.Unspent(user, await host.GetUserAsync(User)).Should().BeTrue();
    }

    [TestCaseSource(nameof(AllFactors))]
    public async Task Success_RightSecret_IsWrittenAndClearsOnlyThatFactorsCount(FactorCase factor)
    {
        using var host = await HostAsync();
        var user = await factor.ArrangeAsync(host, User);
        var other = Enum.GetValues<AuthenticationFactor>().First(f => f != factor.Factor);
        await host.UpdateUserAsync(User, u => u with { Lockouts = u.Lockouts.With(factor.Factor, new FactorLockoutState(2, null, 0)).With(other, new FactorLockoutState(1, null, 0)) });
        var pipeline = host.Services.GetRequiredService<FactorVerification>();

        var check = await pipeline.VerifyAsync(await host.GetUserAsync(User), factor.Right(host), CancellationToken.None);

        check.Status.Should().Be(FactorStatus.Verified);
        var stored = await host.GetUserAsync(User);
        check.User.Should().BeEquivalentTo(stored);
        stored.Lockouts[factor.Factor].Should().Be(FactorLockoutState.Clear);
        stored.Lockouts[other].Should().Be(new FactorLockoutState(1, null, 0));
        factor.Unspent(user, stored).Should().Be(!factor.OneTime, "a one-time secret is spent by its success");
    }

    [TestCaseSource(nameof(OneTimeFactors))]
    public async Task OneTimeSecret_RacersAllComparedBeforeAnyWrite_SucceedsOnceAndTheRestAreReplays(FactorCase factor)
    {
        // A limit above the racers, so every racer is reserved and compares; the barrier holds every racer after its
        // comparison until all have compared, so every success write happens after every comparison: only the
        // re-check at the write can tell the one winner.
        const int racers = 100;
        using var host = await HostAsync(o => o.Lockout.SecondFactor.MaxFailedAttempts = racers);
        var user = await factor.ArrangeAsync(host, User);
        var pipeline = host.Services.GetRequiredService<FactorVerification>();
        var arrived = 0;
        var allCompared = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async Task Barrier()
        {
            if (Interlocked.Increment(ref arrived) == racers)
            {
                allCompared.SetResult();
            }

            await allCompared.Task.WaitAsync(TimeSpan.FromSeconds(60));
        }

        host.Events.Clear();

        var results = await Task.WhenAll(Enumerable.Range(0, racers).Select(_ => Task.Run(async () =>
            await pipeline.VerifyAsync(user, new CountingStrategy(factor.Right(host), () => { }, Barrier), CancellationToken.None))));

        results.Count(r => r.IsVerified).Should().Be(1);
        results.Where(r => !r.IsVerified).Should().OnlyContain(r => r.Status == FactorStatus.Replayed);
        host.Events.OfType(SecurityEventType.SecondFactorFailed).Should().BeEmpty("a right secret that lost the race is no guess");
        host.Events.OfType(SecurityEventType.ReplayRejected).Should().HaveCount(racers - 1);
        (await host.GetUserAsync(User)).Lockouts[factor.Factor].Should().Be(FactorLockoutState.Clear, "the winner's success cleared the count");
    }

    [Test]
    public async Task CompareRefusedAsBusy_GivesTheReservedAttemptBackAndCountsNoFailure()
    {
        using var host = await HostAsync();
        var factor = FactorCase.All.Single(c => c.Name == "totp");
        var user = await factor.ArrangeAsync(host, User);
        var pipeline = host.Services.GetRequiredService<FactorVerification>();
        host.Events.Clear();

        var check = await pipeline.VerifyAsync(user, new CountingStrategy(factor.Right(host), () => { }, refuse: true), CancellationToken.None);

        check.Status.Should().Be(FactorStatus.Busy);
        (await host.GetUserAsync(User)).Lockouts[factor.Factor].Should().Be(FactorLockoutState.Clear, "a comparison that never happened is no guess");
        host.Events.OfType(SecurityEventType.SecondFactorFailed).Should().BeEmpty();
    }

    [Test]
    public async Task Strategy_AskedToCompareWithoutAReservation_Refuses()
    {
        using var host = await HostAsync();
        var user = await FactorCase.All[0].ArrangeAsync(host, User);
        var strategy = FactorCase.All[0].Right(host);

        var compare = async () => await strategy.CompareReservedAsync(user, new FactorReservation(ReservationStatus.LockedOut, user, null, false, host.Time.GetUtcNow()), CancellationToken.None);

        await compare.Should().ThrowAsync<InvalidOperationException>();
    }

    private static Task<TwoFactorTestHost> HostAsync(Action<global::AccountSecurity.DependencyInjection.AccountSecurityOptions>? configure = null) =>
        TwoFactorTestHost.CreateAsync(o =>
        {
            o.Stores.MaxConcurrencyRetries = 10_000;
            configure?.Invoke(o);
        });

    /// <summary>
    /// Hashing limiters standing for separate app instances that share the host's store: each rented to one verification
    /// at a time, so that no two concurrent verifications share a process's per-account hashing place.
    /// </summary>
    private sealed class Instances(TwoFactorTestHost host) : IDisposable
    {
        private readonly System.Collections.Concurrent.ConcurrentBag<HashingLimiter> _idle = [];
        private readonly System.Collections.Concurrent.ConcurrentQueue<HashingLimiter> _all = new();

        public HashingLimiter Rent()
        {
            if (_idle.TryTake(out var limiter))
            {
                return limiter;
            }

            limiter = new HashingLimiter(
                host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<global::AccountSecurity.DependencyInjection.AccountSecurityOptions>>(),
                host.Services.GetRequiredService<TimeProvider>());
            _all.Enqueue(limiter);
            return limiter;
        }

        public void Return(HashingLimiter limiter) => _idle.Add(limiter);

        public void Dispose()
        {
            foreach (var limiter in _all)
            {
                limiter.Dispose();
            }
        }
    }

    /// <summary>One factor under test: how to give a user its secret, and strategies with the right and a wrong secret.</summary>
    public sealed class FactorCase
    {
        private const string Pin = "904715";
        private const string Answer = "the blue heron";

        private FactorCase(string name, AuthenticationFactor factor, bool oneTime)
        {
            Name = name;
            Factor = factor;
            OneTime = oneTime;
        }

        private static Dictionary<TwoFactorTestHost, byte[]> Secrets { get; } = [];

        private static Dictionary<TwoFactorTestHost, IReadOnlyList<string>> RecoveryCodesOf { get; } = [];

        internal static IReadOnlyList<FactorCase> All { get; } =
        [
            new("password", AuthenticationFactor.Password, oneTime: false)
            {
                RightOn = (h, hashing) => new PasswordStrategy(hashing, h.Services.GetRequiredService<IPasswordHasher>(), TwoFactorTestHost.UserPassword, Publisher(h), NullLogger.Instance, h.Services.GetRequiredService<CountingTime>()),
                WrongOn = (h, hashing) => new PasswordStrategy(hashing, h.Services.GetRequiredService<IPasswordHasher>(), "Not-The-Password-123!", Publisher(h), NullLogger.Instance, h.Services.GetRequiredService<CountingTime>()),
                Unspent = (before, after) => after.PasswordHash == before.PasswordHash,
            },
            new("totp", AuthenticationFactor.SecondFactor, oneTime: true)
            {
                RightOn = (h, _) => new TotpStrategy(h.Services.GetRequiredService<TotpSecrets>(), h.CodeFor(Secrets[h]), pending: false, Publisher(h)),
                WrongOn = (h, _) => new TotpStrategy(h.Services.GetRequiredService<TotpSecrets>(), h.WrongCodeFor(Secrets[h]), pending: false, Publisher(h)),
                Unspent = (before, after) => after.TwoFactor.LastAcceptedTimeStep == before.TwoFactor.LastAcceptedTimeStep,
            },
            new("recovery code", AuthenticationFactor.SecondFactor, oneTime: true)
            {
                RightOn = (h, _) => new RecoveryCodeStrategy(RecoveryCodesOf[h][0], Publisher(h)),
                WrongOn = (h, _) => new RecoveryCodeStrategy("ZZZZ-ZZZZ", Publisher(h)),
                Unspent = (before, after) => after.TwoFactor.RecoveryCodeHashes.SequenceEqual(before.TwoFactor.RecoveryCodeHashes),
            },
            new("support PIN", AuthenticationFactor.SupportPin, oneTime: false)
            {
                RightOn = (h, hashing) => new SupportPinStrategy(hashing, h.Services.GetRequiredService<ISupportPinHasher>(), Pin, "agent-1", NullLogger.Instance),
                WrongOn = (h, hashing) => new SupportPinStrategy(hashing, h.Services.GetRequiredService<ISupportPinHasher>(), "118264", "agent-1", NullLogger.Instance),
                Unspent = (before, after) => after.SupportPinHash == before.SupportPinHash,
            },
            new("test-only security question", SecurityQuestionStrategy.Factor99, oneTime: false)
            {
                RightOn = (_, _) => new SecurityQuestionStrategy(Answer),
                WrongOn = (_, _) => new SecurityQuestionStrategy("the red fox"),
                Unspent = (_, _) => true,
            },
        ];

        public string Name { get; }

        public AuthenticationFactor Factor { get; }

        public bool OneTime { get; }

        /// <summary>A strategy with the right secret that takes its hashing turns at the given limiter (an app instance's).</summary>
        internal Func<TwoFactorTestHost, HashingLimiter, FactorStrategy> RightOn { get; private init; } = null!;

        /// <summary>A strategy with a wrong secret that takes its hashing turns at the given limiter (an app instance's).</summary>
        internal Func<TwoFactorTestHost, HashingLimiter, FactorStrategy> WrongOn { get; private init; } = null!;

        /// <summary>Whether <c>after</c> still holds the factor's secret as <c>before</c> did (nothing spent, nothing upgraded).</summary>
        internal Func<UserAccount, UserAccount, bool> Unspent { get; private init; } = null!;

        internal int Limit(TwoFactorTestHost host) =>
            Factor == SecurityQuestionStrategy.Factor99
                ? SecurityQuestionStrategy.Options.MaxFailedAttempts
                : host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<global::AccountSecurity.DependencyInjection.AccountSecurityOptions>>().Value.Lockout.For(Factor).MaxFailedAttempts;

        /// <summary>Creates the user with every factor's secret set; returns the stored state.</summary>
        internal async Task<UserAccount> ArrangeAsync(TwoFactorTestHost host, string userId)
        {
            await host.CreateUserAsync(userId);
            var enrolled = await host.EnableTwoFactorAsync(userId);
            lock (Secrets)
            {
                Secrets[host] = enrolled.Secret;
                RecoveryCodesOf[host] = enrolled.RecoveryCodes;
            }

            var pinHash = host.Services.GetRequiredService<ISupportPinHasher>().Hash(Pin);
            await host.UpdateUserAsync(userId, u => u with { SupportPinHash = pinHash });
            return await host.GetUserAsync(userId);
        }

        /// <summary>A strategy with the right secret, on the host's own hashing limiter.</summary>
        internal FactorStrategy Right(TwoFactorTestHost host) => RightOn(host, host.Services.GetRequiredService<HashingLimiter>());

        /// <summary>A strategy with a wrong secret, on the host's own hashing limiter.</summary>
        internal FactorStrategy Wrong(TwoFactorTestHost host) => WrongOn(host, host.Services.GetRequiredService<HashingLimiter>());

        public override string ToString() => Name;

        private static SecurityEventPublisher Publisher(TwoFactorTestHost host) => host.Services.GetRequiredService<SecurityEventPublisher>();
    }
}
