using AccountSecurity.Accounts;

namespace AccountSecurity.Lockout;

/// <summary>
/// The lockout arithmetic, pure and shared by every factor. An attempt is counted <em>before</em> the secret is
/// compared ("reserved"): however many attempts race, no more than <see cref="FactorLockoutOptions.MaxFailedAttempts"/>
/// are ever compared before the factor locks. A success then clears the count.
/// </summary>
internal static class FactorLockout
{
    public static FactorLockoutState Get(UserAccount user, AuthenticationFactor factor) => factor switch
    {
        AuthenticationFactor.Password => user.PasswordLockout,
        AuthenticationFactor.SecondFactor => user.SecondFactorLockout,
        AuthenticationFactor.SupportPin => user.SupportPinLockout,
        _ => throw new ArgumentOutOfRangeException(nameof(factor)),
    };

    public static UserAccount With(UserAccount user, AuthenticationFactor factor, FactorLockoutState state) => factor switch
    {
        AuthenticationFactor.Password => user with { PasswordLockout = state },
        AuthenticationFactor.SecondFactor => user with { SecondFactorLockout = state },
        AuthenticationFactor.SupportPin => user with { SupportPinLockout = state },
        _ => throw new ArgumentOutOfRangeException(nameof(factor)),
    };

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
}
