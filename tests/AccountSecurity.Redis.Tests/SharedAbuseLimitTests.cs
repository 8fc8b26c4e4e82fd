using System.Buffers.Text;
using System.Security.Cryptography;
using AccountSecurity.AspNetCore.RateLimiting;
using AccountSecurity.AspNetCore.SignIn;
using AccountSecurity.Redis.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace AccountSecurity.Redis.Tests;

/// <summary>The abuse limits counted in a real Redis by two instances at once: exact, whichever instance an attempt reaches.</summary>
[TestFixture]
public sealed class SharedAbuseLimitTests
{
    private const string Victim = "victim@example.com";

    [Test]
    public async Task TwoInstances_200ConcurrentSignInAttemptsOnOneAccount_AllowExactlyTheAccountLimit()
    {
        var redis = RedisServers.Shared();
        var prefix = LimitsInstance.NewPrefix();
        await using var first = await LimitsInstance.StartAsync(redis, prefix);
        await using var second = await LimitsInstance.StartAsync(redis, prefix);

        // Each attempt from its own address, so only the per-account limit (10 a minute) can refuse.
        var attempts = Enumerable.Range(0, 200).Select(i =>
        {
            var instance = i % 2 == 0 ? first : second;
            return Task.Run(async () => await instance.Limiter.TryAcquireAsync(AbuseOperation.SignIn, instance.Request($"10.1.{i / 250}.{i % 250}"), Victim));
        });
        var decisions = await Task.WhenAll(attempts);

        decisions.Count(d => d.IsAllowed).Should().Be(10, "10 sign-ins a minute per account, counted once across both instances");
        decisions.Where(d => !d.IsAllowed).Should().AllSatisfy(d => d.RetryAfter.Should().BePositive().And.BeLessThanOrEqualTo(TimeSpan.FromMinutes(1)));
        first.Availability.IsShared.Should().BeTrue();
        second.Availability.IsShared.Should().BeTrue();
    }

    [Test]
    public async Task TwoInstances_TheEleventhAttempt_IsRefusedWhicheverInstanceItReaches()
    {
        var redis = RedisServers.Shared();
        var prefix = LimitsInstance.NewPrefix();
        await using var first = await LimitsInstance.StartAsync(redis, prefix);
        await using var second = await LimitsInstance.StartAsync(redis, prefix);
        for (var i = 0; i < 10; i++)
        {
            var instance = i < 5 ? first : second;
            (await instance.Limiter.TryAcquireAsync(AbuseOperation.SignIn, instance.Request($"10.2.0.{i}"), Victim)).IsAllowed.Should().BeTrue();
        }

        (await first.Limiter.TryAcquireAsync(AbuseOperation.SignIn, first.Request("10.2.1.1"), Victim)).IsAllowed.Should().BeFalse();
        (await second.Limiter.TryAcquireAsync(AbuseOperation.SignIn, second.Request("10.2.1.2"), Victim)).IsAllowed.Should().BeFalse();
        (await second.Limiter.TryAcquireAsync(AbuseOperation.SignIn, second.Request("10.2.1.3"), Victim.ToUpperInvariant())).IsAllowed
            .Should().BeFalse("the account is compared case-insensitively, as in process");
        (await first.Limiter.TryAcquireAsync(AbuseOperation.SignIn, first.Request("10.2.1.4"), "someone-else@example.com")).IsAllowed
            .Should().BeTrue("another account has its own partition");
    }

    [Test]
    public async Task TwoInstances_SynchronousTryAcquire_IsExactToo()
    {
        var redis = RedisServers.Shared();
        var prefix = LimitsInstance.NewPrefix();
        await using var first = await LimitsInstance.StartAsync(redis, prefix);
        await using var second = await LimitsInstance.StartAsync(redis, prefix);
        var allowed = 0;

        // A host's own page calls the synchronous TryAcquire: the same script, waited for on the calling thread.
        Parallel.For(0, 100, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var instance = i % 2 == 0 ? first : second;
            if (instance.Limiter.TryAcquire(AbuseOperation.PasswordReset, instance.Request($"10.3.0.{i}"), Victim).IsAllowed)
            {
                Interlocked.Increment(ref allowed);
            }
        });

