using System.Diagnostics.Metrics;
using System.Threading.RateLimiting;
using AccountSecurity.DependencyInjection;
using AccountSecurity.Events;
using Microsoft.Extensions.Options;

namespace AccountSecurity.Passwords.Hashing;

/// <summary>
/// What <see cref="HashingLimiter.RunAsync{T}"/> answered: the computation's value, or busy with how long the caller
/// should wait before trying again. Busy means nothing was computed.
/// </summary>
internal readonly record struct HashingOutcome<T>(bool Ran, T? Value, TimeSpan RetryAfter)
{
    public static HashingOutcome<T> Busy(TimeSpan retryAfter) => new(false, default, retryAfter);
}

/// <summary>
/// The one gate every bcrypt computation of a process passes (password, support PIN, and the dummy work that makes an
/// unknown account cost the same): at most <see cref="PasswordHashingOptions.MaxConcurrentComputations"/> at once,
/// the rest waiting asynchronously in the platform's <see cref="ConcurrencyLimiter"/> (oldest first, never blocking a
/// thread while queued), each computation on a dedicated thread rather than the thread pool.
/// </summary>
/// <remarks>
/// <para>Why: bcrypt is deliberately slow CPU work. Run on the thread pool, a burst of sign-ins takes every pool
/// thread, and the host's cheap requests (a session check, a TOTP step, a page) wait behind them: whoever can send
/// passwords can stall the console. Bounded and off the pool, sign-ins run at the machine's bcrypt rate and
/// everything else keeps its threads.</para>
/// <para>A computation whose expected wait (the queue ahead of it, divided by the concurrency, times the measured
/// duration of a computation) exceeds <see cref="PasswordHashingOptions.MaxQueueTime"/>, or that finds the queue at
/// <see cref="PasswordHashingOptions.QueueLimit"/>, is refused at once with a retry-after: a fast answer instead of a
/// request that would time out anyway. One that still waits that long is refused then. Callers turn busy into a
/// result (never an exception) and never count it as a failed attempt.</para>
/// <para>Metrics on the library's meter: <c>accountsecurity.hashing.queue_length</c>,
/// <c>accountsecurity.hashing.wait</c> (seconds) and <c>accountsecurity.hashing.refused</c>. No tag carries an
/// identifier or a secret; none carries anything at all.</para>
/// </remarks>
internal sealed class HashingLimiter : IDisposable
{
    /// <summary>Before any computation was measured: a production-cost bcrypt on current hardware, roughly.</summary>
    private static readonly TimeSpan InitialEstimate = TimeSpan.FromMilliseconds(100);

    private readonly ConcurrencyLimiter _limiter;
    private readonly TimeProvider _time;
    private readonly int _concurrency;
    private readonly int _queueLimit;
    private readonly TimeSpan _maxQueueTime;
    private readonly Meter _meter;
    private readonly Histogram<double> _waits;
    private readonly Counter<long> _refusals;
    private readonly Lock _estimateLock = new();
    private double _averageSeconds = InitialEstimate.TotalSeconds;

    public HashingLimiter(IOptions<AccountSecurityOptions> options, TimeProvider time, IMeterFactory? meterFactory = null)
    {
        var hashing = options.Value.Hashing;
        _time = time;
        _concurrency = hashing.MaxConcurrentComputations;
        _queueLimit = hashing.QueueLimit;
        _maxQueueTime = hashing.MaxQueueTime;
        _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = _concurrency,
            QueueLimit = _queueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        _meter = meterFactory?.Create(MetricsSecurityEventSink.MeterName) ?? new Meter(MetricsSecurityEventSink.MeterName);
        _meter.CreateObservableGauge(
            "accountsecurity.hashing.queue_length",
            () => _limiter.GetStatistics()?.CurrentQueuedCount ?? 0,
            unit: "{computation}",
            description: "bcrypt computations waiting for their turn.");
        _waits = _meter.CreateHistogram<double>("accountsecurity.hashing.wait", unit: "s", description: "How long bcrypt computations waited for their turn.");
        _refusals = _meter.CreateCounter<long>("accountsecurity.hashing.refused", unit: "{computation}", description: "bcrypt computations refused as busy (queue full, or waited too long).");
    }

