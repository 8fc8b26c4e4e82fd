using AccountSecurity.Accounts;

namespace AccountSecurity.Lockout;

/// <summary>
/// The lockout arithmetic, pure and shared by every factor. An attempt is counted <em>before</em> the secret is
/// compared ("reserved"): however many attempts race, no more than <see cref="FactorLockoutOptions.MaxFailedAttempts"/>
/// are ever compared before the factor locks. A success then clears the count.
/// </summary>
internal static class FactorLockout
{
    public static FactorLockoutState Get(UserAccount user, AuthenticationFactor factor) => user.Lockouts.Get(factor);

    public static UserAccount With(UserAccount user, AuthenticationFactor factor, FactorLockoutState state) =>
        user with { Lockouts = user.Lockouts.With(factor, state) };

    /// <summary>
    /// Counts one attempt as failed in advance. Returns <see langword="false"/> with the lock's end when the factor
    /// is locked (nothing may be compared). Otherwise returns the state to store before comparing; when
    /// <paramref name="locksIfFails"/> is set, that state already holds the lock this attempt triggers if it fails.
    /// </summary>
    public static bool TryReserve(
        FactorLockoutState state,
        DateTimeOffset now,
        FactorLockoutOptions options,
        out FactorLockoutState reserved,
        out DateTimeOffset lockedUntil,
        out bool locksIfFails)
    {
        if (state.IsLockedAt(now))
        {
            reserved = state;
            lockedUntil = state.LockoutEnd!.Value;
            locksIfFails = false;
            return false;
        }

        // A lock that has run out starts a fresh count; the lock count stays so the next lock lasts longer.
        var failed = state.LockoutEnd is null ? state.FailedCount : 0;
        var count = failed + 1;
        locksIfFails = count >= options.MaxFailedAttempts;
        lockedUntil = default;
        reserved = locksIfFails
            ? new FactorLockoutState(count, now + options.DurationOfLock(state.LockoutCount + 1), state.LockoutCount + 1)
            : new FactorLockoutState(count, null, state.LockoutCount);
        return true;
    }

    /// <summary>
    /// Gives back one reserved attempt whose secret turned out valid (it lost a race, or was a replay), on the state
    /// stored now. <paramref name="reserved"/> is the state the reservation wrote. The caller has established that no
    /// success or reset cleared the count since that reservation, so the attempt still stands in
    /// <paramref name="current"/>. The count never goes below zero. A lock is lifted (and the number of locks in a row
    /// given back) only when this very reservation set it in advance and what remains of the count stays below the
    /// limit: a lock that a real failure set, or that the remaining real failures and attempts in flight reach on
    /// their own, stands.
    /// </summary>
    public static FactorLockoutState Refund(FactorLockoutState current, FactorLockoutState reserved, bool reservationLocked, FactorLockoutOptions options)
    {
        var count = Math.Max(0, current.FailedCount - 1);
        var ownLock = reservationLocked
            && current.LockoutEnd is not null
            && current.LockoutEnd == reserved.LockoutEnd
            && current.LockoutCount == reserved.LockoutCount;
        if (ownLock && count < options.MaxFailedAttempts)
        {
            return new FactorLockoutState(count, null, Math.Max(0, current.LockoutCount - 1));
        }

        return current with { FailedCount = count };
    }
}
