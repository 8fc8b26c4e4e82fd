using System.Diagnostics;
using System.Globalization;
using System.Net;
using AccountSecurity.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AccountSecurity.LoadTest;

/// <summary>
/// The added latency of one abuse-limit check, per call (issue 28): two instances (service providers) with the ASP.NET
/// Core layer's limits, in process and shared on Redis (<c>ACCOUNTSECURITY_REDIS</c>), each check a sign-in step's
/// (the client address's limit, then the account's), one at a time, alternating instances, after a warm-up. Prints
/// p50 / p99 / max of each and the difference of the medians. Nothing else runs meanwhile, so this is the check's own
/// cost; the two-instance overload row shows it under load.
/// </summary>
internal static class LimitCheckLatency
{
    public const string Flag = "--limit-check-latency";

    public static async Task<int> RunAsync(string[] args)
    {
        var smoke = args.Contains("--smoke");
        var checks = smoke ? 200 : 20_000;
        var redis = Environment.GetEnvironmentVariable("ACCOUNTSECURITY_REDIS");
        if (string.IsNullOrWhiteSpace(redis))
        {
            Console.Error.WriteLine("ACCOUNTSECURITY_REDIS is not set (host:port; `eval \"$(bash .ci/redis.sh)\"` starts one): the limit-check latency needs Redis.");
            return Environment.GetEnvironmentVariable("ACCOUNTSECURITY_REQUIRE_SERVICES") == "1" ? 1 : 0;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"abuse-limit check latency: {checks} sign-in checks per row, one at a time, two instances, .NET {Environment.Version}"));
        var inProcess = await MeasureAsync(null, checks);
        var shared = await MeasureAsync(redis, checks);
        Console.WriteLine("| limits | checks | p50 | p99 | max |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        Console.WriteLine(Row("in process (the default)", inProcess, checks));
        Console.WriteLine(Row("shared on Redis (loopback)", shared, checks));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"added by Redis: p50 {(shared.Percentile(50) - inProcess.Percentile(50)) * 1000:+0;-0} µs, p99 {(shared.Percentile(99) - inProcess.Percentile(99)) * 1000:+0;-0} µs"));
        return 0;
    }

    private static string Row(string name, Latencies latencies, int checks) =>
        string.Create(CultureInfo.InvariantCulture, $"| {name} | {checks} | {latencies.Percentile(50) * 1000:0} µs | {latencies.Percentile(99) * 1000:0} µs | {latencies.Max * 1000:0} µs |");

    private static async Task<Latencies> MeasureAsync(string? redis, int checks)
    {
        var prefix = $"aslatency:{Guid.NewGuid():N}:";
        await using var first = Build(redis, prefix);
        await using var second = Build(redis, prefix);
        var instances = new[] { first, second };
        var contexts = instances.Select(Context).ToArray();
        var limiters = instances.Select(p => p.GetRequiredService<AccountSecurityRateLimiter>()).ToArray();

        // Warm-up: connections open, the script loaded, the code compiled at its optimised tier. It lasts until the
        // last 200 checks were all answered by the limits measured (a check before the first connect completes, and
        // every one for a retry interval after it, is answered by the in-process fallback).
        using var fallbacks = new FallbackListener();
        var warm = 0;
        var quietSince = fallbacks.Count;
        var streak = 0;
        var until = Stopwatch.GetTimestamp() + (Stopwatch.Frequency * 60);
        while (warm < Math.Max(200, checks / 4) || streak < 200)
        {
            await limiters[warm % 2].TryAcquireAsync(AbuseOperation.SignIn, contexts[warm % 2], "warm" + (warm % 100) + "@example.com");
            warm++;
            streak = fallbacks.Count == quietSince ? streak + 1 : 0;
            quietSince = fallbacks.Count;
            if (Stopwatch.GetTimestamp() > until)
            {
                throw new InvalidOperationException("The checks kept falling back to the in-process limits for a minute: is Redis answering?");
            }
        }

        var before = fallbacks.Count;
        var latencies = new Latencies();
        for (var i = 0; i < checks; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var decision = await limiters[i % 2].TryAcquireAsync(AbuseOperation.SignIn, contexts[i % 2], "user" + (i % 1000) + "@example.com");
            latencies.RecordSince(started);
            if (!decision.IsAllowed)
            {
                throw new InvalidOperationException("A check was refused: the limits are raised out of reach, so this measures something else.");
            }
        }

        if (fallbacks.Count != before)
        {
            throw new InvalidOperationException($"{fallbacks.Count - before} checks fell back to the in-process limits while measured: the row would not be Redis's.");
        }

        return latencies;
    }

    private static ServiceProvider Build(string? redis, string prefix)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddMetrics();
        var builder = services.AddAccountSecurity(o => LoadInstance.Configure(o, LoadSettings.Parse(["--smoke"]), LoadInstance.NewSecretKey(), null))
            .AddAspNetCore(o =>
            {
                o.RateLimits.SignInPerClient = new(int.MaxValue, TimeSpan.FromMinutes(1));
                o.RateLimits.SignInPerAccount = new(int.MaxValue, TimeSpan.FromMinutes(1));
            });
        if (redis is not null)
        {
            // A 1 s timeout: a reply a busy scheduler delays past the default 100 ms must not turn into a fallback here.
            builder.UseRedisAbuseLimits(redis, o =>
            {
                o.KeyPrefix = prefix;
                o.Timeout = TimeSpan.FromSeconds(1);
            });
        }

        return services.BuildServiceProvider();
    }

    private static HttpContext Context(IServiceProvider services)
    {
        var context = new DefaultHttpContext { RequestServices = services };
        context.Connection.RemoteIpAddress = IPAddress.Parse("203.0.113.9");
        return context;
    }
}
