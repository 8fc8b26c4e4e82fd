using AccountSecurity.Accounts;
using AccountSecurity.EntityFrameworkCore.Tests.Infrastructure;
using AccountSecurity.Events;
using AccountSecurity.Lockout;
using AccountSecurity.Results;
using AccountSecurity.SignIn;
using AccountSecurity.Testing;
using AccountSecurity.TwoFactor;
using Microsoft.Extensions.DependencyInjection;

namespace AccountSecurity.EntityFrameworkCore.Tests.MultiInstance;

/// <summary>
/// Two app instances sharing one database behave as one for two-factor authentication: a TOTP step and a recovery
/// code are accepted once across both, wrong codes are counted exactly and lock both, and enabling 2FA on one
/// instance is enforced by the other at once.
/// </summary>
[TestFixture(TestDatabase.Sqlite)]
[TestFixture(TestDatabase.PostgreSql)]
public sealed class MultiInstanceTwoFactorTests(string provider) : MultiInstanceFixture(provider)
{
    private const int Submissions = 20;

    // A browser's double submit, many times over. Bounded by the connection pool: each racer holds a connection.
    private const int DoubleSubmits = 40;


    [Test]
    public async Task TotpCode_SubmittedConcurrentlyThroughBoth_SignsInExactlyOnce()
    {
        // The default limit: racing duplicates of the right code are replays, never failures, so they cannot lock.
        await StartAsync();
        var (phone, _) = await EnrolAsync();
        var ticket = await TicketAsync(Instances.A);
        var code = phone.Code();

        var results = await Instances.RaceAsync<ISignInService, SignInResult>(Submissions, (signIn, _) => signIn.SecondFactorSignInAsync(ticket, code));

        results.Count(r => r.Succeeded).Should().Be(1, Describe(results));
        results.Where(r => !r.Succeeded).Should().OnlyContain(
            r => r.ErrorCode == SecurityErrorCodes.CodeReplayed || r.ErrorCode == SecurityErrorCodes.InvalidTicket
                || r.ErrorCode == SecurityErrorCodes.LockedOut || r.ErrorCode == SecurityErrorCodes.ConcurrencyConflict,
            "every other submission of the one code is refused as a replay or a spent ticket: " + Describe(results));
        var session = results.Single(r => r.Succeeded).Session!;
        session.Methods.Should().Contain(new[] { AuthenticationMethods.Otp, AuthenticationMethods.MultiFactor });
        var stored = await FindAsync(Instances.B);
        stored.PendingSignIns.Should().BeEmpty("the ticket was spent by the one success");
        stored.TwoFactor.LastAcceptedTimeStep.Should().Be(Instances.Time.GetUtcNow().ToUnixTimeSeconds() / 30);
        (Instances.A.Events.OfType(SecurityEventType.SignInSucceeded).Count + Instances.B.Events.OfType(SecurityEventType.SignInSucceeded).Count)
            .Should().Be(1);
    }

