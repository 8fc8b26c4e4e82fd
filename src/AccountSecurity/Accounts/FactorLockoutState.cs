namespace AccountSecurity.Accounts;

/// <summary>
/// Failure counting for one authentication factor of one user.
/// </summary>
/// <param name="FailedCount">Failed (or reserved, not yet proven) attempts since the last success or expired lock.</param>
/// <param name="LockoutEnd">When the current lock ends; <see langword="null"/> or in the past when not locked.</param>
/// <param name="LockoutCount">How many locks in a row this factor has had; each makes the next one longer.</param>
public sealed record FactorLockoutState(int FailedCount, DateTimeOffset? LockoutEnd, int LockoutCount)
{
    /// <summary>No failures, no lock.</summary>
    public static FactorLockoutState Clear { get; } = new(0, null, 0);

    /// <summary>Whether the factor is locked at <paramref name="now"/>.</summary>
    public bool IsLockedAt(DateTimeOffset now) => LockoutEnd is { } end && end > now;
}
