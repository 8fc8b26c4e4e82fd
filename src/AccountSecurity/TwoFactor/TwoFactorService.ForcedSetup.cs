using AccountSecurity.Accounts;
using AccountSecurity.Results;
using AccountSecurity.SignIn;
using AccountSecurity.Stores;

namespace AccountSecurity.TwoFactor;

/// <summary>Setup during sign-in, for a user on whom an administrator forced 2FA: the sign-in ticket stands in for the password.</summary>
public sealed partial class TwoFactorService
{
    /// <summary>
    /// Starts setup for a user whom sign-in sent to setup (forced 2FA): the ticket from
    /// <see cref="SignInStatus.TwoFactorSetupRequired"/> stands in for the password just checked. Fails with <c>invalid_ticket</c>.
    /// </summary>
    public async ValueTask<SecurityResult<TwoFactorSetup>> BeginSetupWithTicketAsync(string? ticket, CancellationToken cancellationToken = default)
    {
        var user = await UserForSetupTicketAsync(ticket, cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            return SecurityResult<TwoFactorSetup>.Failed(InvalidTicket());
        }

        var (protectedSecret, base32) = _secrets.Create(user.Id);
        var now = _time.GetUtcNow();
        SignInTickets.TryParse(ticket, out _, out var ticketHash);
        var stored = await _updater.UpdateAsync(
            user.Id,
            // Never over an active factor: the ticket stands in for the password only, and a factor is replaced only with itself.
            current => current is not null && !current.TwoFactor.IsEnabled && SignInTickets.Matches(current, ticketHash, SignInTicketPurpose.TwoFactorSetup, now)
                ? UserChange<bool>.Save(current with { TwoFactor = current.TwoFactor with { PendingProtectedSecret = protectedSecret, PendingCreatedAt = now } }, true)
                : UserChange<bool>.Keep(false),
            () => false,
            cancellationToken).ConfigureAwait(false);
        return stored
            ? await SetupStartedAsync(user, base32, cancellationToken).ConfigureAwait(false)
            : SecurityResult<TwoFactorSetup>.Failed(InvalidTicket());
    }

    /// <summary>
    /// Completes a forced setup that sign-in started: confirms the code as <see cref="ConfirmSetupAsync"/> does and
    /// completes the sign-in (session with <c>otp</c> and <c>mfa</c>, plus the recovery codes to show once).
    /// </summary>
    public async ValueTask<SignInResult> CompleteSetupSignInAsync(string? ticket, string? code, CancellationToken cancellationToken = default)
    {
        var user = await UserForSetupTicketAsync(ticket, cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            return new SignInResult { Status = SignInStatus.Failed, ErrorCode = SignInErrorCodes.InvalidTicket };
        }

        SignInTickets.TryParse(ticket, out _, out var ticketHash);
        var (codes, check) = await ConfirmAsync(
            user,
            code,
            current => !current.TwoFactor.IsEnabled && SignInTickets.Matches(current, ticketHash, SignInTicketPurpose.TwoFactorSetup, _time.GetUtcNow()),
            current => current with { PendingSignIn = null },
            cancellationToken).ConfigureAwait(false);
        return check.Status switch
        {
            SecondFactorStatus.Verified => await _signIn.CompletedAsync(check.User!, [AuthenticationMethods.Password, AuthenticationMethods.Otp, AuthenticationMethods.MultiFactor], cancellationToken, codes).ConfigureAwait(false),
            SecondFactorStatus.LockedOut => new SignInResult { Status = SignInStatus.LockedOut, LockedOutUntil = check.LockedUntil, ErrorCode = SecurityErrorCodes.LockedOut },
            SecondFactorStatus.PreconditionFailed => new SignInResult { Status = SignInStatus.Failed, ErrorCode = SignInErrorCodes.InvalidTicket },
            _ => new SignInResult { Status = SignInStatus.Failed, ErrorCode = SignInErrorCodes.InvalidCode },
        };
    }

    private async ValueTask<UserAccount?> UserForSetupTicketAsync(string? ticket, CancellationToken cancellationToken)
    {
        if (!SignInTickets.TryParse(ticket, out var userId, out var ticketHash))
        {
            return null;
        }

        var user = await _users.FindByIdAsync(userId, cancellationToken).ConfigureAwait(false);
        return user is not null && !user.TwoFactor.IsEnabled && SignInTickets.Matches(user, ticketHash, SignInTicketPurpose.TwoFactorSetup, _time.GetUtcNow()) ? user : null;
    }
}
