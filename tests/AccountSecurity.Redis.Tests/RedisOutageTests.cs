using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AccountSecurity.AspNetCore.RateLimiting;
using AccountSecurity.Events;
using AccountSecurity.Redis.RateLimiting;
using AccountSecurity.Redis.Tests.TestSupport;
using AccountSecurity.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AccountSecurity.Redis.Tests;

/// <summary>
/// Redis stopped in the middle of a test (its own server, killed and started again on the same port): the checks fall
/// back to per-instance limits, logged and counted, never an error and never unlimited; once Redis is back, they are
/// shared again without anyone reconnecting by hand.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class RedisOutageTests
{
    private const string Victim = "victim@example.com";

    [Test]
    public async Task RedisStopped_FallsBackPerInstance_LoggedAndCounted_ThenSharedAgainAfterARestart()
    {
        using var server = await OwnRedisServer.StartAsync();
        using var fallbacks = new FallbackCounter();
        var prefix = LimitsInstance.NewPrefix();
        await using var first = await LimitsInstance.StartAsync(server.Configuration, prefix, options: o => o.RetryInterval = TimeSpan.FromMilliseconds(200));
        await using var second = await LimitsInstance.StartAsync(server.Configuration, prefix, options: o => o.RetryInterval = TimeSpan.FromMilliseconds(200));
        (await first.Limiter.TryAcquireAsync(AbuseOperation.SignIn, first.Request("10.7.0.1"), Victim)).IsAllowed.Should().BeTrue();
        fallbacks.Total.Should().Be(0);

        server.Stop();
        var during = new List<AbuseLimitDecision>();
        for (var i = 0; i < 30; i++)
        {
            var instance = i % 2 == 0 ? first : second;
            during.Add(await instance.Limiter.TryAcquireAsync(AbuseOperation.SignIn, instance.Request($"10.7.1.{i}"), Victim));
        }

        // Per instance now: each counts its own 10 a minute (the trade-off), so at most 20 of 30 go through, never all.
        during.Count(d => d.IsAllowed).Should().Be(20);
        during.Where(d => !d.IsAllowed).Should().AllSatisfy(d => d.RetryAfter.Should().NotBeNull());
        fallbacks.Total.Should().BeGreaterThanOrEqualTo(30, "every check of the outage was answered by the fallback, and counted");
        fallbacks.Tags.Should().OnlyContain(t => t.Limit.EndsWith(".client", StringComparison.Ordinal) || t.Limit.EndsWith(".account", StringComparison.Ordinal));
        fallbacks.Tags.Select(t => t.Reason).Should().OnlyContain(r => r == "disconnected" || r == "timeout" || r == "error" || r == "retry_pending");
        first.Availability.IsShared.Should().BeFalse();
        var warning = first.Logs.Entries.Should().ContainSingle(e => e.EventId.Id == 2101).Subject;
        warning.Level.Should().Be(LogLevel.Warning);
        foreach (var line in first.Logs.AllText().Concat(second.Logs.AllText()))
        {
            line.Should().NotContainEquivalentOf("victim").And.NotContain("10.7.").And.NotContain(prefix, "no partition key, address or Redis key in a log line");
        }

        await server.RestartAsync();
        var shared = await EventuallyAsync(async () =>
            (await first.Limiter.TryAcquireAsync(AbuseOperation.SignIn, first.Request("10.7.2.1"), "after@example.com")).IsAllowed
            && first.Availability.IsShared);
        shared.Should().BeTrue("the client reconnects on its own and the next check after the retry interval uses Redis again");
        await EventuallyAsync(async () =>
            (await second.Limiter.TryAcquireAsync(AbuseOperation.SignIn, second.Request("10.7.2.2"), "after@example.com")).IsAllowed
            && second.Availability.IsShared);
        first.Logs.Entries.Should().Contain(e => e.EventId.Id == 2102, "coming back is logged once");

        // Shared again: a fresh account's 10 are counted once across both instances (the restarted server starts empty).
        var decisions = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
        {
            var instance = i % 2 == 0 ? first : second;
            return Task.Run(async () => await instance.Limiter.TryAcquireAsync(AbuseOperation.SignIn, instance.Request($"10.7.3.{i}"), "fresh@example.com"));
        }));
        decisions.Count(d => d.IsAllowed).Should().Be(10);
    }

    [Test]
    public async Task RedisSlow_TheCheckIsAnsweredAfterTheTimeout_FromTheFallback_ThenSharedAgain()
    {
        using var server = await OwnRedisServer.StartAsync();
        using var fallbacks = new FallbackCounter();
        await using var instance = await LimitsInstance.StartAsync(server.Configuration, LimitsInstance.NewPrefix(), options: o =>
        {
            o.Timeout = TimeSpan.FromMilliseconds(100);
            o.RetryInterval = TimeSpan.FromMilliseconds(200);
        });
        (await instance.Limiter.TryAcquireAsync(AbuseOperation.SignIn, instance.Request("10.9.0.1"), Victim)).IsAllowed.Should().BeTrue();

        // Redis busy for 3 s (DEBUG SLEEP blocks the server), its connections open: a slow server, not a down one.
        using var admin = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(server.Configuration + ",allowAdmin=true");
        var sleeping = admin.GetDatabase().ExecuteAsync("DEBUG", "SLEEP", "3");
        await Task.Delay(200);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var decision = await instance.Limiter.TryAcquireAsync(AbuseOperation.SignIn, instance.Request("10.9.0.2"), Victim);
        watch.Stop();

        decision.IsAllowed.Should().BeTrue("the fallback counts this instance's attempts: the first of its own");
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(2), "the check waits for the timeout (100 ms per limit), not for Redis");
        fallbacks.Tags.Should().Contain(t => t.Reason == "timeout");
        instance.Availability.IsShared.Should().BeFalse();

        await sleeping;
        (await EventuallyAsync(async () =>
            (await instance.Limiter.TryAcquireAsync(AbuseOperation.SignIn, instance.Request("10.9.0.3"), "later@example.com")).IsAllowed && instance.Availability.IsShared))
            .Should().BeTrue("once Redis answers again, the checks are shared again");
    }

    [Test]
    public async Task RedisUnreachableFromTheStart_TheHostStartsAndTheLimitsHoldPerInstance()
    {
        using var server = await OwnRedisServer.StartAsync();
        server.Stop();
        await using var instance = await LimitsInstance.StartAsync(server.Configuration, LimitsInstance.NewPrefix(), waitForConnection: false);

        var decisions = new List<AbuseLimitDecision>();
        for (var i = 0; i < 12; i++)
        {
            decisions.Add(await instance.Limiter.TryAcquireAsync(AbuseOperation.SignIn, instance.Request($"10.8.0.{i}"), Victim));
        }

        decisions.Select(d => d.IsAllowed).Should().Equal([.. Enumerable.Repeat(true, 10), false, false]);
        instance.Limiter.TryAcquire(AbuseOperation.SignIn, instance.Request("10.8.1.1"), Victim).IsAllowed.Should().BeFalse("the synchronous path falls back too");
    }

    [Test]
    public async Task RedisStopped_SignInOverHttp_IsAnsweredWithoutA5xx_AndStillLimited()
    {
        using var server = await OwnRedisServer.StartAsync();
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddAccountSecurity(o => AccountSecurityTestOptions.ApplyFastTestDefaults(o))
            .AddAspNetCore(o => o.MapPasswordResetEndpoints = false)
            .UseRedisAbuseLimits(server.Configuration, o => o.KeyPrefix = LimitsInstance.NewPrefix());
        await using var app = builder.Build();
        app.MapAccountSecurityApi("/account");
        await app.StartAsync();
        await app.Services.GetRequiredService<RedisAbuseLimitConnection>().WaitAsync(TimeSpan.FromSeconds(30));
        using var http = new HttpClient(new CookieContainerHandler(new CookieContainer()) { InnerHandler = app.GetTestServer().CreateHandler() }) { BaseAddress = new Uri("http://localhost") };

        var before = await SignInAsync(http);
        server.Stop();
        var during = new List<HttpStatusCode>();
        for (var i = 0; i < 12; i++)
        {
            during.Add(await SignInAsync(http));
        }

        before.Should().Be(HttpStatusCode.Unauthorized, "an unknown e-mail's wrong password");
        during.Should().OnlyContain(s => (int)s < 500, "an unreachable Redis never fails a request");
        during.Should().Contain(HttpStatusCode.TooManyRequests, "the limits still hold, per instance");
        await app.StopAsync();
    }

    private static async Task<HttpStatusCode> SignInAsync(HttpClient http)
    {
        using var tokenResponse = await http.GetAsync("/account/antiforgery");
        var token = await tokenResponse.Content.ReadFromJsonAsync<JsonElement>();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/account/signin") { Content = JsonContent.Create(new { email = Victim, password = "not-the-password-1" }) };
        request.Headers.Add(token.GetProperty("headerName").GetString()!, token.GetProperty("token").GetString());
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task<bool> EventuallyAsync(Func<Task<bool>> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < until)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }

    /// <summary>Listens to the fallback counter on the library's meter (every instance's, in this process).</summary>
    private sealed class FallbackCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly List<(string Limit, string Reason)> _tags = [];
        private long _total;

        public FallbackCounter()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == MetricsSecurityEventSink.MeterName && instrument.Name == RedisAvailability.FallbacksCounterName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                string? limit = null, reason = null;
                foreach (var tag in tags)
                {
                    limit = tag.Key == "accountsecurity.abuse_limit" ? tag.Value as string : limit;
                    reason = tag.Key == "accountsecurity.reason" ? tag.Value as string : reason;
                }

                lock (_tags)
                {
                    _tags.Add((limit!, reason!));
                    _total += value;
                }
            });
            _listener.Start();
        }

        public long Total
        {
            get
            {
                lock (_tags)
                {
                    return _total;
                }
            }
        }

        public IReadOnlyList<(string Limit, string Reason)> Tags
        {
            get
            {
                lock (_tags)
                {
                    return [.. _tags];
                }
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}
