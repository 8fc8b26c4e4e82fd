using AccountSecurity.Accounts;
using AccountSecurity.Lockout;

namespace AccountSecurity.Tests.Lockout;

/// <summary>The arithmetic of giving back a reserved attempt whose code was valid after all (a lost race, a replay).</summary>
public sealed class FactorLockoutRefundTests
{
    private static readonly DateTimeOffset Now = new(2030, 1, 1, 9, 0, 0, TimeSpan.Zero);

    private static readonly FactorLockoutOptions Options = new() { MaxFailedAttempts = 5, BaseLockoutDuration = TimeSpan.FromMinutes(5) };

    private static (FactorLockoutState Reserved, bool Locks) Reserve(FactorLockoutState state)
    {
        FactorLockout.TryReserve(state, Now, Options, out var reserved, out _, out var locks).Should().BeTrue();
        return (reserved, locks);
    }

    [Test]
    public void Refund_OfAnAttemptBelowTheLimit_TakesExactlyItBack()
    {
        var before = new FactorLockoutState(2, null, 1);
        var (reserved, locks) = Reserve(before);

        FactorLockout.Refund(reserved, reserved, locks, Options).Should().Be(before);
    }

    [Test]
    public void Refund_NeverGoesBelowZero()
    {
        FactorLockout.Refund(FactorLockoutState.Clear, new FactorLockoutState(1, null, 0), reservationLocked: false, Options)
            .Should().Be(FactorLockoutState.Clear);
    }

    [Test]
    public void Refund_OfTheAttemptThatSetTheLockInAdvance_LiftsItAndGivesBackTheLockCount()
    {
        var before = new FactorLockoutState(4, null, 2);
        var (reserved, locks) = Reserve(before);
        locks.Should().BeTrue();
        reserved.IsLockedAt(Now).Should().BeTrue();

        FactorLockout.Refund(reserved, reserved, locks, Options).Should().Be(before);
    }

    [Test]
    public void Refund_WhenAnotherAttemptSetTheLock_KeepsTheLockAndTakesBackOnlyTheCount()
    {
        // Ours reserved the 4th slot; a real failure took the 5th and locked.
        var (ours, oursLocks) = Reserve(new FactorLockoutState(3, null, 0));
        var (locked, _) = Reserve(ours);

        var refunded = FactorLockout.Refund(locked, ours, oursLocks, Options);

        refunded.Should().Be(locked with { FailedCount = 4 });
        refunded.IsLockedAt(Now).Should().BeTrue();
    }

    [Test]
    public void Refund_OfOwnLockWhenRealFailuresAloneReachTheLimit_KeepsTheLock()
    {
        // The limit was lowered while failures stood: they justify the lock on their own.
        var reserved = new FactorLockoutState(8, Now.AddMinutes(5), 1);

        var refunded = FactorLockout.Refund(reserved, reserved, reservationLocked: true, Options);

        refunded.Should().Be(new FactorLockoutState(7, Now.AddMinutes(5), 1));
    }
}
