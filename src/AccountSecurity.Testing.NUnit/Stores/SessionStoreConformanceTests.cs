using AccountSecurity.Accounts;
using AccountSecurity.Sessions;
using AccountSecurity.Stores;
using NUnit.Framework;

namespace AccountSecurity.Testing.Stores;

/// <summary>
/// The contract every <see cref="ISessionStore"/> must honour, as NUnit tests. Derive a <c>[TestFixture]</c> from it,
/// give each test fresh, empty storage in <see cref="StoreConformanceTests{TStore}.InitializeStorageAsync"/>, hand out
/// session stores over that storage from <see cref="StoreConformanceTests{TStore}.CreateStore"/> (one per concurrent
/// worker; all see the same data) and user stores over the same storage from <see cref="CreateUserStore"/>: a session
/// is validated together with its user. The in-memory store and the EF Core stores run this same suite.
/// </summary>
/// <remarks>
/// Stored instants must keep at least microsecond precision; the suite compares them as instants (an offset need not
/// survive). Every write of a session store is a single conditional statement, so of concurrent writers with the same
/// arguments exactly one takes effect: the suite races them.
/// </remarks>
public abstract class SessionStoreConformanceTests : StoreConformanceTests<ISessionStore>
{
    private const int ConcurrentWorkers = 20;
    private const string ContractId = "c1";

    /// <summary>A user store over the current test's storage: the users the sessions are validated against.</summary>
    protected abstract IUserStore CreateUserStore();

    private static DateTimeOffset Now => StoreConformanceData.Instant;

    /// <summary>A session round-trips every field, read back by validation and by the user's list.</summary>
    [Test]
    public async Task Create_FullyPopulated_RoundTripsEveryField()
    {
        var user = await CreateUserAsync("u1");
        var store = Store();
        var session = StoreConformanceData.FullyPopulatedSession("s1", "u1", ContractId, user.SecurityStamp);

        Assert.That(await store.CreateAsync(session, Timeout), Is.EqualTo(StoreWriteResult.Success));

        AssertSameSession((await Store().FindForValidationAsync("s1", Timeout))?.Session, session);
        var listed = await Store().ListByUserAsync("u1", Timeout);
        Assert.That(listed, Has.Count.EqualTo(1));
        AssertSameSession(listed[0], session);
    }

    /// <summary>A session with only its required fields round-trips its nulls as nulls.</summary>
    [Test]
    public async Task Create_Minimal_RoundTripsNulls()
    {
        var user = await CreateUserAsync("u1");
        var session = StoreConformanceData.MinimalSession("s1", "u1", ContractId, user.SecurityStamp);

        Assert.That(await Store().CreateAsync(session, Timeout), Is.EqualTo(StoreWriteResult.Success));

        var found = (await Store().FindForValidationAsync("s1", Timeout))?.Session;
        AssertSameSession(found, session);
        Assert.That(found!.DeviceLabel, Is.Null);
        Assert.That(found.ClientAddress, Is.Null);
        Assert.That(found.EndedAt, Is.Null);
        Assert.That(found.EndReason, Is.Null);
    }

    /// <summary>Stored instants keep their exact tick (at least the microsecond), and the idle timeout its exact length.</summary>
    [Test]
    public async Task Create_KeepsInstantsToTheMicrosecond()
    {
        await CreateUserAsync("u1");
        var session = StoreConformanceData.FullyPopulatedSession("s1", "u1", ContractId, "stamp");

        Assert.That(await Store().CreateAsync(session, Timeout), Is.EqualTo(StoreWriteResult.Success));

        var found = (await Store().FindForValidationAsync("s1", Timeout))!.Session;
        Assert.That(found.CreatedAt.UtcTicks / 10, Is.EqualTo(session.CreatedAt.UtcTicks / 10));
        Assert.That(found.LastSeenAt.UtcTicks / 10, Is.EqualTo(session.LastSeenAt.UtcTicks / 10));
        Assert.That(found.ExpiresAt.UtcTicks / 10, Is.EqualTo(session.ExpiresAt.UtcTicks / 10));
        Assert.That(found.IdleTimeout.Ticks / 10, Is.EqualTo(session.IdleTimeout.Ticks / 10));
    }

    /// <summary>A second session with a taken id is refused and the first stays as it was.</summary>
    [Test]
    public async Task Create_WithTakenId_ReturnsDuplicateAndKeepsTheFirst()
    {
        var user = await CreateUserAsync("u1");
        await CreateUserAsync("u2");
        var first = StoreConformanceData.MinimalSession("s1", "u1", ContractId, user.SecurityStamp);
        Assert.That(await Store().CreateAsync(first, Timeout), Is.EqualTo(StoreWriteResult.Success));

        Assert.That(await Store().CreateAsync(StoreConformanceData.FullyPopulatedSession("s1", "u2", ContractId, "other"), Timeout),
            Is.EqualTo(StoreWriteResult.Duplicate));

        AssertSameSession((await Store().FindForValidationAsync("s1", Timeout))?.Session, first);
        Assert.That(await Store().ListByUserAsync("u2", Timeout), Is.Empty);
    }

