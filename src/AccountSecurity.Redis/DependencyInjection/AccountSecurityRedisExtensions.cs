using AccountSecurity.AspNetCore.RateLimiting;
using AccountSecurity.DependencyInjection;
using AccountSecurity.Redis;
using AccountSecurity.Redis.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

// In this namespace so UseRedisAbuseLimits() is found next to AddAccountSecurity(), as the framework's own extensions are.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Shares the abuse limits of AccountSecurity's ASP.NET Core layer through Redis.</summary>
public static class AccountSecurityRedisExtensions
{
    /// <summary>
    /// Counts the abuse limits of <see cref="AccountSecurityRateLimiter"/> (per client address, per account, per trusted
    /// device) in Redis, so they mean the same on one instance and on ten. Opens its own connection from
    /// <paramref name="configuration"/> (a StackExchange.Redis configuration string such as <c>redis:6379</c>), in the
    /// background and reconnecting on its own. While Redis does not answer, the checks fall back to in-process limits
    /// (see <see cref="RedisAbuseLimitOptions"/>); they never fail a request and never let attempts through unlimited.
    /// Options are validated when the host starts.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="configuration"/> is empty.</exception>
    public static AccountSecurityBuilder UseRedisAbuseLimits(this AccountSecurityBuilder builder, string configuration, Action<RedisAbuseLimitOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        return Use(builder, _ => new RedisAbuseLimitConnection(configuration), configure);
    }

    /// <summary>
    /// The same as <see cref="UseRedisAbuseLimits(AccountSecurityBuilder, string, Action{RedisAbuseLimitOptions}?)"/> on
    /// the host's own connection (shared with its cache, say), which the package never closes. Create it with
    /// <c>AbortOnConnectFail = false</c> so it reconnects on its own.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="connection"/> is <see langword="null"/>.</exception>
    public static AccountSecurityBuilder UseRedisAbuseLimits(this AccountSecurityBuilder builder, IConnectionMultiplexer connection, Action<RedisAbuseLimitOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(connection);
        return Use(builder, _ => new RedisAbuseLimitConnection(connection), configure);
    }

    private static AccountSecurityBuilder Use(AccountSecurityBuilder builder, Func<IServiceProvider, RedisAbuseLimitConnection> connection, Action<RedisAbuseLimitOptions>? configure)
    {
        var services = builder.Services;
        var options = services.AddOptions<RedisAbuseLimitOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RedisAbuseLimitOptions>, RedisAbuseLimitOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        // The last call's connection wins; the provider replaces the in-process default whether AddAspNetCore() came first or not.
        services.Replace(ServiceDescriptor.Singleton(connection));
        services.Replace(ServiceDescriptor.Singleton<IAbuseLimiterProvider>(sp => new RedisAbuseLimiterProvider(
            sp.GetRequiredService<RedisAbuseLimitConnection>(), sp.GetRequiredService<IOptions<RedisAbuseLimitOptions>>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetService<Logging.ILogger<RedisAbuseLimiterProvider>>(), sp.GetService<System.Diagnostics.Metrics.IMeterFactory>())));
        return builder;
    }
}
