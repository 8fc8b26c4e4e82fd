using AccountSecurity.Accounts;
using AccountSecurity.Results;
using AccountSecurity.Stores;
using AccountSecurity.TwoFactor;

namespace AccountSecurity.SignIn;

/// <summary>
/// Forced setup during sign-in, for a user on whom an administrator forced 2FA: the sign-in ticket stands in for the
/// password just checked. A sign-in flow, so it lives here and calls two-factor's setup pieces, never the other way.
/// </summary>
public sealed partial class SignInService
{
    /// <summary>
    /// Starts setup for a user whom sign-in sent to setup (forced 2FA): the ticket from
    /// <see cref="SignInStatus.TwoFactorSetupRequired"/> stands in for the password just checked. Returns the QR code,
    /// URI and manual key (the secret stays pending until <see cref="TwoFactorSetupSignInAsync"/> confirms it). Fails
    /// with <c>invalid_ticket</c> for a ticket that is unknown, malformed, expired, for another step, or whose user
    /// has 2FA active meanwhile; never touches an active factor and never throws for hostile input.
    /// </summary>
    public async ValueTask<SecurityResult<TwoFactorSetup>> BeginTwoFactorSetupAsync(string? ticket, CancellationToken cancellationToken = default)
    {
        if (!SignInTickets.TryParse(ticket, out var userId, out var ticketHash))
        {
            return SecurityResult<TwoFactorSetup>.Failed(ExpiredSignIn());
        }

        bool Live(UserAccount u) => SignInTickets.Matches(u, ticketHash, SignInTicketPurpose.TwoFactorSetup, _time.GetUtcNow()) && StepApplies(u, SignInTicketPurpose.TwoFactorSetup);
        var user = await _users.FindByIdAsync(userId, cancellationToken).ConfigureAwait(false);
        if (user is null || !Live(user))
        {
            return SecurityResult<TwoFactorSetup>.Failed(ExpiredSignIn());
        }

        var pending = _enrollment.NewPendingSecret(user);
        var stored = await _updater.UpdateAsync(
            user.Id,
            current => current is not null && Live(current) ? UserChange<bool>.Save(pending.ApplyTo(current), true) : UserChange<bool>.Keep(false),
            () => false,
            cancellationToken).ConfigureAwait(false);
        return stored
            ? await _enrollment.StartedAsync(user, pending, cancellationToken).ConfigureAwait(false)
            : SecurityResult<TwoFactorSetup>.Failed(ExpiredSignIn());
    }

    /// <summary>
    /// Completes a forced setup that <see cref="BeginTwoFactorSetupAsync"/> started: confirms the code from the new
    /// secret (2FA becomes active, the stamp changes) and completes the sign-in — a session with <c>pwd</c>, <c>otp</c>
    /// and <c>mfa</c>, plus the recovery codes to show once. The ticket is spent in the same write. Fails as
    /// <see cref="SecondFactorSignInAsync"/> does, with the same codes and events: <c>invalid_ticket</c> (also when no
    /// setup was started or it expired), <c>invalid_code</c>, <c>code_replayed</c>, <c>locked_out</c>; every failure
    /// is a failed sign-in. Never logs the code.
    /// </summary>
    public ValueTask<SignInResult> TwoFactorSetupSignInAsync(string? ticket, string? code, CancellationToken cancellationToken = default) =>
        TicketStepAsync(ticket, SignInTicketPurpose.TwoFactorSetup, AuthenticationMethods.Otp, cancellationToken, async (user, live) =>
        {
            var (codes, check) = await _enrollment.ConfirmAsync(user, code, live, SignInTickets.Spend, cancellationToken).ConfigureAwait(false);
            return (check, codes);
        });

    private static SecurityError ExpiredSignIn() => new(SignInErrorCodes.InvalidTicket, "The sign-in has expired. Sign in again.");
}
