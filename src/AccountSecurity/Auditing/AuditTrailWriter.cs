using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using AccountSecurity.Accounts;
using AccountSecurity.Diagnostics;
using AccountSecurity.Events;
using AccountSecurity.Sessions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AccountSecurity.Auditing;

/// <summary>
/// Writes security events into the <see cref="IAuditStore"/> outside the operations that raise them: a bounded channel
/// (<see cref="AuditTrailOptions.QueueCapacity"/>) that <see cref="TryEnqueue"/> writes to without ever waiting, and one
/// reader that takes up to <see cref="AuditTrailOptions.WriteBatchSize"/> events at a time, adds the device and client
/// address of each event's session (one read per session in the batch), and appends them per contract in a scope of its
/// own (durable stores are scoped). A singleton.
/// </summary>
/// <remarks>
/// Nothing is lost silently: an event refused by a full queue, one whose write failed <see cref="AuditTrailOptions.WriteAttempts"/>
/// times and one raised after shutdown began are each counted (<see cref="CounterName"/>, tag <c>outcome</c>) and logged,
/// one line a minute at most with the count since the last line. Disposal stops taking events and writes every queued one.
/// One reader per process keeps a contract's records in the order they were raised here; across instances the store's
/// chain head orders them.
/// </remarks>
internal sealed class AuditTrailWriter : IAsyncDisposable, IDisposable
{
    /// <summary>The counter of audit records by outcome (<c>written</c>, <c>dropped_queue_full</c>, <c>dropped_write_failed</c>, <c>dropped_shutting_down</c>).</summary>
    public const string CounterName = "accountsecurity.audit.records";

    private static readonly TimeSpan LogWindow = TimeSpan.FromMinutes(1);

    // A session's device, address and methods never change: each is read once while it stays in this bound (the reader's alone).
    private const int MaxCachedSessions = 10_000;

    private readonly Dictionary<string, SessionRecord?> _sessionCache = new(StringComparer.Ordinal);

    private readonly AuditTrailOptions _options;
    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Meter _meter;
    private readonly Counter<long> _records;
    private readonly Channel<AuditRecord> _channel;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly Task _reader;
    private TaskCompletionSource _idle = Completed();
    private long _pending;
    private long _dropped;
    private long _unlogged;
    private long _lastLogTicks = long.MinValue;
    private bool _disposed;

    public AuditTrailWriter(AuditTrailOptions options, IServiceScopeFactory scopes, TimeProvider time, ILogger<AuditTrailWriter> logger, IMeterFactory? meterFactory = null)
    {
        _options = options;
        _scopes = scopes;
        _time = time;
        _logger = logger;
        _meter = meterFactory?.Create(MetricsSecurityEventSink.MeterName) ?? new Meter(MetricsSecurityEventSink.MeterName);
        _records = _meter.CreateCounter<long>(CounterName, unit: "{record}", description: "Audit records by outcome: written, dropped_queue_full, dropped_write_failed, dropped_shutting_down.");
        _channel = Channel.CreateBounded<AuditRecord>(new BoundedChannelOptions(options.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // with TryWrite: refuse at once when full, never block the operation
            SingleReader = true,
            SingleWriter = false,
        });
        // The reader's first scope is made now, not on its first batch: a container being disposed makes no new scope,
        // and a reader that had not started before the host stopped could then write nothing it was given. Made here,
        // the stores it resolves are also created before this writer is, so the container disposes them after it.
        var firstLease = TryNewLease();
        _reader = Task.Run(() => RunAsync(firstLease));
    }

    /// <summary>The meter the counter belongs to (tests listen to this instance only).</summary>
    internal Meter Meter => _meter;

