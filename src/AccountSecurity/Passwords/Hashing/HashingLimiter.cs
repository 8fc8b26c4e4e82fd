using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Threading.RateLimiting;
using AccountSecurity.DependencyInjection;
using AccountSecurity.Diagnostics;
using AccountSecurity.Events;
using AccountSecurity.Localization;
using AccountSecurity.Results;
using Microsoft.Extensions.Options;

namespace AccountSecurity.Passwords.Hashing;

/// <summary>
/// What <see cref="HashingLimiter.RunAsync{T}(Func{T}, CancellationToken)"/> answered: the computation's value, or busy with how long the caller
/// should wait before trying again. Busy means nothing was computed.
/// </summary>
internal readonly record struct HashingOutcome<T>(bool Ran, T? Value, TimeSpan RetryAfter)
{
    public static HashingOutcome<T> Busy(TimeSpan retryAfter) => new(false, default, retryAfter);
}

/// <summary>
/// A turn at the hashing limiter: <see cref="Granted"/> with the right to run computations until disposed, or refused
/// with <see cref="RetryAfter"/>. Disposing gives the turn back, and the account's place with it (once; a refused lease
/// holds nothing).
/// </summary>
internal sealed class HashingLease : IDisposable
{
    private readonly HashingLimiter _limiter;
    private readonly AccountPlace? _place;
    private readonly long _grantedAt;
    private RateLimitLease? _lease;

    internal HashingLease(HashingLimiter limiter, RateLimitLease? lease, TimeSpan retryAfter, AccountPlace? place = null, long grantedAt = 0)
    {
        _limiter = limiter;
        _lease = lease;
        _place = place;
        _grantedAt = grantedAt;
        Granted = lease is not null;
        RetryAfter = retryAfter;
    }

    /// <summary>Whether the turn was given; when not, nothing may be computed and the caller answers busy.</summary>
    public bool Granted { get; }

    /// <summary>How long a refused caller should wait before trying again (whole seconds, at least one); zero when granted.</summary>
    public TimeSpan RetryAfter { get; }

    /// <summary>Runs <paramref name="computation"/> on one of the dedicated hashing threads, off the thread pool. Only for a granted lease.</summary>
    public Task<T> RunAsync<T>(Func<T> computation) =>
        Granted && _lease is not null
            ? _limiter.ComputeAsync(computation)
            : throw new InvalidOperationException("A refused or returned hashing lease computes nothing.");

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _lease, null) is { } lease)
        {
            // Before the permit goes back: the next arrival's expected wait already counts this turn's length.
            _limiter.Returned(_grantedAt);
            lease.Dispose();
            if (_place is not null)
            {
                _limiter.Leave(_place);
            }
        }
    }
}

/// <summary>
/// One account's place at the limiter, under its key. Compared by reference (a class, not a record), so that a holder
/// can only ever give back its own place, never one a later computation took under the same key.
/// </summary>
internal sealed class AccountPlace(string key)
{
    public string Key { get; } = key;
}

