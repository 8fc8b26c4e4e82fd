using AccountSecurity.Accounts;

namespace AccountSecurity.Verification;

/// <summary>What became of one factor verification. Every factor answers with these, and each caller maps them once.</summary>
internal enum FactorStatus
{
    /// <summary>The secret matched and the success was written (the count cleared, the factor's changes made).</summary>
    Verified,

    /// <summary>
    /// The secret did not match: the attempt stands as a failure. When this very failure locked the factor,
    /// <see cref="FactorCheck.LockedUntil"/> says until when.
    /// </summary>
    Wrong,

    /// <summary>The secret was valid but already used (a TOTP step accepted before, a recovery code spent, a double submit): refunded, never a failure.</summary>
    Replayed,

    /// <summary>The factor was locked before anything was compared: see <see cref="FactorCheck.LockedUntil"/>.</summary>
    LockedOut,

    /// <summary>
    /// The secret matched, but the fresh state at the success write no longer allows the success: the account was
    /// deactivated, its security stamp or the verified secret changed, or the caller's precondition no longer holds.
    /// </summary>
    Unavailable,

    /// <summary>The store stayed busy (or the comparison refused for load): nothing was decided; the attempt is refunded where that is safe.</summary>
    Busy,

    /// <summary>The account vanished before the attempt could be counted.</summary>
    NotFound,

    /// <summary>
    /// The machine is at its hashing capacity (the <see cref="Passwords.Hashing.HashingLimiter"/> refused a turn):
    /// nothing was counted or compared; try again after <see cref="FactorCheck.RetryAfter"/>.
    /// </summary>
    Overloaded,
}

/// <summary>
/// The one outcome type of <see cref="FactorVerification"/>. <see cref="User"/> is the stored state after a success
/// (<see langword="null"/> otherwise); <see cref="LockedUntil"/> is the lock's end for <see cref="FactorStatus.LockedOut"/>,
/// and for a <see cref="FactorStatus.Wrong"/> secret whose failure locked the factor.
/// </summary>
internal sealed record FactorCheck(FactorStatus Status, UserAccount? User = null, DateTimeOffset? LockedUntil = null, TimeSpan? RetryAfter = null)
{
    public bool IsVerified => Status == FactorStatus.Verified;

    /// <summary>Whether the factor is locked now: it was before the attempt, or this failure locked it.</summary>
    public bool IsLocked => LockedUntil is not null && Status is FactorStatus.LockedOut or FactorStatus.Wrong;

    public static FactorCheck Of(FactorStatus status) => new(status);

    public static FactorCheck Overloaded(TimeSpan retryAfter) => new(FactorStatus.Overloaded, RetryAfter: retryAfter);
}
