using System.Net;
using System.Security.Cryptography;
using AccountSecurity.AspNetCore.RateLimiting;
using AccountSecurity.Redis.RateLimiting;
using AccountSecurity.Redis.Tests.TestSupport;
using AccountSecurity.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AccountSecurity.Redis.Tests;

/// <summary>
/// The code that src/AccountSecurity.Redis/README.md and docs/running-several-instances.md show (their snippet blocks
/// must equal the regions here), run as a host runs it.
/// </summary>
[TestFixture]
public sealed class ReadmeExampleTests
{
    [Test]
    public async Task TheDocumentedSetup_SharesTheLimitsThroughRedis_BehindAProxy()
    {
        var redis = RedisServers.Shared();
        var key = RandomNumberGenerator.GetBytes(32);
        var partitionKeySecret = RandomNumberGenerator.GetBytes(32);
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();

        // snippet:begin use-redis
        builder.Services.AddAccountSecurity(options =>
            {
                options.Totp.Issuer = "Example Cloud";
                options.SecretProtection.AddKey("2026-11", key);      // every instance has the same keys and Data Protection key ring
            })
            .AddAspNetCore()
            .UseRedisAbuseLimits(redis, limits =>
            {
                limits.KeyPrefix = "console:abuse:";                  // one per application and environment
                limits.PartitionKeySecret = partitionKeySecret;       // 32+ bytes from your secret store, the same on every instance
                limits.Timeout = TimeSpan.FromMilliseconds(100);      // then this request is counted in this instance's memory
            });
        // snippet:end

        // snippet:begin forwarded-headers
        builder.Services.Configure<ForwardedHeadersOptions>(forwarded =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            forwarded.KnownProxies.Add(IPAddress.Parse("10.0.0.10"));  // your load balancer: only its header is believed
        });
        // snippet:end

        await using var app = builder.Build();
        app.UseForwardedHeaders();
        await app.StartAsync();

        app.Services.GetRequiredService<IAbuseLimiterProvider>().Should().BeOfType<RedisAbuseLimiterProvider>();
        app.Services.GetRequiredService<IOptions<RedisAbuseLimitOptions>>().Value.KeyPrefix.Should().Be("console:abuse:");
        await app.StopAsync();
    }

    [Test]
    public async Task WithoutTheRedisPackage_TheLimitsAreInProcess()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddAccountSecurity(options => options.SecretProtection.AddKey("k", RandomNumberGenerator.GetBytes(32))).AddAspNetCore();
        await using var app = builder.Build();

        app.Services.GetRequiredService<IAbuseLimiterProvider>().Should().BeOfType<InProcessAbuseLimiterProvider>();
    }

    [Test]
    public async Task UseRedisAbuseLimits_BeforeAddAspNetCore_StillWins()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddAccountSecurity(options => options.SecretProtection.AddKey("k", RandomNumberGenerator.GetBytes(32)))
            .UseRedisAbuseLimits("127.0.0.1:1")
            .AddAspNetCore();
        await using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IAbuseLimiterProvider>().Should().BeOfType<RedisAbuseLimiterProvider>();
    }

    [TestCase("")]
    [TestCase("has space:")]
    public async Task AnInvalidPrefix_FailsTheHostsStart(string prefix)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddAccountSecurity(options => AccountSecurityTestOptions.ApplyFastTestDefaults(options))
            .AddAspNetCore()
            .UseRedisAbuseLimits("127.0.0.1:1", o => o.KeyPrefix = prefix);
        await using var app = builder.Build();

        var start = () => app.StartAsync();

        (await start.Should().ThrowAsync<OptionsValidationException>()).Which.Message.Should().Contain("KeyPrefix");
    }

    [Test]
    public async Task ATooLongTimeout_OrAShortSecret_FailsTheHostsStart()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddAccountSecurity(options => AccountSecurityTestOptions.ApplyFastTestDefaults(options))
            .AddAspNetCore()
            .UseRedisAbuseLimits("127.0.0.1:1", o =>
            {
                o.Timeout = TimeSpan.FromSeconds(30);
                o.PartitionKeySecret = new byte[8];
            });
        await using var app = builder.Build();

        var start = () => app.StartAsync();

        var failure = (await start.Should().ThrowAsync<OptionsValidationException>()).Which;
        failure.Failures.Should().Contain(f => f.Contains("Timeout", StringComparison.Ordinal)).And.Contain(f => f.Contains("PartitionKeySecret", StringComparison.Ordinal));
    }
}