    /// <summary>Validating an unknown session id answers null; ids are compared exactly.</summary>
    [Test]
    public async Task FindForValidation_Unknown_ReturnsNull()
    {
        var user = await CreateUserAsync("u1");
        await CreateSessionAsync(StoreConformanceData.MinimalSession("Sess-1", "u1", ContractId, user.SecurityStamp));

        Assert.That(await Store().FindForValidationAsync("Sess-2", Timeout), Is.Null);
        Assert.That(await Store().FindForValidationAsync("sess-1", Timeout), Is.Null, "ids are compared exactly");
        Assert.That(await Store().FindForValidationAsync("", Timeout), Is.Null);
    }

    /// <summary>Validation answers the session with its user as it is now: exists, active, contract and stamp.</summary>
    [Test]
    public async Task FindForValidation_ActiveUser_ProjectsTheUser()
    {
        var user = await CreateUserAsync("u1");
        await CreateSessionAsync(StoreConformanceData.MinimalSession("s1", "u1", ContractId, user.SecurityStamp));

        var state = await Store().FindForValidationAsync("s1", Timeout);

        Assert.That(state, Is.Not.Null);
        Assert.That(state!.UserExists, Is.True);
        Assert.That(state.UserIsActive, Is.True);
        Assert.That(state.UserContractId, Is.EqualTo(ContractId));
        Assert.That(state.UserSecurityStamp, Is.EqualTo(user.SecurityStamp));
        Assert.That(state.TwoFactorSetupRequired, Is.False);
    }

    /// <summary>A session whose user is gone is still found, with the user marked missing (and nothing of it).</summary>
    [Test]
    public async Task FindForValidation_MissingUser_SaysSo()
    {
        await CreateSessionAsync(StoreConformanceData.MinimalSession("s1", "ghost", ContractId, "stamp"));

        var state = await Store().FindForValidationAsync("s1", Timeout);

        Assert.That(state, Is.Not.Null);
        Assert.That(state!.Session.UserId, Is.EqualTo("ghost"));
        Assert.That(state.UserExists, Is.False);
        Assert.That(state.UserIsActive, Is.False);
        Assert.That(state.UserContractId, Is.Null);
        Assert.That(state.UserSecurityStamp, Is.Null);
        Assert.That(state.TwoFactorSetupRequired, Is.False);
    }

    /// <summary>A deactivated user, a user moved to another contract and a changed stamp are all seen at the next validation.</summary>
    [Test]
    public async Task FindForValidation_SeesTheUsersChangesAtOnce()
    {
        var user = await CreateUserAsync("u1");
        await CreateSessionAsync(StoreConformanceData.MinimalSession("s1", "u1", ContractId, user.SecurityStamp));
        var users = CreateUserStore();
        var stored = (await users.FindByIdAsync("u1", Timeout))!;

        Assert.That(await users.UpdateAsync(stored with { IsActive = false, ContractId = "c2", SecurityStamp = "stamp-after-change" }, Timeout),
            Is.EqualTo(StoreWriteResult.Success));

        var state = (await Store().FindForValidationAsync("s1", Timeout))!;
        Assert.That(state.UserExists, Is.True);
        Assert.That(state.UserIsActive, Is.False);
        Assert.That(state.UserContractId, Is.EqualTo("c2"));
        Assert.That(state.UserSecurityStamp, Is.EqualTo("stamp-after-change"));
        Assert.That(state.Session.SecurityStamp, Is.EqualTo(user.SecurityStamp), "the session keeps the stamp it began with");
        Assert.That(state.Session.ContractId, Is.EqualTo(ContractId));
    }

    /// <summary>Forced 2FA needs setting up exactly when the user has neither TOTP nor a passkey.</summary>
    [TestCase(false, false, false, false, TestName = "{m}(not forced, no factor)")]
    [TestCase(true, false, false, true, TestName = "{m}(forced, no factor)")]
    [TestCase(true, true, false, false, TestName = "{m}(forced, TOTP)")]
    [TestCase(true, false, true, false, TestName = "{m}(forced, passkey)")]
    [TestCase(true, true, true, false, TestName = "{m}(forced, TOTP and passkey)")]
    public async Task FindForValidation_TwoFactorSetupRequired(bool forced, bool totp, bool passkey, bool expected)
    {
        var full = StoreConformanceData.FullyPopulatedUser("u1", ContractId, "u1@example.com");
        var user = StoreConformanceData.MinimalUser("u1", ContractId, "u1@example.com") with
        {
            IsActive = true,
            IsTwoFactorForced = forced,
            TwoFactor = new TwoFactorState { IsEnabled = totp, ProtectedSecret = totp ? full.TwoFactor.ProtectedSecret : null },
            Passkeys = passkey ? full.Passkeys : [],
            PasskeyUserHandle = passkey ? full.PasskeyUserHandle : null,
        };
        Assert.That(await CreateUserStore().CreateAsync(user, Timeout), Is.EqualTo(StoreWriteResult.Success));
        await CreateSessionAsync(StoreConformanceData.MinimalSession("s1", "u1", ContractId, user.SecurityStamp));

        Assert.That((await Store().FindForValidationAsync("s1", Timeout))!.TwoFactorSetupRequired, Is.EqualTo(expected));
    }

