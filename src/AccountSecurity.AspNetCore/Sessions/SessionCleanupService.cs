using AccountSecurity.AspNetCore.DependencyInjection;
using AccountSecurity.Diagnostics;
using AccountSecurity.Sessions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AccountSecurity.AspNetCore.Sessions;

/// <summary>
/// Runs <see cref="SessionCleanup.RunOnceAsync"/> every <see cref="AccountSecuritySessionHttpOptions.CleanUpInterval"/>
/// (first one interval after start, on the host's <see cref="TimeProvider"/>); does nothing when the interval is
/// <see langword="null"/>. Each run gets its own scope (a durable store may be scoped). A failed run is logged (the
/// exception's type only: a store's message may quote data) and the next one runs as planned; validation never depends on it.
/// </summary>
internal sealed partial class SessionCleanupService : BackgroundService
{
    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _time;
    private readonly TimeSpan? _interval;
    private readonly ILogger<SessionCleanupService> _logger;

    public SessionCleanupService(IServiceScopeFactory scopes, TimeProvider time, IOptions<AccountSecurityAspNetCoreOptions> options, ILogger<SessionCleanupService> logger)
    {
        _scopes = scopes;
        _time = time;
        _interval = options.Value.Sessions.CleanUpInterval;
        _logger = logger;
    }

    /// <summary>How many runs completed (for tests).</summary>
    internal int Runs { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_interval is not { } interval)
        {
            return;
        }

        using var timer = new PeriodicTimer(interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await RunOnceAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }

    internal async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = _scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<SessionCleanup>().RunOnceAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            CleanUpFailed(_logger, exception.GetType().Name);
        }
        finally
        {
            Runs++;
        }
    }

    [LoggerMessage(EventId = 2010, Level = LogLevel.Warning, Message = "Session clean-up failed ({ExceptionType}); it runs again at the next interval.")]
    private static partial void CleanUpFailed(ILogger logger, LogValue exceptionType);
}
