using AccountSecurity.Accounts;
using AccountSecurity.Events;
using AccountSecurity.Lockout;
using AccountSecurity.Results;
using AccountSecurity.SignIn;
using AccountSecurity.Stores;
using AccountSecurity.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AccountSecurity.Tests.SignIn;

/// <summary>Which ticket step completes the sign-in.</summary>
public enum TicketStep
{
    /// <summary>2FA is active: <see cref="ISignInService.SecondFactorSignInAsync"/>.</summary>
    SecondFactor,

    /// <summary>2FA is forced but not set up: <see cref="ISignInService.TwoFactorSetupSignInAsync"/> after <see cref="ISignInService.BeginTwoFactorSetupAsync"/>.</summary>
    ForcedSetup,
}

/// <summary>
/// The same second-factor outcome gives the same answer and the same events whichever ticket step produced it: a
/// failed second step during forced setup is a failed sign-in too.
/// </summary>
[TestFixture(TicketStep.SecondFactor)]
[TestFixture(TicketStep.ForcedSetup)]
public sealed class TicketStepOutcomeTests(TicketStep step)
{
    private const string Alice = "alice";

    [Test]
    public async Task WrongCode_IsAFailedSignInWithItsEvent()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        var pending = await PrepareAsync(host);

        var result = await pending.SubmitAsync(host.WrongCodeFor(pending.Secret));

