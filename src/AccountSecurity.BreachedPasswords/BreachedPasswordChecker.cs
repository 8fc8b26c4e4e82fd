using System.Diagnostics.Metrics;
using AccountSecurity.BreachedPasswords.Sources;
using AccountSecurity.Events;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AccountSecurity.BreachedPasswords;

/// <summary>What a lookup found.</summary>
internal enum BreachVerdict
{
    /// <summary>The suffix is not in the range, or appears fewer than <see cref="BreachedPasswordOptions.MinimumBreachCount"/> times.</summary>
    NotBreached,

    /// <summary>The suffix appears at least <see cref="BreachedPasswordOptions.MinimumBreachCount"/> times.</summary>
    Breached,

    /// <summary>The source could not answer.</summary>
    Unavailable,
}

/// <summary>
/// The one lookup both the password rule and the sign-in screen use: the cache first, then the source; the suffix is
/// compared here and nowhere else (not in constant time: the list it is compared with is public). Never throws but
/// for the caller's own cancellation; an unexpected exception is logged by type and answered as unavailable.
/// </summary>
/// <remarks>
/// Metrics on the meter <c>AccountSecurity</c>: <c>accountsecurity.breached_passwords.lookups</c> (tags <c>outcome</c>:
/// <c>breached</c>, <c>not_breached</c>, <c>unavailable</c>; <c>cache</c>: <c>hit</c>, <c>miss</c>),
/// <c>accountsecurity.breached_passwords.unavailable</c> (tags <c>source</c>, <c>reason</c>, <c>decision</c>) and
/// <c>accountsecurity.breached_passwords.malformed_lines</c> (tag <c>source</c>).
/// </remarks>
internal sealed class BreachedPasswordChecker : IDisposable
{
    private readonly IPwnedRangeSource _source;
    private readonly RangeCache _cache;
    private readonly int _threshold;
    private readonly ILogger _logger;
    private readonly Meter _meter;
    private readonly Counter<long> _lookups;
    private readonly Counter<long> _unavailable;
    private readonly Counter<long> _malformed;

    public BreachedPasswordChecker(IPwnedRangeSource source, IOptions<BreachedPasswordOptions> options, TimeProvider time, ILogger<BreachedPasswordChecker> logger, IMeterFactory? meterFactory = null)
    {
        _source = source;
        _threshold = options.Value.MinimumBreachCount;
        _cache = new RangeCache(options.Value.CacheSize, options.Value.CacheDuration, time);
        _logger = logger;
        _meter = meterFactory?.Create(MetricsSecurityEventSink.MeterName) ?? new Meter(MetricsSecurityEventSink.MeterName);
        _lookups = _meter.CreateCounter<long>("accountsecurity.breached_passwords.lookups", unit: "{lookup}", description: "Breached-password lookups, by outcome and whether the range was cached.");
        _unavailable = _meter.CreateCounter<long>("accountsecurity.breached_passwords.unavailable", unit: "{lookup}", description: "Lookups the breached-password source could not answer, by source, reason and what was decided.");
        _malformed = _meter.CreateCounter<long>("accountsecurity.breached_passwords.malformed_lines", unit: "{line}", description: "Malformed lines skipped in breached-password ranges, by source.");
    }

    /// <summary>The cache (for tests and the benchmark).</summary>
    internal RangeCache Cache => _cache;

    /// <summary>
    /// Looks <paramref name="range"/> up. When the source cannot answer, <paramref name="decision"/> (what the caller
    /// does then: <c>allowed</c>, <c>refused</c>, <c>not_marked</c>) goes into the warning and the metric.
    /// </summary>
    public async ValueTask<BreachVerdict> CheckAsync(PasswordHashRange range, string decision, CancellationToken cancellationToken)
    {
        var cached = _cache.TryGet(range.Prefix, out var found);
        if (!cached)
        {
            RangeLookup lookup;
            try
            {
                lookup = await _source.GetRangeAsync(range.Prefix, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (!(exception is OperationCanceledException && cancellationToken.IsCancellationRequested))
            {
                // Never its message: an exception of a handler the host added could carry anything.
                Log.CheckFailed(_logger, exception.GetType().Name);
                lookup = RangeLookup.Failed(FailureReasons.Unexpected);
            }

            if (lookup.Malformed > 0)
            {
                _malformed.Add(lookup.Malformed, new KeyValuePair<string, object?>("source", _source.Name));
                Log.MalformedLines(_logger, _source.Name, range.Prefix, lookup.Malformed);
            }

            if (lookup.Range is null)
            {
                var reason = lookup.Failure ?? FailureReasons.Unexpected;
                _unavailable.Add(1, new("source", _source.Name), new("reason", reason), new("decision", decision));
                _lookups.Add(1, new("outcome", "unavailable"), new("cache", "miss"));
                Log.SourceUnavailable(_logger, _source.Name, range.Prefix, reason, decision);
                return BreachVerdict.Unavailable;
            }

            found = lookup.Range;
            _cache.Set(range.Prefix, found);
        }

        var verdict = found.CountOf(range.Suffix) >= _threshold ? BreachVerdict.Breached : BreachVerdict.NotBreached;
        _lookups.Add(1, new("outcome", verdict == BreachVerdict.Breached ? "breached" : "not_breached"), new("cache", cached ? "hit" : "miss"));
        return verdict;
    }

    public void Dispose() => _meter.Dispose();
}