    /// <summary>A forced user who removes their last passkey needs setting up again.</summary>
    [Test]
    public async Task FindForValidation_ForcedUserRemovesTheLastPasskey_NeedsSetupAgain()
    {
        var full = StoreConformanceData.FullyPopulatedUser("u1", ContractId, "u1@example.com");
        var user = StoreConformanceData.MinimalUser("u1", ContractId, "u1@example.com") with
        {
            IsActive = true,
            IsTwoFactorForced = true,
            Passkeys = full.Passkeys,
            PasskeyUserHandle = full.PasskeyUserHandle,
        };
        var users = CreateUserStore();
        Assert.That(await users.CreateAsync(user, Timeout), Is.EqualTo(StoreWriteResult.Success));
        await CreateSessionAsync(StoreConformanceData.MinimalSession("s1", "u1", ContractId, user.SecurityStamp));
        Assert.That((await Store().FindForValidationAsync("s1", Timeout))!.TwoFactorSetupRequired, Is.False);

        var stored = (await users.FindByIdAsync("u1", Timeout))!;
        Assert.That(await users.UpdateAsync(stored with { Passkeys = [] }, Timeout), Is.EqualTo(StoreWriteResult.Success));

        Assert.That((await Store().FindForValidationAsync("s1", Timeout))!.TwoFactorSetupRequired, Is.True);
    }

    /// <summary>Validation reads the user's "must change password" mark in the same look-up, and sees it change.</summary>
    [Test]
    public async Task FindForValidation_PasswordChangeRequired_FollowsTheUser()
    {
        var user = StoreConformanceData.MinimalUser("u1", ContractId, "u1@example.com") with { IsActive = true };
        var users = CreateUserStore();
        Assert.That(await users.CreateAsync(user, Timeout), Is.EqualTo(StoreWriteResult.Success));
        await CreateSessionAsync(StoreConformanceData.MinimalSession("s1", "u1", ContractId, user.SecurityStamp));
        Assert.That((await Store().FindForValidationAsync("s1", Timeout))!.PasswordChangeRequired, Is.False);

        var stored = (await users.FindByIdAsync("u1", Timeout))!;
        Assert.That(await users.UpdateAsync(stored with { PasswordChangeRequired = true }, Timeout), Is.EqualTo(StoreWriteResult.Success));

        Assert.That((await Store().FindForValidationAsync("s1", Timeout))!.PasswordChangeRequired, Is.True);
    }

    /// <summary>Listing returns the user's sessions that have not been ended, expired ones included, and no one else's.</summary>
    [Test]
    public async Task ListByUser_ReturnsTheUsersSessionsNotEnded()
    {
        var user = await CreateUserAsync("u1");
        await CreateUserAsync("u2");
        var store = Store();
        await CreateSessionAsync(StoreConformanceData.MinimalSession("live", "u1", ContractId, user.SecurityStamp));
        await CreateSessionAsync(StoreConformanceData.MinimalSession("expired", "u1", ContractId, user.SecurityStamp) with { ExpiresAt = Now.AddDays(-1) });
        await CreateSessionAsync(StoreConformanceData.MinimalSession("ended", "u1", ContractId, user.SecurityStamp));
        await CreateSessionAsync(StoreConformanceData.MinimalSession("theirs", "u2", ContractId, "stamp"));
        Assert.That(await store.EndAsync("u1", "ended", Now, SessionEndReasons.SignedOut, Timeout), Is.True);

        var listed = await Store().ListByUserAsync("u1", Timeout);

        Assert.That(listed.Select(s => s.Id), Is.EquivalentTo(new[] { "live", "expired" }));
        Assert.That(await Store().ListByUserAsync("U1", Timeout), Is.Empty, "user ids are compared exactly");
        Assert.That(await Store().ListByUserAsync("nobody", Timeout), Is.Empty);
    }

    /// <summary>Touching a session last seen before the mark writes the new instant, once: the second touch finds it seen.</summary>
    [Test]
    public async Task Touch_LastSeenBeforeTheMark_WritesOnce()
    {
        await CreateSessionAsync(StoreConformanceData.MinimalSession("s1", "u1", ContractId, "stamp"));
        var seenAt = Now.AddMinutes(5);
        var mark = seenAt.AddMinutes(-1);

        Assert.That(await Store().TouchAsync("s1", seenAt, mark, Timeout), Is.True);
        Assert.That(await Store().TouchAsync("s1", seenAt, mark, Timeout), Is.False, "already seen since the mark");

        var found = (await Store().FindForValidationAsync("s1", Timeout))!.Session;
        Assert.That(found.LastSeenAt, Is.EqualTo(seenAt));
        AssertSameSession(found, StoreConformanceData.MinimalSession("s1", "u1", ContractId, "stamp") with { LastSeenAt = seenAt });
    }

