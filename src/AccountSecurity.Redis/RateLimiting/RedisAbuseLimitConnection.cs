using StackExchange.Redis;

namespace AccountSecurity.Redis.RateLimiting;

/// <summary>
/// The Redis connection the shared limits use: the host's multiplexer (left open on dispose) or one made from a
/// configuration string, connecting in the background from the start so no request waits for the first connect.
/// StackExchange.Redis reconnects on its own after a failure (<see cref="ConfigurationOptions.AbortOnConnectFail"/> off).
/// </summary>
internal sealed class RedisAbuseLimitConnection : IDisposable
{
    private readonly Task<IConnectionMultiplexer> _connecting;
    private readonly bool _owned;

    public RedisAbuseLimitConnection(IConnectionMultiplexer connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _connecting = Task.FromResult(connection);
    }

    public RedisAbuseLimitConnection(string configuration)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;
        options.ClientName ??= "AccountSecurity.Redis";
        _owned = true;
        _connecting = ConnectAsync(options);
    }

    /// <summary>The connection, or <see langword="null"/> while the first connect is still under way or failed.</summary>
    public IConnectionMultiplexer? Current => _connecting.IsCompletedSuccessfully ? _connecting.Result : null;

    /// <summary>Waits for the first connect (the host's start or a test), at most <paramref name="timeout"/>.</summary>
    public async Task<IConnectionMultiplexer?> WaitAsync(TimeSpan timeout)
    {
        try
        {
            return await _connecting.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        if (_owned)
        {
            // Still connecting: close it when the connect completes, so a host that stops early leaks no connection.
            _connecting.ContinueWith(static t => t.Result.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
        }
    }

    private static async Task<IConnectionMultiplexer> ConnectAsync(ConfigurationOptions options) =>
        await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
}
