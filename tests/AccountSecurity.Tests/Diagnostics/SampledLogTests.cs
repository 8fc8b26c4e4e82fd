using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using AccountSecurity.Crypto;
using AccountSecurity.Diagnostics;
using AccountSecurity.Events;
using AccountSecurity.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace AccountSecurity.Tests.Diagnostics;

/// <summary>
/// Refusals of forged state (issue 26): a client can send them as fast as it likes, so each is counted but only the
/// first of a window per kind is logged, with the count of those left unlogged since the last line.
/// </summary>
public sealed class SampledLogTests
{
    private static readonly DateTimeOffset Start = new(2030, 1, 1, 9, 0, 0, TimeSpan.Zero);

    [Test]
    public void AThousandRefusalsInAMinute_LogOnce_AndTheNextLineCarriesTheRest()
    {
        var time = new FakeTimeProvider(Start);
        using var counts = new RefusalCounter();
        using var sampled = new SampledLog(time);

        var logged = new List<long>();
        for (var i = 0; i < 1000; i++)
        {
            if (sampled.ShouldLog(ForgedStateKind.ProtectedSecretTampered, out var suppressed))
            {
                logged.Add(suppressed);
            }

            time.Advance(TimeSpan.FromMilliseconds(59));
        }

        logged.Should().Equal([0L], "the first refusal of the window is logged at once, the 999 after it within the minute are not");
        counts.Total(ForgedStateKind.ProtectedSecretTampered).Should().Be(1000, "every refusal is counted");

        time.Advance(TimeSpan.FromSeconds(1));
        sampled.ShouldLog(ForgedStateKind.ProtectedSecretTampered, out var rest).Should().BeTrue("a new window");
        rest.Should().Be(999);
        sampled.ShouldLog(ForgedStateKind.ProtectedSecretTampered, out _).Should().BeFalse();
        counts.Total(ForgedStateKind.ProtectedSecretTampered).Should().Be(1002);
    }

    [Test]
    public void EachKind_HasItsOwnWindow()
    {
        var time = new FakeTimeProvider(Start);
        using var sampled = new SampledLog(time);

        sampled.ShouldLog(ForgedStateKind.ProtectedSecretTampered, out _).Should().BeTrue();
        sampled.ShouldLog(ForgedStateKind.DeviceCookie, out _).Should().BeTrue("a flood of one kind does not hide another");
        sampled.ShouldLog(ForgedStateKind.ProtectedSecretUnknownKey, out _).Should().BeTrue();
        sampled.ShouldLog(ForgedStateKind.DeviceCookie, out _).Should().BeFalse();
    }

    [Test]
    public void AThousandForgedSealedValuesInAMinute_WriteOneWarning_AndCountAThousand()
    {
        var time = new FakeTimeProvider(Start);
        var logs = new CollectingLoggerProvider();
        using var counts = new RefusalCounter();
        using var provider = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs))
            .AddSingleton<TimeProvider>(time)
            .AddAccountSecurity(o => AccountSecurityTestOptions.ApplyFastTestDefaults(o))
            .Services.BuildServiceProvider();
        var protector = provider.GetRequiredService<ISecretProtector>();
        var genuine = protector.Protect(RandomNumberGenerator.GetBytes(20), "passkey-ceremony:v1");
        var forged = genuine[..^4] + (genuine.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");

        for (var i = 0; i < 1000; i++)
        {
            using var opened = protector.Unprotect(forged, "passkey-ceremony:v1");
            opened.Status.Should().Be(SecretUnprotectStatus.AuthenticationFailed);
            time.Advance(TimeSpan.FromMilliseconds(50));
        }

        var lines = logs.Entries.Where(e => e.EventId.Id == 91).ToList();
        lines.Should().ContainSingle("1,000 forged values in a minute are one line").Which.Level.Should().Be(LogLevel.Warning);
        lines[0].State.Should().Contain(new KeyValuePair<string, string?>("Suppressed", "0"));
        counts.Total(ForgedStateKind.ProtectedSecretTampered).Should().Be(1000);

        time.Advance(TimeSpan.FromMinutes(1));
        using (protector.Unprotect(forged, "passkey-ceremony:v1"))
        {
        }

        lines = [.. logs.Entries.Where(e => e.EventId.Id == 91)];
        lines.Should().HaveCount(2);
        lines[1].State.Should().Contain(new KeyValuePair<string, string?>("Suppressed", "999"), "the next line says how many went unlogged");
        logs.AllText().Should().NotContain(t => t.Contains(forged, StringComparison.Ordinal), "never the value itself");
    }

    [Test]
    public void AForgedValueNamingAnUnknownKey_IsSampledToo()
    {
        var time = new FakeTimeProvider(Start);
        var logs = new CollectingLoggerProvider();
        using var provider = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs))
            .AddSingleton<TimeProvider>(time)
            .AddAccountSecurity(o => AccountSecurityTestOptions.ApplyFastTestDefaults(o))
            .Services.BuildServiceProvider();
        var protector = provider.GetRequiredService<ISecretProtector>();

        for (var i = 0; i < 100; i++)
        {
            using var opened = protector.Unprotect("v1.made-up-key.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "passkey-ceremony:v1");
            opened.Status.Should().Be(SecretUnprotectStatus.UnknownKey);
        }

        logs.Entries.Where(e => e.EventId.Id == 90).Should().ContainSingle();
    }

    [Test]
    public async Task AThousandMadeUpSignInTickets_WriteOneWarning_AndCountAThousand_ButAMissingTicketIsNoForgery()
    {
        var time = new FakeTimeProvider(Start);
        var logs = new CollectingLoggerProvider();
        using var counts = new RefusalCounter();
        await using var provider = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs))
            .AddSingleton<TimeProvider>(time)
            .AddAccountSecurity(o => AccountSecurityTestOptions.ApplyFastTestDefaults(o))
            .Services.BuildServiceProvider();

        for (var i = 0; i < 1000; i++)
        {
            await using var scope = provider.CreateAsyncScope();
            var result = await scope.ServiceProvider.GetRequiredService<AccountSecurity.SignIn.ISignInService>().SecondFactorSignInAsync($"not a ticket {i}", "123456");
            result.ErrorCode.Should().Be(AccountSecurity.Results.SecurityErrorCodes.InvalidTicket);
        }

        await using (var scope = provider.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<AccountSecurity.SignIn.ISignInService>().SecondFactorSignInAsync(null, "123456");
        }

        logs.Entries.Where(e => e.EventId.Id == 92).Should().ContainSingle().Which.Level.Should().Be(LogLevel.Warning);
        counts.Total(ForgedStateKind.SignInTicket).Should().Be(1000, "the missing ticket is not counted");
        logs.AllText().Should().NotContain(t => t.Contains("not a ticket", StringComparison.Ordinal), "never the ticket itself");
    }

    /// <summary>Sums the refusals counter by kind, from every meter named like the library's (tests do not run in parallel).</summary>
    private sealed class RefusalCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly Dictionary<string, long> _totals = [];

        public RefusalCounter()
        {
            _listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == MetricsSecurityEventSink.MeterName && instrument.Name == SampledLog.CounterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                var kind = tags.ToArray().Single(t => t.Key == SampledLog.KindTag).Value!.ToString()!;
                lock (_totals)
                {
                    _totals[kind] = _totals.GetValueOrDefault(kind) + value;
                }
            });
            _listener.Start();
        }

        public long Total(ForgedStateKind kind)
        {
            lock (_totals)
            {
                return _totals.GetValueOrDefault(SampledLog.TagValue(kind));
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}