    /// <summary>A session last seen at or after the mark is not written.</summary>
    [TestCase(0)]
    [TestCase(1)]
    public async Task Touch_SeenAtOrAfterTheMark_WritesNothing(int ticksAfter)
    {
        await CreateSessionAsync(StoreConformanceData.MinimalSession("s1", "u1", ContractId, "stamp"));
        var mark = Now.AddTicks(-ticksAfter * 10);

        Assert.That(await Store().TouchAsync("s1", Now.AddMinutes(1), mark, Timeout), Is.False);

        Assert.That((await Store().FindForValidationAsync("s1", Timeout))!.Session.LastSeenAt, Is.EqualTo(Now));
    }

    /// <summary>An ended session, or an unknown one, is never touched.</summary>
    [Test]
    public async Task Touch_EndedOrUnknown_WritesNothing()
    {
        await CreateSessionAsync(StoreConformanceData.MinimalSession("s1", "u1", ContractId, "stamp"));
        Assert.That(await Store().EndAsync("u1", "s1", Now, SessionEndReasons.SignedOut, Timeout), Is.True);

        Assert.That(await Store().TouchAsync("s1", Now.AddMinutes(5), Now.AddMinutes(4), Timeout), Is.False);
        Assert.That(await Store().TouchAsync("s2", Now.AddMinutes(5), Now.AddMinutes(4), Timeout), Is.False);

        Assert.That((await Store().FindForValidationAsync("s1", Timeout))!.Session.LastSeenAt, Is.EqualTo(Now));
        Assert.That(await Store().FindForValidationAsync("s2", Timeout), Is.Null, "a touch creates nothing");
    }

    /// <summary>Of many workers touching one session with the same arguments at once, exactly one writes.</summary>
    [Test]
    public async Task Touch_ConcurrentWithTheSameArguments_ExactlyOneWrites()
    {
        await CreateSessionAsync(StoreConformanceData.MinimalSession("s1", "u1", ContractId, "stamp"));
        var seenAt = Now.AddMinutes(5);
        var stores = Enumerable.Range(0, ConcurrentWorkers).Select(_ => Store()).ToList();
        using var start = new ManualResetEventSlim();

        var touches = stores.Select(store => Task.Run(async () =>
        {
            start.Wait(Timeout);
            return await store.TouchAsync("s1", seenAt, seenAt.AddMinutes(-1), Timeout).ConfigureAwait(false);
        })).ToList();
        start.Set();
        var results = await Task.WhenAll(touches);

        Assert.That(results.Count(r => r), Is.EqualTo(1), "one write per interval, whoever wins");
        Assert.That((await Store().FindForValidationAsync("s1", Timeout))!.Session.LastSeenAt, Is.EqualTo(seenAt));
    }

    /// <summary>Ending a session of one's own sets when and why, once; the second end finds it ended and changes nothing.</summary>
    [Test]
    public async Task End_OwnSession_EndsItOnce()
    {
        await CreateSessionAsync(StoreConformanceData.MinimalSession("s1", "u1", ContractId, "stamp"));
        var endedAt = Now.AddMinutes(2);

        Assert.That(await Store().EndAsync("u1", "s1", endedAt, SessionEndReasons.SignedOut, Timeout), Is.True);
        Assert.That(await Store().EndAsync("u1", "s1", endedAt.AddMinutes(1), SessionEndReasons.EndedByUser, Timeout), Is.False);

        var found = (await Store().FindForValidationAsync("s1", Timeout))!.Session;
        Assert.That(found.EndedAt, Is.EqualTo(endedAt));
        Assert.That(found.EndReason, Is.EqualTo(SessionEndReasons.SignedOut));
        Assert.That(found.IsLiveAt(endedAt), Is.False);
    }

    /// <summary>Another user's session, or an unknown one, is not ended.</summary>
    [Test]
    public async Task End_AnotherUsersOrUnknownSession_EndsNothing()
    {
        await CreateSessionAsync(StoreConformanceData.MinimalSession("s1", "u1", ContractId, "stamp"));

        Assert.That(await Store().EndAsync("u2", "s1", Now, SessionEndReasons.EndedByUser, Timeout), Is.False);
        Assert.That(await Store().EndAsync("U1", "s1", Now, SessionEndReasons.EndedByUser, Timeout), Is.False, "user ids are compared exactly");
        Assert.That(await Store().EndAsync("u1", "s2", Now, SessionEndReasons.EndedByUser, Timeout), Is.False);

        Assert.That((await Store().FindForValidationAsync("s1", Timeout))!.Session.EndedAt, Is.Null);
    }