    [Test]
    public async Task WrongTotpCodes_ConcurrentlyThroughBoth_AreCountedExactlyAndLockBothInstances()
    {
        const int MaxFailedAttempts = 5;
        const int Flood = 30;
        await StartAsync(o =>
        {
            o.Lockout.SecondFactor.MaxFailedAttempts = MaxFailedAttempts;
            o.SignIn.TicketLifetime = TimeSpan.FromMinutes(30); // outlives the lock, so only the lock refuses the ticket's right code
        });
        var (phone, _) = await EnrolAsync();
        var ticket = await TicketAsync(Instances.A);
        ClearEvents();
        var wrong = phone.WrongCodes(Flood);

        var results = await Instances.RaceAsync<ISignInService, SignInResult>(Flood, (signIn, i) => signIn.SecondFactorSignInAsync(ticket, wrong[i]));

        var stored = await FindAsync(Instances.B);
        stored.Lockouts[AuthenticationFactor.SecondFactor].FailedCount.Should().Be(MaxFailedAttempts, "no attempt is lost or counted twice");
        stored.Lockouts[AuthenticationFactor.SecondFactor].LockoutEnd.Should().NotBeNull();
        var lockEnd = stored.Lockouts[AuthenticationFactor.SecondFactor].LockoutEnd!.Value;
        lockEnd.Should().BeAfter(Instances.Time.GetUtcNow());
        EventCount(SecurityEventType.SecondFactorFailed).Should().Be(MaxFailedAttempts, "at most the limit of codes is compared, however many race");
        EventCount(SecurityEventType.LockedOut).Should().Be(1);
        results.Should().NotContain(r => r.Succeeded);
        results.Count(r => r.ErrorCode == SecurityErrorCodes.InvalidCode).Should().Be(MaxFailedAttempts - 1, "the attempt that reaches the limit answers locked_out: " + Describe(results));
        results.Where(r => r.ErrorCode != SecurityErrorCodes.InvalidCode).Should().OnlyContain(
            r => r.Status == SignInStatus.LockedOut && r.LockedOutUntil == lockEnd, Describe(results));

        var rightAtOnce = await SecondFactorAsync(Instances.B, ticket, phone.Code());
        Instances.Time.Advance(lockEnd - Instances.Time.GetUtcNow() - TimeSpan.FromSeconds(1));
        var rightJustBeforeTheEnd = await SecondFactorAsync(Instances.B, ticket, phone.Code());
        var rightOnA = await SecondFactorAsync(Instances.A, ticket, phone.Code());

        rightAtOnce.Status.Should().Be(SignInStatus.LockedOut, "the lock holds on the other instance, even for the right code: " + rightAtOnce);
        rightJustBeforeTheEnd.Status.Should().Be(SignInStatus.LockedOut, rightJustBeforeTheEnd.ToString());
        rightOnA.Status.Should().Be(SignInStatus.LockedOut, rightOnA.ToString());
        (await FindAsync(Instances.A)).Lockouts[AuthenticationFactor.SecondFactor].FailedCount.Should().Be(MaxFailedAttempts, "refusals under the lock compare and count nothing");

        Instances.Time.Advance(TimeSpan.FromSeconds(2));
        var afterTheLock = await SecondFactorAsync(Instances.B, ticket, phone.Code());

        afterTheLock.Status.Should().Be(SignInStatus.Succeeded, afterTheLock.ToString());
        (await FindAsync(Instances.A)).Lockouts[AuthenticationFactor.SecondFactor].Should().Be(FactorLockoutState.Clear, "a success clears the count");
    }

    [Test]
    public async Task RecoveryCode_SubmittedConcurrentlyThroughBoth_IsSpentExactlyOnce()
    {
        // The default limit: racing duplicates of the one code are replays, never failures, so they cannot lock.
        await StartAsync();
        var (_, recoveryCodes) = await EnrolAsync();
        var ticket = await TicketAsync(Instances.A);
        var code = recoveryCodes[0];

        var results = await Instances.RaceAsync<ISignInService, SignInResult>(Submissions, (signIn, _) => signIn.RecoveryCodeSignInAsync(ticket, code));

        results.Count(r => r.Succeeded).Should().Be(1, Describe(results));
        results.Where(r => !r.Succeeded).Should().OnlyContain(
            r => r.ErrorCode == SecurityErrorCodes.CodeReplayed || r.ErrorCode == SecurityErrorCodes.InvalidTicket
                || r.ErrorCode == SecurityErrorCodes.LockedOut || r.ErrorCode == SecurityErrorCodes.ConcurrencyConflict,
            Describe(results));
        results.Single(r => r.Succeeded).Session!.Methods.Should().Contain(AuthenticationMethods.RecoveryCode);
        EventCount(SecurityEventType.RecoveryCodeUsed).Should().Be(1);
        (await FindAsync(Instances.A)).TwoFactor.RecoveryCodeHashes.Should().HaveCount(recoveryCodes.Count - 1);

        var againOnA = await RecoveryAsync(Instances.A, await TicketAsync(Instances.A), code);
        var againOnB = await RecoveryAsync(Instances.B, await TicketAsync(Instances.B), code);
        var otherCodeOnB = await RecoveryAsync(Instances.B, await TicketAsync(Instances.B), recoveryCodes[1]);

        againOnA.ErrorCode.Should().Be(SecurityErrorCodes.InvalidCode, "the spent code is gone for instance A: " + againOnA);
        againOnB.ErrorCode.Should().Be(SecurityErrorCodes.InvalidCode, "and for instance B: " + againOnB);
        otherCodeOnB.Status.Should().Be(SignInStatus.Succeeded, "the refusals were about the spent code, not the sign-in: " + otherCodeOnB);
    }

