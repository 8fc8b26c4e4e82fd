using System.Threading.Channels;

namespace AccountSecurity.Background;

/// <summary>What <see cref="BackgroundWorkQueue.TryEnqueue"/> did with a piece of work.</summary>
internal enum EnqueueResult
{
    /// <summary>Queued: it will run.</summary>
    Queued,

    /// <summary>Refused at once: the queue is at its bound.</summary>
    QueueFull,

    /// <summary>Refused: the queue is being disposed.</summary>
    ShuttingDown,
}

/// <summary>
/// The one background queue of the library, for work that must not run in (or delay) the request that caused it:
/// the work behind password-reset and invitation requests (<see cref="Passwords.Reset.PasswordResetQueue"/>) and
/// security notifications (<see cref="Notifications.SecurityNotifications"/>), each with an instance and a bound of its own.
/// </summary>
/// <remarks>
/// Bounded twice: at most <c>capacity</c> pieces wait and <c>workers</c> run at once; <see cref="TryEnqueue"/> never
/// blocks (a full queue refuses at once). A piece may own a DI scope (durable stores are scoped), disposed after it
/// ran. A piece is cut off after the work timeout, when there is one, and never loses an exception: the failure
/// callback gets its type name (never its message, which could carry a token or an address). Disposing stops taking
/// work, signals <see cref="Stopping"/> and waits for what was queued.
/// </remarks>
internal sealed class BackgroundWorkQueue : IAsyncDisposable, IDisposable
{
    private readonly Channel<Work> _channel;
    private readonly Task[] _workers;
    private readonly TimeSpan? _workTimeout;
    private readonly TimeProvider _time;
    private readonly Action<string> _failed;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private TaskCompletionSource _idle = Completed();
    private int _pending;
    private bool _disposed;

    /// <param name="capacity">How many pieces may wait.</param>
    /// <param name="workers">How many run at once.</param>
    /// <param name="workTimeout">How long one piece may run before its token is cancelled; <see langword="null"/> for no limit (the work keeps its own).</param>
    /// <param name="time">The clock of the timeout.</param>
    /// <param name="failed">Told the exception type name of a piece (or of its scope's disposal) that threw.</param>
    public BackgroundWorkQueue(int capacity, int workers, TimeSpan? workTimeout, TimeProvider time, Action<string> failed)
    {
        _workTimeout = workTimeout;
        _time = time;
        _failed = failed;
        _channel = Channel.CreateBounded<Work>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // with TryWrite: refuse at once when full, never block the caller
            SingleReader = false,
            SingleWriter = false,
        });
        _workers = [.. Enumerable.Range(0, workers).Select(_ => Task.Run(RunAsync))];
    }

    /// <summary>Cancelled when disposal begins: work that waits (a retry's delay) stops waiting.</summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>
    /// Queues <paramref name="work"/>, which then owns <paramref name="scope"/> (disposed after it ran). When refused,
    /// nothing is disposed: the caller still owns the scope.
    /// </summary>
    public EnqueueResult TryEnqueue(Func<CancellationToken, ValueTask> work, IAsyncDisposable? scope)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return EnqueueResult.ShuttingDown;
            }

            if (_pending++ == 0)
            {
                _idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        if (_channel.Writer.TryWrite(new Work(work, scope)))
        {
            return EnqueueResult.Queued;
        }

        Finished();
        return EnqueueResult.QueueFull;
    }

    /// <summary>Completes when everything queued so far has run (the deterministic wait for tests).</summary>
    public Task WhenIdleAsync()
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
            await Task.WhenAll(_workers).ConfigureAwait(false);
            _stopping.Dispose();
        }
    }

    /// <summary>For a container disposed synchronously: the queued work still finishes before this returns.</summary>
    public void Dispose()
    {
        if (StopAccepting())
        {
            Task.WhenAll(_workers).GetAwaiter().GetResult();
            _stopping.Dispose();
        }
    }

    private static TaskCompletionSource Completed()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        done.SetResult();
        return done;
    }

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

    private async Task RunAsync()
    {
        // Drains what is queued even after TryComplete: disposal waits for the work, it does not drop it.
        await foreach (var work in _channel.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                using var timeout = _workTimeout is { } limit ? new CancellationTokenSource(limit, _time) : null;
                await work.Run(timeout?.Token ?? CancellationToken.None).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Nobody awaits this work: an exception not caught here would vanish. Report it (by type only) and go on.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _failed(ex.GetType().Name);
            }
            finally
            {
                await DisposeScopeAsync(work.Scope).ConfigureAwait(false);
                Finished();
            }
        }
    }

    private async ValueTask DisposeScopeAsync(IAsyncDisposable? scope)
    {
        if (scope is null)
        {
            return;
        }

        try
        {
            await scope.DisposeAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A failing store disposal must not stop the worker.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _failed(ex.GetType().Name);
        }
    }

    private void Finished()
    {
        TaskCompletionSource? idle = null;
        lock (_gate)
        {
            if (--_pending == 0)
            {
                idle = _idle;
            }
        }

        idle?.TrySetResult();
    }

    private sealed record Work(Func<CancellationToken, ValueTask> Run, IAsyncDisposable? Scope);
}
