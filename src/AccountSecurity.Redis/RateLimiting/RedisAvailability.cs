using System.Diagnostics.Metrics;
using AccountSecurity.Events;
using AccountSecurity.Redis.Diagnostics;
using Microsoft.Extensions.Logging;

namespace AccountSecurity.Redis.RateLimiting;

/// <summary>Why a check was answered by the in-process fallback (the metric's bounded <c>reason</c> tag).</summary>
internal enum FallbackReason
{
    /// <summary>The connection is down (or not yet up): nothing was sent.</summary>
    Disconnected,

    /// <summary>Redis did not answer within <see cref="RedisAbuseLimitOptions.Timeout"/>.</summary>
    Timeout,

    /// <summary>Redis or the client answered with an error.</summary>
    Error,

    /// <summary>A recent failure: the checks stay on the fallback until <see cref="RedisAbuseLimitOptions.RetryInterval"/> has passed.</summary>
    RetryPending,
}

/// <summary>
/// Whether the shared limits are tried now, in one place for every limit of the application: after a timeout or an error
/// the checks go to the in-process fallback for <see cref="RedisAbuseLimitOptions.RetryInterval"/> (so a slow Redis costs
/// one timeout per interval, not one per request), then one tries Redis again; while the client knows the connection is
/// down (or not yet up), each check goes to the fallback at once and the first one after it reconnects uses Redis. Logs the change of state once each way and counts
/// every check that fell back (<see cref="FallbacksCounterName"/>, tagged with the limit's name and the reason only).
/// </summary>
internal sealed class RedisAvailability : IDisposable
{
    /// <summary>The counter of checks answered by the in-process fallback, on the library's meter.</summary>
    public const string FallbacksCounterName = "accountsecurity.abuse_limits.fallbacks";

    private readonly TimeProvider _time;
    private readonly TimeSpan _retryInterval;
    private readonly ILogger _logger;
    private readonly Meter _meter;
    private readonly Counter<long> _fallbacks;
    private long _retryAt;
    private int _down;

    public RedisAvailability(TimeProvider time, TimeSpan retryInterval, ILogger logger, IMeterFactory? meterFactory)
    {
        _time = time;
        _retryInterval = retryInterval;
        _logger = logger;
        _meter = meterFactory?.Create(MetricsSecurityEventSink.MeterName) ?? new Meter(MetricsSecurityEventSink.MeterName);
        _fallbacks = _meter.CreateCounter<long>(FallbacksCounterName, unit: "{check}", description: "Abuse-limit checks answered by the in-process fallback because Redis did not answer, by limit and reason.");
    }

    /// <summary>Whether the shared limits are in use (no failure since the last answer).</summary>
    public bool IsShared => Volatile.Read(ref _down) == 0;

    /// <summary>Whether a check should ask Redis now: always while it answers, once per retry interval after a failure.</summary>
    public bool ShouldTry() => Volatile.Read(ref _down) == 0 || _time.GetTimestamp() >= Volatile.Read(ref _retryAt);

    /// <summary>Redis answered a check.</summary>
    public void Succeeded()
    {
        if (Interlocked.Exchange(ref _down, 0) == 1)
        {
            Log.SharedAgain(_logger);
        }
    }

    /// <summary>A check of <paramref name="limit"/> was answered by the fallback for <paramref name="reason"/>.</summary>
    public void FellBack(string limit, FallbackReason reason)
    {
        _fallbacks.Add(1, new KeyValuePair<string, object?>("accountsecurity.abuse_limit", limit), new KeyValuePair<string, object?>("accountsecurity.reason", ReasonName(reason)));
        if (reason == FallbackReason.RetryPending)
        {
            return;
        }

        // A known-down connection costs nothing to ask again (the client reports it reconnected), so only a timeout or an
        // error, which made a request wait, holds the checks off Redis for the retry interval.
        if (reason != FallbackReason.Disconnected)
        {
            Volatile.Write(ref _retryAt, _time.GetTimestamp() + (long)(_retryInterval.TotalSeconds * _time.TimestampFrequency));
        }

        if (Interlocked.Exchange(ref _down, 1) == 0)
        {
            Log.FellBack(_logger, limit, ReasonName(reason), _retryInterval);
        }
    }

    public void Dispose() => _meter.Dispose();

    private static string ReasonName(FallbackReason reason) => reason switch
    {
        FallbackReason.Disconnected => "disconnected",
        FallbackReason.Timeout => "timeout",
        FallbackReason.Error => "error",
        _ => "retry_pending",
    };
}
