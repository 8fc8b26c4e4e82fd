using AccountSecurity.Sessions;
using AccountSecurity.SignIn;
using AccountSecurity.Testing.Hardening;
using AccountSecurity.Tests.TestSupport;

namespace AccountSecurity.Tests.Sessions;

/// <summary>
/// <see cref="ISessionService.ValidateAsync"/>: one store read per request, exact idle and absolute expiry on the fake
/// clock, the user's state (active, existing, contract, stamp, forced 2FA), "last seen" written at most once per interval.
/// </summary>
public sealed class SessionReferenceValidationTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    [Test]
    public async Task Validate_AValidReference_IsValid_WithTheSessionAndItsId()
    {
        await using var host = await SessionTestHost.CreateAsync();
        var started = await host.StartAsync();

        var validation = await host.Sessions.ValidateAsync(started.Reference);

        validation.Status.Should().Be(SessionStatus.Valid);
        validation.Session.Should().NotBeNull();
        validation.Session!.SessionId.Should().Be(started.Session.SessionId);
        validation.Session.UserId.Should().Be(TestHost.UserId);
        validation.Session.ContractId.Should().Be(TestHost.ContractId);
        validation.Session.SecurityStamp.Should().Be((await host.Host.UserAsync()).SecurityStamp);
        validation.Session.Methods.Should().Equal(AuthenticationMethods.Password);
        validation.Session.AuthenticatedAt.Should().Be(TestHost.Start);
    }

    private static IEnumerable<HostileValue> Hostile() => HostileInputs.Tickets;

    [TestCaseSource(nameof(Hostile))]
    public async Task Validate_MalformedOrHostileReference_IsInvalid_NeverThrows(HostileValue reference)
    {
        await using var host = await SessionTestHost.CreateAsync();
        await host.StartAsync();

        var validation = await host.Sessions.ValidateAsync(reference.Value);

        validation.Status.Should().Be(SessionStatus.Invalid);
        validation.Session.Should().BeNull();
        host.Store.TouchCalls.Should().Be(0);
    }

    [Test]
    public async Task Validate_UnknownId_WrongSecret_OrAnotherSessionsSecret_IsInvalid()
    {
        await using var host = await SessionTestHost.CreateAsync();
        var started = await host.StartAsync();
        var other = await host.StartAsync();
        var (id, secret) = (started.Reference.Split('.')[0], started.Reference.Split('.')[1]);
        var flipped = (secret[0] == 'A' ? "B" : "A") + secret[1..];

        string[] forged =
        [
            "AAAAAAAAAAAAAAAAAAAAAA." + secret,                     // unknown id
            id + "." + flipped,                                     // right id, wrong secret
            id + "." + other.Reference.Split('.')[1],               // right id, another session's secret
            other.Reference.Split('.')[0] + "." + secret,           // another session's id with this secret
            id + "." + secret[..^1],                                // secret cut short
            id + "." + secret + "A",                                // secret made longer
            id + "." + secret.ToUpperInvariant(),                   // case changed
            id,                                                     // the id alone (what a list shows)
            id + ".",
            " " + started.Reference,
            started.Reference + " ",
            started.Reference + "\0",
        ];
        foreach (var reference in forged)
        {
            (await host.Sessions.ValidateAsync(reference)).Should().Be(new SessionValidation(SessionStatus.Invalid, null), reference);
        }

        (await host.StatusAsync(started)).Should().Be(SessionStatus.Valid, "forgeries change nothing");
    }

    [Test]
    public async Task Validate_IdleExpiry_IsExactlyAtLastSeenPlusIdleTimeout()
    {
        await using var host = await SessionTestHost.CreateAsync();
        var used = await host.StartAsync();
        var unused = await host.StartAsync();

        host.Host.Time.Advance(TimeSpan.FromMinutes(30) - Tick);
        (await host.StatusAsync(used)).Should().Be(SessionStatus.Valid, "one tick before the idle timeout");

        host.Host.Time.Advance(Tick);
        (await host.StatusAsync(unused)).Should().Be(SessionStatus.Invalid, "at the idle timeout");
        (await host.StatusAsync(used)).Should().Be(SessionStatus.Valid, "its use a tick ago was recorded");

        var lastSeen = (await host.RecordAsync(used.Session.SessionId!))!.LastSeenAt;
        lastSeen.Should().Be(TestHost.Start + TimeSpan.FromMinutes(30) - Tick);
        host.Host.Time.SetUtcNow(lastSeen + TimeSpan.FromMinutes(30) - Tick);
        (await host.Sessions.ValidateAsync(used.Reference)).Status.Should().Be(SessionStatus.Valid);
        host.Host.Time.SetUtcNow((await host.RecordAsync(used.Session.SessionId!))!.LastSeenAt + TimeSpan.FromMinutes(30));
        (await host.StatusAsync(used)).Should().Be(SessionStatus.Invalid);
    }

    [Test]
    public async Task Validate_UseWithinTheWriteInterval_DoesNotExtendTheIdleTimeout_TheSessionEndsEarlyNeverLate()
    {
        await using var host = await SessionTestHost.CreateAsync();
        var started = await host.StartAsync();

        host.Host.Time.Advance(TimeSpan.FromSeconds(30));
        (await host.StatusAsync(started)).Should().Be(SessionStatus.Valid);
        host.Host.Time.SetUtcNow(TestHost.Start + TimeSpan.FromMinutes(30));

        (await host.StatusAsync(started)).Should().Be(SessionStatus.Invalid);
    }

    [Test]
    public async Task Validate_AbsoluteExpiry_EndsTheSessionEvenWithConstantUse()
    {
        await using var host = await SessionTestHost.CreateAsync();
        var started = await host.StartAsync();
        var expiresAt = TestHost.Start + TimeSpan.FromHours(12);

        while (host.Host.Time.GetUtcNow() + TimeSpan.FromMinutes(5) < expiresAt)
        {
            host.Host.Time.Advance(TimeSpan.FromMinutes(5));
            (await host.StatusAsync(started)).Should().Be(SessionStatus.Valid, "at {0}", host.Host.Time.GetUtcNow());
        }

        host.Host.Time.SetUtcNow(expiresAt - Tick);
        (await host.StatusAsync(started)).Should().Be(SessionStatus.Valid);
        host.Host.Time.SetUtcNow(expiresAt);
        (await host.StatusAsync(started)).Should().Be(SessionStatus.Invalid);
    }

    [Test]
    public async Task Validate_AnEndedSession_IsInvalid()
    {
        await using var host = await SessionTestHost.CreateAsync();
        var started = await host.StartAsync();

        (await host.Sessions.EndAsync(TestHost.UserId, started.Session.SessionId!)).Succeeded.Should().BeTrue();

        (await host.StatusAsync(started)).Should().Be(SessionStatus.Invalid);
    }

    [Test]
    public async Task Validate_UserDeactivated_IsInvalid_EvenWhenTheSessionWasNotEnded()
    {
        await using var host = await SessionTestHost.CreateAsync();
        var started = await host.StartAsync();

        await host.Host.ModifyUserAsync(TestHost.UserId, u => u with { IsActive = false });

        (await host.RecordAsync(started.Session.SessionId!))!.EndedAt.Should().BeNull("the store was changed behind the service's back");
        (await host.StatusAsync(started)).Should().Be(SessionStatus.Invalid);
    }

    [Test]
    public async Task Validate_UserMovedToAnotherContract_IsInvalid()
    {
        await using var host = await SessionTestHost.CreateAsync();
        var started = await host.StartAsync();

        await host.Host.ModifyUserAsync(TestHost.UserId, u => u with { ContractId = "contract-2" });

        (await host.StatusAsync(started)).Should().Be(SessionStatus.Invalid);
    }

    [Test]
    public async Task Validate_StampChanged_IsInvalid()
    {
        await using var host = await SessionTestHost.CreateAsync();
        var started = await host.StartAsync();

        await host.Host.ModifyUserAsync(TestHost.UserId, u => u with { SecurityStamp = Guid.NewGuid().ToString("N") });

        (await host.StatusAsync(started)).Should().Be(SessionStatus.Invalid);
    }

    [Test]
    public async Task Validate_UserGone_IsInvalid()
    {
        await using var host = await SessionTestHost.CreateAsync();

        // The in-memory user store cannot delete: a session of a user who does not exist (any more) is the same case.
        var signedIn = new AuthenticatedSession("deleted-user", TestHost.ContractId, "stamp-of-a-deleted-user", [AuthenticationMethods.Password], TestHost.Start);
        var started = (await host.Sessions.StartAsync(signedIn)).Value;

        (await host.StatusAsync(started)).Should().Be(SessionStatus.Invalid);
    }

    [Test]
    public async Task Validate_ForcedTwoFactorWithoutAFactor_IsTwoFactorSetupRequired_WithTheSession()
    {
        await using var host = await SessionTestHost.CreateAsync();
        var started = await host.StartAsync();

        await host.Host.ModifyUserAsync(TestHost.UserId, u => u with { IsTwoFactorForced = true });
        var validation = await host.Sessions.ValidateAsync(started.Reference);

        validation.Status.Should().Be(SessionStatus.TwoFactorSetupRequired);
        validation.Session!.SessionId.Should().Be(started.Session.SessionId);

        await host.Host.ModifyUserAsync(TestHost.UserId, u => u with { IsTwoFactorForced = false });
        (await host.StatusAsync(started)).Should().Be(SessionStatus.Valid);
    }

    [Test]
    public async Task Validate_IsExactlyOneStoreRead_AndWritesLastSeenOnlyWhenTheIntervalHasPassed()
    {
        await using var host = await SessionTestHost.CreateAsync();
        var started = await host.StartAsync();
        host.Store.Reset();

        for (var i = 1; i <= 10; i++)
        {
            host.Host.Time.Advance(TimeSpan.FromSeconds(5));
            (await host.StatusAsync(started)).Should().Be(SessionStatus.Valid);
            host.Store.Finds.Should().Be(i);
        }

        host.Store.TouchCalls.Should().Be(0, "nothing is written within the first minute");
        host.Store.Finds.Should().Be(10);
    }

    [Test]
    public async Task Validate_200RequestsWithinOneMinute_WriteLastSeenAtMostOnce_AndOnceMoreAfterTheInterval()
    {
        await using var host = await SessionTestHost.CreateAsync();
        var started = await host.StartAsync();
        host.Store.Reset();
        host.Host.Time.Advance(TimeSpan.FromMinutes(1) + Tick);

        for (var i = 0; i < 200; i++)
        {
            (await host.StatusAsync(started)).Should().Be(SessionStatus.Valid);
            host.Host.Time.Advance(TimeSpan.FromMilliseconds(295));
        }

        host.Store.Finds.Should().Be(200, "exactly one read per validation");
        host.Store.TouchWrites.Should().Be(1);
        host.Store.TouchCalls.Should().Be(1, "a request within the interval of the last write does not even try to write");
        (await host.RecordAsync(started.Session.SessionId!))!.LastSeenAt.Should().Be(TestHost.Start + TimeSpan.FromMinutes(1) + Tick);

        host.Host.Time.SetUtcNow(TestHost.Start + TimeSpan.FromMinutes(2) + Tick + Tick);
        (await host.StatusAsync(started)).Should().Be(SessionStatus.Valid);
        (await host.StatusAsync(started)).Should().Be(SessionStatus.Valid);

        host.Store.TouchWrites.Should().Be(2);
        host.Store.TouchCalls.Should().Be(2);
        host.Store.Finds.Should().Be(202);
    }

    [Test]
    public async Task Validate_ExactlyOneIntervalAfterTheLastWrite_DoesNotTryToWrite_OneTickLaterWrites()
    {
        await using var host = await SessionTestHost.CreateAsync();
        var started = await host.StartAsync();
        host.Store.Reset();

        host.Host.Time.Advance(TimeSpan.FromMinutes(1));
        (await host.StatusAsync(started)).Should().Be(SessionStatus.Valid);
        host.Store.TouchCalls.Should().Be(0, "the store writes only when last seen is before the interval, so a call now would be a wasted statement");

        host.Host.Time.Advance(Tick);
        (await host.StatusAsync(started)).Should().Be(SessionStatus.Valid);
        host.Store.TouchCalls.Should().Be(1);
        host.Store.TouchWrites.Should().Be(1);
        (await host.RecordAsync(started.Session.SessionId!))!.LastSeenAt.Should().Be(TestHost.Start + TimeSpan.FromMinutes(1) + Tick);
    }

    [Test]
    public async Task Validate_200ConcurrentRequests_WriteLastSeenAtMostOnce()
    {
        await using var host = await SessionTestHost.CreateAsync();
        var started = await host.StartAsync();
        host.Store.Reset();
        host.Host.Time.Advance(TimeSpan.FromMinutes(5));
        var service = host.Sessions;

        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(async () => await service.ValidateAsync(started.Reference))));

        results.Should().OnlyContain(r => r.Status == SessionStatus.Valid);
        host.Store.Finds.Should().Be(200);
        host.Store.TouchWrites.Should().Be(1);
    }

    [Test]
    public async Task Validate_WithAConfiguredWriteInterval_WritesOncePerThatInterval()
    {
        await using var host = await SessionTestHost.CreateAsync(o => o.Sessions.LastSeenWriteInterval = TimeSpan.FromSeconds(20));
        var started = await host.StartAsync();
        host.Store.Reset();

        for (var i = 0; i < 12; i++)
        {
            host.Host.Time.Advance(TimeSpan.FromSeconds(10));
            (await host.StatusAsync(started)).Should().Be(SessionStatus.Valid);
        }

        // Writes at 30 s (first time more than 20 s since the last), 60 s, 90 s, 120 s.
        host.Store.TouchWrites.Should().Be(4);
        host.Store.TouchCalls.Should().Be(4);
    }
}
