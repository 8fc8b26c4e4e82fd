using System.Threading.Channels;
using AccountSecurity.DependencyInjection;
using AccountSecurity.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AccountSecurity.Passwords.Reset;

/// <summary>
/// Runs the work behind password-reset requests after they have been answered: the account lookup, the token write
/// and the hand-over to <see cref="IPasswordResetTokenSender"/>. Answering first is what makes "account exists" and
/// "no such account" indistinguishable by timing: the answer waits for none of it.
/// </summary>
/// <remarks>
/// Bounded twice: at most <see cref="PasswordResetOptions.MaxQueuedRequests"/> requests wait, and <see cref="Workers"/>
/// run at once; a request beyond the bound is dropped with a warning (and answered as usual). Each piece of work
/// runs in the DI scope it was handed with and owns it (durable stores are scoped), is cut off after
/// <see cref="WorkTimeout"/>, and never loses an exception: it is logged by type, never with a message that could
/// carry the token. Disposing the queue (the container does it) stops taking work and waits for what was queued.
/// A singleton.
/// </remarks>
internal sealed class PasswordResetQueue : IAsyncDisposable, IDisposable
{
    /// <summary>How many requests are worked on at once.</summary>
    internal const int Workers = 2;

    /// <summary>How long one request's work (lookup, write, send) may take before it is cancelled and logged.</summary>
    internal static readonly TimeSpan WorkTimeout = TimeSpan.FromSeconds(30);

    private readonly Channel<Work> _channel;
    private readonly Task[] _workers;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private TaskCompletionSource _idle = Completed();
    private int _pending;
    private bool _disposed;

    public PasswordResetQueue(IOptions<AccountSecurityOptions> options, TimeProvider time, ILogger<PasswordResetQueue> logger)
    {
        _time = time;
        _logger = logger;
        _channel = Channel.CreateBounded<Work>(new BoundedChannelOptions(options.Value.PasswordReset.MaxQueuedRequests)
        {
            FullMode = BoundedChannelFullMode.Wait, // with TryWrite: refuse at once when full, never block the answer
            SingleReader = false,
            SingleWriter = false,
        });
        _workers = [.. Enumerable.Range(0, Workers).Select(_ => Task.Run(RunAsync))];
    }

    /// <summary>
    /// Queues <paramref name="work"/>, which then owns <paramref name="scope"/> (disposed after it ran). Returns
    /// <see langword="false"/> (and disposes nothing: the caller still owns the scope) when the queue is full or shutting down.
    /// </summary>
    public bool TryEnqueue(Func<CancellationToken, ValueTask> work, IAsyncDisposable scope)
    {
        bool disposed;
        lock (_gate)
        {
            disposed = _disposed;
            if (!disposed && _pending++ == 0)
            {
                _idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        if (disposed)
        {
            Log.ResetRequestDropped(_logger, "shutting_down");
            return false;
        }

        if (_channel.Writer.TryWrite(new Work(work, scope)))
        {
            return true;
        }

        Log.ResetRequestDropped(_logger, "queue_full");
        Finished();
        return false;
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
        }
    }

    /// <summary>For a container disposed synchronously: the queued work still finishes before this returns.</summary>
    public void Dispose()
    {
        if (StopAccepting())
        {
            Task.WhenAll(_workers).GetAwaiter().GetResult();
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
        return true;
    }

    private async Task RunAsync()
    {
        // Drains what is queued even after TryComplete: disposal waits for the work, it does not drop it.
        await foreach (var work in _channel.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                using var timeout = new CancellationTokenSource(WorkTimeout, _time);
                await work.Run(timeout.Token).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Nobody awaits this work: an exception not caught here would vanish. Log it (by type only) and go on.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.ResetRequestFailed(_logger, ex.GetType().Name);
            }
            finally
            {
                await DisposeScopeAsync(work.Scope).ConfigureAwait(false);
                Finished();
            }
        }
    }

    private async ValueTask DisposeScopeAsync(IAsyncDisposable scope)
    {
        try
        {
            await scope.DisposeAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A failing store disposal must not stop the worker.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.ResetRequestFailed(_logger, ex.GetType().Name);
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

    private sealed record Work(Func<CancellationToken, ValueTask> Run, IAsyncDisposable Scope);
}
