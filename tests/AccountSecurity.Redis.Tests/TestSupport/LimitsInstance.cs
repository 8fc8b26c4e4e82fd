using System.Net;
using AccountSecurity.AspNetCore.DependencyInjection;
using AccountSecurity.AspNetCore.RateLimiting;
using AccountSecurity.Redis.RateLimiting;
using AccountSecurity.Testing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AccountSecurity.Redis.Tests.TestSupport;

/// <summary>
/// One application instance as far as the abuse limits go: its own service provider (its own limiters, its own
/// in-process fallback, its own Redis connection), built the way a host builds it:
/// <c>AddAccountSecurity().AddAspNetCore().UseRedisAbuseLimits(...)</c>. Two of them on one Redis server are two
/// replicas behind a load balancer.
/// </summary>
internal sealed class LimitsInstance : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private LimitsInstance(ServiceProvider services, CollectingLoggerProvider logs)
    {
        _services = services;
        Logs = logs;
    }

    public IServiceProvider Services => _services;

    public AccountSecurityRateLimiter Limiter => _services.GetRequiredService<AccountSecurityRateLimiter>();

    public RedisAvailability Availability => ((RedisAbuseLimiterProvider)_services.GetRequiredService<IAbuseLimiterProvider>()).Availability;

    public CollectingLoggerProvider Logs { get; }

    /// <summary>A unique key prefix, so tests on the shared server never count each other's attempts.</summary>
    public static string NewPrefix() => $"astest:{Guid.NewGuid():N}:";

    public static async Task<LimitsInstance> StartAsync(
        string redis,
        string prefix,
        TimeProvider? time = null,
        Action<AccountSecurityAspNetCoreOptions>? layer = null,
        Action<RedisAbuseLimitOptions>? options = null,
        DirectoryInfo? dataProtectionKeys = null,
        bool waitForConnection = true)
    {
        var logs = new CollectingLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        services.AddMetrics();
        services.AddSingleton(time ?? TimeProvider.System);
        services.AddAccountSecurity(o => AccountSecurityTestOptions.ApplyFastTestDefaults(o))
            .AddAspNetCore(layer)
            .UseRedisAbuseLimits(redis, o =>
            {
                o.KeyPrefix = prefix;

                // Exactness tests must not fall back because a busy test machine delayed a reply past 100 ms; the
                // tests of the timeout itself set theirs.
                o.Timeout = TimeSpan.FromSeconds(2);
                options?.Invoke(o);
            });
        if (dataProtectionKeys is not null)
        {
            // Replicas share one key ring (as they must, for their cookies to work on each other).
            services.AddDataProtection().PersistKeysToFileSystem(dataProtectionKeys).SetApplicationName("redis-tests");
        }

        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        var instance = new LimitsInstance(provider, logs);
        if (waitForConnection)
        {
            var connection = await provider.GetRequiredService<RedisAbuseLimitConnection>().WaitAsync(TimeSpan.FromSeconds(30));
            connection.Should().NotBeNull("the test's Redis server accepts connections");
            var until = DateTime.UtcNow.AddSeconds(30);
            while (!connection!.IsConnected && DateTime.UtcNow < until)
            {
                await Task.Delay(20);
            }
        }

        return instance;
    }

    /// <summary>A request from <paramref name="client"/> (an IP address), with the cookies of <paramref name="cookieHeader"/>.</summary>
    public HttpContext Request(string client, string? cookieHeader = null)
    {
        var context = new DefaultHttpContext { RequestServices = _services };
        context.Connection.RemoteIpAddress = IPAddress.Parse(client);
        if (cookieHeader is not null)
        {
            context.Request.Headers.Cookie = cookieHeader;
        }

        return context;
    }

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();
}
