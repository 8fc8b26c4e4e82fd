using System.Security.Cryptography;
using AccountSecurity.EntityFrameworkCore;
using AccountSecurity.SignIn;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AccountSecurity.LoadTest;

/// <summary>
/// One application instance: its own service provider (its own caches, thread of control and, with the in-memory
/// default, its own store), the way one process of a host would be. Two instances built on the same PostgreSQL
/// connection string share their data, like two replicas behind a load balancer.
/// </summary>
internal sealed class LoadInstance : IAsyncDisposable
{
    private readonly IServiceProvider _provider;

    private LoadInstance(IServiceProvider provider)
    {
        _provider = provider;
        Limits = provider.GetService<AccountSecurity.AspNetCore.RateLimiting.AccountSecurityRateLimiter>();
    }

    /// <summary>The ASP.NET Core layer's abuse limits when the instance has them (the two-instance row, shared on Redis); each sign-in is checked first.</summary>
    public AccountSecurity.AspNetCore.RateLimiting.AccountSecurityRateLimiter? Limits { get; }

    /// <summary>How long each abuse-limit check took (the client address's and the account's limit, one call).</summary>
    public Latencies LimitChecks { get; } = new();

    /// <summary>An instance over a host's own services (the HTTP scenario's web application); disposing it leaves them alone.</summary>
    public static LoadInstance Over(IServiceProvider services) => new(services);

    /// <summary>
    /// Runs one operation in its own service scope, as a host runs each request (a scoped store — one DbContext — is
    /// never shared by two concurrent operations). The scope's cost is part of what is measured.
    /// </summary>
    public async Task<T> InScopeAsync<T>(Func<IServiceProvider, ValueTask<T>> operation)
    {
        await using var scope = _provider.CreateAsyncScope();
        return await operation(scope.ServiceProvider);
    }

    /// <summary>One sign-in service call in its own scope.</summary>
    public Task<T> SignInAsync<T>(Func<ISignInService, ValueTask<T>> operation) =>
        InScopeAsync(services => operation(services.GetRequiredService<ISignInService>()));

    /// <summary>An instance on the in-memory stores (the library's default).</summary>
    public static LoadInstance InMemory(LoadSettings settings, byte[] secretKey, int? queueLimit = null) => new(Build(settings, secretKey, null, queueLimit));

    /// <summary>
    /// An instance on PostgreSQL; the caller creates the schema once through <see cref="EnsureSchemaAsync"/>. With
    /// <paramref name="redis"/>, it also has the ASP.NET Core layer's abuse limits shared through that Redis server under
    /// <paramref name="redisPrefix"/> (raised out of reach: the load measures their cost, a refusal would fail the run).
    /// </summary>
    public static LoadInstance OnPostgres(LoadSettings settings, byte[] secretKey, string connectionString, string? redis = null, string? redisPrefix = null) =>
        new(Build(settings, secretKey, connectionString, null, redis, redisPrefix));

    /// <summary>Drops and re-creates the load test's own database, so every run starts from empty tables.</summary>
    public Task<bool> EnsureSchemaAsync() => InScopeAsync(async services =>
    {
        var context = services.GetRequiredService<AccountSecurityDbContext>();
        await context.Database.EnsureDeletedAsync();
        await AccountSecurityDatabase.EnsureCreatedAsync(context);
        return true;
    });

    public ValueTask DisposeAsync() => _provider is IAsyncDisposable owned ? owned.DisposeAsync() : ValueTask.CompletedTask;

    private static ServiceProvider Build(LoadSettings settings, byte[] secretKey, string? postgres, int? queueLimit, string? redis = null, string? redisPrefix = null)
    {
        var services = new ServiceCollection();
        var builder = services.AddAccountSecurity(options => Configure(options, settings, secretKey, queueLimit));
        if (postgres is not null)
        {
            // A pool per instance, sized for the run's clients (Npgsql's default of 100 would do as well).
            builder.UseEntityFrameworkCore(db => db.UseNpgsql(postgres));
        }

        if (redis is not null)
        {
            services.AddLogging();
            services.AddMetrics();
            builder.AddAspNetCore(o =>
                {
                    o.RateLimits.SignInPerClient = new(int.MaxValue, TimeSpan.FromMinutes(1));
                    o.RateLimits.SignInPerAccount = new(int.MaxValue, TimeSpan.FromMinutes(1));
                })
                .UseRedisAbuseLimits(redis, o =>
                {
                    o.KeyPrefix = redisPrefix ?? "asload:";

                    // The row measures the shared path, and any fallback fails it: a reply that a saturated scheduler
                    // delays past the default 100 ms must not end the run (the timeout's own behaviour is tested elsewhere).
                    o.Timeout = TimeSpan.FromSeconds(1);
                });
        }

        // The ASP.NET Core layer's registrations need a web host's routing to validate; an instance here has no web host.
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = redis is null, ValidateScopes = true });
    }

    /// <summary>The library's options every instance of the driver runs with; <paramref name="queueLimit"/> overrides the hashing queue's default.</summary>
    public static void Configure(AccountSecurity.DependencyInjection.AccountSecurityOptions options, LoadSettings settings, byte[] secretKey, int? queueLimit)
    {
        options.Hashing.WorkFactor = settings.WorkFactor;
        options.Hashing.AllowInsecureWorkFactorForTesting = settings.WorkFactor < 10;
        if (queueLimit is { } limit)
        {
            options.Hashing.QueueLimit = limit;
        }

        options.Audit.Enabled = settings.AuditTrail;
        options.Totp.Issuer = "Load test";
        options.SecretProtection.AddKey("load", secretKey);
    }

    /// <summary>
    /// The package defaults (work factor 12, the hashing limiter's and lockout's defaults, the audit trail on), with only
    /// what a host must set (a TOTP issuer, a secret-protection key) and, when <paramref name="workFactor"/> is given
    /// (a smoke run), a test work factor.
    /// </summary>
    public static void ConfigureDefaults(AccountSecurity.DependencyInjection.AccountSecurityOptions options, int? workFactor, byte[] secretKey)
    {
        if (workFactor is { } factor)
        {
            options.Hashing.WorkFactor = factor;
            options.Hashing.AllowInsecureWorkFactorForTesting = factor < 10;
        }

        options.Totp.Issuer = "Load test";
        options.SecretProtection.AddKey("load", secretKey);
    }

    /// <summary>A fresh 32-byte key for protecting TOTP secrets, shared by the instances of one scenario.</summary>
    public static byte[] NewSecretKey() => RandomNumberGenerator.GetBytes(32);
}
