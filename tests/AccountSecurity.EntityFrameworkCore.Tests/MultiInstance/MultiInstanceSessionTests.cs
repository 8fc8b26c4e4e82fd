using AccountSecurity.EntityFrameworkCore.Stores;
using AccountSecurity.EntityFrameworkCore.Tests.Infrastructure;
using AccountSecurity.Sessions;
using AccountSecurity.SignIn;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AccountSecurity.EntityFrameworkCore.Tests.MultiInstance;

/// <summary>
/// Two app instances sharing one database share one session registry: a session ended on one is refused on the other
/// at its next request, and a burst of requests on both writes "last seen" at most once per interval.
/// </summary>
[TestFixture(TestDatabase.Sqlite)]
[TestFixture(TestDatabase.PostgreSql)]
public sealed class MultiInstanceSessionTests(string provider) : MultiInstanceFixture(provider)
{
    private const int Burst = 200;
    private SessionStoreCounts _counts = new();

    [SetUp]
    public Task StartInstancesAsync()
    {
        _counts = new SessionStoreCounts();
        var counts = _counts;
        // The audit trail off: its writer reads a new session once in the background for the device, which these counts of
        // the request path's store reads would take in.
        return StartAsync(configure: o => o.Audit.Enabled = false, configureServices: services =>
        {
            // Each instance's EF Core session store, counted (the counts are the test's, over both instances).
            services.RemoveAll<ISessionStore>();
            services.AddScoped<ISessionStore>(sp => new CountingSessionStore(
                new EntityFrameworkCoreSessionStore<AccountSecurityDbContext>(sp.GetRequiredService<AccountSecurityDbContext>()), counts));
        });
    }

    [Test]
    public async Task SessionEndedThroughA_IsRefusedByBAtItsNextRequest()
    {
        var started = await SignInAsync(Instances.A);
        (await ValidateAsync(Instances.B, started.Reference)).Status.Should().Be(SessionStatus.Valid, "B sees the session A began");

        var ended = await Instances.A.RunAsync(sp => sp.GetRequiredService<ISessionService>().EndAsync(UserId, started.Session.SessionId!));

        ended.Succeeded.Should().BeTrue(ended.ToString());
        (await ValidateAsync(Instances.B, started.Reference)).Status.Should().Be(SessionStatus.Invalid);
        (await ValidateAsync(Instances.A, started.Reference)).Status.Should().Be(SessionStatus.Invalid);
    }

    [Test]
    public async Task SignOutThroughB_EndsTheSessionForA_AndLeavesTheOtherSession()
    {
        var first = await SignInAsync(Instances.A);
        var second = await SignInAsync(Instances.B);

        (await Instances.B.RunAsync(sp => sp.GetRequiredService<ISessionService>().SignOutAsync(first.Reference))).Succeeded.Should().BeTrue();

        (await ValidateAsync(Instances.A, first.Reference)).Status.Should().Be(SessionStatus.Invalid);
        (await ValidateAsync(Instances.A, second.Reference)).Status.Should().Be(SessionStatus.Valid);
        var listed = await Instances.A.RunAsync(sp => sp.GetRequiredService<ISessionService>().ListAsync(UserId, second.Session.SessionId));
        listed.Select(s => s.Id).Should().Equal(second.Session.SessionId);
    }

    [Test]
    public async Task ConcurrentRequestsOnBothInstances_WriteLastSeenAtMostOnceAMinute()
    {
        var started = await SignInAsync(Instances.A);
        var begun = Instances.Time.GetUtcNow();

        // A minute and a second later, 200 requests of the session at once, spread over both instances.
        Instances.Time.Advance(TimeSpan.FromSeconds(61));
        await BurstAsync(started.Reference);
        _counts.TouchesWritten.Should().Be(1, "one write for the burst, whichever instance won: " + _counts);
        _counts.ValidationReads.Should().Be(Burst, "one read per request: " + _counts);
        (await LastSeenAsync(started)).Should().Be(begun.AddSeconds(61));

        // Within the minute after that write, no request writes, however many.
        Instances.Time.Advance(TimeSpan.FromSeconds(59));
        await BurstAsync(started.Reference);
        _counts.TouchesWritten.Should().Be(1, "no write within a minute of the last: " + _counts);
        (await LastSeenAsync(started)).Should().Be(begun.AddSeconds(61));

        // More than a minute after the write, the next burst writes once again.
        Instances.Time.Advance(TimeSpan.FromSeconds(2));
        await BurstAsync(started.Reference);
        _counts.TouchesWritten.Should().Be(2, _counts.ToString());
        (await LastSeenAsync(started)).Should().Be(begun.AddSeconds(122));
    }

    [Test]
    public async Task Validation_IsExactlyOneStoreRead_AndWritesOnlyWhenLastSeenIsDue()
    {
        var started = await SignInAsync(Instances.A);
        var (reads, lists, touches, written) = (_counts.ValidationReads, _counts.ListReads, _counts.Touches, _counts.TouchesWritten);

        (await ValidateAsync(Instances.B, started.Reference)).Status.Should().Be(SessionStatus.Valid);

        _counts.ValidationReads.Should().Be(reads + 1, "one store read per request: " + _counts);
        _counts.ListReads.Should().Be(lists);
        _counts.Touches.Should().Be(touches, "last seen is not due yet: " + _counts);

        Instances.Time.Advance(TimeSpan.FromMinutes(2));
        (await ValidateAsync(Instances.B, started.Reference)).Status.Should().Be(SessionStatus.Valid);

        _counts.ValidationReads.Should().Be(reads + 2, _counts.ToString());
        _counts.ListReads.Should().Be(lists);
        (_counts.Touches, _counts.TouchesWritten).Should().Be((touches + 1, written + 1), "one conditional write once last seen is due: " + _counts);
    }

    private async Task BurstAsync(string reference)
    {
        // Not TwoInstances.RaceAsync: it holds a connection per racer before the start, more than the pool has for 200.
        var answers = await Task.WhenAll(Enumerable.Range(0, Burst).Select(i => Task.Run(() => ValidateAsync(Instances[i], reference))));
        answers.Should().OnlyContain(v => v.Status == SessionStatus.Valid);
    }

    private async Task<StartedSession> SignInAsync(AppInstance instance)
    {
        var signedIn = await instance.RunAsync(sp => sp.GetRequiredService<ISignInService>().PasswordSignInAsync(Email, Password));
        signedIn.Succeeded.Should().BeTrue(signedIn.ToString());
        var started = await instance.RunAsync(sp => sp.GetRequiredService<ISessionService>().StartAsync(signedIn.Value, new SessionDevice("Firefox on Linux", "192.0.2.0")));
        started.Succeeded.Should().BeTrue(started.ToString());
        return started.Value;
    }

    private static Task<SessionValidation> ValidateAsync(AppInstance instance, string reference) =>
        instance.RunAsync(sp => sp.GetRequiredService<ISessionService>().ValidateAsync(reference));

    private async Task<DateTimeOffset> LastSeenAsync(StartedSession started) =>
        (await Instances.B.RunAsync(sp => sp.GetRequiredService<ISessionStore>().FindForValidationAsync(started.Session.SessionId!, CancellationToken.None)))!.Session.LastSeenAt;
}