    /// <summary>How many events were not kept since start (queue full, writes failed, shutting down).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>
    /// Queues <paramref name="securityEvent"/> as a record. Never waits and never throws for a well-formed event:
    /// whether it was queued (when not, it was counted and logged).
    /// </summary>
    public bool TryEnqueue(SecurityEvent securityEvent)
    {
        ArgumentNullException.ThrowIfNull(securityEvent);
        var record = RecordOf(securityEvent);
        lock (_gate)
        {
            if (_disposed)
            {
                Drop("dropped_shutting_down", 1);
                return false;
            }

            if (_pending++ == 0)
            {
                _idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        if (_channel.Writer.TryWrite(record))
        {
            return true;
        }

        Finished(1);
        Drop("dropped_queue_full", 1);
        return false;
    }

    /// <summary>Completes when every event queued so far was written or dropped (the deterministic wait for tests and for a host stopping).</summary>
    public Task FlushAsync()
    {
        lock (_gate)
        {
            return _idle.Task;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (StopAccepting())
        {
            await _reader.ConfigureAwait(false);
            _stopping.Dispose();
            _meter.Dispose();
        }
    }

    public void Dispose()
    {
        if (StopAccepting())
        {
            _reader.GetAwaiter().GetResult();
            _stopping.Dispose();
            _meter.Dispose();
        }
    }

    /// <summary>The record of <paramref name="securityEvent"/> before its session is looked up: only what may be kept.</summary>
    internal static AuditRecord RecordOf(SecurityEvent securityEvent)
    {
        var outcome = securityEvent.Outcome is null ? null : AuditRecord.IsOutcomeCode(securityEvent.Outcome) ? securityEvent.Outcome : "other";
        var trace = Activity.Current?.TraceId ?? default;
        return new AuditRecord
        {
            ContractId = InputText.IsId(securityEvent.ContractId) ? securityEvent.ContractId : AuditRecord.NoContract,
            OccurredAt = securityEvent.OccurredAt,
            EventType = securityEvent.Type,
            UserId = InputText.IsId(securityEvent.UserId) ? securityEvent.UserId : null,
            ActorId = InputText.IsId(securityEvent.ActorId) ? securityEvent.ActorId : null,
            Factor = securityEvent.Factor,
            Outcome = outcome,
            SessionId = InputText.IsId(securityEvent.SessionId) ? securityEvent.SessionId : null,
            SignInMethods = securityEvent.Type == SecurityEventType.SignInSucceeded && outcome is not null
                ? AuditChain.MethodsOf(outcome.Split('+'))
                : AuditSignInMethods.None,
            CorrelationId = trace == default ? null : trace.ToHexString(),
        };
    }

    private static TaskCompletionSource Completed()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        done.SetResult();
        return done;
    }

    private static string? Label(string? text, int max) => InputText.IsName(text, max) ? text : null;

    private bool StopAccepting()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return false;
            }

            _disposed = true;
        }