    /// <summary>Of many workers ending one session at once, exactly one ends it.</summary>
    [Test]
    public async Task End_Concurrent_ExactlyOneEnds()
    {
        await CreateSessionAsync(StoreConformanceData.MinimalSession("s1", "u1", ContractId, "stamp"));
        var stores = Enumerable.Range(0, ConcurrentWorkers).Select(_ => Store()).ToList();

        var results = await Task.WhenAll(stores.Select((store, i) => Task.Run(async () =>
            await store.EndAsync("u1", "s1", Now.AddSeconds(i), SessionEndReasons.EndedByUser, Timeout).ConfigureAwait(false))));

        Assert.That(results.Count(r => r), Is.EqualTo(1));
        var found = (await Store().FindForValidationAsync("s1", Timeout))!.Session;
        Assert.That(found.EndedAt, Is.EqualTo(Now.AddSeconds(Array.IndexOf(results, true))), "the winner's instant stands");
    }

    /// <summary>Ending all but one ends the user's other live sessions, leaves ended ones as they were and other users' alone.</summary>
    [Test]
    public async Task EndAll_ExceptOne_EndsTheOthers()
    {
        foreach (var id in new[] { "keep", "a", "b" })
        {
            await CreateSessionAsync(StoreConformanceData.MinimalSession(id, "u1", ContractId, "stamp"));
        }

        await CreateSessionAsync(StoreConformanceData.MinimalSession("earlier", "u1", ContractId, "stamp"));
        await CreateSessionAsync(StoreConformanceData.MinimalSession("theirs", "u2", ContractId, "stamp"));
        Assert.That(await Store().EndAsync("u1", "earlier", Now, SessionEndReasons.SignedOut, Timeout), Is.True);
        var endedAt = Now.AddMinutes(9);

        Assert.That(await Store().EndAllAsync("u1", "keep", endedAt, SessionEndReasons.CredentialsChanged, Timeout), Is.EqualTo(2));

        foreach (var id in new[] { "a", "b" })
        {
            var ended = (await Store().FindForValidationAsync(id, Timeout))!.Session;
            Assert.That(ended.EndedAt, Is.EqualTo(endedAt), id);
            Assert.That(ended.EndReason, Is.EqualTo(SessionEndReasons.CredentialsChanged), id);
        }

        Assert.That((await Store().FindForValidationAsync("keep", Timeout))!.Session.EndedAt, Is.Null);
        Assert.That((await Store().FindForValidationAsync("theirs", Timeout))!.Session.EndedAt, Is.Null);
        var earlier = (await Store().FindForValidationAsync("earlier", Timeout))!.Session;
        Assert.That(earlier.EndedAt, Is.EqualTo(Now), "an ended session keeps when and why it ended");
        Assert.That(earlier.EndReason, Is.EqualTo(SessionEndReasons.SignedOut));
        Assert.That((await Store().ListByUserAsync("u1", Timeout)).Select(s => s.Id), Is.EquivalentTo(new[] { "keep" }));
    }

    /// <summary>Ending all without an exception ends every live session of the user; a second call finds none.</summary>
    [Test]
    public async Task EndAll_WithoutException_EndsEveryOne()
    {
        await CreateSessionAsync(StoreConformanceData.MinimalSession("a", "u1", ContractId, "stamp"));
        await CreateSessionAsync(StoreConformanceData.MinimalSession("b", "u1", ContractId, "stamp"));
        await CreateSessionAsync(StoreConformanceData.MinimalSession("theirs", "u2", ContractId, "stamp"));

        Assert.That(await Store().EndAllAsync("u1", null, Now, SessionEndReasons.Deactivated, Timeout), Is.EqualTo(2));
        Assert.That(await Store().EndAllAsync("u1", null, Now, SessionEndReasons.Deactivated, Timeout), Is.Zero);
        Assert.That(await Store().EndAllAsync("nobody", "a", Now, SessionEndReasons.Deactivated, Timeout), Is.Zero);

        Assert.That(await Store().ListByUserAsync("u1", Timeout), Is.Empty);
        Assert.That((await Store().FindForValidationAsync("a", Timeout))!.Session.EndReason, Is.EqualTo(SessionEndReasons.Deactivated));
        Assert.That(await Store().ListByUserAsync("u2", Timeout), Has.Count.EqualTo(1));
    }

    /// <summary>Renewing the stamp of one's own live session writes it; another user's, an ended or an unknown session is not written.</summary>
    [Test]
    public async Task RenewStamp_OwnLiveSessionOnly()
    {
        await CreateSessionAsync(StoreConformanceData.MinimalSession("s1", "u1", ContractId, "old-stamp"));
        await CreateSessionAsync(StoreConformanceData.MinimalSession("ended", "u1", ContractId, "old-stamp"));
        Assert.That(await Store().EndAsync("u1", "ended", Now, SessionEndReasons.SignedOut, Timeout), Is.True);

        Assert.That(await Store().RenewStampAsync("u2", "s1", "their-stamp", Timeout), Is.False);
        Assert.That(await Store().RenewStampAsync("u1", "ended", "new-stamp", Timeout), Is.False);
        Assert.That(await Store().RenewStampAsync("u1", "nothing", "new-stamp", Timeout), Is.False);
        Assert.That((await Store().FindForValidationAsync("s1", Timeout))!.Session.SecurityStamp, Is.EqualTo("old-stamp"));

        Assert.That(await Store().RenewStampAsync("u1", "s1", "new-stamp", Timeout), Is.True);

        var found = (await Store().FindForValidationAsync("s1", Timeout))!.Session;
        AssertSameSession(found, StoreConformanceData.MinimalSession("s1", "u1", ContractId, "new-stamp"));
        Assert.That((await Store().FindForValidationAsync("ended", Timeout))!.Session.SecurityStamp, Is.EqualTo("old-stamp"));
    }