    [Test]
    public async Task TotpCode_DoubleSubmittedManyTimesThroughBoth_UnderTheDefaultLimit_SignsInOnceAndLeavesNoFailureOrLock()
    {
        await StartAsync(); // the default limit: 5 second-factor failures lock
        var (phone, _) = await EnrolAsync();
        var ticket = await TicketAsync(Instances.A);
        var code = phone.Code();
        ClearEvents();

        var results = await Instances.RaceAsync<ISignInService, SignInResult>(DoubleSubmits, (signIn, _) => signIn.SecondFactorSignInAsync(ticket, code));

        results.Count(r => r.Succeeded).Should().Be(1, Describe(results));
        results.Where(r => !r.Succeeded).Should().OnlyContain(
            r => r.ErrorCode == SecurityErrorCodes.CodeReplayed || r.ErrorCode == SecurityErrorCodes.InvalidTicket
                || r.ErrorCode == SecurityErrorCodes.LockedOut || r.ErrorCode == SecurityErrorCodes.ConcurrencyConflict,
            Describe(results));
        EventCount(SecurityEventType.SecondFactorFailed).Should().Be(0, "a right code that lost the race is a replay, not a failed guess");
        EventCount(SecurityEventType.LockedOut).Should().Be(0);
        (await FindAsync(Instances.B)).Lockouts[AuthenticationFactor.SecondFactor].Should().Be(FactorLockoutState.Clear, "every loser's reserved attempt was given back or cleared by the winner");

        Instances.Time.Advance(TimeSpan.FromSeconds(30));
        var next = await SecondFactorAsync(Instances.B, await TicketAsync(Instances.B), phone.Code());
        next.Status.Should().Be(SignInStatus.Succeeded, "the double submit locked nothing: " + next);
    }

    [Test]
    public async Task RecoveryCode_DoubleSubmittedManyTimesThroughBoth_UnderTheDefaultLimit_IsSpentOnceAndLeavesNoFailureOrLock()
    {
        await StartAsync();
        var (_, recoveryCodes) = await EnrolAsync();
        var ticket = await TicketAsync(Instances.A);
        ClearEvents();

        var results = await Instances.RaceAsync<ISignInService, SignInResult>(DoubleSubmits, (signIn, _) => signIn.RecoveryCodeSignInAsync(ticket, recoveryCodes[0]));

        results.Count(r => r.Succeeded).Should().Be(1, Describe(results));
        results.Where(r => !r.Succeeded).Should().OnlyContain(
            r => r.ErrorCode == SecurityErrorCodes.CodeReplayed || r.ErrorCode == SecurityErrorCodes.InvalidTicket
                || r.ErrorCode == SecurityErrorCodes.LockedOut || r.ErrorCode == SecurityErrorCodes.ConcurrencyConflict,
            Describe(results));
        EventCount(SecurityEventType.RecoveryCodeUsed).Should().Be(1);
        EventCount(SecurityEventType.SecondFactorFailed).Should().Be(0, "a code the concurrent winner spent is no failed guess");
        EventCount(SecurityEventType.LockedOut).Should().Be(0);
        var stored = await FindAsync(Instances.A);
        stored.Lockouts[AuthenticationFactor.SecondFactor].Should().Be(FactorLockoutState.Clear);
        stored.TwoFactor.RecoveryCodeHashes.Should().HaveCount(recoveryCodes.Count - 1);
    }

