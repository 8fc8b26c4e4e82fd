namespace AccountSecurity.Sessions;

/// <summary>
/// The host's bounds and defaults for server-side sessions (<c>AccountSecurityOptions.Sessions</c>). The defaults meet
/// NIST SP 800-63B-4 at AAL2 (reauthentication after at most 1 hour unused and at most 24 hours in all) and OWASP ASVS
/// 5.0 V7.3: a session ends after 30 minutes unused and 12 hours in all, and a user holds at most 10 at once.
/// Validated at start-up.
/// </summary>
public sealed class SessionOptions
{
    /// <summary>
    /// Ten years: the longest lifetime or retention the options accept, beyond any sensible setting and far enough from
    /// <see cref="TimeSpan.MaxValue"/> that adding it to the clock (expiry) or subtracting it (clean-up) cannot overflow.
    /// </summary>
    private static readonly TimeSpan Longest = TimeSpan.FromDays(3650);

    /// <summary>How long a session may sit unused, unless the contract sets otherwise. Default 30 minutes.</summary>
    public TimeSpan DefaultIdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>The shortest idle timeout a contract may set. Default 5 minutes.</summary>
    public TimeSpan MinIdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The longest idle timeout a contract may set. Default 1 hour (NIST SP 800-63B-4, AAL2).</summary>
    public TimeSpan MaxIdleTimeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a session may last whatever its use, unless the contract sets otherwise. Default 12 hours.</summary>
    public TimeSpan DefaultAbsoluteLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>The shortest absolute lifetime a contract may set. Default 1 hour.</summary>
    public TimeSpan MinAbsoluteLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The longest absolute lifetime a contract may set. Default 24 hours (NIST SP 800-63B-4, AAL2); at most 3650 days.</summary>
    public TimeSpan MaxAbsoluteLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How many sessions a user may hold at once, unless the contract sets otherwise. Default 10.</summary>
    public int DefaultMaxSessionsPerUser { get; set; } = 10;

    /// <summary>The most a contract may allow. Default 100.</summary>
    public int MaxSessionsPerUserLimit { get; set; } = 100;

    /// <summary>
    /// How often "last seen" is written per session at most: a request within this interval of the last write reads
    /// only. Default 1 minute; at most a fifth of <see cref="MinIdleTimeout"/>. "Last seen" lags by at most this
    /// interval, so a session may end up to this much before its idle timeout, never after it.
    /// </summary>
    public TimeSpan LastSeenWriteInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long an ended or expired session stays in the store before clean-up deletes it. Default 1 day; 0 to 3650 days.</summary>
    public TimeSpan RetainEndedFor { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How many sessions one clean-up statement deletes at most. Default 500.</summary>
    public int CleanUpBatchSize { get; set; } = 500;

    internal IEnumerable<string> Validate()
    {
        if (MinIdleTimeout <= TimeSpan.Zero || MinIdleTimeout > DefaultIdleTimeout || DefaultIdleTimeout > MaxIdleTimeout)
        {
            yield return "Sessions: 0 < MinIdleTimeout <= DefaultIdleTimeout <= MaxIdleTimeout must hold.";
        }

        if (MinAbsoluteLifetime <= TimeSpan.Zero || MinAbsoluteLifetime > DefaultAbsoluteLifetime || DefaultAbsoluteLifetime > MaxAbsoluteLifetime)
        {
            yield return "Sessions: 0 < MinAbsoluteLifetime <= DefaultAbsoluteLifetime <= MaxAbsoluteLifetime must hold.";
        }

        if (MaxAbsoluteLifetime > Longest)
        {
            yield return "Sessions.MaxAbsoluteLifetime must be at most 3650 days.";
        }

        if (MaxIdleTimeout > MaxAbsoluteLifetime)
        {
            yield return "Sessions.MaxIdleTimeout must not exceed MaxAbsoluteLifetime.";
        }

        if (DefaultMaxSessionsPerUser < 1 || DefaultMaxSessionsPerUser > MaxSessionsPerUserLimit)
        {
            yield return "Sessions: 1 <= DefaultMaxSessionsPerUser <= MaxSessionsPerUserLimit must hold.";
        }

        if (LastSeenWriteInterval <= TimeSpan.Zero || LastSeenWriteInterval.Ticks > MinIdleTimeout.Ticks / 5)
        {
            yield return "Sessions.LastSeenWriteInterval must be positive and at most a fifth of MinIdleTimeout.";
        }

        if (RetainEndedFor < TimeSpan.Zero || RetainEndedFor > Longest)
        {
            yield return "Sessions.RetainEndedFor must be between 0 and 3650 days.";
        }

        if (CleanUpBatchSize is < 1 or > 10_000)
        {
            yield return "Sessions.CleanUpBatchSize must be between 1 and 10000.";
        }
    }
}
