using AccountSecurity.Sessions;
using AccountSecurity.SignIn;
using AccountSecurity.Testing;
using AccountSecurity.Tests.TestSupport;

namespace AccountSecurity.Tests.Sessions;

/// <summary><see cref="SessionCleanup.RunOnceAsync"/>: deletes ended and expired sessions older than the retention, in batches, never a live one.</summary>
public sealed class SessionCleanupTests
{
    [Test]
    public async Task Cleanup_DeletesEndedAndExpiredSessionsOlderThanTheRetention_NeverALiveOne()
    {
        await using var host = await SessionTestHost.CreateAsync(o => o.Sessions.RetainEndedFor = TimeSpan.FromHours(1));
        var ended = await host.StartAsync();
        (await host.Sessions.EndAsync(TestHost.UserId, ended.Session.SessionId!)).Succeeded.Should().BeTrue();
        var expiring = await host.StartAsync(TestHost.AdminId);
        host.Host.Time.Advance(TimeSpan.FromMinutes(30));
        var endedRecently = await host.StartAsync();
        host.Host.Time.Advance(TimeSpan.FromMinutes(29));
        (await host.Sessions.EndAsync(TestHost.UserId, endedRecently.Session.SessionId!)).Succeeded.Should().BeTrue();
        var live = await host.StartAsync(TestHost.OwnerId);
        var cleanup = host.Host.Get<SessionCleanup>();

        // 59 minutes after the first was ended: nothing is old enough.
        (await cleanup.RunOnceAsync()).Should().Be(0);

        host.Host.Time.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromTicks(1));
        (await cleanup.RunOnceAsync()).Should().Be(1);
        (await host.RecordAsync(ended.Session.SessionId!)).Should().BeNull();
        (await host.RecordAsync(endedRecently.Session.SessionId!)).Should().NotBeNull();

        // The administrator's session is idle-expired (not ended): kept until its absolute expiry is past the retention.
        (await host.StatusAsync(expiring)).Should().Be(SessionStatus.Invalid);
        (await host.RecordAsync(expiring.Session.SessionId!)).Should().NotBeNull();
        host.Host.Time.SetUtcNow(TestHost.Start + TimeSpan.FromHours(14));
        (await host.StatusAsync(live)).Should().Be(SessionStatus.Invalid, "all of them are past their lifetime now");

        (await cleanup.RunOnceAsync()).Should().Be(3);
        (await host.RecordAsync(expiring.Session.SessionId!)).Should().BeNull();
        (await host.RecordAsync(endedRecently.Session.SessionId!)).Should().BeNull();
        (await host.RecordAsync(live.Session.SessionId!)).Should().BeNull();
    }

    [Test]
    public async Task Cleanup_NeverDeletesALiveSession_EvenWithoutRetention()
    {
        await using var host = await SessionTestHost.CreateAsync(o => o.Sessions.RetainEndedFor = TimeSpan.Zero);
        var live = await host.StartAsync();
        var ended = await host.StartAsync();
        (await host.Sessions.SignOutAsync(ended.Reference)).Succeeded.Should().BeTrue();
        host.Host.Time.Advance(TimeSpan.FromTicks(1));

        (await host.Host.Get<SessionCleanup>().RunOnceAsync()).Should().Be(1);

        (await host.StatusAsync(live)).Should().Be(SessionStatus.Valid);
        (await host.RecordAsync(ended.Session.SessionId!)).Should().BeNull();
    }

    [Test]
    public async Task Cleanup_WorksInBatches_UntilABatchComesBackShort()
    {
        await using var host = await SessionTestHost.CreateAsync(o =>
        {
            o.Sessions.CleanUpBatchSize = 3;
            o.Sessions.RetainEndedFor = TimeSpan.Zero;
        });
        var live = await host.StartAsync(TestHost.AdminId);
        for (var i = 0; i < 10; i++)
        {
            await host.StartAsync();
        }

        (await host.Sessions.EndAllByAdministratorAsync(await TestSessions.FreshAsync(host.Host.Services, TestHost.OwnerId), TestHost.UserId)).Value.Should().Be(10);
        host.Host.Time.Advance(TimeSpan.FromSeconds(1));
        host.Store.Reset();

        (await host.Host.Get<SessionCleanup>().RunOnceAsync()).Should().Be(10);

        host.Store.DeleteCalls.Should().Be(4, "3 + 3 + 3 + 1");
        (await host.StatusAsync(live)).Should().Be(SessionStatus.Valid);
        host.Host.Logs.AllText().Should().Contain(l => l.Contains("Deleted 10 ended or expired sessions", StringComparison.Ordinal));
    }

    [Test]
    public async Task Cleanup_StopsAfterMaxBatches_TheRestWaitsForTheNextRun()
    {
        await using var host = await SessionTestHost.CreateAsync(o =>
        {
            o.Sessions.CleanUpBatchSize = 3;
            o.Sessions.RetainEndedFor = TimeSpan.Zero;
        });
        for (var i = 0; i < 10; i++)
        {
            await host.StartAsync();
        }

        await host.Sessions.EndAllByAdministratorAsync(await TestSessions.FreshAsync(host.Host.Services, TestHost.OwnerId), TestHost.UserId);
        host.Host.Time.Advance(TimeSpan.FromSeconds(1));
        host.Store.Reset();
        var cleanup = host.Host.Get<SessionCleanup>();

        (await cleanup.RunOnceAsync(maxBatches: 2)).Should().Be(6);
        host.Store.DeleteCalls.Should().Be(2);
        (await cleanup.RunOnceAsync(maxBatches: 2)).Should().Be(4);
        (await cleanup.RunOnceAsync(maxBatches: 2)).Should().Be(0);
    }

    [Test]
    public async Task Cleanup_WithTheLongestRetention_RunsAndKeepsEverything()
    {
        await using var host = await SessionTestHost.CreateAsync(o => o.Sessions.RetainEndedFor = TimeSpan.FromDays(3650));
        var ended = await host.StartAsync();
        await host.Sessions.SignOutAsync(ended.Reference);
        host.Host.Time.Advance(TimeSpan.FromDays(365));

        (await host.Host.Get<SessionCleanup>().RunOnceAsync()).Should().Be(0);
        (await host.RecordAsync(ended.Session.SessionId!)).Should().NotBeNull();
    }

    [Test]
    public async Task Cleanup_NeedsAtLeastOneBatch()
    {
        await using var host = await SessionTestHost.CreateAsync();

        await host.Host.Get<SessionCleanup>().Invoking(async c => await c.RunOnceAsync(0)).Should().ThrowAsync<ArgumentOutOfRangeException>();
    }
}