        result.Status.Should().Be(SignInStatus.Failed);
        result.ErrorCode.Should().Be(SecurityErrorCodes.InvalidCode);
        SignInFailures(host).Should().ContainSingle().Which.Outcome.Should().Be(SecurityErrorCodes.InvalidCode);
        host.Events.OfType(SecurityEventType.SecondFactorFailed).Should().ContainSingle();
        host.Events.OfType(SecurityEventType.SignInSucceeded).Should().BeEmpty();
    }

    [Test]
    public async Task RepeatedWrongCodes_LockTheSecondFactor_AndEachIsAFailedSignIn()
    {
        using var host = await TwoFactorTestHost.CreateAsync(o => o.Lockout.SecondFactor.MaxFailedAttempts = 3);
        var pending = await PrepareAsync(host);

        var results = new List<SignInResult>();
        for (var i = 0; i < 3; i++)
        {
            results.Add(await pending.SubmitAsync(host.WrongCodeFor(pending.Secret)));
        }

        var refused = await pending.SubmitAsync(host.CodeFor(pending.Secret));

        results.Take(2).Should().OnlyContain(r => r.ErrorCode == SecurityErrorCodes.InvalidCode);
        results[2].Status.Should().Be(SignInStatus.LockedOut);
        results[2].LockedOutUntil.Should().BeAfter(host.Time.GetUtcNow());
        refused.Status.Should().Be(SignInStatus.LockedOut, "the lock holds even for the right code");
        SignInFailures(host).Select(e => e.Outcome).Should().Equal(
            SecurityErrorCodes.InvalidCode, SecurityErrorCodes.InvalidCode, SecurityErrorCodes.LockedOut, SecurityErrorCodes.LockedOut);
        host.Events.OfType(SecurityEventType.SignInSucceeded).Should().BeEmpty();
    }

    [Test]
    public async Task StoreThatAlwaysConflicts_AnswersConcurrencyConflict_AsAFailedSignIn()
    {
        var store = new ConflictingUserStore(new InMemoryUserStore());
        using var host = await TwoFactorTestHost.CreateAsync(services: s => s.AddSingleton<IUserStore>(store));
        var pending = await PrepareAsync(host);

        store.Conflict = true;
        var result = await pending.SubmitAsync(host.CodeFor(pending.Secret));

        result.Status.Should().Be(SignInStatus.Failed);
        result.ErrorCode.Should().Be(SecurityErrorCodes.ConcurrencyConflict);
        SignInFailures(host).Should().ContainSingle().Which.Outcome.Should().Be(SecurityErrorCodes.ConcurrencyConflict);
    }

    [Test]
    public async Task TicketOfAChangedStamp_IsAFailedSignInWithInvalidTicket()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        var pending = await PrepareAsync(host);
        await host.UpdateUserAsync(Alice, u => u with { SecurityStamp = SecurityStamp.New() });

        var result = await pending.SubmitAsync(host.CodeFor(pending.Secret));

        result.ErrorCode.Should().Be(SecurityErrorCodes.InvalidTicket);
        SignInFailures(host).Should().ContainSingle().Which.Outcome.Should().Be(SecurityErrorCodes.InvalidTicket);
    }

    [Test]
    public async Task RightCode_CompletesOnce_ThenTheSpentTicketIsAFailedSignIn()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        var pending = await PrepareAsync(host);

        var done = await pending.SubmitAsync(host.CodeFor(pending.Secret));
        host.NextStep();
        var again = await pending.SubmitAsync(host.CodeFor(pending.Secret));

        done.Status.Should().Be(SignInStatus.Succeeded, done.ToString());
        done.Session!.Methods.Should().Equal(AuthenticationMethods.Password, AuthenticationMethods.Otp, AuthenticationMethods.MultiFactor);
        host.Events.OfType(SecurityEventType.SignInSucceeded).Should().ContainSingle().Which.Outcome.Should().Be("pwd+otp+mfa");
        again.ErrorCode.Should().Be(SecurityErrorCodes.InvalidTicket);
        SignInFailures(host).Should().ContainSingle().Which.Outcome.Should().Be(SecurityErrorCodes.InvalidTicket);
    }

    [Test]
    public async Task SameCodeSubmittedConcurrently_OneSignInCompletes_EveryOtherIsAFailedSignIn()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        var pending = await PrepareAsync(host);
        var code = host.CodeFor(pending.Secret);

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            using var scope = host.Services.CreateScope();
            var signIn = scope.ServiceProvider.GetRequiredService<ISignInService>();
            return step == TicketStep.SecondFactor
                ? await signIn.SecondFactorSignInAsync(pending.Ticket, code)
                : await signIn.TwoFactorSetupSignInAsync(pending.Ticket, code);
        })));

        results.Count(r => r.Succeeded).Should().Be(1);
        var failed = results.Where(r => !r.Succeeded).ToList();
        failed.Should().OnlyContain(r => r.ErrorCode == SecurityErrorCodes.CodeReplayed || r.ErrorCode == SecurityErrorCodes.InvalidTicket || r.ErrorCode == SecurityErrorCodes.ConcurrencyConflict);
        SignInFailures(host).Select(e => e.Outcome).Should().BeEquivalentTo(failed.Select(r => r.ErrorCode));
        host.Events.OfType(SecurityEventType.SignInSucceeded).Should().ContainSingle();
    }

    private static IEnumerable<SecurityEvent> SignInFailures(TwoFactorTestHost host) =>
        host.Events.OfType(SecurityEventType.SignInFailed).Where(e => e.UserId == Alice && e.Factor == AuthenticationFactor.SecondFactor);

    /// <summary>Alice's password step done: a live ticket for the step under test, and the secret her phone holds.</summary>
    private async Task<PendingStep> PrepareAsync(TwoFactorTestHost host)
    {
        await host.CreateUserAsync(Alice);
        byte[] secret;
        string ticket;
        if (step == TicketStep.SecondFactor)
        {
            secret = (await host.EnableTwoFactorAsync(Alice)).Secret;
            ticket = await host.TicketAsync(Alice);
        }
        else
        {
            (await host.Admin.SetForcedAsync(await TestSessions.FreshAsync(host.Services, TwoFactorTestHost.OwnerId), Alice, forced: true)).Succeeded.Should().BeTrue();
            var first = await host.SignIn.PasswordSignInAsync(TwoFactorTestHost.EmailOf(Alice), TwoFactorTestHost.UserPassword);
            first.Status.Should().Be(SignInStatus.TwoFactorSetupRequired);
            ticket = first.Ticket!;
            var setup = await host.SignIn.BeginTwoFactorSetupAsync(ticket);
            setup.Succeeded.Should().BeTrue(setup.ToString());
            secret = TwoFactorTestHost.SecretOf(setup.Value);
        }

        host.Events.Clear();
        return new PendingStep(ticket, secret, code => step == TicketStep.SecondFactor
            ? host.SignIn.SecondFactorSignInAsync(ticket, code).AsTask()
            : host.SignIn.TwoFactorSetupSignInAsync(ticket, code).AsTask());
    }

    private sealed record PendingStep(string Ticket, byte[] Secret, Func<string, Task<SignInResult>> SubmitAsync);

    /// <summary>Plays a store under heavy contention: once <see cref="Conflict"/> is set, every update conflicts.</summary>
    private sealed class ConflictingUserStore(IUserStore inner) : IUserStore
    {
        public volatile bool Conflict;

        public ValueTask<UserAccount?> FindByIdAsync(string userId, CancellationToken cancellationToken) => inner.FindByIdAsync(userId, cancellationToken);

        public ValueTask<UserAccount?> FindByEmailAsync(string email, CancellationToken cancellationToken) => inner.FindByEmailAsync(email, cancellationToken);

        public ValueTask<UserAccount?> FindByPasskeyUserHandleAsync(string userHandle, CancellationToken cancellationToken) => inner.FindByPasskeyUserHandleAsync(userHandle, cancellationToken);

        public ValueTask<IReadOnlyList<UserAccount>> ListByContractAsync(string contractId, CancellationToken cancellationToken) => inner.ListByContractAsync(contractId, cancellationToken);

        public ValueTask<StoreWriteResult> CreateAsync(UserAccount user, CancellationToken cancellationToken) => inner.CreateAsync(user, cancellationToken);

        public ValueTask<StoreWriteResult> UpdateAsync(UserAccount user, CancellationToken cancellationToken) =>
            Conflict ? ValueTask.FromResult(StoreWriteResult.Conflict) : inner.UpdateAsync(user, cancellationToken);
    }
}
