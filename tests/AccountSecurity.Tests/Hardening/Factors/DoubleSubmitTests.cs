using AccountSecurity.Accounts;
using AccountSecurity.Events;
using AccountSecurity.Lockout;
using AccountSecurity.Results;
using AccountSecurity.SignIn;
using AccountSecurity.Stores;
using AccountSecurity.Testing;
using AccountSecurity.Tests.SignIn;
using Microsoft.Extensions.DependencyInjection;

namespace AccountSecurity.Tests.Hardening.Factors;

/// <summary>
/// A double submit (here 200 of them at once, on the in-memory store) of the right second factor signs in once and
/// costs the user nothing: the losers are replays, their reserved attempts are given back, and no lock remains. Wrong
/// guesses under the same race still compare exactly the limit.
/// </summary>
public sealed class DoubleSubmitTests
{
    private const int Copies = 200;

    // Default lockout: 5 failures. The starting line makes every copy read the state before any writes.
    private static async Task<(TwoFactorTestHost Host, StartingLineUserStore Store)> HostAsync()
    {
        var store = new StartingLineUserStore();
        return (await TwoFactorTestHost.CreateAsync(o => o.Stores.MaxConcurrencyRetries = 10_000, s => s.AddSingleton<IUserStore>(store)), store);
    }

    [Test]
    public async Task SecondFactorSignIn_TwoHundredCopiesOfTheRightCode_OneSucceedsTheRestAreReplaysAndNothingLocks()
    {
        var (host, store) = await HostAsync();
        using var disposeHost = host;
        await host.CreateUserAsync("alice");
        var enrolled = await host.EnableTwoFactorAsync("alice");
        var ticket = await host.TicketAsync("alice");
        var code = host.CodeFor(enrolled.Secret);
        host.Events.Clear();
        var signIn = host.SignIn;

        store.Arm(Copies);
        var results = await Task.WhenAll(Enumerable.Range(0, Copies).Select(_ => Task.Run(async () => await signIn.SecondFactorSignInAsync(ticket, code))));

        results.Count(r => r.Succeeded).Should().Be(1);
        results.Where(r => !r.Succeeded).Select(r => r.ErrorCode).Should().OnlyContain(
            c => c == SecurityErrorCodes.CodeReplayed || c == SecurityErrorCodes.InvalidTicket || c == SecurityErrorCodes.LockedOut);
        host.Events.OfType(SecurityEventType.SecondFactorFailed).Should().BeEmpty("a right code that lost the race is no failed guess");
        host.Events.OfType(SecurityEventType.LockedOut).Should().BeEmpty();
        (await host.GetUserAsync("alice")).Lockouts[AuthenticationFactor.SecondFactor].Should().Be(FactorLockoutState.Clear);

        host.NextStep();
        var next = await host.SignIn.SecondFactorSignInAsync(await host.TicketAsync("alice"), host.CodeFor(enrolled.Secret));
        next.Status.Should().Be(SignInStatus.Succeeded, "the race left no lock behind: " + next);
    }

    [Test]
    public async Task RecoveryCodeSignIn_TwoHundredCopiesOfOneCode_SpendsItOnceAndNothingLocks()
    {
        var (host, store) = await HostAsync();
        using var disposeHost = host;
        await host.CreateUserAsync("alice");
        var enrolled = await host.EnableTwoFactorAsync("alice");
        var ticket = await host.TicketAsync("alice");
        host.Events.Clear();
        var signIn = host.SignIn;

        store.Arm(Copies);
        var results = await Task.WhenAll(Enumerable.Range(0, Copies).Select(_ => Task.Run(async () => await signIn.RecoveryCodeSignInAsync(ticket, enrolled.RecoveryCodes[0]))));

        results.Count(r => r.Succeeded).Should().Be(1);
        results.Where(r => !r.Succeeded).Select(r => r.ErrorCode).Should().OnlyContain(
            c => c == SecurityErrorCodes.CodeReplayed || c == SecurityErrorCodes.InvalidTicket || c == SecurityErrorCodes.LockedOut);
        host.Events.OfType(SecurityEventType.RecoveryCodeUsed).Should().ContainSingle();
        host.Events.OfType(SecurityEventType.SecondFactorFailed).Should().BeEmpty("a code spent by the concurrent winner is no failed guess");
        host.Events.OfType(SecurityEventType.LockedOut).Should().BeEmpty();
        var stored = await host.GetUserAsync("alice");
        stored.Lockouts[AuthenticationFactor.SecondFactor].Should().Be(FactorLockoutState.Clear);
        stored.TwoFactor.RecoveryCodeHashes.Should().HaveCount(enrolled.RecoveryCodes.Count - 1);
    }

