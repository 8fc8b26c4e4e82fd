using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using AccountSecurity.AspNetCore.DependencyInjection;
using StackExchange.Redis;

namespace AccountSecurity.Redis.RateLimiting;

/// <summary>
/// One abuse limit shared by every instance: a fixed-window counter in Redis, one atomic script per check. Windows are
/// aligned on the instances' clock (<see cref="TimeProvider"/>: window <c>n</c> is
/// <c>[n × Window, (n + 1) × Window)</c> since the Unix epoch), so every instance counts the same window into the same
/// key, and the key expires with its window (plus a second for clocks a little apart). Each key is
/// <c>{prefix}{limit name}:{HMAC-SHA-256 of the partition key, 128 bits}:{window number}</c>: never an address or an
/// e-mail in clear. When Redis does not answer within the timeout (or is known down), the check is answered by the
/// same limit in this process's memory: never an exception, never unlimited.
/// </summary>
internal sealed class RedisFixedWindowLimiter : PartitionedRateLimiter<string>
{
    // INCRBY then PEXPIRE on the window's first count, in one script: Redis runs it atomically, so concurrent checks from
    // any number of instances see one count each, and no key can be left without its expiry. SE.Redis sends it as
    // EVALSHA once the server knows it (and loads it again after a restart's NOSCRIPT).
    private const string Script = """
        local count = redis.call('INCRBY', KEYS[1], ARGV[1])
        if count == tonumber(ARGV[1]) then
          redis.call('PEXPIRE', KEYS[1], ARGV[2])
        end
        return count
        """;

    // Keys outlive their window by this much, so an instance whose clock is a little behind still finds the count.
    private const long ExpiryMarginMilliseconds = 1000;

    private static readonly RateLimitLease Acquired = new Lease(true, null);

    private readonly string _name;
    private readonly int _permitLimit;
    private readonly long _windowMilliseconds;
    private readonly byte[] _keyPrefix;
    private readonly byte[] _hashKey;
    private readonly RedisAbuseLimitConnection _connection;
    private readonly RedisAvailability _availability;
    private readonly PartitionedRateLimiter<string> _fallback;
    // The windows follow the host's clock (a test's fake one included); the timeout is real time, see the options.
    private readonly TimeProvider _time;
    private readonly TimeSpan _timeout;

    public RedisFixedWindowLimiter(string name, AbuseLimit limit, RedisAbuseLimitConnection connection, RedisAvailability availability, PartitionedRateLimiter<string> fallback, RedisAbuseLimitOptions options, byte[] hashKey, TimeProvider time)
    {
        _name = name;
        _permitLimit = limit.PermitLimit;
        _windowMilliseconds = Math.Max(1, (long)limit.Window.TotalMilliseconds);
        _keyPrefix = Encoding.UTF8.GetBytes(options.KeyPrefix + name + ":");
        _hashKey = hashKey;
        _connection = connection;
        _availability = availability;
        _fallback = fallback;
        _time = time;
        _timeout = options.Timeout;
    }

    public override RateLimiterStatistics? GetStatistics(string resource) => null;

    protected override RateLimitLease AttemptAcquireCore(string resource, int permitCount)
    {
        // The synchronous path (a host's own page calling TryAcquire): the same script, waited for on this thread,
        // bounded by the same timeout.
        if (Prepare(resource, permitCount) is not { } check)
        {
            return _fallback.AttemptAcquire(resource, permitCount);
        }

        try
        {
            var evaluation = check.Database.ScriptEvaluateAsync(Script, [check.Key], [permitCount, check.ExpiryMilliseconds]);
            if (!evaluation.Wait(_timeout))
            {
                Observe(evaluation);
                _availability.FellBack(_name, FallbackReason.Timeout);
                return _fallback.AttemptAcquire(resource, permitCount);
            }

            return Answer(evaluation.Result, check);
        }
        catch (Exception e) when (e is AggregateException or RedisException or TimeoutException or ObjectDisposedException or InvalidCastException)
        {
            _availability.FellBack(_name, e is TimeoutException || e.InnerException is TimeoutException ? FallbackReason.Timeout : FallbackReason.Error);
            return _fallback.AttemptAcquire(resource, permitCount);
        }
    }

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(string resource, int permitCount, CancellationToken cancellationToken)
    {
        if (Prepare(resource, permitCount) is not { } check)
        {
            return _fallback.AttemptAcquire(resource, permitCount);
        }

        Task<RedisResult>? evaluation = null;
        try
        {
            evaluation = check.Database.ScriptEvaluateAsync(Script, [check.Key], [permitCount, check.ExpiryMilliseconds]);
            return Answer(await evaluation.WaitAsync(_timeout, cancellationToken).ConfigureAwait(false), check);
        }
        catch (TimeoutException)
        {
            // WaitAsync's own timeout, or the client's (RedisTimeoutException is a TimeoutException).
            if (evaluation is not null)
            {
                Observe(evaluation);
            }

            _availability.FellBack(_name, FallbackReason.Timeout);
        }
        catch (Exception e) when (e is RedisException or ObjectDisposedException or InvalidCastException)
        {
            _availability.FellBack(_name, FallbackReason.Error);
        }

        // The fixed-window fallback never queues (QueueLimit 0): attempting is the same as acquiring, without a wait.
        return _fallback.AttemptAcquire(resource, permitCount);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _fallback.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>The key of <paramref name="partition"/> (tests read it; nothing else needs it outside this class).</summary>
    internal RedisKey KeyOf(string partition, long window)
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_hashKey, Encoding.UTF8.GetBytes(partition), mac);
        var hash = Convert.ToBase64String(mac[..16]).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return ((RedisKey)_keyPrefix).Append(hash + ":" + window.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private Check? Prepare(string resource, int permitCount)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentOutOfRangeException.ThrowIfNegative(permitCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(permitCount, _permitLimit);
        if (!_availability.ShouldTry())
        {
            _availability.FellBack(_name, FallbackReason.RetryPending);
            return null;
        }

        if (_connection.Current is not { IsConnected: true } connection)
        {
            _availability.FellBack(_name, FallbackReason.Disconnected);
            return null;
        }

        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var window = now / _windowMilliseconds;
        var end = (window + 1) * _windowMilliseconds;
        return new Check(connection.GetDatabase(), KeyOf(resource, window), end - now + ExpiryMarginMilliseconds, TimeSpan.FromMilliseconds(end - now));
    }

    private RateLimitLease Answer(RedisResult result, Check check)
    {
        _availability.Succeeded();
        return (long)result <= _permitLimit ? Acquired : new Lease(false, check.UntilWindowEnds);
    }

    // A command that timed out may still fail later: observe it, so no unobserved task exception reaches the host.
    private static void Observe(Task task) => task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    private sealed record Check(IDatabase Database, RedisKey Key, long ExpiryMilliseconds, TimeSpan UntilWindowEnds);

    /// <summary>A check's answer; a refusal carries when the window ends (<see cref="MetadataName.RetryAfter"/>).</summary>
    private sealed class Lease(bool isAcquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public override bool IsAcquired => isAcquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            if (retryAfter is { } value && metadataName == MetadataName.RetryAfter.Name)
            {
                metadata = value;
                return true;
            }

            metadata = null;
            return false;
        }
    }
}
