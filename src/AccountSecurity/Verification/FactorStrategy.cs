using AccountSecurity.Accounts;
using AccountSecurity.Lockout;
using AccountSecurity.Passwords.Hashing;

namespace AccountSecurity.Verification;

/// <summary>What a strategy's comparison found. Only <see cref="Match"/> leads to a success write.</summary>
internal enum FactorComparison
{
    /// <summary>The secret is valid for the reserved state.</summary>
    Match,

    /// <summary>The secret is wrong (or there is nothing it could match): a failed guess.</summary>
    Wrong,

    /// <summary>The secret is valid but already used: no guess, refunded, reported as a replay.</summary>
    Replayed,

    /// <summary>
    /// The comparison was refused before it was made (a limiter on the hashing work said no): no guess was compared,
    /// so the pipeline gives the reserved attempt back and answers <see cref="FactorStatus.Busy"/>.
    /// </summary>
    Busy,
}

/// <summary>What a strategy decided on the fresh state of the success write.</summary>
internal readonly record struct FactorAcceptance(FactorStatus Status, UserAccount? Next)
{
    /// <summary>Write <paramref name="next"/> (the success's changes on the fresh state; the pipeline clears the count).</summary>
    public static FactorAcceptance Accept(UserAccount next) => new(FactorStatus.Verified, next);

    /// <summary>A concurrent request used this secret first: the loser is told a replay, and refunded.</summary>
    public static FactorAcceptance Replayed { get; } = new(FactorStatus.Replayed, null);

    /// <summary>What was verified is no longer the factor's secret (changed or removed since the comparison).</summary>
    public static FactorAcceptance Unavailable { get; } = new(FactorStatus.Unavailable, null);
}

/// <summary>
/// One factor for <see cref="FactorVerification"/>: how to compare its secret with a user's stored state, what success
/// changes, and what it reports. A strategy is built per verification (it holds the submitted secret and what its
/// comparison found) and is never given the store: the pipeline counts the attempt before it may compare
/// (<see cref="FactorAttemptGate"/>) and writes the success itself, re-checked on fresh state
/// (<see cref="FactorSuccessWrite"/>). A new factor is one subclass and one <see cref="AuthenticationFactor"/> value.
/// </summary>
internal abstract class FactorStrategy
{
    private bool _compared;

    /// <summary>The factor whose count this verification reserves, clears and reports.</summary>
    public abstract AuthenticationFactor Factor { get; }

    /// <summary>
    /// The device the attempt comes from (a presented device token, or the device a sign-in ticket recorded): when it
    /// is trusted on the account, the attempt counts in that device's own budget. <see langword="null"/> (the default):
    /// the account's untrusted budget.
    /// </summary>
    public DeviceClaim? Device { get; init; }

    /// <summary>Who is acting, for the lock event (a support agent); <see langword="null"/> for the user themselves.</summary>
    public virtual string? ActorId => null;

    /// <summary>The lockout settings of <see cref="Factor"/>; a factor the options do not list overrides this.</summary>
    public virtual FactorLockoutOptions LockoutOptions(LockoutOptions options) => options.For(Factor);

    /// <summary>
    /// The turn at the hashing limiter this verification of <paramref name="user"/> needs, taken before the attempt is
    /// counted, so that a machine at capacity (or an account that already has a check in flight: one account, one
    /// place) answers busy with nothing counted (and no refund to get right). <see langword="null"/> (the default)
    /// for factors whose comparison is cheap; a refused lease makes the pipeline answer
    /// <see cref="FactorStatus.Overloaded"/>. The pipeline disposes it once the comparison is done.
    /// </summary>
    public virtual ValueTask<HashingLease?> AcquireCapacityAsync(UserAccount user, CancellationToken cancellationToken) => ValueTask.FromResult<HashingLease?>(null);

    /// <summary>
    /// Called instead of a comparison when none is made (locked, busy, the account vanished), for factors whose every
    /// answer must cost the same work (the password's dummy bcrypt). Nothing by default.
    /// </summary>
    public virtual ValueTask NoComparisonAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>
    /// Whether a reservation made on <paramref name="reserved"/> still stands in the count of <paramref name="current"/>
    /// (no success or reset cleared it since), so that a refund cannot give back someone else's attempt. The default,
    /// for factors whose success leaves no trace in their material, is "cannot tell": no refund, erring toward the lock.
    /// </summary>
    public virtual bool StillCounted(UserAccount reserved, UserAccount current) => false;

    /// <summary>Reports a wrong secret (before the lock event, when this failure locked). Nothing by default.</summary>
    public virtual ValueTask WrongAsync(UserAccount user, CancellationToken cancellationToken) => default;

    /// <summary>Reports a replay (after its refund). Nothing by default.</summary>
    public virtual ValueTask ReplayedAsync(UserAccount user, CancellationToken cancellationToken) => default;

    /// <summary>Reports a success, with the state as written. Nothing by default.</summary>
    public virtual ValueTask VerifiedAsync(UserAccount stored, CancellationToken cancellationToken) => default;

    /// <summary>
    /// The pipeline's only door to <see cref="CompareAsync"/>: it refuses to compare without a reservation that stands,
    /// so no caller (and no strategy) can compare a guess that was not counted first.
    /// </summary>
    internal ValueTask<FactorComparison> CompareReservedAsync(UserAccount decidedOn, FactorReservation reservation, CancellationToken cancellationToken)
    {
        if (reservation.Status != ReservationStatus.Reserved || reservation.User is null)
        {
            throw new InvalidOperationException("A factor's secret is compared only after its attempt was reserved.");
        }

        if (_compared)
        {
            throw new InvalidOperationException("A factor strategy compares once: build one per verification.");
        }

        _compared = true;
        return CompareAsync(decidedOn, reservation.User, cancellationToken);
    }

    /// <summary>The success decision, only after a <see cref="FactorComparison.Match"/>.</summary>
    internal FactorAcceptance AcceptMatched(UserAccount current) =>
        _compared ? Accept(current) : throw new InvalidOperationException("A factor's success is decided only after its comparison.");

    /// <summary>
    /// Compares the submitted secret with <paramref name="reserved"/>, the state the reservation wrote.
    /// <paramref name="decidedOn"/> is the state the caller decided on (to tell a secret a concurrent request used
    /// first from a guess). Never writes; may remember what success must write (a matched step, an upgraded hash).
    /// </summary>
    protected abstract ValueTask<FactorComparison> CompareAsync(UserAccount decidedOn, UserAccount reserved, CancellationToken cancellationToken);

    /// <summary>
    /// On <paramref name="current"/>, the fresh state of the success write: the factor's own re-check (the secret that
    /// matched is still the factor's; a one-time secret is still unused) and its success changes. A pure function of
    /// <paramref name="current"/>: it may run again on a conflict. The count is cleared by the pipeline, not here.
    /// </summary>
    protected abstract FactorAcceptance Accept(UserAccount current);
}