        _channel.Writer.TryComplete();
        _stopping.Cancel();
        return true;
    }

    private async Task RunAsync(Lease? lease)
    {
        var batch = new List<AuditRecord>(_options.WriteBatchSize);
        try
        {
            while (await _channel.Reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (batch.Count < _options.WriteBatchSize && _channel.Reader.TryRead(out var record))
                {
                    batch.Add(record);
                }

                try
                {
                    lease ??= NewLease();
                    if (!await WriteAsync(lease, batch).ConfigureAwait(false) || ++lease.Batches >= Lease.MaxBatches)
                    {
                        // A failed write may leave a store's connection or context unusable: the next batch gets fresh ones.
                        lease = await RenewAsync(lease).ConfigureAwait(false);
                    }
                }
#pragma warning disable CA1031 // Nobody awaits the reader: a failure not caught here would stop the trail for good. Count it and go on.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    AuditLog.WriteFailed(_logger, ex.GetType().Name, batch.Count);
                    Drop("dropped_write_failed", batch.Count);
                    lease = await RenewAsync(lease).ConfigureAwait(false);
                }
                finally
                {
                    Finished(batch.Count);
                    batch.Clear();
                }
            }
        }
        finally
        {
            if (lease is not null)
            {
                await lease.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private Lease NewLease() => new(_scopes.CreateAsyncScope());

    /// <summary>A new lease, or <see langword="null"/> when none can be made now (logged; the next batch tries again).</summary>
    private Lease? TryNewLease()
    {
        try
        {
            return NewLease();
        }
#pragma warning disable CA1031 // A store that cannot be resolved now (a container being disposed, a misconfiguration) must not stop the trail.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            AuditLog.LeaseFailed(_logger, ex.GetType().Name);
            return null;
        }
    }

    /// <summary>
    /// Replaces <paramref name="current"/> with a fresh lease; keeps it when no new one can be made (the container is
    /// being disposed, and the scope held is the only one left to write the queue through).
    /// </summary>
    private async ValueTask<Lease?> RenewAsync(Lease? current)
    {
        var next = TryNewLease();
        if (next is null)
        {
            return current;
        }

        if (current is not null)
        {
            await current.DisposeAsync().ConfigureAwait(false);
        }

        return next;
    }

    /// <summary>Appends <paramref name="batch"/> per contract; whether every contract's append succeeded (failures are counted and logged here).</summary>
    private async Task<bool> WriteAsync(Lease lease, List<AuditRecord> batch)
    {
        var store = lease.Store;
        var records = await WithSessionsAsync(lease.Sessions, batch).ConfigureAwait(false);
        var allWritten = true;
        foreach (var contract in records.GroupBy(r => r.ContractId, StringComparer.Ordinal))
        {
            var group = contract.ToList();
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await store.AppendAsync(contract.Key, group, CancellationToken.None).ConfigureAwait(false);
                    _records.Add(group.Count, new KeyValuePair<string, object?>("outcome", "written"));
                    break;
                }
#pragma warning disable CA1031 // Any store failure is retried, then counted as lost: the trail must not stop.
                catch (Exception ex) when (attempt < _options.WriteAttempts)
#pragma warning restore CA1031
                {
                    AuditLog.WriteRetried(_logger, ex.GetType().Name, attempt);
                    try
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(50 * attempt), _time, _stopping.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        // Shutting down: try again at once rather than wait.
                    }
                }
#pragma warning disable CA1031
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    AuditLog.WriteFailed(_logger, ex.GetType().Name, group.Count);
                    Drop("dropped_write_failed", group.Count);
                    allWritten = false;
                    break;
                }
            }
        }

        return allWritten;
    }

    /// <summary>The records with the device, address and sign-in methods of their sessions; as they were when a session cannot be read.</summary>
    private async Task<List<AuditRecord>> WithSessionsAsync(ISessionStore? sessions, List<AuditRecord> batch)
    {
        var found = _sessionCache;
        if (found.Count > MaxCachedSessions)
        {
            found.Clear();
        }

        var result = new List<AuditRecord>(batch.Count);
        foreach (var record in batch)
        {
            if (sessions is null || record.SessionId is not { } sessionId)
            {
                result.Add(record);
                continue;
            }

            if (!found.TryGetValue(sessionId, out var session))
            {
                try
                {
                    session = (await sessions.FindForValidationAsync(sessionId, CancellationToken.None).ConfigureAwait(false))?.Session;
                    found[sessionId] = session;
                }
#pragma warning disable CA1031 // The record is kept without its device rather than not at all.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    AuditLog.SessionLookupFailed(_logger, ex.GetType().Name);
                    session = null; // not remembered: the next batch tries again
                }
            }

            // The session is the acting person's: the user's own, or the administrator's who acted on them.
            var actorsSession = session is not null
                && (string.Equals(session.UserId, record.UserId, StringComparison.Ordinal) || string.Equals(session.UserId, record.ActorId, StringComparison.Ordinal));
            result.Add(!actorsSession
                ? record
                : record with
                {
                    DeviceLabel = Label(session!.DeviceLabel, AuditRecord.MaxDeviceLabelLength),
                    ClientAddress = Label(session.ClientAddress, AuditRecord.MaxClientAddressLength),
                    SignInMethods = record.EventType == SecurityEventType.SessionStarted ? AuditChain.MethodsOf(session.Methods) : record.SignInMethods,
                });
        }

        return result;
    }

    private void Finished(long count)
    {
        TaskCompletionSource? idle = null;
        lock (_gate)
        {
            _pending -= count;
            if (_pending == 0)
            {
                idle = _idle;
            }
        }

        idle?.TrySetResult();
    }

    private void Drop(string outcome, int count)
    {
        Interlocked.Add(ref _dropped, count);
        _records.Add(count, new KeyValuePair<string, object?>("outcome", outcome));
        Interlocked.Add(ref _unlogged, count);
        var now = _time.GetUtcNow().UtcTicks;
        var last = Interlocked.Read(ref _lastLogTicks);
        if ((last == long.MinValue || now - last >= LogWindow.Ticks) && Interlocked.CompareExchange(ref _lastLogTicks, now, last) == last)
        {
            AuditLog.RecordsDropped(_logger, Interlocked.Exchange(ref _unlogged, 0), outcome);
        }
    }
}

