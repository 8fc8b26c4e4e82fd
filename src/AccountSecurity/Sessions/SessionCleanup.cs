using Microsoft.Extensions.Logging;

namespace AccountSecurity.Sessions;

/// <summary>
/// Deletes ended and expired sessions from the store in batches: those ended, or past their absolute lifetime, more
/// than <see cref="SessionOptions.RetainEndedFor"/> ago. A method the host schedules (the ASP.NET Core package runs it
/// from a hosted service): the core package has no hosting dependency, and only the host knows whether one instance
/// or all of them should clean up. Validation never depends on it: an ended or expired session is refused whether or
/// not its row is still there. Scoped, like the store it uses: resolve it from a scope per run.
/// </summary>
public sealed class SessionCleanup
{
    private readonly ISessionStore _sessions;
    private readonly TimeProvider _time;
    private readonly SessionOptions _options;
    private readonly ILogger<SessionCleanup> _logger;

    internal SessionCleanup(ISessionStore sessions, TimeProvider time, SessionOptions options, ILogger<SessionCleanup> logger)
    {
        _sessions = sessions;
        _time = time;
        _options = options;
        _logger = logger;
    }

    /// <summary>
    /// Deletes what is due, one batch of <see cref="SessionOptions.CleanUpBatchSize"/> at a time, until a batch comes back
    /// short or <paramref name="maxBatches"/> have run. How many sessions it deleted. Never deletes a live session.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxBatches"/> is below 1.</exception>
    public async ValueTask<int> RunOnceAsync(int maxBatches = 20, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatches, 1);
        var before = _time.GetUtcNow() - _options.RetainEndedFor;
        var total = 0;
        for (var batch = 0; batch < maxBatches; batch++)
        {
            var deleted = await _sessions.DeleteEndedAsync(before, _options.CleanUpBatchSize, cancellationToken).ConfigureAwait(false);
            total += deleted;
            if (deleted < _options.CleanUpBatchSize)
            {
                break;
            }
        }

        if (total > 0)
        {
            SessionLog.CleanedUp(_logger, total);
        }

        return total;
    }
}

internal static partial class SessionLog
{
    [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "Deleted {Count} ended or expired sessions")]
    public static partial void CleanedUp(ILogger logger, int count);
}