/// <summary>
/// The one gate every bcrypt computation of a process passes (password, support PIN, and the dummy work that makes an
/// unknown account cost the same): at most <see cref="PasswordHashingOptions.MaxConcurrentComputations"/> at once,
/// the rest waiting asynchronously in the platform's <see cref="ConcurrencyLimiter"/> (oldest first, never blocking a
/// thread while queued), each computation on a dedicated, warm thread (<see cref="HashingThreads"/>) rather than the thread pool.
/// </summary>
/// <remarks>
/// <para>Why: bcrypt is deliberately slow CPU work. Run on the thread pool, a burst of sign-ins takes every pool
/// thread, and the host's cheap requests (a session check, a TOTP step, a page) wait behind them: whoever can send
/// passwords can stall the console. Bounded and off the pool, sign-ins run at the machine's bcrypt rate and
/// everything else keeps its threads.</para>
/// <para>A computation whose expected wait (the queue ahead of it, divided by the concurrency, times the measured
/// length of a turn) exceeds <see cref="AdmissionFraction"/> of <see cref="PasswordHashingOptions.MaxQueueTime"/>, or
/// that finds the queue at <see cref="PasswordHashingOptions.QueueLimit"/>, is refused at once with a retry-after: a
/// fast answer instead of a request that would time out anyway. One that still waits the whole queue time (the
/// estimate was wrong) is refused then. Callers turn busy into a
/// result (never an exception) and never count it as a failed attempt.</para>
/// <para>One account holds at most one place, queued or computing (issue 23): a computation for an account
/// (<see cref="HashingAccountKey"/>) that already has one in flight is refused at once, with a retry-after, before it
/// queues. Otherwise concurrent wrong guesses at one account could fill every permit and the queue with that account's
/// work (with an imported costly hash, seconds each), and the factor pipeline, which takes its turn before it counts
/// an attempt, would let them all through uncounted until their turn came. The places live in a dictionary of the
/// accounts in flight only: an entry is added atomically when a computation arrives (<c>TryAdd</c>: of two racing, one
/// wins) and removed when its lease ends or it is refused or cancelled, so its size is bounded by the requests in
/// flight.</para>
/// <para>Metrics on the library's meter: <c>accountsecurity.hashing.queue_length</c>,
/// <c>accountsecurity.hashing.wait</c> (seconds) and <c>accountsecurity.hashing.refused</c>. No tag carries an
/// identifier or a secret; none carries anything at all.</para>
/// </remarks>
internal sealed class HashingLimiter : IDisposable
{
    /// <summary>
    /// The share of <see cref="PasswordHashingOptions.MaxQueueTime"/> an arrival's expected wait may fill and still queue.
    /// Why not all of it: the last ones admitted would then be due right at the queue time, and any error in the
    /// estimate (turns vary by a tenth or two under load) would have them wait the whole queue time only to be refused:
    /// the slowest possible "no". With a quarter in hand they are served in time, and a busy answer comes at once.
    /// </summary>
    internal const double AdmissionFraction = 0.75;

    private readonly ConcurrencyLimiter _limiter;
    private readonly HashingThreads _threads;
    private readonly TimeProvider _time;
    private readonly int _concurrency;
    private readonly int _queueLimit;
    private readonly TimeSpan _maxQueueTime;
    private readonly TimeSpan _admissionLimit;
    private readonly Meter _meter;
    private readonly Histogram<double> _waits;
    private readonly Counter<long> _refusals;
    private readonly Lock _estimateLock = new();
    private readonly ConcurrentDictionary<string, AccountPlace> _accounts = new(StringComparer.Ordinal);
    private double _averageSeconds;

    public HashingLimiter(IOptions<AccountSecurityOptions> options, TimeProvider time, IMeterFactory? meterFactory = null)
    {
        var hashing = options.Value.Hashing;
        _time = time;
        _concurrency = hashing.MaxConcurrentComputations;
        _queueLimit = hashing.QueueLimit;
        _maxQueueTime = hashing.MaxQueueTime;
        _admissionLimit = _maxQueueTime * AdmissionFraction;

        // Until the first computation is measured: roughly what bcrypt costs on current server hardware, about 250 ms at
        // cost 12, halving with each step down (a test suite's cost 4 starts near 1 ms).
        _averageSeconds = 0.25 * Math.Pow(2, hashing.WorkFactor - 12);
        _threads = new HashingThreads(_concurrency, hashing.RunBelowNormalPriority);
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
        _refusals = _meter.CreateCounter<long>("accountsecurity.hashing.refused", unit: "{computation}", description: "bcrypt computations refused as busy (queue full, waited too long, or their account already had one in flight).");
    }

