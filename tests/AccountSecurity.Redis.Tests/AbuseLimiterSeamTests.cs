using System.Net;
using System.Threading.RateLimiting;
using AccountSecurity.AspNetCore.DependencyInjection;
using AccountSecurity.AspNetCore.RateLimiting;
using AccountSecurity.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AccountSecurity.Redis.Tests;

/// <summary>The ASP.NET Core layer's one seam for the abuse limits: every limit comes from the registered provider.</summary>
[TestFixture]
public sealed class AbuseLimiterSeamTests
{
    [Test]
    public async Task EveryLimit_ComesFromTheRegisteredProvider_WithAStableNameAndItsOptions()
    {
        var recording = new RecordingProvider();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IAbuseLimiterProvider>(recording);
        services.AddAccountSecurity(o => AccountSecurityTestOptions.ApplyFastTestDefaults(o))
            .AddAspNetCore(o => o.RateLimits.SignInPerAccount = new(3, TimeSpan.FromSeconds(20)));
        await using var provider = services.BuildServiceProvider();
        var limiter = provider.GetRequiredService<AccountSecurityRateLimiter>();
        var context = new DefaultHttpContext { RequestServices = provider };
        context.Connection.RemoteIpAddress = IPAddress.Parse("192.0.2.44");

        var decisions = new List<bool>();
        for (var i = 0; i < 4; i++)
        {
            decisions.Add((await limiter.TryAcquireAsync(AbuseOperation.SignIn, context, "Someone@Example.com ")).IsAllowed);
        }

        recording.Created.Keys.Should().BeEquivalentTo(
            "sign-in.client", "sign-in.account", "password-reset.client", "password-reset.account",
            "support-pin.client", "support-pin.account", "user-creation.client", "user-creation.account");
        recording.Created["sign-in.account"].PermitLimit.Should().Be(3);
        recording.Created["sign-in.account"].Window.Should().Be(TimeSpan.FromSeconds(20));
        decisions.Should().Equal(true, true, true, false);
        recording.Partitions.Should().Contain(("sign-in.client", "192.0.2.44")).And.Contain(("sign-in.account", "SOMEONE@EXAMPLE.COM"));
    }

    /// <summary>In-process limiters that remember which limits were made and which partitions were asked.</summary>
    private sealed class RecordingProvider : IAbuseLimiterProvider
    {
        private readonly InProcessAbuseLimiterProvider _inner = new();

        public Dictionary<string, AbuseLimit> Created { get; } = [];

        public List<(string Limit, string Partition)> Partitions { get; } = [];

        public PartitionedRateLimiter<string> CreateLimiter(string name, AbuseLimit limit)
        {
            Created[name] = limit;
            var inner = _inner.CreateLimiter(name, limit);
            return PartitionedRateLimiter.Create<string, string>(
                key =>
                {
                    lock (Partitions)
                    {
                        Partitions.Add((name, key));
                    }

                    return RateLimitPartition.Get(key, k => new Forwarding(inner, k));
                },
                StringComparer.Ordinal);
        }

        private sealed class Forwarding(PartitionedRateLimiter<string> inner, string key) : RateLimiter
        {
            public override TimeSpan? IdleDuration => null;

            public override RateLimiterStatistics? GetStatistics() => inner.GetStatistics(key);

            protected override RateLimitLease AttemptAcquireCore(int permitCount) => inner.AttemptAcquire(key, permitCount);

            protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) => inner.AcquireAsync(key, permitCount, cancellationToken);
        }
    }
}