    /// <summary>Marking one's own live session re-authenticated writes the instant, and changes nothing else of it.</summary>
    [Test]
    public async Task MarkReauthenticated_OwnLiveSession_WritesTheInstant()
    {
        var user = await CreateUserAsync("u1");
        var session = StoreConformanceData.FullyPopulatedSession("s1", "u1", ContractId, user.SecurityStamp);
        await CreateSessionAsync(session);
        var at = Now.AddMinutes(5);

        Assert.That(await Store().MarkReauthenticatedAsync("u1", "s1", at, Timeout), Is.True);

        AssertSameSession((await Store().FindForValidationAsync("s1", Timeout))?.Session, session with { ReauthenticatedAt = at });
        var listed = await Store().ListByUserAsync("u1", Timeout);
        Assert.That(listed, Has.Count.EqualTo(1));
        Assert.That(listed[0].ReauthenticatedAt, Is.EqualTo(at));
    }

    /// <summary>An ended session, another user's, or an unknown one is never marked re-authenticated.</summary>
    [Test]
    public async Task MarkReauthenticated_EndedAnotherUsersOrUnknown_WritesNothing()
    {
        await CreateSessionAsync(StoreConformanceData.MinimalSession("s1", "u1", ContractId, "stamp"));
        await CreateSessionAsync(StoreConformanceData.MinimalSession("ended", "u1", ContractId, "stamp"));
        Assert.That(await Store().EndAsync("u1", "ended", Now, SessionEndReasons.SignedOut, Timeout), Is.True);
        var at = Now.AddMinutes(5);

        Assert.That(await Store().MarkReauthenticatedAsync("u1", "ended", at, Timeout), Is.False, "an ended session");
        Assert.That(await Store().MarkReauthenticatedAsync("u2", "s1", at, Timeout), Is.False, "another user's session");
        Assert.That(await Store().MarkReauthenticatedAsync("U1", "s1", at, Timeout), Is.False, "user ids are compared exactly");
        Assert.That(await Store().MarkReauthenticatedAsync("u1", "S1", at, Timeout), Is.False, "session ids are compared exactly");
        Assert.That(await Store().MarkReauthenticatedAsync("u1", "s2", at, Timeout), Is.False, "an unknown session");

        Assert.That((await Store().FindForValidationAsync("s1", Timeout))!.Session.ReauthenticatedAt, Is.Null);
        Assert.That((await Store().FindForValidationAsync("ended", Timeout))!.Session.ReauthenticatedAt, Is.Null);
        Assert.That(await Store().FindForValidationAsync("s2", Timeout), Is.Null, "a mark creates nothing");
    }

    /// <summary>A re-authentication at or after the session's absolute expiry is refused: a session past its lifetime proves nothing.</summary>
    [TestCase(0)]
    [TestCase(1)]
    [TestCase(60_000_000)]
    public async Task MarkReauthenticated_AtOrPastTheExpiry_WritesNothing(int microsecondsAfter)
    {
        var session = StoreConformanceData.MinimalSession("s1", "u1", ContractId, "stamp");
        await CreateSessionAsync(session);

        Assert.That(await Store().MarkReauthenticatedAsync("u1", "s1", session.ExpiresAt.AddTicks(microsecondsAfter * 10L), Timeout), Is.False);

        Assert.That((await Store().FindForValidationAsync("s1", Timeout))!.Session.ReauthenticatedAt, Is.Null);
        Assert.That(await Store().MarkReauthenticatedAsync("u1", "s1", session.ExpiresAt.AddTicks(-10), Timeout), Is.True, "the last microsecond before the expiry");
    }

    /// <summary>An earlier re-authentication never moves the recorded instant back; a later one moves it forward.</summary>
    [Test]
    public async Task MarkReauthenticated_Earlier_NeverMovesTheTimeBack()
    {
        await CreateSessionAsync(StoreConformanceData.MinimalSession("s1", "u1", ContractId, "stamp"));
        var later = Now.AddMinutes(10);

        Assert.That(await Store().MarkReauthenticatedAsync("u1", "s1", later, Timeout), Is.True);
        await Store().MarkReauthenticatedAsync("u1", "s1", Now.AddMinutes(5), Timeout);
        Assert.That((await Store().FindForValidationAsync("s1", Timeout))!.Session.ReauthenticatedAt, Is.EqualTo(later), "an earlier instant never replaces a later one");

        Assert.That(await Store().MarkReauthenticatedAsync("u1", "s1", later.AddMinutes(1), Timeout), Is.True);
        Assert.That((await Store().FindForValidationAsync("s1", Timeout))!.Session.ReauthenticatedAt, Is.EqualTo(later.AddMinutes(1)));
    }

