using AccountSecurity.Auditing;
using AccountSecurity.DependencyInjection;
using AccountSecurity.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AccountSecurity.AspNetCore.Auditing;

/// <summary>
/// The audit trail's part in the host's life: runs <see cref="AuditRetention.RunOnceAsync"/> every
/// <see cref="AuditTrailOptions.RetentionInterval"/> (first one interval after start; never when <see langword="null"/>),
/// and when the host stops, waits for the writer to write every queued event before the container is disposed (so
/// nothing queued is lost to a shutdown). Each retention run gets its own scope; a failed run is logged by exception
/// type only and the next runs as planned.
/// </summary>
internal sealed partial class AuditTrailHostedService : BackgroundService
{
    private readonly IServiceProvider _services;
    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _time;
    private readonly AuditTrailOptions _options;
    private readonly ILogger<AuditTrailHostedService> _logger;

    public AuditTrailHostedService(IServiceProvider services, IServiceScopeFactory scopes, TimeProvider time, IOptions<AccountSecurityOptions> options, ILogger<AuditTrailHostedService> logger)
    {
        _services = services;
        _scopes = scopes;
        _time = time;
        _options = options.Value.Audit;
        _logger = logger;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (_options.Enabled)
        {
            try
            {
                await _services.GetRequiredService<AuditTrailWriter>().FlushAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The host's shutdown timeout: the container's disposal still writes what it can, and counts the rest.
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_options.RetentionInterval is not { } interval)
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
            await scope.ServiceProvider.GetRequiredService<AuditRetention>().RunOnceAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            RetentionFailed(_logger, exception.GetType().Name);
        }
    }

    [LoggerMessage(EventId = 2020, Level = LogLevel.Warning, Message = "Audit retention failed ({ExceptionType}); it runs again at the next interval.")]
    private static partial void RetentionFailed(ILogger logger, LogValue exceptionType);
}