        first.Availability.IsShared.Should().BeTrue("no check fell back");
        second.Availability.IsShared.Should().BeTrue("no check fell back");
        allowed.Should().Be(5, "5 reset requests per e-mail in 10 minutes, across both instances");
    }

    [Test]
    public async Task TwoInstances_PerClientAddressLimit_IsSharedToo()
    {
        var redis = RedisServers.Shared();
        var prefix = LimitsInstance.NewPrefix();
        await using var first = await LimitsInstance.StartAsync(redis, prefix);
        await using var second = await LimitsInstance.StartAsync(redis, prefix);

        // One address, no account: the per-client limit of sign-in steps (30 a minute) alone.
        var decisions = await Task.WhenAll(Enumerable.Range(0, 100).Select(i =>
        {
            var instance = i % 2 == 0 ? first : second;
            return Task.Run(async () => await instance.Limiter.TryAcquireAsync(AbuseOperation.SignIn, instance.Request("203.0.113.7")));
        }));

        decisions.Count(d => d.IsAllowed).Should().Be(30);
    }

    [Test]
    public async Task WindowExpiry_FollowsTheHostsClock_AFakeOneIncluded()
    {
        var redis = RedisServers.Shared();
        var prefix = LimitsInstance.NewPrefix();

        // Both instances read one fake clock, 10 s into a minute: the window ends in 50 s.
        var start = DateTimeOffset.FromUnixTimeSeconds((DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 60 * 60) + 10);
        var time = new FakeTimeProvider(start);
        await using var first = await LimitsInstance.StartAsync(redis, prefix, time);
        await using var second = await LimitsInstance.StartAsync(redis, prefix, time);
        for (var i = 0; i < 10; i++)
        {
            (await first.Limiter.TryAcquireAsync(AbuseOperation.SignIn, first.Request($"10.4.0.{i}"), Victim)).IsAllowed.Should().BeTrue();
        }

        var refused = await second.Limiter.TryAcquireAsync(AbuseOperation.SignIn, second.Request("10.4.1.1"), Victim);
        refused.IsAllowed.Should().BeFalse();
        refused.RetryAfter.Should().Be(TimeSpan.FromSeconds(50), "a refusal says when the window ends");

        time.Advance(TimeSpan.FromSeconds(49));
        (await first.Limiter.TryAcquireAsync(AbuseOperation.SignIn, first.Request("10.4.1.2"), Victim)).IsAllowed.Should().BeFalse("the window has 1 s left");

        time.Advance(TimeSpan.FromSeconds(1));
        for (var i = 0; i < 10; i++)
        {
            (await second.Limiter.TryAcquireAsync(AbuseOperation.SignIn, second.Request($"10.4.2.{i}"), Victim)).IsAllowed.Should().BeTrue("a new window, a new count");
        }

        (await first.Limiter.TryAcquireAsync(AbuseOperation.SignIn, first.Request("10.4.3.1"), Victim)).IsAllowed.Should().BeFalse();
    }

    [Test]
    public async Task Keys_AreHashedPrefixedAndExpireWithTheirWindow()
    {
        var redis = RedisServers.Shared();
        var prefix = LimitsInstance.NewPrefix();
        await using var instance = await LimitsInstance.StartAsync(redis, prefix);
        const string address = "198.51.100.23";
        (await instance.Limiter.TryAcquireAsync(AbuseOperation.SignIn, instance.Request(address), Victim)).IsAllowed.Should().BeTrue();
        (await instance.Limiter.TryAcquireAsync(AbuseOperation.PasswordReset, instance.Request(address), Victim)).IsAllowed.Should().BeTrue();

        using var connection = await ConnectionMultiplexer.ConnectAsync(redis);
        var server = connection.GetServer(connection.GetEndPoints()[0]);
        var keys = server.Keys(pattern: prefix + "*").Select(k => k.ToString()).ToList();

        keys.Should().HaveCount(4, "a client and an account partition for each of the two operations");
        keys.Should().AllSatisfy(k =>
        {
            k.Should().StartWith(prefix).And.MatchRegex(@"^astest:[0-9a-f]{32}:[a-z-]+\.(client|account):[A-Za-z0-9_-]{22}:\d+$");
            k.Should().NotContainEquivalentOf(Victim).And.NotContainEquivalentOf("victim").And.NotContain(address).And.NotContain("198.51");
        });
        foreach (var key in keys)
        {
            var ttl = await connection.GetDatabase().KeyTimeToLiveAsync(key);
            var window = key.Contains("password-reset", StringComparison.Ordinal) ? TimeSpan.FromMinutes(10) : TimeSpan.FromMinutes(1);
            ttl.Should().NotBeNull("every key expires").And.Subject!.Value.Should().BePositive().And.BeLessThanOrEqualTo(window + TimeSpan.FromSeconds(1));
        }
    }

    [Test]
    public async Task KeyPrefixes_KeepApplicationsApart()
    {
        var redis = RedisServers.Shared();
        await using var one = await LimitsInstance.StartAsync(redis, LimitsInstance.NewPrefix());
        await using var other = await LimitsInstance.StartAsync(redis, LimitsInstance.NewPrefix());
        for (var i = 0; i < 10; i++)
        {
            (await one.Limiter.TryAcquireAsync(AbuseOperation.SignIn, one.Request($"10.5.0.{i}"), Victim)).IsAllowed.Should().BeTrue();
        }

        (await one.Limiter.TryAcquireAsync(AbuseOperation.SignIn, one.Request("10.5.1.1"), Victim)).IsAllowed.Should().BeFalse();
        (await other.Limiter.TryAcquireAsync(AbuseOperation.SignIn, other.Request("10.5.1.2"), Victim)).IsAllowed.Should().BeTrue();
    }

    [Test]
    public async Task TrustedDevice_HasItsOwnPartition_SharedByEveryInstance()
    {
        var redis = RedisServers.Shared();
        var prefix = LimitsInstance.NewPrefix();
        var keys = Directory.CreateTempSubdirectory("as-redis-dp-");
        try
        {
            await using var first = await LimitsInstance.StartAsync(redis, prefix, dataProtectionKeys: keys);
            await using var second = await LimitsInstance.StartAsync(redis, prefix, dataProtectionKeys: keys);

            // The owner's browser holds a device token for the account (a completed sign-in gave it), in the package's cookie.
            var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16)) + "." + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
            var issuing = first.Request("192.0.2.1");
            first.Services.GetRequiredService<DeviceCookie>().Remember(issuing, Victim, token);
            var cookie = issuing.Response.Headers.SetCookie.ToString().Split(';')[0];

            // Strangers exhaust the account's limit, through both instances.
            for (var i = 0; i < 10; i++)
            {
                var instance = i % 2 == 0 ? first : second;
                (await instance.Limiter.TryAcquireAsync(AbuseOperation.SignIn, instance.Request($"10.6.0.{i}"), Victim)).IsAllowed.Should().BeTrue();
            }

            (await second.Limiter.TryAcquireAsync(AbuseOperation.SignIn, second.Request("10.6.1.1"), Victim)).IsAllowed.Should().BeFalse();

            // The owner's device still has its own 10, counted once across the instances, whichever one the browser reaches.
            var owner = new List<bool>();
            for (var i = 0; i < 12; i++)
            {
                var instance = i % 2 == 0 ? second : first;
                owner.Add((await instance.Limiter.TryAcquireAsync(AbuseOperation.SignIn, instance.Request("192.0.2.1", cookie), Victim)).IsAllowed);
            }

            owner.Should().Equal([.. Enumerable.Repeat(true, 10), false, false]);
        }
        finally
        {
            keys.Delete(recursive: true);
        }
    }
}