    /// <summary>The computations waiting now (for tests and diagnostics).</summary>
    public long QueuedCount => _limiter.GetStatistics()?.CurrentQueuedCount ?? 0;

    /// <summary>
    /// Runs <paramref name="computation"/> on a dedicated thread when its turn comes, or answers busy. Throws
    /// <see cref="OperationCanceledException"/> only when <paramref name="cancellationToken"/> is cancelled (the
    /// waiter then leaves the queue), and whatever <paramref name="computation"/> throws.
    /// </summary>
    public async ValueTask<HashingOutcome<T>> RunAsync<T>(Func<T> computation, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var arrived = _time.GetTimestamp();
        var expectedWait = ExpectedWait();
        if (expectedWait > _maxQueueTime)
        {
            return Refused<T>(expectedWait);
        }

        RateLimitLease lease;
        using (var timeout = new CancellationTokenSource(_maxQueueTime, _time))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token))
        {
            try
            {
                lease = await _limiter.AcquireAsync(1, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return Refused<T>(ExpectedWait());
            }
        }

        using (lease)
        {
            if (!lease.IsAcquired)
            {
                return Refused<T>(ExpectedWait());
            }

            _waits.Record(_time.GetElapsedTime(arrived).TotalSeconds);
            var started = _time.GetTimestamp();

            // LongRunning: a thread of its own, so the pool's threads stay free for the host's other requests. Its
            // creation costs well under a millisecond; a production bcrypt costs tens of them.
            var value = await Task.Factory.StartNew(
                computation,
                CancellationToken.None,
                TaskCreationOptions.LongRunning | TaskCreationOptions.DenyChildAttach,
                TaskScheduler.Default).ConfigureAwait(false);
            Measured(_time.GetElapsedTime(started));
            return new HashingOutcome<T>(true, value, TimeSpan.Zero);
        }
    }

    public void Dispose()
    {
        _limiter.Dispose();
        _meter.Dispose();
    }

    /// <summary>How long a computation arriving now would wait: the queue ahead of it and the free permits, at the measured rate.</summary>
    private TimeSpan ExpectedWait()
    {
        var statistics = _limiter.GetStatistics();
        if (statistics is null || statistics.CurrentAvailablePermits > 0)
        {
            return TimeSpan.Zero;
        }

        if (statistics.CurrentQueuedCount >= _queueLimit)
        {
            return TimeSpan.MaxValue;
        }

        double average;
        lock (_estimateLock)
        {
            average = _averageSeconds;
        }

        // The one arriving waits for the queue ahead of it plus one running computation to finish, spread over the
        // permits: (queued + 1) / concurrency rounds of one computation each.
        var rounds = Math.Ceiling((statistics.CurrentQueuedCount + 1) / (double)_concurrency);
        return TimeSpan.FromSeconds(rounds * average);
    }

    private HashingOutcome<T> Refused<T>(TimeSpan expectedWait)
    {
        _refusals.Add(1);

        // Whole seconds, at least one (what an HTTP Retry-After can carry), and never beyond the queue time: by then
        // the queue has turned over.
        var seconds = expectedWait == TimeSpan.MaxValue ? _maxQueueTime.TotalSeconds : Math.Min(expectedWait.TotalSeconds, _maxQueueTime.TotalSeconds);
        return HashingOutcome<T>.Busy(TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(seconds))));
    }

    private void Measured(TimeSpan duration)
    {
        // An exponentially weighted average (the last ~10 computations count most): follows a changed work factor or
        // machine load within a few sign-ins, ignores one slow outlier.
        lock (_estimateLock)
        {
            _averageSeconds += (duration.TotalSeconds - _averageSeconds) / 10;
        }
    }
}