    [Test]
    public async Task EnableTwoFactor_OnInstanceA_IsRequiredByInstanceBsPasswordStepAtOnce()
    {
        await StartAsync();
        var before = await PasswordStepAsync(Instances.B);
        before.Status.Should().Be(SignInStatus.Succeeded, "no 2FA yet: " + before);

        var setup = await Instances.A.RunAsync(sp => sp.GetRequiredService<ITwoFactorService>().BeginSetupAsync(TestSessions.Of(UserId), Password));
        setup.Succeeded.Should().BeTrue(setup.ToString());
        var phone = Authenticator.Scan(setup.Value, Instances.Time);
        var confirmed = await Instances.A.RunAsync(sp => sp.GetRequiredService<ITwoFactorService>().ConfirmSetupAsync(UserId, phone.Code()));
        confirmed.Succeeded.Should().BeTrue(confirmed.ToString());

        var after = await PasswordStepAsync(Instances.B);
        after.Status.Should().Be(SignInStatus.SecondFactorRequired, "instance B enforces the 2FA instance A just enabled: " + after);
        (await Instances.B.RunAsync(sp => sp.GetRequiredService<ISignInService>().ValidateSessionAsync(before.Session!)))
            .Should().BeFalse("enabling 2FA on A ends the session B issued before");

        Instances.Time.Advance(TimeSpan.FromSeconds(30)); // the confirmation took this step's code
        var second = await SecondFactorAsync(Instances.B, after.Ticket!, phone.Code());
        second.Status.Should().Be(SignInStatus.Succeeded, "instance B reads the secret instance A protected: " + second);
    }

    /// <summary>Begins setup on A, confirms it on B (which must read A's protected pending secret), then moves to the next TOTP step.</summary>
    private async Task<(Authenticator Phone, IReadOnlyList<string> RecoveryCodes)> EnrolAsync()
    {
        var setup = await Instances.A.RunAsync(sp => sp.GetRequiredService<ITwoFactorService>().BeginSetupAsync(TestSessions.Of(UserId), Password));
        setup.Succeeded.Should().BeTrue(setup.ToString());
        var phone = Authenticator.Scan(setup.Value, Instances.Time);
        var confirmed = await Instances.B.RunAsync(sp => sp.GetRequiredService<ITwoFactorService>().ConfirmSetupAsync(UserId, phone.Code()));
        confirmed.Succeeded.Should().BeTrue("instance B confirms the setup instance A began: " + confirmed);
        Instances.Time.Advance(TimeSpan.FromSeconds(30));
        return (phone, confirmed.Value.RecoveryCodes);
    }

    private Task<SignInResult> PasswordStepAsync(AppInstance instance) =>
        instance.RunAsync(sp => sp.GetRequiredService<ISignInService>().PasswordSignInAsync(Email, Password));

    private async Task<string> TicketAsync(AppInstance instance)
    {
        var step = await PasswordStepAsync(instance);
        step.Status.Should().Be(SignInStatus.SecondFactorRequired, step.ToString());
        return step.Ticket!;
    }

    private static Task<SignInResult> SecondFactorAsync(AppInstance instance, string ticket, string code) =>
        instance.RunAsync(sp => sp.GetRequiredService<ISignInService>().SecondFactorSignInAsync(ticket, code));

    private static Task<SignInResult> RecoveryAsync(AppInstance instance, string ticket, string code) =>
        instance.RunAsync(sp => sp.GetRequiredService<ISignInService>().RecoveryCodeSignInAsync(ticket, code));


    private int EventCount(SecurityEventType type) => Instances.A.Events.OfType(type).Count + Instances.B.Events.OfType(type).Count;

    private void ClearEvents()
    {
        Instances.A.Events.Clear();
        Instances.B.Events.Clear();
    }

    private static string Describe(IEnumerable<SignInResult> results) => string.Join("; ", results.Select(r => r.ToString()));
}
