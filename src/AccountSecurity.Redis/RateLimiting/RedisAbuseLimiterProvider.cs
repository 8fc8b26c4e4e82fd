using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using AccountSecurity.AspNetCore.DependencyInjection;
using AccountSecurity.AspNetCore.RateLimiting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AccountSecurity.Redis.RateLimiting;

/// <summary>
/// The abuse limits shared through Redis (<see cref="RedisFixedWindowLimiter"/>), each with the same limit in this
/// process's memory as its fallback (<see cref="InProcessAbuseLimiterProvider"/>) for when Redis does not answer.
/// </summary>
internal sealed class RedisAbuseLimiterProvider : IAbuseLimiterProvider, IDisposable
{
    private readonly RedisAbuseLimitConnection _connection;
    private readonly RedisAbuseLimitOptions _options;
    private readonly TimeProvider _time;
    private readonly RedisAvailability _availability;
    private readonly InProcessAbuseLimiterProvider _fallbacks = new();
    private readonly byte[] _hashKey;

    public RedisAbuseLimiterProvider(RedisAbuseLimitConnection connection, IOptions<RedisAbuseLimitOptions> options, TimeProvider time, ILogger<RedisAbuseLimiterProvider>? logger = null, IMeterFactory? meterFactory = null)
    {
        _connection = connection;
        _options = options.Value;
        _time = time;
        // The timeout and the retry interval are about the network, so they run on real time even when the host's clock
        // is a fake one (a test's): a frozen clock must not make an outage last for ever. The windows follow the host's clock.
        _availability = new RedisAvailability(TimeProvider.System, _options.RetryInterval, logger ?? (ILogger)NullLogger.Instance, meterFactory);

        // Without a configured secret, a key of its own per prefix: still no partition key in clear (see the option).
        _hashKey = _options.PartitionKeySecret is { } secret
            ? HMACSHA256.HashData(secret, "AccountSecurity.Redis partition keys v1"u8)
            : SHA256.HashData(Encoding.UTF8.GetBytes("AccountSecurity.Redis partition keys v1\n" + _options.KeyPrefix));
    }

    /// <summary>Whether the checks are answered by Redis now (no failure since its last answer).</summary>
    internal RedisAvailability Availability => _availability;

    /// <inheritdoc />
    public PartitionedRateLimiter<string> CreateLimiter(string name, AbuseLimit limit)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(limit);
        return new RedisFixedWindowLimiter(name, limit, _connection, _availability, _fallbacks.CreateLimiter(name, limit), _options, _hashKey, _time);
    }

    public void Dispose() => _availability.Dispose();
}
