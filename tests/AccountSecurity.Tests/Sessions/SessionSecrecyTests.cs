using AccountSecurity.Accounts.Administration;
using AccountSecurity.Sessions;
using AccountSecurity.Testing;
using AccountSecurity.Tests.TestSupport;

namespace AccountSecurity.Tests.Sessions;

/// <summary>No reference, secret or secret hash of a session in any ToString(), event or log line.</summary>
public sealed class SessionSecrecyTests
{
    [Test]
    public async Task ToString_OfRecordStartedSessionValidationAndState_NeverShowsTheReferenceTheSecretOrTheHash()
    {
        await using var host = await SessionTestHost.CreateAsync();
        var started = await host.StartAsync(device: new SessionDevice("Firefox on Windows", "203.0.113.0"));
        var state = (await host.Store.Inner.FindForValidationAsync(started.Session.SessionId!, CancellationToken.None))!;
        var validation = await host.Sessions.ValidateAsync(started.Reference);
        var summary = (await host.Sessions.ListAsync(TestHost.UserId, started.Session.SessionId)).Single();

        string[] texts = [started.ToString(), state.Session.ToString(), state.ToString(), validation.ToString(), summary.ToString(), started.Session.ToString()];

        foreach (var secret in Secrets(started, state.Session))
        {
            texts.Should().NotContain(t => t.Contains(secret, StringComparison.OrdinalIgnoreCase));
        }

        texts.Should().NotContain(t => t.Contains(state.Session.SecurityStamp, StringComparison.Ordinal), "the stamp is no secret for a client, yet printing it helps nobody");
        started.ToString().Should().Contain(started.Session.SessionId);
        state.Session.ToString().Should().NotContain("203.0.113.0", "the client address is personal data");
    }

    [Test]
    public async Task EventsAndLogLines_OfEveryOperation_NeverContainAReferenceASecretOrAHash()
    {
        await using var host = await SessionTestHost.CreateAsync(o => o.Sessions.RetainEndedFor = TimeSpan.Zero);
        (await host.Sessions.SetPolicyAsync(await TestSessions.FreshAsync(host.Host.Services, TestHost.OwnerId), new SessionPolicySettings(MaxSessionsPerUser: 2))).Succeeded.Should().BeTrue();
        var started = new List<StartedSession>();
        for (var i = 0; i < 3; i++)
        {
            started.Add(await host.StartAsync(device: new SessionDevice("Firefox on Windows", "203.0.113.0")));
        }

        started.Add(await host.StartAsync(TestHost.AdminId));
        started.Add(await host.StartAsync(TestHost.AdminId));
        started.Add(await host.StartAsync(TestHost.OwnerId));
        var records = new List<SessionRecord>();
        foreach (var session in started)
        {
            records.Add((await host.RecordAsync(session.Session.SessionId!))!);
        }

        host.Host.Time.Advance(TimeSpan.FromMinutes(2));
        await host.Sessions.ValidateAsync(started[2].Reference);
        await host.Sessions.ValidateAsync(started[2].Reference[..^2] + "xx");
        await host.Sessions.ListAsync(TestHost.UserId, started[2].Session.SessionId);
        await host.Sessions.EndAsync(TestHost.UserId, started[1].Session.SessionId!);
        await host.Sessions.EndAsync(TestHost.UserId, started[3].Session.SessionId!);
        await host.Sessions.EndOthersAsync(TestHost.AdminId, started[4].Session.SessionId!);
        await host.Sessions.AdoptStampAsync(TestHost.AdminId, started[4].Session.SessionId!, "new-stamp");
        await host.Sessions.EndAllByAdministratorAsync(await TestSessions.FreshAsync(host.Host.Services, TestHost.UserId), TestHost.OwnerId);
        await host.Sessions.EndAllByAdministratorAsync(await TestSessions.FreshAsync(host.Host.Services, TestHost.OwnerId), TestHost.AdminId);
        await host.Sessions.SignOutAsync(started[2].Reference);
        await host.Sessions.SignOutAsync(started[5].Reference);
        await host.Host.Get<IAccountAdministrationService>().DeactivateAsync(await TestSessions.FreshAsync(host.Host.Services, TestHost.OwnerId), TestHost.UserId);
        host.Host.Time.Advance(TimeSpan.FromSeconds(1));
        (await host.Host.Get<SessionCleanup>().RunOnceAsync()).Should().BeGreaterThan(0);

        var lines = host.Host.Logs.AllText().Concat(host.Host.Events.AllText()).Concat(host.Host.Events.Events.Select(e => e.ToString())).ToList();
        lines.Should().NotBeEmpty();
        host.Host.Events.Events.Should().Contain(e => e.Type == AccountSecurity.Events.SecurityEventType.SessionEnded);
        for (var i = 0; i < started.Count; i++)
        {
            foreach (var secret in Secrets(started[i], records[i]))
            {
                lines.Should().NotContain(l => l.Contains(secret, StringComparison.OrdinalIgnoreCase));
            }
        }
    }

    /// <summary>What must never be printed: the reference, its secret part, and the stored hash of the secret.</summary>
    private static IEnumerable<string> Secrets(StartedSession started, SessionRecord record) =>
        [started.Reference, started.Reference.Split('.')[1], record.SecretHash];
}
