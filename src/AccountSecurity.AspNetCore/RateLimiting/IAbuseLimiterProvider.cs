using System.Threading.RateLimiting;
using AccountSecurity.AspNetCore.DependencyInjection;

namespace AccountSecurity.AspNetCore.RateLimiting;

/// <summary>
/// Where <see cref="AccountSecurityRateLimiter"/> takes its partitioned limiters from: one per abuse limit (an operation,
/// per client address or per account). In-process limiters are the default
/// (<see cref="InProcessAbuseLimiterProvider"/>: one machine, no server); the <c>AccountSecurity.Redis</c> package
/// supplies limiters shared by every instance of the application (<c>UseRedisAbuseLimits</c>).
/// </summary>
/// <remarks>
/// A limiter it returns is asked with a partition key (a client address, an upper-cased e-mail or user id, a trusted
/// device's id with its account) and must refuse when <see cref="AbuseLimit.PermitLimit"/> attempts were counted in the
/// current <see cref="AbuseLimit.Window"/>. It must never throw for a key, never keep or log a key in clear outside the
/// process, and answer within a bound the host can live with (a request waits for it).
/// </remarks>
public interface IAbuseLimiterProvider
{
    /// <summary>
    /// Creates the limiter of one abuse limit. Called once per limit when the rate limiter is built; the rate limiter
    /// owns and disposes the result.
    /// </summary>
    /// <param name="name">
    /// The limit's stable name (<c>sign-in.client</c>, <c>sign-in.account</c>, <c>password-reset.client</c>, …): lower-case
    /// ASCII, never a partition key, so a shared store may use it in its key names.
    /// </param>
    /// <param name="limit">Attempts per window.</param>
    PartitionedRateLimiter<string> CreateLimiter(string name, AbuseLimit limit);
}

/// <summary>
/// The default <see cref="IAbuseLimiterProvider"/>: the platform's fixed-window limiters in this process's memory. Exact
/// on one instance; behind a load balancer with N instances each counts only what reaches it (N times every limit).
/// Partition keys never leave the process.
/// </summary>
public sealed class InProcessAbuseLimiterProvider : IAbuseLimiterProvider
{
    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="name"/> or <paramref name="limit"/> is <see langword="null"/>.</exception>
    public PartitionedRateLimiter<string> CreateLimiter(string name, AbuseLimit limit)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(limit);
        var permits = limit.PermitLimit;
        var window = limit.Window;
        return PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = window,
            QueueLimit = 0,
            AutoReplenishment = true,
        }), StringComparer.Ordinal);
    }
}