    /// <summary>The error every caller answers a refused turn with: <c>busy</c>, with the retry-after.</summary>
    public static SecurityError BusyError(TimeSpan retryAfter) =>
        new(SecurityErrorCodes.Busy, Localized.Format(UserMessages.HashingBusy, Math.Ceiling(retryAfter.TotalSeconds))) { RetryAfter = retryAfter };

    /// <summary>Runs a hash (of a new password) in a turn, or answers <see cref="BusyError"/>; never throws for load.</summary>
    public async ValueTask<SecurityResult<string>> HashAsync(Func<SecurityResult<string>> hash, CancellationToken cancellationToken)
    {
        var outcome = await RunAsync(hash, cancellationToken).ConfigureAwait(false);
        return outcome.Ran ? outcome.Value! : SecurityResult<string>.Failed(BusyError(outcome.RetryAfter));
    }

    /// <summary>
    /// Spends <paramref name="work"/> (a dummy check, so an answer costs what a real one does) in a turn; returns the
    /// <see cref="BusyError"/> when refused, and then nothing was spent: the caller answers busy, as for any account.
    /// </summary>
    public async ValueTask<SecurityError?> SpendAsync(Action work, string? accountKey, CancellationToken cancellationToken)
    {
        var spent = await RunAsync(() => { work(); return true; }, accountKey, cancellationToken).ConfigureAwait(false);
        return spent.Ran ? null : BusyError(spent.RetryAfter);
    }

    /// <summary>The computations waiting now (for tests and diagnostics).</summary>
    public long QueuedCount => _limiter.GetStatistics()?.CurrentQueuedCount ?? 0;

    /// <summary>The accounts holding a place (queued or computing) now (for tests and diagnostics).</summary>
    public int AccountsInFlight => _accounts.Count;

    /// <summary>
    /// Runs <paramref name="computation"/> on a dedicated thread when its turn comes, or answers busy. Throws
    /// <see cref="OperationCanceledException"/> only when <paramref name="cancellationToken"/> is cancelled (the
    /// waiter then leaves the queue), and whatever <paramref name="computation"/> throws.
    /// </summary>
    public ValueTask<HashingOutcome<T>> RunAsync<T>(Func<T> computation, CancellationToken cancellationToken) =>
        RunAsync(computation, accountKey: null, cancellationToken);

    /// <summary><see cref="RunAsync{T}(Func{T}, CancellationToken)"/> in <paramref name="accountKey"/>'s one place (see <see cref="AcquireAsync"/>).</summary>
    public async ValueTask<HashingOutcome<T>> RunAsync<T>(Func<T> computation, string? accountKey, CancellationToken cancellationToken)
    {
        using var lease = await AcquireAsync(accountKey, cancellationToken).ConfigureAwait(false);
        return lease.Granted
            ? new HashingOutcome<T>(true, await lease.RunAsync(computation).ConfigureAwait(false), TimeSpan.Zero)
            : HashingOutcome<T>.Busy(lease.RetryAfter);
    }

    /// <summary>
    /// Waits for a turn to compute, or answers busy (<see cref="HashingLease.Granted"/> false, with a retry-after). A
    /// granted lease lets its holder run computations (<see cref="HashingLease.RunAsync{T}"/>) until it is disposed: the
    /// factor pipeline holds one across counting an attempt and comparing it, so that a busy answer comes before
    /// anything is counted. With an <paramref name="accountKey"/> (<see cref="HashingAccountKey"/>), the lease also holds
    /// that account's one place from arrival (queued or computing) until it is disposed: while it does, every other
    /// computation for the same key is answered busy at once, and never queues. Throws
    /// <see cref="OperationCanceledException"/> only when <paramref name="cancellationToken"/> is cancelled (the waiter
    /// then leaves the queue, and gives the account's place back).
    /// </summary>
    public async ValueTask<HashingLease> AcquireAsync(string? accountKey, CancellationToken cancellationToken)
    {
        // Traced, so a queued bcrypt shows as its own span (outcome granted or busy) inside the step that waits.
        using var span = AccountSecurityActivitySource.Start(SpanNames.HashingWait);
        var lease = await AcquireForAccountAsync(accountKey, cancellationToken).ConfigureAwait(false);
        return span.Outcome(lease, lease.Granted ? "granted" : SecurityErrorCodes.Busy);
    }

