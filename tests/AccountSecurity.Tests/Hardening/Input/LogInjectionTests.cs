using System.Reflection;
using AccountSecurity.Accounts;
using AccountSecurity.Diagnostics;
using AccountSecurity.Events;
using AccountSecurity.Testing;
using AccountSecurity.Tests.TestSupport;
using AccountSecurity.TwoFactor;
using Microsoft.Extensions.Logging;

namespace AccountSecurity.Tests.Hardening.Input;

/// <summary>
/// Issue 8, item 8: ids that reach log lines and events from hosts cannot forge a line (CR/LF), hide or reorder text
/// (bidi, zero-width) or flood a log (10 MB). Ids are validated before use; log values are escaped and bounded in one
/// place (<see cref="LogValue"/>) as defence in depth.
/// </summary>
public sealed class LogInjectionTests
{
    private static readonly string Forged = "admin-1\r\nINFO AccountSecurity: user admin-1 signed in";
    private static readonly string TenMegabytes = new('x', 10_000_000);

    [Test]
    public async Task RefusedAction_WithCrLfActingUserId_LogsNoForgedLineAndEventsCarryNoSuchId()
    {
        await using var host = TestHost.Create();
        await host.SeedContractAsync();
        host.Logs.Clear();
        host.Events.Clear();

        var result = await host.Policies.SetPolicyAsync(TestSessions.Of(Forged), null);

        result.Succeeded.Should().BeFalse();
        host.Events.Events.Should().ContainSingle().Which.ActorId.Should().BeNull("an id that cannot be an id is never forwarded");
        host.Logs.Entries.Should().NotBeEmpty().And.OnlyContain(e => !e.Message.Contains('\r') && !e.Message.Contains('\n'));
    }

    [Test]
    public async Task RefusedAction_WithTenMegabyteActingUserId_WritesBoundedLinesAndEvents()
    {
        await using var host = TestHost.Create();
        await host.SeedContractAsync();
        host.Logs.Clear();
        host.Events.Clear();

        await host.Provisioning.CreateUserAsync(TenMegabytes, new NewUser { UserId = "new-user", Email = "new-user@example.com", Role = UserRole.User, InitialPassword = TestHost.SecondPassword });
        await host.Get<ITwoFactorAdministrationService>().SetForcedAsync(TestSessions.Of(TenMegabytes), TestHost.UserId, true);

        host.Events.Events.Should().HaveCount(2).And.OnlyContain(e => e.ActorId == null);
        host.Logs.Entries.Should().OnlyContain(e => e.Message.Length < 1_000);
    }

    [Test]
    public void LoggingSink_EventWithHostileIds_WritesOneEscapedBoundedLine()
    {
        using var logs = new CollectingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        var sink = new LoggingSecurityEventSink(factory.CreateLogger<LoggingSecurityEventSink>());

        sink.OnEventAsync(
            new SecurityEvent { Type = SecurityEventType.AuthorizationRefused, OccurredAt = TestHost.Start, UserId = "u\0" + '\u202E' + "x", ActorId = Forged, ContractId = TenMegabytes },
            CancellationToken.None);

        var line = logs.Entries.Should().ContainSingle().Subject;
        line.Message.Should().NotContainAny("\r", "\n", "\0", "\u202E");
        line.Message.Should().Contain(@"admin-1\u000D\u000AINFO").And.Contain(@"u\u0000\u202Ex");
        line.Message.Length.Should().BeLessThan(1_000);
        line.State.Should().OnlyContain(kv => kv.Value == null || kv.Value.Length < 1_000);
    }

    [Test]
    public void SecurityEventToString_WithHostileIds_IsOneBoundedLine()
    {
        var text = new SecurityEvent { Type = SecurityEventType.SignInFailed, OccurredAt = TestHost.Start, UserId = TenMegabytes, ActorId = Forged }.ToString();

        text.Should().NotContainAny("\r", "\n");
        text.Length.Should().BeLessThan(1_000);
        text.Should().Contain("(+9999744 chars)");
    }

    [TestCase("plain-id", "plain-id")]
    [TestCase("a\\b", "a\\\\b")]
    [TestCase("tab\there", "tab\\u0009here")]
    [TestCase("\u2028", "\\u2028")]
    [TestCase("\u200Bzw", "\\u200Bzw")]
    [TestCase("emoji \U0001F600 stays", "emoji \U0001F600 stays")]
    public void LogValue_EscapesWhatCouldForgeOrHideText(string value, string expected)
    {
        LogValue.Escape(value).Should().Be(expected);
    }

    [Test]
    public void LogValue_LoneSurrogatesAndNoncharacters_AreEscapedAndALongValueIsCutWithoutSplittingAPair()
    {
        LogValue.Escape("a" + '\uD800' + "b" + '\uFFFE').Should().Be(@"a\uD800b\uFFFE");
        var cut = LogValue.Escape(new string('a', LogValue.MaxLength - 1) + "\U0001F600" + "tail")!;
        cut.Should().Be(new string('a', LogValue.MaxLength - 1) + "…(+6 chars)");
        LogValue.Escape(null).Should().BeNull();
    }

    [Test]
    public void EveryLogMethod_TakesTextOnlyAsLogValue()
    {
        var methods = typeof(LogValue).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Where(m => m.GetCustomAttribute<LoggerMessageAttribute>() is not null)
            .ToList();

        methods.Should().NotBeEmpty();
        methods.SelectMany(m => m.GetParameters().Where(p => p.ParameterType == typeof(string)).Select(p => $"{m.DeclaringType!.Name}.{m.Name}({p.Name})"))
            .Should().BeEmpty("every text value is escaped and bounded by LogValue, so no log method may take a raw string");
    }
}
