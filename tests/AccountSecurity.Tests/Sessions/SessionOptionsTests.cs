using AccountSecurity.DependencyInjection;
using AccountSecurity.Sessions;
using AccountSecurity.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AccountSecurity.Tests.Sessions;

/// <summary>Every rule of <see cref="SessionOptions"/> refuses a bad configuration at start-up, and the defaults pass.</summary>
public sealed class SessionOptionsTests
{
    private static Action Resolve(Action<SessionOptions> configure) => () =>
    {
        using var provider = new ServiceCollection().AddAccountSecurity(o =>
        {
            AccountSecurityTestOptions.ApplyFastTestDefaults(o);
            configure(o.Sessions);
        }).Services.BuildServiceProvider();
        _ = provider.GetRequiredService<IOptions<AccountSecurityOptions>>().Value;
    };

    [Test]
    public void Defaults_MeetNistAal2_AndPass()
    {
        var options = new SessionOptions();
        options.DefaultIdleTimeout.Should().Be(TimeSpan.FromMinutes(30));
        options.MaxIdleTimeout.Should().BeLessThanOrEqualTo(TimeSpan.FromHours(1));
        options.DefaultAbsoluteLifetime.Should().Be(TimeSpan.FromHours(12));
        options.MaxAbsoluteLifetime.Should().BeLessThanOrEqualTo(TimeSpan.FromHours(24));
        options.DefaultMaxSessionsPerUser.Should().Be(10);
        options.LastSeenWriteInterval.Should().Be(TimeSpan.FromMinutes(1));
        Resolve(_ => { }).Should().NotThrow();
    }

    [Test]
    public void TheBoundsThemselves_AreAccepted()
    {
        Resolve(o =>
        {
            o.MinIdleTimeout = o.DefaultIdleTimeout = o.MaxIdleTimeout = TimeSpan.FromMinutes(5);
            o.MinAbsoluteLifetime = o.DefaultAbsoluteLifetime = o.MaxAbsoluteLifetime = TimeSpan.FromMinutes(5);
            o.DefaultMaxSessionsPerUser = o.MaxSessionsPerUserLimit = 1;
            o.LastSeenWriteInterval = TimeSpan.FromMinutes(1);
            o.RetainEndedFor = TimeSpan.Zero;
            o.CleanUpBatchSize = 1;
        }).Should().NotThrow();
        Resolve(o =>
        {
            o.CleanUpBatchSize = 10_000;
            o.RetainEndedFor = TimeSpan.FromDays(3650);
            o.MaxAbsoluteLifetime = TimeSpan.FromDays(3650);
        }).Should().NotThrow();
    }

    private static IEnumerable<TestCaseData> Invalid()
    {
        TestCaseData Case(string name, Action<SessionOptions> configure, string mentioned) => new TestCaseData(configure, mentioned).SetArgDisplayNames(name);

        yield return Case("MinIdleTimeout zero", o => o.MinIdleTimeout = TimeSpan.Zero, "MinIdleTimeout");
        yield return Case("MinIdleTimeout negative", o => o.MinIdleTimeout = TimeSpan.FromMinutes(-5), "MinIdleTimeout");
        yield return Case("MinIdleTimeout above the default", o => o.MinIdleTimeout = TimeSpan.FromMinutes(31), "MinIdleTimeout");
        yield return Case("DefaultIdleTimeout above the max", o => o.DefaultIdleTimeout = TimeSpan.FromMinutes(61), "DefaultIdleTimeout");
        yield return Case("MaxIdleTimeout below the default", o => o.MaxIdleTimeout = TimeSpan.FromMinutes(29), "MaxIdleTimeout");
        yield return Case("MinAbsoluteLifetime zero", o => o.MinAbsoluteLifetime = TimeSpan.Zero, "MinAbsoluteLifetime");
        yield return Case("MinAbsoluteLifetime above the default", o => o.MinAbsoluteLifetime = TimeSpan.FromHours(13), "MinAbsoluteLifetime");
        yield return Case("DefaultAbsoluteLifetime above the max", o => o.DefaultAbsoluteLifetime = TimeSpan.FromHours(25), "DefaultAbsoluteLifetime");
        yield return Case("MaxAbsoluteLifetime below the default", o => o.MaxAbsoluteLifetime = TimeSpan.FromHours(11), "MaxAbsoluteLifetime");
        yield return Case("MaxIdleTimeout above MaxAbsoluteLifetime", o =>
        {
            o.MinAbsoluteLifetime = TimeSpan.FromMinutes(10);
            o.DefaultAbsoluteLifetime = TimeSpan.FromMinutes(40);
            o.MaxAbsoluteLifetime = TimeSpan.FromMinutes(40);
        }, "MaxIdleTimeout must not exceed MaxAbsoluteLifetime");
        yield return Case("DefaultMaxSessionsPerUser zero", o => o.DefaultMaxSessionsPerUser = 0, "DefaultMaxSessionsPerUser");
        yield return Case("DefaultMaxSessionsPerUser above the limit", o => o.DefaultMaxSessionsPerUser = 101, "DefaultMaxSessionsPerUser");
        yield return Case("MaxSessionsPerUserLimit below the default", o => o.MaxSessionsPerUserLimit = 9, "MaxSessionsPerUserLimit");
        yield return Case("LastSeenWriteInterval zero", o => o.LastSeenWriteInterval = TimeSpan.Zero, "LastSeenWriteInterval");
        yield return Case("LastSeenWriteInterval negative", o => o.LastSeenWriteInterval = TimeSpan.FromSeconds(-1), "LastSeenWriteInterval");
        yield return Case("LastSeenWriteInterval above a fifth of MinIdleTimeout", o => o.LastSeenWriteInterval = TimeSpan.FromMinutes(1) + TimeSpan.FromTicks(1), "LastSeenWriteInterval");
        yield return Case("LastSeenWriteInterval maximal", o => o.LastSeenWriteInterval = TimeSpan.MaxValue, "LastSeenWriteInterval");
        yield return Case("RetainEndedFor negative", o => o.RetainEndedFor = TimeSpan.FromTicks(-1), "RetainEndedFor");
        yield return Case("RetainEndedFor maximal", o => o.RetainEndedFor = TimeSpan.MaxValue, "RetainEndedFor");
        yield return Case("RetainEndedFor above 3650 days", o => o.RetainEndedFor = TimeSpan.FromDays(3650) + TimeSpan.FromTicks(1), "RetainEndedFor");
        yield return Case("lifetime maximal", o => o.DefaultAbsoluteLifetime = o.MaxAbsoluteLifetime = TimeSpan.MaxValue, "MaxAbsoluteLifetime");
        yield return Case("MaxAbsoluteLifetime above 3650 days", o => o.MaxAbsoluteLifetime = TimeSpan.FromDays(3650) + TimeSpan.FromTicks(1), "MaxAbsoluteLifetime");
        yield return Case("CleanUpBatchSize zero", o => o.CleanUpBatchSize = 0, "CleanUpBatchSize");
        yield return Case("CleanUpBatchSize above 10000", o => o.CleanUpBatchSize = 10_001, "CleanUpBatchSize");
    }

    [TestCaseSource(nameof(Invalid))]
    public void Validation_RefusesAtStartUp_NamingTheOption(Action<SessionOptions> configure, string mentioned) =>
        Resolve(configure).Should().Throw<OptionsValidationException>().WithMessage($"*{mentioned}*");
}
