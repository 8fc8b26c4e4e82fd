using AccountSecurity.Accounts;
using AccountSecurity.Diagnostics;
using AccountSecurity.Lockout;
using AccountSecurity.Verification;

namespace AccountSecurity.SignIn;

internal sealed partial class SignInService
{
    /// <inheritdoc />
    public ValueTask<SignInResult> SecondFactorSignInAsync(string? ticket, string? code, CancellationToken cancellationToken = default) =>
        TicketStepAsync(SpanNames.SignInSecondFactor, ticket, SignInTicketPurpose.SecondFactor, AuthenticationMethods.Otp, cancellationToken, async (user, live) =>
            (await _secondFactor.VerifyTotpAsync(user, code, pending: false, live, SignInTickets.Spend, cancellationToken).ConfigureAwait(false), null));

    /// <inheritdoc />
    public ValueTask<SignInResult> RecoveryCodeSignInAsync(string? ticket, string? recoveryCode, CancellationToken cancellationToken = default) =>
        TicketStepAsync(SpanNames.SignInRecoveryCode, ticket, SignInTicketPurpose.SecondFactor, AuthenticationMethods.RecoveryCode, cancellationToken, async (user, live) =>
            (await _secondFactor.VerifyRecoveryCodeAsync(user, recoveryCode, live, SignInTickets.Spend, cancellationToken).ConfigureAwait(false), null));

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
        Func<UserAccount, Func<UserAccount, bool>, ValueTask<(FactorCheck Check, IReadOnlyList<string>? RecoveryCodes)>> verify)
    {
        using var span = AccountSecurityActivitySource.Start(spanName);
        return span.Outcome(await TicketStepCoreAsync(ticket, purpose, method, cancellationToken, verify).ConfigureAwait(false));
    }

    private async ValueTask<SignInResult> TicketStepCoreAsync(
        string? ticket,
        SignInTicketPurpose purpose,
        string method,
        CancellationToken cancellationToken,
        Func<UserAccount, Func<UserAccount, bool>, ValueTask<(FactorCheck Check, IReadOnlyList<string>? RecoveryCodes)>> verify)
    {
        if (!SignInTickets.TryParse(ticket, out var userId, out var ticketHash))
        {
            return SignInOutcomes.Failed(SignInErrorCodes.InvalidTicket);
        }

        var user = await _users.FindByIdAsync(userId, cancellationToken).ConfigureAwait(false);
        bool Live(UserAccount u) => SignInTickets.Matches(u, ticketHash, purpose, _time.GetUtcNow()) && StepApplies(u, purpose);
        if (user is null || !Live(user))
        {
            return await _outcomes.FailedAsync(user, SignInErrorCodes.InvalidTicket, AuthenticationFactor.SecondFactor, cancellationToken).ConfigureAwait(false);
        }

        var (check, recoveryCodes) = await verify(user, Live).ConfigureAwait(false);
        return await _outcomes.FromSecondFactorAsync(user, check, method, cancellationToken, recoveryCodes).ConfigureAwait(false);
    }

    /// <summary>A second-factor ticket needs 2FA active; a setup ticket needs it not yet active (a factor is replaced only with itself).</summary>
    private static bool StepApplies(UserAccount user, SignInTicketPurpose purpose) =>
        purpose == SignInTicketPurpose.SecondFactor ? user.TwoFactor.IsEnabled : !user.TwoFactor.IsEnabled;
}
