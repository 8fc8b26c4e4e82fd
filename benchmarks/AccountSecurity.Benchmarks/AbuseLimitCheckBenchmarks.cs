using System.Net;
using AccountSecurity.AspNetCore.RateLimiting;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AccountSecurity.Benchmarks;

/// <summary>
/// What one abuse-limit check of a sign-in step costs (issue 28): <see cref="AccountSecurityRateLimiter.TryAcquireAsync"/>
/// with a client address and an e-mail (two limits: the address's, then the account's), on the in-process limiters (the
/// baseline) and on the limiters shared through Redis (<c>ACCOUNTSECURITY_REDIS</c>, e.g. the server of
/// <c>.ci/redis.sh</c>; without it only the baseline runs). The limits are raised out of reach, so every check is a
/// full allowed one; a refusal costs the same round trips. <see cref="Setup"/> throws when the Redis checks are not
/// answered by Redis (a fallback would measure the in-process path twice).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(PercentileConfig))]
public class AbuseLimitCheckBenchmarks
{
    private ServiceProvider _provider = null!;
    private AccountSecurityRateLimiter _limiter = null!;
    private HttpContext _context = null!;
    private int _next;

    [ParamsSource(nameof(Stores))]
    public string Limits { get; set; } = "in-process";

    public static IEnumerable<string> Stores() =>
        string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("ACCOUNTSECURITY_REDIS")) ? ["in-process"] : ["in-process", "Redis"];

    [GlobalSetup]
    public void Setup()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        var builder = services.AddAccountSecurity(o =>
            {
                o.Totp.Issuer = "Benchmark";
                o.SecretProtection.AddKey("bench", System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
            })
            .AddAspNetCore(o =>
            {
                o.RateLimits.SignInPerClient = new(int.MaxValue, TimeSpan.FromMinutes(1));
                o.RateLimits.SignInPerAccount = new(int.MaxValue, TimeSpan.FromMinutes(1));
            });
        if (Limits == "Redis")
        {
            builder.UseRedisAbuseLimits(Environment.GetEnvironmentVariable("ACCOUNTSECURITY_REDIS")!, o =>
            {
                o.KeyPrefix = $"asbench:{Guid.NewGuid():N}:";
                o.Timeout = TimeSpan.FromSeconds(1);
            });
        }

        _provider = services.BuildServiceProvider();
        _limiter = _provider.GetRequiredService<AccountSecurityRateLimiter>();
        _context = new DefaultHttpContext { RequestServices = _provider };
        _context.Connection.RemoteIpAddress = IPAddress.Parse("203.0.113.9");
        if (Limits == "Redis")
        {
            var connected = SpinWait.SpinUntil(
                () => _limiter.TryAcquireAsync(AbuseOperation.SignIn, _context, "warm@example.com").AsTask().Result.IsAllowed && IsShared(),
                TimeSpan.FromSeconds(30));
            if (!connected)
            {
                throw new InvalidOperationException("The Redis limits did not answer through Redis: the benchmark would measure the fallback.");
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (Limits == "Redis" && !IsShared())
        {
            throw new InvalidOperationException("A check fell back to the in-process limits during the run: the figures are not Redis's.");
        }

        _provider.Dispose();
    }

    /// <summary>One sign-in step's check: the client address's limit, then the account's (one of 1,000 accounts in turn).</summary>
    [Benchmark]
    public async Task<bool> SignInCheck() =>
        (await _limiter.TryAcquireAsync(AbuseOperation.SignIn, _context, "user" + (_next++ % 1000) + "@example.com")).IsAllowed;

    private bool IsShared()
    {
        // The Redis provider's state, read without widening the package's API (benchmarks see only public members).
        var provider = _provider.GetRequiredService<IAbuseLimiterProvider>();
        var availability = provider.GetType().GetProperty("Availability", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)?.GetValue(provider);
        return availability?.GetType().GetProperty("IsShared")?.GetValue(availability) is true;
    }

    private sealed class PercentileConfig : ManualConfig
    {
        public PercentileConfig() => AddColumn(StatisticColumn.P50, StatisticColumn.P95, StatisticColumn.Max);
    }
}
