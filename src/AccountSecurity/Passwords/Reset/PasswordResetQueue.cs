using AccountSecurity.Background;
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
/// The mechanics are the library's one <see cref="BackgroundWorkQueue"/> (security notifications have an instance of
/// their own, so neither can crowd out the other). A singleton.
/// </remarks>
internal sealed class PasswordResetQueue : IAsyncDisposable, IDisposable
{
    /// <summary>How many requests are worked on at once.</summary>
    internal const int Workers = 2;

    /// <summary>How long one request's work (lookup, write, send) may take before it is cancelled and logged.</summary>
    internal static readonly TimeSpan WorkTimeout = TimeSpan.FromSeconds(30);

    private readonly BackgroundWorkQueue _queue;
    private readonly ILogger _logger;

    public PasswordResetQueue(IOptions<AccountSecurityOptions> options, TimeProvider time, ILogger<PasswordResetQueue> logger)
    {
        _logger = logger;
        _queue = new BackgroundWorkQueue(options.Value.PasswordReset.MaxQueuedRequests, Workers, WorkTimeout, time, type => Log.ResetRequestFailed(logger, type));
    }

    /// <summary>
    /// Queues <paramref name="work"/>, which then owns <paramref name="scope"/> (disposed after it ran). Returns
    /// <see langword="false"/> (and disposes nothing: the caller still owns the scope) when the queue is full or shutting down.
    /// </summary>
    public bool TryEnqueue(Func<CancellationToken, ValueTask> work, IAsyncDisposable scope)
    {
        var result = _queue.TryEnqueue(work, scope);
        if (result == EnqueueResult.Queued)
        {
            return true;
        }

        Log.ResetRequestDropped(_logger, result == EnqueueResult.ShuttingDown ? "shutting_down" : "queue_full");
        return false;
    }

    /// <summary>Completes when everything queued so far has run (the deterministic wait for tests).</summary>
    public Task WhenIdleAsync() => _queue.WhenIdleAsync();

    public ValueTask DisposeAsync() => _queue.DisposeAsync();

    /// <summary>For a container disposed synchronously: the queued work still finishes before this returns.</summary>
    public void Dispose() => _queue.Dispose();
}