    /// <summary>Of many workers marking one session with different instants at once, the latest instant stands.</summary>
    [Test]
    public async Task MarkReauthenticated_Concurrent_TheLatestStands()
    {
        await CreateSessionAsync(StoreConformanceData.MinimalSession("s1", "u1", ContractId, "stamp"));
        var stores = Enumerable.Range(0, ConcurrentWorkers).Select(_ => Store()).ToList();
        using var start = new ManualResetEventSlim();

        var marks = stores.Select((store, i) => Task.Run(async () =>
        {
            start.Wait(Timeout);
            return await store.MarkReauthenticatedAsync("u1", "s1", Now.AddSeconds(i + 1), Timeout).ConfigureAwait(false);
        })).ToList();
        start.Set();
        var results = await Task.WhenAll(marks);

        Assert.That(results.Count(r => r), Is.GreaterThanOrEqualTo(1));
        Assert.That((await Store().FindForValidationAsync("s1", Timeout))!.Session.ReauthenticatedAt, Is.EqualTo(Now.AddSeconds(ConcurrentWorkers)));
    }

    /// <summary>
    /// Deleting deletes sessions ended, or past their absolute expiry, strictly before the instant, in batches of at most
    /// the batch size, and never a session still live or ended later.
    /// </summary>
    [Test]
    public async Task DeleteEnded_DeletesDueSessionsInBatchesAndNeverLiveOnes()
    {
        var before = Now.AddDays(-1);
        var due = new[] { "ended-long-ago", "expired-long-ago", "ended-long-ago-2", "ended-before-expiry-then-expired" };
        var kept = new[] { "live", "ended-at-the-instant", "ended-lately", "expired-lately", "idle-but-not-expired", "expired-at-the-instant", "ended-after-expiring-long-ago" };
        await CreateSessionAsync(Session("ended-long-ago", expiresAt: Now.AddDays(1)));
        await CreateSessionAsync(Session("ended-long-ago-2", expiresAt: Now.AddDays(1)));
        await CreateSessionAsync(Session("expired-long-ago", expiresAt: before.AddTicks(-10)));
        await CreateSessionAsync(Session("ended-before-expiry-then-expired", expiresAt: before.AddHours(-1)));
        await CreateSessionAsync(Session("live", expiresAt: Now.AddDays(1)));
        await CreateSessionAsync(Session("ended-at-the-instant", expiresAt: Now.AddDays(1)));
        await CreateSessionAsync(Session("ended-lately", expiresAt: Now.AddDays(1)));
        await CreateSessionAsync(Session("expired-lately", expiresAt: before.AddTicks(10)));
        await CreateSessionAsync(Session("idle-but-not-expired", expiresAt: Now.AddDays(1)) with { LastSeenAt = before.AddDays(-5), CreatedAt = before.AddDays(-5) });
        await CreateSessionAsync(Session("expired-at-the-instant", expiresAt: before));
        await CreateSessionAsync(Session("ended-after-expiring-long-ago", expiresAt: before.AddDays(-3)));
        var store = Store();
        Assert.That(await store.EndAsync("u1", "ended-long-ago", before.AddDays(-2), SessionEndReasons.SignedOut, Timeout), Is.True);
        Assert.That(await store.EndAsync("u1", "ended-long-ago-2", before.AddTicks(-10), SessionEndReasons.SignedOut, Timeout), Is.True);
        Assert.That(await store.EndAsync("u1", "ended-before-expiry-then-expired", before.AddHours(-2), SessionEndReasons.SignedOut, Timeout), Is.True);
        Assert.That(await store.EndAsync("u1", "ended-at-the-instant", before, SessionEndReasons.SignedOut, Timeout), Is.True);
        Assert.That(await store.EndAsync("u1", "ended-lately", Now, SessionEndReasons.SignedOut, Timeout), Is.True);
        // Expired long ago but ended only lately (e.g. by "end all"): it is kept until its end is old enough.
        Assert.That(await store.EndAsync("u1", "ended-after-expiring-long-ago", Now, SessionEndReasons.Deactivated, Timeout), Is.True);

        Assert.That(await Store().DeleteEndedAsync(before, 3, Timeout), Is.EqualTo(3));
        Assert.That(await Store().DeleteEndedAsync(before, 3, Timeout), Is.EqualTo(1), "a short batch: nothing more is due");
        Assert.That(await Store().DeleteEndedAsync(before, 3, Timeout), Is.Zero);

        foreach (var id in due)
        {
            Assert.That(await Store().FindForValidationAsync(id, Timeout), Is.Null, id + " is deleted");
        }

        foreach (var id in kept)
        {
            Assert.That(await Store().FindForValidationAsync(id, Timeout), Is.Not.Null, id + " is kept");
        }
    }

