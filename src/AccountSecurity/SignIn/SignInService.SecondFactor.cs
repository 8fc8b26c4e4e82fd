using AccountSecurity.Accounts;
using AccountSecurity.Events;
using AccountSecurity.Lockout;
using AccountSecurity.TwoFactor;

namespace AccountSecurity.SignIn;

public sealed partial class SignInService
{
    /// <summary>
    /// The second step with a TOTP code from the authenticator app. Fails with <c>invalid_ticket</c> (unknown, expired,
    /// used, or the stamp changed), <c>invalid_code</c>, <c>code_replayed</c> (that code was already accepted), or locks
    /// the second factor after repeated failures — a lock the password step does not reset. On success the ticket is
    /// spent and the session carries <c>otp</c> and <c>mfa</c>.
    /// </summary>
    public ValueTask<SignInResult> SecondFactorSignInAsync(string? ticket, string? code, CancellationToken cancellationToken = default) =>
        SecondStepAsync(ticket, cancellationToken, AuthenticationMethods.Otp, (user, precondition, spend) =>
            _secondFactor.VerifyTotpAsync(user, code, pending: false, precondition, spend, cancellationToken));

    /// <summary>
    /// The second step with a one-time recovery code instead of a TOTP code (lost or unavailable device). The code is
    /// spent; the same failures as <see cref="SecondFactorSignInAsync"/> apply. The session carries <c>rec</c> and <c>mfa</c>.
    /// </summary>
    public ValueTask<SignInResult> RecoveryCodeSignInAsync(string? ticket, string? recoveryCode, CancellationToken cancellationToken = default) =>
        SecondStepAsync(ticket, cancellationToken, AuthenticationMethods.RecoveryCode, (user, precondition, spend) =>
            _secondFactor.VerifyRecoveryCodeAsync(user, recoveryCode, precondition, spend, cancellationToken));

    private async ValueTask<SignInResult> SecondStepAsync(
        string? ticket,
        CancellationToken cancellationToken,
        string method,
        Func<UserAccount, Func<UserAccount, bool>, Func<UserAccount, UserAccount>, ValueTask<SecondFactorCheck>> verify)
    {
        if (!SignInTickets.TryParse(ticket, out var userId, out var ticketHash))
        {
            return Failed(SignInErrorCodes.InvalidTicket);
        }

        var user = await _users.FindByIdAsync(userId, cancellationToken).ConfigureAwait(false);
        bool Live(UserAccount u) => SignInTickets.Matches(u, ticketHash, SignInTicketPurpose.SecondFactor, _time.GetUtcNow()) && u.TwoFactor.IsEnabled;
        if (user is null || !Live(user))
        {
            await _events.PublishAsync(SecurityEventType.SignInFailed, user?.Id, user?.ContractId, cancellationToken, outcome: SignInErrorCodes.InvalidTicket, factor: AuthenticationFactor.SecondFactor).ConfigureAwait(false);
            return Failed(SignInErrorCodes.InvalidTicket);
        }

        // Spending the ticket is part of the acceptance write, so a ticket completes at most one sign-in.
        var check = await verify(user, Live, u => u with { PendingSignIn = null }).ConfigureAwait(false);
        switch (check.Status)
        {
            case SecondFactorStatus.Verified:
                return await CompletedAsync(check.User!, [AuthenticationMethods.Password, method, AuthenticationMethods.MultiFactor], cancellationToken).ConfigureAwait(false);
            case SecondFactorStatus.LockedOut:
                await _events.PublishAsync(SecurityEventType.SignInFailed, user.Id, user.ContractId, cancellationToken, outcome: Results.SecurityErrorCodes.LockedOut, factor: AuthenticationFactor.SecondFactor).ConfigureAwait(false);
                return new SignInResult { Status = SignInStatus.LockedOut, LockedOutUntil = check.LockedUntil, ErrorCode = Results.SecurityErrorCodes.LockedOut };
            default:
                var code = check.Status switch
                {
                    SecondFactorStatus.Replayed => SignInErrorCodes.CodeReplayed,
                    SecondFactorStatus.PreconditionFailed => SignInErrorCodes.InvalidTicket,
                    SecondFactorStatus.Busy => Results.SecurityErrorCodes.ConcurrencyConflict,
                    _ => SignInErrorCodes.InvalidCode,
                };
                await _events.PublishAsync(SecurityEventType.SignInFailed, user.Id, user.ContractId, cancellationToken, outcome: code, factor: AuthenticationFactor.SecondFactor).ConfigureAwait(false);
                return Failed(code);
        }
    }
}