    /// <summary>Gives <paramref name="place"/> back, only if it is still the one held under its key (never someone else's).</summary>
    internal void Leave(AccountPlace place) => _accounts.TryRemove(new KeyValuePair<string, AccountPlace>(place.Key, place));

    private async ValueTask<HashingLease> AcquireForAccountAsync(string? accountKey, CancellationToken cancellationToken)
    {
        if (accountKey is null)
        {
            return await AcquireCoreAsync(null, cancellationToken).ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var place = new AccountPlace(accountKey);
        if (!_accounts.TryAdd(accountKey, place))
        {
            // The account already has a computation queued or running: this one would only take a second place.
            return Refused(ExpectedWait());
        }

        try
        {
            var lease = await AcquireCoreAsync(place, cancellationToken).ConfigureAwait(false);
            if (!lease.Granted)
            {
                Leave(place);
            }

            return lease;
        }
        catch
        {
            Leave(place);
            throw;
        }
    }

    private async ValueTask<HashingLease> AcquireCoreAsync(AccountPlace? place, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var arrived = _time.GetTimestamp();
        var expectedWait = ExpectedWait();
        if (expectedWait > _admissionLimit)
        {
            return Refused(expectedWait);
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
                return Refused(ExpectedWait());
            }
        }

        if (!lease.IsAcquired)
        {
            lease.Dispose();
            return Refused(ExpectedWait());
        }

        var granted = _time.GetTimestamp();
        _waits.Record(_time.GetElapsedTime(arrived, granted).TotalSeconds);
        return new HashingLease(this, lease, TimeSpan.Zero, place, granted);
    }

    public void Dispose()
    {
        _limiter.Dispose();
        _threads.Dispose();
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

    private HashingLease Refused(TimeSpan expectedWait)
    {
        _refusals.Add(1);

        // Whole seconds, at least one (what an HTTP Retry-After can carry), and never beyond the queue time: by then
        // the queue has turned over.
        var seconds = expectedWait == TimeSpan.MaxValue ? _maxQueueTime.TotalSeconds : Math.Min(expectedWait.TotalSeconds, _maxQueueTime.TotalSeconds);
        return new HashingLease(this, null, TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(seconds))));
    }

    /// <summary>Runs one computation for a granted lease on a hashing thread, and learns its duration.</summary>
    internal async Task<T> ComputeAsync<T>(Func<T> computation)
    {
        using var span = AccountSecurityActivitySource.Start(SpanNames.HashingCompute);

        // On a warm dedicated thread, so the pool's threads stay free for the host's other requests.
        var value = await _threads.RunAsync(computation).ConfigureAwait(false);
        return span.Outcome(value, TraceCodes.Succeeded);
    }

    /// <summary>A turn granted at <paramref name="grantedAt"/> ends: learns how long turns are held.</summary>
    internal void Returned(long grantedAt)
    {
        // A turn's length, not its computation's: the factor pipeline holds its turn across counting the attempt in the
        // store and comparing, and the queue moves at the pace turns end. Timing only the bcrypt left out the store's
        // write (a lock wait, on a busy SQLite file), so the estimate ran short and requests admitted on it waited the
        // whole queue time to be refused anyway. An exponentially weighted average (the last ~10 turns count most):
        // follows a changed work factor or machine load within a few sign-ins, ignores one slow outlier.
        var held = _time.GetElapsedTime(grantedAt).TotalSeconds;
        lock (_estimateLock)
        {
            _averageSeconds += (held - _averageSeconds) / 10;
        }
    }
}