    /// <summary>Concurrent clean-ups delete each due session once between them, and nothing else.</summary>
    [Test]
    public async Task DeleteEnded_Concurrent_DeletesEachOnce()
    {
        const int Due = 30;
        for (var i = 0; i < Due; i++)
        {
            await CreateSessionAsync(Session("due-" + i, expiresAt: Now.AddDays(-2)));
        }

        await CreateSessionAsync(Session("live", expiresAt: Now.AddDays(1)));
        var stores = Enumerable.Range(0, 4).Select(_ => Store()).ToList();

        var deleted = await Task.WhenAll(stores.Select(store => Task.Run(async () =>
        {
            var total = 0;
            int batch;
            do
            {
                batch = await store.DeleteEndedAsync(Now, 4, Timeout).ConfigureAwait(false);
                total += batch;
            }
            while (batch > 0);
            return total;
        })));

        Assert.That(deleted.Sum(), Is.EqualTo(Due));
        Assert.That(await Store().FindForValidationAsync("live", Timeout), Is.Not.Null);
        Assert.That(await Store().ListByUserAsync("u1", Timeout), Has.Count.EqualTo(1));
    }

    /// <summary>Null arguments are caller bugs and throw <see cref="ArgumentNullException"/>; a batch below one throws <see cref="ArgumentOutOfRangeException"/>.</summary>
    [Test]
    public async Task InvalidArguments_Throw()
    {
        var store = Store();

        await SuiteAssert.ThrowsAsync<ArgumentNullException>(async () => await store.CreateAsync(null!, Timeout));
        await SuiteAssert.ThrowsAsync<ArgumentNullException>(async () => await store.FindForValidationAsync(null!, Timeout));
        await SuiteAssert.ThrowsAsync<ArgumentNullException>(async () => await store.ListByUserAsync(null!, Timeout));
        await SuiteAssert.ThrowsAsync<ArgumentNullException>(async () => await store.TouchAsync(null!, Now, Now, Timeout));
        await SuiteAssert.ThrowsAsync<ArgumentNullException>(async () => await store.EndAsync(null!, "s1", Now, SessionEndReasons.SignedOut, Timeout));
        await SuiteAssert.ThrowsAsync<ArgumentNullException>(async () => await store.EndAsync("u1", null!, Now, SessionEndReasons.SignedOut, Timeout));
        await SuiteAssert.ThrowsAsync<ArgumentNullException>(async () => await store.EndAsync("u1", "s1", Now, null!, Timeout));
        await SuiteAssert.ThrowsAsync<ArgumentNullException>(async () => await store.EndAllAsync(null!, null, Now, SessionEndReasons.SignedOut, Timeout));
        await SuiteAssert.ThrowsAsync<ArgumentNullException>(async () => await store.EndAllAsync("u1", null, Now, null!, Timeout));
        await SuiteAssert.ThrowsAsync<ArgumentNullException>(async () => await store.MarkReauthenticatedAsync(null!, "s1", Now, Timeout));
        await SuiteAssert.ThrowsAsync<ArgumentNullException>(async () => await store.MarkReauthenticatedAsync("u1", null!, Now, Timeout));
        await SuiteAssert.ThrowsAsync<ArgumentNullException>(async () => await store.RenewStampAsync(null!, "s1", "stamp", Timeout));
        await SuiteAssert.ThrowsAsync<ArgumentNullException>(async () => await store.RenewStampAsync("u1", null!, "stamp", Timeout));
        await SuiteAssert.ThrowsAsync<ArgumentNullException>(async () => await store.RenewStampAsync("u1", "s1", null!, Timeout));
        await SuiteAssert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.DeleteEndedAsync(Now, 0, Timeout));
    }

    // Member by member; the methods as a sequence (a store may hand back any list type).
    private static void AssertSameSession(SessionRecord? actual, SessionRecord expected)
    {
        Assert.That(actual, Is.Not.Null, "session " + expected.Id + " is found");
        SuiteAssert.Equivalent(actual, expected, nameof(SessionRecord.Methods));
        Assert.That(actual!.Methods, Is.EqualTo(expected.Methods).AsCollection, "methods of " + expected.Id);
    }

    private static SessionRecord Session(string id, DateTimeOffset expiresAt) =>
        StoreConformanceData.MinimalSession(id, "u1", ContractId, "stamp") with { CreatedAt = expiresAt.AddHours(-12), LastSeenAt = expiresAt.AddHours(-12), ExpiresAt = expiresAt };

    private async Task<UserAccount> CreateUserAsync(string id)
    {
        var user = StoreConformanceData.MinimalUser(id, ContractId, id + "@example.com") with { IsActive = true };
        Assert.That(await CreateUserStore().CreateAsync(user, Timeout), Is.EqualTo(StoreWriteResult.Success));
        return user;
    }

    private async Task CreateSessionAsync(SessionRecord session) =>
        Assert.That(await Store().CreateAsync(session, Timeout), Is.EqualTo(StoreWriteResult.Success), session.Id);
}