/// <summary>
/// The scope the reader writes through, and the stores resolved from it, kept across batches: so the reader can still
/// write what is queued while the container is being disposed (a new scope could no longer be made then), and a batch
/// costs no scope of its own. The first is made with the writer; renewed every <see cref="MaxBatches"/> batches and after a failed write, unless no new scope can be made.
/// </summary>
internal sealed class Lease : IAsyncDisposable
{
    public const int MaxBatches = 1000;

    private readonly AsyncServiceScope _scope;

    public Lease(AsyncServiceScope scope)
    {
        _scope = scope;
        Store = scope.ServiceProvider.GetRequiredService<IAuditStore>();
        Sessions = scope.ServiceProvider.GetService<ISessionStore>();
    }

    public IAuditStore Store { get; }

    public ISessionStore? Sessions { get; }

    public int Batches { get; set; }

    /// <summary>Disposes the scope; never throws (a store's failing disposal must not stop the reader).</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _scope.DisposeAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // See the summary.
        catch (Exception)
#pragma warning restore CA1031
        {
            // Nothing to do: the next batch gets a fresh scope.
        }
    }
}

/// <summary>The audit trail's log lines (event ids 700-799). Types, counts and codes only.</summary>
internal static partial class AuditLog
{
    [LoggerMessage(EventId = 700, Level = LogLevel.Error, Message = "Audit trail: {Count} security events were not kept since the last such line (latest: {Outcome}); see the accountsecurity.audit.records counter")]
    public static partial void RecordsDropped(ILogger logger, long count, LogValue outcome);

    [LoggerMessage(EventId = 701, Level = LogLevel.Warning, Message = "Audit trail: writing a batch failed ({ExceptionType}), attempt {Attempt}; retrying")]
    public static partial void WriteRetried(ILogger logger, LogValue exceptionType, int attempt);

    [LoggerMessage(EventId = 702, Level = LogLevel.Error, Message = "Audit trail: writing {Count} records failed ({ExceptionType}) after every attempt; they are counted as dropped")]
    public static partial void WriteFailed(ILogger logger, LogValue exceptionType, int count);

    [LoggerMessage(EventId = 703, Level = LogLevel.Warning, Message = "Audit trail: reading a session for its device failed ({ExceptionType}); the record is kept without it")]
    public static partial void SessionLookupFailed(ILogger logger, LogValue exceptionType);

    [LoggerMessage(EventId = 704, Level = LogLevel.Warning, Message = "Audit trail: chain of contract {ContractId} is broken at sequence {Sequence} ({Break})")]
    public static partial void ChainBroken(ILogger logger, LogValue contractId, long sequence, AuditChainBreak @break);

    [LoggerMessage(EventId = 705, Level = LogLevel.Information, Message = "Audit trail: retention deleted {Count} records")]
    public static partial void RetentionDeleted(ILogger logger, long count);

    [LoggerMessage(EventId = 706, Level = LogLevel.Warning, Message = "Audit trail: no scope for the audit store could be made ({ExceptionType}); the writer keeps the one it has or tries again with the next batch")]
    public static partial void LeaseFailed(ILogger logger, LogValue exceptionType);
}
