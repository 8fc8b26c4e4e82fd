using AccountSecurity.Accounts;
using AccountSecurity.Events;
using AccountSecurity.Lockout;
using static AccountSecurity.Tests.TestSupport.TestHost;

namespace AccountSecurity.Tests.Lockout;

public sealed class FactorAttemptGateTests
{
    [Test]
    public async Task ReserveAsync_TwoHundredParallelAttempts_ReservesExactlyMaximum()
    {
        await using var host = Create(o =>
        {
            o.Lockout.SecondFactor.MaxFailedAttempts = 5;
            o.Stores.MaxConcurrencyRetries = 10_000;
        });
        await host.SeedContractAsync();
        var gate = host.Get<FactorAttemptGate>();
        using var start = new ManualResetEventSlim();

        var attempts = Enumerable.Range(0, 200).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            return await gate.ReserveAsync(UserId, AuthenticationFactor.SecondFactor, CancellationToken.None);
        })).ToArray();
        start.Set();
        var results = await Task.WhenAll(attempts);

        results.Count(r => r.Status == ReservationStatus.Reserved).Should().Be(5);
        results.Count(r => r.Status == ReservationStatus.LockedOut).Should().Be(195);
        results.Count(r => r.LocksIfFails).Should().Be(1);
        var stored = await host.UserAsync();
        stored.Lockouts[AuthenticationFactor.SecondFactor].FailedCount.Should().Be(5);
        stored.Lockouts[AuthenticationFactor.SecondFactor].IsLockedAt(host.Time.GetUtcNow()).Should().BeTrue();
        stored.Lockouts[AuthenticationFactor.Password].Should().Be(FactorLockoutState.Clear, "factors are counted apart");
    }

    [Test]
    public async Task ReserveAsync_UnknownUser_ReportsUserNotFound()
    {
        await using var host = Create();

        (await host.Get<FactorAttemptGate>().ReserveAsync("nobody", AuthenticationFactor.Password, CancellationToken.None)).Status.Should().Be(ReservationStatus.UserNotFound);
    }

    [Test]
    public async Task FailedAsync_OnTheLockingAttempt_RaisesLockedOutAndReturnsLockEnd()
    {
        await using var host = Create(o => o.Lockout.SupportPin.MaxFailedAttempts = 2);
        await host.SeedContractAsync();
        var gate = host.Get<FactorAttemptGate>();

        var first = await gate.ReserveAsync(UserId, AuthenticationFactor.SupportPin, CancellationToken.None);
        (await gate.FailedAsync(first, AuthenticationFactor.SupportPin, CancellationToken.None)).Should().BeNull();
        var second = await gate.ReserveAsync(UserId, AuthenticationFactor.SupportPin, CancellationToken.None);
        var lockedUntil = await gate.FailedAsync(second, AuthenticationFactor.SupportPin, CancellationToken.None, actorId: "agent-7");

        lockedUntil.Should().Be(Start + TimeSpan.FromMinutes(5));
        var locked = host.Events.OfType(SecurityEventType.LockedOut).Should().ContainSingle().Subject;
        locked.Factor.Should().Be(AuthenticationFactor.SupportPin);
        locked.ActorId.Should().Be("agent-7");
    }

    [Test]
    public async Task Cleared_AfterSuccess_ResetsOnlyThatFactor()
    {
        await using var host = Create();
        await host.SeedContractAsync();
        var user = await host.ModifyUserAsync(UserId, u => u with
        {
            Lockouts = u.Lockouts
                .With(AuthenticationFactor.Password, new FactorLockoutState(4, null, 1))
                .With(AuthenticationFactor.SecondFactor, new FactorLockoutState(2, null, 0)),
        });

        var cleared = FactorLockout.With(user, AuthenticationFactor.Password, FactorLockoutState.Clear);

        cleared.Lockouts[AuthenticationFactor.Password].Should().Be(FactorLockoutState.Clear);
        cleared.Lockouts[AuthenticationFactor.SecondFactor].Should().Be(new FactorLockoutState(2, null, 0));
    }
}
