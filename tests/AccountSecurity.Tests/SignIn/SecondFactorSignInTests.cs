using AccountSecurity.Events;
using AccountSecurity.Lockout;
using AccountSecurity.Results;
using AccountSecurity.SignIn;
using AccountSecurity.Testing;

namespace AccountSecurity.Tests.SignIn;

public sealed class SecondFactorSignInTests
{
    [Test]
    public async Task SecondFactorSignIn_WithValidCode_SucceedsWithMfaAndCurrentStamp()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("alice");
        var enrolled = await host.EnableTwoFactorAsync("alice");
        var ticket = await host.TicketAsync("alice");

        var result = await host.SignIn.SecondFactorSignInAsync(ticket, host.CodeFor(enrolled.Secret));

        result.Status.Should().Be(SignInStatus.Succeeded);
        result.Session!.Methods.Should().Equal(AuthenticationMethods.Password, AuthenticationMethods.Otp, AuthenticationMethods.MultiFactor);
        result.Session.UsedSecondFactor.Should().BeTrue();
        result.Session.SecurityStamp.Should().Be((await host.GetUserAsync("alice")).SecurityStamp);
        (await host.SignIn.ValidateSessionAsync(result.Session)).Should().BeTrue();
    }

    [Test]
    public async Task SecondFactorSignIn_CodeWithSpaces_IsAccepted()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("alice");
        var enrolled = await host.EnableTwoFactorAsync("alice");
        var code = host.CodeFor(enrolled.Secret);

        var result = await host.SignIn.SecondFactorSignInAsync(await host.TicketAsync("alice"), code[..3] + " " + code[3..]);

        result.Status.Should().Be(SignInStatus.Succeeded);
    }

    [Test]
    public async Task SecondFactorSignIn_TicketUsedTwice_SecondUseIsInvalidTicket()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("alice");
        var enrolled = await host.EnableTwoFactorAsync("alice");
        var ticket = await host.TicketAsync("alice");
        (await host.SignIn.SecondFactorSignInAsync(ticket, host.CodeFor(enrolled.Secret))).Succeeded.Should().BeTrue();
        host.NextStep();

        var again = await host.SignIn.SecondFactorSignInAsync(ticket, host.CodeFor(enrolled.Secret));

        again.Status.Should().Be(SignInStatus.Failed);
        again.ErrorCode.Should().Be(SecurityErrorCodes.InvalidTicket);
    }

    [Test]
    public async Task SecondFactorSignIn_AfterTicketLifetime_IsRefused()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("alice");
        var enrolled = await host.EnableTwoFactorAsync("alice");
        var ticket = await host.TicketAsync("alice");

        host.Time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        var result = await host.SignIn.SecondFactorSignInAsync(ticket, host.CodeFor(enrolled.Secret));

        result.ErrorCode.Should().Be(SecurityErrorCodes.InvalidTicket);
        result.Session.Should().BeNull();
    }

    [Test]
    public async Task SecondFactorSignIn_JustBeforeTicketExpiry_Succeeds()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("alice");
        var enrolled = await host.EnableTwoFactorAsync("alice");
        var ticket = await host.TicketAsync("alice");

        host.Time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        (await host.SignIn.SecondFactorSignInAsync(ticket, host.CodeFor(enrolled.Secret))).Succeeded.Should().BeTrue();
    }

    [Test]
    public async Task SecondFactorSignIn_AfterPasswordChangeInBetween_TicketIsRefused()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("alice");
        var enrolled = await host.EnableTwoFactorAsync("alice");
        var ticket = await host.TicketAsync("alice");
        (await host.PasswordChange.ChangePasswordAsync(TestSessions.Of("alice"), TwoFactorTestHost.UserPassword, TwoFactorTestHost.NewPassword, TwoFactorTestHost.NewPassword)).Succeeded.Should().BeTrue();

        var result = await host.SignIn.SecondFactorSignInAsync(ticket, host.CodeFor(enrolled.Secret));

        result.ErrorCode.Should().Be(SecurityErrorCodes.InvalidTicket);
    }

    [Test]
    public async Task SecondFactorSignIn_MalformedTickets_AreInvalidTicketWithoutThrowing()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("alice");
        var enrolled = await host.EnableTwoFactorAsync("alice");
        var real = await host.TicketAsync("alice");
        var userPart = real[..real.IndexOf('.', StringComparison.Ordinal)];
        string?[] tickets =
        [
            null, string.Empty, "garbage", "a.b", ".", "..", "a.", ".b", "%%%.###", new string('a', 100_000) + "." + new string('b', 100_000),
            userPart + ".", userPart + ".wrong-secret", userPart + "." + new string('x', 10_000), "\uD800.\uDC00", "YWxpY2U.\0",
            real + "x", real[..^1],
        ];

        foreach (var ticket in tickets)
        {
            var result = await host.SignIn.SecondFactorSignInAsync(ticket, host.CodeFor(enrolled.Secret));
            result.Status.Should().Be(SignInStatus.Failed, $"ticket of length {ticket?.Length}");
            result.ErrorCode.Should().Be(SecurityErrorCodes.InvalidTicket);
            (await host.SignIn.RecoveryCodeSignInAsync(ticket, enrolled.RecoveryCodes[0])).ErrorCode.Should().Be(SecurityErrorCodes.InvalidTicket);
        }

        // The real ticket still works: malformed ones did not spend it.
        (await host.SignIn.SecondFactorSignInAsync(real, host.CodeFor(enrolled.Secret))).Succeeded.Should().BeTrue();
    }

    [Test]
    public async Task SecondFactorSignIn_NullEmptyOrHugeCode_FailsWithoutThrowing()
    {
        using var host = await TwoFactorTestHost.CreateAsync(o => o.Lockout.SecondFactor.MaxFailedAttempts = 100);
        await host.CreateUserAsync("alice");
        await host.EnableTwoFactorAsync("alice");
        var ticket = await host.TicketAsync("alice");

        foreach (var code in new[] { null, string.Empty, " ", "12345", "1234567", "abcdef", new string('1', 10_000), "\uD800" })
        {
            var result = await host.SignIn.SecondFactorSignInAsync(ticket, code);
            result.Status.Should().Be(SignInStatus.Failed);
            result.ErrorCode.Should().Be(SecurityErrorCodes.InvalidCode);
        }
    }

    [Test]
    public async Task SecondFactorSignIn_CodeAcceptedOnce_IsRejectedAsReplayOnNextSignInInSameStep()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("alice");
        var enrolled = await host.EnableTwoFactorAsync("alice");
        var code = host.CodeFor(enrolled.Secret);
        (await host.SignIn.SecondFactorSignInAsync(await host.TicketAsync("alice"), code)).Succeeded.Should().BeTrue();

        var replay = await host.SignIn.SecondFactorSignInAsync(await host.TicketAsync("alice"), code);

        replay.Status.Should().Be(SignInStatus.Failed);
        replay.ErrorCode.Should().Be(SecurityErrorCodes.CodeReplayed);
        host.Events.OfType(SecurityEventType.ReplayRejected).Should().NotBeEmpty();

        host.NextStep();
        (await host.SignIn.SecondFactorSignInAsync(await host.TicketAsync("alice"), host.CodeFor(enrolled.Secret))).Succeeded.Should().BeTrue();
    }

    [Test]
    public async Task SecondFactorSignIn_OneCodeSubmittedByThousandTasks_ExactlyOneSucceeds()
    {
        using var host = await TwoFactorTestHost.CreateAsync(o => o.Stores.MaxConcurrencyRetries = 10_000);
        await host.CreateUserAsync("alice");
        var enrolled = await host.EnableTwoFactorAsync("alice");
        var ticket = await host.TicketAsync("alice");
        var code = host.CodeFor(enrolled.Secret);
        var signIn = host.SignIn;

        var results = await Task.WhenAll(Enumerable.Range(0, 1000).Select(_ => Task.Run(async () => await signIn.SecondFactorSignInAsync(ticket, code))));

        results.Count(r => r.Succeeded).Should().Be(1);
        results.Where(r => !r.Succeeded).Should().OnlyContain(r => r.Session == null);
        results.Select(r => r.ErrorCode).Should().NotContain(SecurityErrorCodes.ConcurrencyConflict);
        host.Events.OfType(SecurityEventType.SignInSucceeded).Should().HaveCount(1);
    }

    [Test]
    public async Task SecondFactorSignIn_AfterMaxWrongCodes_LocksOutEvenTheRightCode()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("alice");
        var enrolled = await host.EnableTwoFactorAsync("alice");
        var ticket = await host.TicketAsync("alice");

        for (var i = 0; i < 4; i++)
        {
            (await host.SignIn.SecondFactorSignInAsync(ticket, host.WrongCodeFor(enrolled.Secret))).ErrorCode.Should().Be(SecurityErrorCodes.InvalidCode);
        }

        var fifth = await host.SignIn.SecondFactorSignInAsync(ticket, host.WrongCodeFor(enrolled.Secret));
        fifth.Status.Should().Be(SignInStatus.LockedOut);
        fifth.LockedOutUntil.Should().Be(host.Time.GetUtcNow() + TimeSpan.FromMinutes(5));

        var right = await host.SignIn.SecondFactorSignInAsync(ticket, host.CodeFor(enrolled.Secret));
        right.Status.Should().Be(SignInStatus.LockedOut);
        (await host.SignIn.RecoveryCodeSignInAsync(ticket, enrolled.RecoveryCodes[0])).Status.Should().Be(SignInStatus.LockedOut);
        host.Events.OfType(SecurityEventType.LockedOut).Should().ContainSingle(e => e.Factor == AccountSecurity.Lockout.AuthenticationFactor.SecondFactor);
    }

    [Test]
    public async Task SecondFactorSignIn_FiftyParallelWrongCodes_ComparesAtMostMaxAndLocks()
    {
        using var host = await TwoFactorTestHost.CreateAsync(o => o.Stores.MaxConcurrencyRetries = 10_000);
        await host.CreateUserAsync("alice");
        var enrolled = await host.EnableTwoFactorAsync("alice");
        var ticket = await host.TicketAsync("alice");
        var wrong = host.WrongCodeFor(enrolled.Secret);
        var signIn = host.SignIn;

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(async () => await signIn.SecondFactorSignInAsync(ticket, wrong))));

        host.Events.OfType(SecurityEventType.SecondFactorFailed).Count.Should().BeLessThanOrEqualTo(5);
        results.Count(r => r.ErrorCode == SecurityErrorCodes.InvalidCode).Should().BeLessThanOrEqualTo(4);
        results.Count(r => r.Status == SignInStatus.LockedOut).Should().BeGreaterThanOrEqualTo(45);
        results.Should().NotContain(r => r.Succeeded);
        var stored = await host.GetUserAsync("alice");
        stored.Lockouts[AuthenticationFactor.SecondFactor].IsLockedAt(host.Time.GetUtcNow()).Should().BeTrue();
        stored.Lockouts[AuthenticationFactor.SecondFactor].FailedCount.Should().Be(5);
    }

    [Test]
    public async Task PasswordSignIn_Success_DoesNotResetSecondFactorLockout()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("alice");
        var enrolled = await host.EnableTwoFactorAsync("alice");
        var ticket = await host.TicketAsync("alice");
        for (var i = 0; i < 5; i++)
        {
            await host.SignIn.SecondFactorSignInAsync(ticket, host.WrongCodeFor(enrolled.Secret));
        }

        var lockBefore = (await host.GetUserAsync("alice")).Lockouts[AuthenticationFactor.SecondFactor];
        var fresh = await host.TicketAsync("alice");

        var stored = await host.GetUserAsync("alice");
        stored.Lockouts[AuthenticationFactor.SecondFactor].Should().Be(lockBefore);
        stored.Lockouts[AuthenticationFactor.SecondFactor].IsLockedAt(host.Time.GetUtcNow()).Should().BeTrue();
        (await host.SignIn.SecondFactorSignInAsync(fresh, host.CodeFor(enrolled.Secret))).Status.Should().Be(SignInStatus.LockedOut);
    }

    [Test]
    public async Task SignIn_AlternatingPasswordAndCodeGuesses_NeverEscapesEitherLockout()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("alice");
        var enrolled = await host.EnableTwoFactorAsync("alice");

        // An attacker who knows the password interleaves wrong passwords with right password + wrong code.
        for (var round = 0; round < 12; round++)
        {
            var wrongPassword = await host.SignIn.PasswordSignInAsync("alice@a.example", "Wrong-Guess-Number-" + round);
            wrongPassword.Succeeded.Should().BeFalse();
            var step = await host.SignIn.PasswordSignInAsync("alice@a.example", TwoFactorTestHost.UserPassword);
            step.Succeeded.Should().BeFalse();
            if (step.Ticket is { } ticket)
            {
                (await host.SignIn.SecondFactorSignInAsync(ticket, host.WrongCodeFor(enrolled.Secret))).Succeeded.Should().BeFalse();
            }
        }

        var user = await host.GetUserAsync("alice");
        user.Lockouts[AuthenticationFactor.SecondFactor].IsLockedAt(host.Time.GetUtcNow()).Should().BeTrue();
        user.Lockouts[AuthenticationFactor.SecondFactor].FailedCount.Should().Be(5);
        host.Events.OfType(SecurityEventType.SecondFactorFailed).Should().HaveCount(5);
        host.Events.OfType(SecurityEventType.SignInSucceeded).Should().BeEmpty();

        // An attacker who does not know the password interleaves wrong passwords with code guesses on the old ticket.
        for (var round = 0; round < 12; round++)
        {
            await host.SignIn.PasswordSignInAsync("alice@a.example", "Another-Wrong-Guess-" + round);
            (await host.SignIn.SecondFactorSignInAsync("YWxpY2U.forged", host.CodeFor(enrolled.Secret))).Succeeded.Should().BeFalse();
        }

        user = await host.GetUserAsync("alice");
        user.Lockouts[AuthenticationFactor.Password].IsLockedAt(host.Time.GetUtcNow()).Should().BeTrue();
        user.Lockouts[AuthenticationFactor.SecondFactor].IsLockedAt(host.Time.GetUtcNow()).Should().BeTrue();
        (await host.SignIn.PasswordSignInAsync("alice@a.example", TwoFactorTestHost.UserPassword)).Status.Should().Be(SignInStatus.LockedOut);
        host.Events.OfType(SecurityEventType.SignInSucceeded).Should().BeEmpty();
    }
}
