using AccountSecurity.Accounts;
using AccountSecurity.Diagnostics;
using AccountSecurity.Lockout;
using AccountSecurity.Results;
using AccountSecurity.Verification;

namespace AccountSecurity.SignIn;

internal sealed partial class SignInService
{
    /// <inheritdoc />
    public ValueTask<SignInResult> SecondFactorSignInAsync(string? ticket, string? code, CancellationToken cancellationToken = default) =>
        TicketStepAsync(SpanNames.SignInSecondFactor, ticket, SignInTicketPurpose.SecondFactor, AuthenticationMethods.Otp, cancellationToken, async (user, step) =>
            new TicketStepOutcome(await _secondFactor.VerifyTotpAsync(user, code, pending: false, step.Live, step.Spend, cancellationToken, step.Device).ConfigureAwait(false)));

    /// <inheritdoc />
    public ValueTask<SignInResult> RecoveryCodeSignInAsync(string? ticket, string? recoveryCode, CancellationToken cancellationToken = default) =>
        TicketStepAsync(SpanNames.SignInRecoveryCode, ticket, SignInTicketPurpose.SecondFactor, AuthenticationMethods.RecoveryCode, cancellationToken, async (user, step) =>
            new TicketStepOutcome(await _secondFactor.VerifyRecoveryCodeAsync(user, recoveryCode, step.Live, step.Spend, cancellationToken, step.Device).ConfigureAwait(false)));

    /// <summary>
    /// A step of another factor package (passkeys) against a ticket, through the same ticket checks, the same spend at
    /// the acceptance write and the same outcome mapping as the TOTP step. <paramref name="verify"/> is given the user
    /// and the <see cref="TicketStep"/>: the liveness check to pass to the pipeline as its precondition, the spend to
    /// apply in its success write, and the device whose budget counts the step.
    /// </summary>
    internal ValueTask<SignInResult> ExternalTicketStepAsync(
        string spanName,
        string? ticket,
        SignInTicketPurpose purpose,
        string method,
        CancellationToken cancellationToken,
        Func<UserAccount, TicketStep, ValueTask<TicketStepOutcome>> verify) =>
        TicketStepAsync(spanName, ticket, purpose, method, cancellationToken, verify);

    /// <summary>
    /// Every step that completes a sign-in against a ticket: the ticket must be live for <paramref name="purpose"/> when
    /// read and again at the acceptance write (which spends it, so a ticket completes at most one sign-in), and the
    /// verifier's outcome is answered through <see cref="SignInOutcomes.FromSecondFactorAsync"/> — one mapping, one set of
    /// events, for the second factor and the forced setup alike. Traced as the span <paramref name="spanName"/>.
    /// </summary>
    private async ValueTask<SignInResult> TicketStepAsync(
        string spanName,
        string? ticket,
        SignInTicketPurpose purpose,
        string method,
        CancellationToken cancellationToken,
        Func<UserAccount, TicketStep, ValueTask<TicketStepOutcome>> verify)
    {
        using var span = AccountSecurityActivitySource.Start(spanName);
        return span.Outcome(await TicketStepCoreAsync(ticket, purpose, method, cancellationToken, verify).ConfigureAwait(false));
    }

    private async ValueTask<SignInResult> TicketStepCoreAsync(
        string? ticket,
        SignInTicketPurpose purpose,
        string method,
        CancellationToken cancellationToken,
        Func<UserAccount, TicketStep, ValueTask<TicketStepOutcome>> verify)
    {
        if (!_outcomes.TryParseTicket(ticket, out var userId, out var ticketHash))
        {
            return SignInOutcomes.Failed(SecurityErrorCodes.InvalidTicket);
        }

        var user = await _users.FindByIdAsync(userId, cancellationToken).ConfigureAwait(false);
        bool Live(UserAccount u) => SignInTickets.Matches(u, ticketHash, purpose, _time.GetUtcNow()) && StepApplies(u, purpose);
        if (user is null || !Live(user))
        {
            return await _outcomes.FailedAsync(user, SecurityErrorCodes.InvalidTicket, AuthenticationFactor.SecondFactor, cancellationToken).ConfigureAwait(false);
        }

        var device = DeviceClaim.FromTicket(SignInTickets.Find(user, ticketHash, purpose, _time.GetUtcNow()));
        var step = new TicketStep(Live, u => SignInTickets.Spend(u, ticketHash), device);
        var outcome = await verify(user, step).ConfigureAwait(false);
        return outcome.Answer ?? await _outcomes.FromSecondFactorAsync(user, outcome.Check, outcome.Method ?? method, cancellationToken, outcome.RecoveryCodes, device).ConfigureAwait(false);
    }

    /// <summary>A second-factor ticket needs a second factor; a setup ticket needs none yet (forced setup adds the first, never replaces one).</summary>
    private static bool StepApplies(UserAccount user, SignInTicketPurpose purpose) =>
        purpose == SignInTicketPurpose.SecondFactor ? SecondFactors.Any(user) : !SecondFactors.Any(user);
}

/// <summary>
/// What a ticket step's verification is given: <see cref="Live"/> (the ticket is still live for the step: the
/// pipeline's precondition, re-checked at the acceptance write), <see cref="Spend"/> (the acceptance write's change
/// that spends this ticket and no other) and <see cref="Device"/> (the trusted device the password step came from,
/// whose own budget counts this step's attempt; <see langword="null"/>: the account's untrusted budget).
/// </summary>
internal sealed record TicketStep(Func<UserAccount, bool> Live, Func<UserAccount, UserAccount> Spend, DeviceClaim? Device);

/// <summary>
/// What a ticket step's verification gave: the pipeline's check, the recovery codes the step issued (forced setup),
/// the method that completed it when only the verification knows it (a passkey: <c>hwk</c> or <c>swk</c>), or a
/// ready <see cref="Answer"/> when the step refused before the pipeline (a malformed response: nothing counted).
/// </summary>
internal sealed record TicketStepOutcome(FactorCheck Check, IReadOnlyList<string>? RecoveryCodes = null, string? Method = null, SignInResult? Answer = null);