    [Test]
    public async Task ReplayedCode_TwoHundredTimesAtOnceAfterTwoRealFailures_LeavesExactlyThoseFailuresAndNoLock()
    {
        var (host, store) = await HostAsync();
        using var disposeHost = host;
        await host.CreateUserAsync("alice");
        var enrolled = await host.EnableTwoFactorAsync("alice");
        var used = host.CodeFor(enrolled.Secret);
        (await host.SignIn.SecondFactorSignInAsync(await host.TicketAsync("alice"), used)).Succeeded.Should().BeTrue();
        var ticket = await host.TicketAsync("alice");
        for (var i = 0; i < 2; i++)
        {
            (await host.SignIn.SecondFactorSignInAsync(ticket, host.WrongCodeFor(enrolled.Secret))).ErrorCode.Should().Be(SecurityErrorCodes.InvalidCode);
        }

        var before = (await host.GetUserAsync("alice")).Lockouts[AuthenticationFactor.SecondFactor];
        before.Should().Be(new FactorLockoutState(2, null, 0));
        host.Events.Clear();
        var signIn = host.SignIn;

        // No winner clears anything here: every copy reserves, compares as a replay and must give its attempt back,
        // including the ones whose reservation reached the limit and set the lock in advance.
        store.Arm(Copies);
        var results = await Task.WhenAll(Enumerable.Range(0, Copies).Select(_ => Task.Run(async () => await signIn.SecondFactorSignInAsync(ticket, used))));

        results.Should().NotContain(r => r.Succeeded);
        results.Select(r => r.ErrorCode).Should().OnlyContain(c => c == SecurityErrorCodes.CodeReplayed || c == SecurityErrorCodes.LockedOut);
        host.Events.OfType(SecurityEventType.SecondFactorFailed).Should().BeEmpty();
        host.Events.OfType(SecurityEventType.LockedOut).Should().BeEmpty();
        (await host.GetUserAsync("alice")).Lockouts[AuthenticationFactor.SecondFactor].Should().Be(before, "the count is what it was before the race, with no lock and no lock counted");

        host.NextStep();
        (await host.SignIn.SecondFactorSignInAsync(ticket, host.CodeFor(enrolled.Secret))).Status.Should().Be(SignInStatus.Succeeded);
    }

    [Test]
    public async Task WrongCodes_ThousandAtOnce_CompareExactlyTheLimitAndLock()
    {
        var (host, store) = await HostAsync();
        using var disposeHost = host;
        await host.CreateUserAsync("alice");
        var enrolled = await host.EnableTwoFactorAsync("alice");
        var ticket = await host.TicketAsync("alice");
        var wrong = host.WrongCodeFor(enrolled.Secret);
        host.Events.Clear();
        var signIn = host.SignIn;

        store.Arm(1000);
        var results = await Task.WhenAll(Enumerable.Range(0, 1000).Select(_ => Task.Run(async () => await signIn.SecondFactorSignInAsync(ticket, wrong))));

        host.Events.OfType(SecurityEventType.SecondFactorFailed).Should().HaveCount(5);
        host.Events.OfType(SecurityEventType.LockedOut).Should().ContainSingle();
        results.Count(r => r.ErrorCode == SecurityErrorCodes.InvalidCode).Should().Be(4);
        var stored = (await host.GetUserAsync("alice")).Lockouts[AuthenticationFactor.SecondFactor];
        stored.FailedCount.Should().Be(5);
        stored.IsLockedAt(host.Time.GetUtcNow()).Should().BeTrue();
    }

    [Test]
    public async Task RightReplaysAndWrongGuessesMixed_CountExactlyTheWrongOnesAndNeverMoreThanTheLimit()
    {
        var (host, store) = await HostAsync();
        using var disposeHost = host;
        await host.CreateUserAsync("alice");
        var enrolled = await host.EnableTwoFactorAsync("alice");
        var used = host.CodeFor(enrolled.Secret);
        (await host.SignIn.SecondFactorSignInAsync(await host.TicketAsync("alice"), used)).Succeeded.Should().BeTrue();
        var ticket = await host.TicketAsync("alice");
        var wrong = host.WrongCodeFor(enrolled.Secret);
        host.Events.Clear();
        var signIn = host.SignIn;

        store.Arm(Copies);
        var results = await Task.WhenAll(Enumerable.Range(0, Copies).Select(i => Task.Run(async () => await signIn.SecondFactorSignInAsync(ticket, i % 2 == 0 ? used : wrong))));

        var failures = host.Events.OfType(SecurityEventType.SecondFactorFailed).Count;
        failures.Should().BeInRange(1, 5);
        var stored = (await host.GetUserAsync("alice")).Lockouts[AuthenticationFactor.SecondFactor];
        stored.FailedCount.Should().Be(failures, "only wrong guesses stay counted");
        var locked = stored.IsLockedAt(host.Time.GetUtcNow());
        if (failures == 5)
        {
            locked.Should().BeTrue("five wrong guesses reach the limit");
        }

        // Fewer than five may still end locked: a wrong guess that reserved the fifth attempt while a replay's
        // reservation was in flight locked in advance and then really failed; the replay's refund does not lift a lock
        // a real failure set (FactorLockout.Refund). What must hold is that a lock stands exactly when one was announced.
        locked.Should().Be(host.Events.OfType(SecurityEventType.LockedOut).Count > 0, "the stored lock and the lock events agree");
        results.Should().NotContain(r => r.Succeeded);
    }

    [Test]
    public async Task ConfirmSetup_TwoHundredCopiesOfTheRightCode_EnablesOnceAndCountsNothing()
    {
        var (host, store) = await HostAsync();
        using var disposeHost = host;
        await host.CreateUserAsync("alice");
        var setup = await host.TwoFactor.BeginSetupAsync(TestSessions.Of("alice"), TwoFactorTestHost.UserPassword);
        var code = host.CodeFor(TwoFactorTestHost.SecretOf(setup.Value));
        host.Events.Clear();
        var twoFactor = host.TwoFactor;

        store.Arm(Copies);
        var results = await Task.WhenAll(Enumerable.Range(0, Copies).Select(_ => Task.Run(async () => await twoFactor.ConfirmSetupAsync("alice", code))));

        results.Count(r => r.Succeeded).Should().Be(1);
        host.Events.OfType(SecurityEventType.TwoFactorEnabled).Should().ContainSingle();
        host.Events.OfType(SecurityEventType.SecondFactorFailed).Should().BeEmpty();
        host.Events.OfType(SecurityEventType.LockedOut).Should().BeEmpty();
        (await host.GetUserAsync("alice")).Lockouts[AuthenticationFactor.SecondFactor].Should().Be(FactorLockoutState.Clear);
    }
}
