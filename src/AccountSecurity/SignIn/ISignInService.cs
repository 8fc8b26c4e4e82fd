using AccountSecurity.Results;
using AccountSecurity.TwoFactor;

namespace AccountSecurity.SignIn;

/// <summary>
/// Sign-in: the password step, then (when two-factor authentication is active) a TOTP or recovery code against a
/// short-lived single-use ticket, or the forced two-factor setup that completes the sign-in; and the check that a session
/// is still valid. Sign-in calls down to two-factor authentication and the stores; nothing there calls back up.
/// </summary>
public interface ISignInService
{
    /// <summary>
    /// The password step. Returns <see cref="SignInStatus.Succeeded"/> (no 2FA), <see cref="SignInStatus.SecondFactorRequired"/>
    /// or <see cref="SignInStatus.TwoFactorSetupRequired"/> (with a ticket), <see cref="SignInStatus.LockedOut"/> (with its end), or
    /// <see cref="SignInStatus.Failed"/> with <c>invalid_credentials</c> — the same answer, after about the same time (a dummy
    /// hash is verified), for an unknown e-mail, a wrong password and an inactive user. Never logs the password.
    /// </summary>
    ValueTask<SignInResult> PasswordSignInAsync(string? email, string? password, CancellationToken cancellationToken = default);

    /// <summary>
    /// The password step from a device that may have signed in before: <paramref name="deviceToken"/> is the
    /// <see cref="SignInResult.DeviceToken"/> that device was given at its last completed sign-in (or <see langword="null"/>).
    /// A valid token for this account counts the attempt (and the second step's) in that device's own failure budget, so
    /// a lock that strangers' failures put on the account does not keep the device out; a missing, malformed, expired,
    /// foreign or revoked token is simply untrusted: the account's shared budget counts it, with the same answers as
    /// <see cref="PasswordSignInAsync(string?, string?, CancellationToken)"/>. A completed sign-in returns a new token
    /// for the device. Never logs the password or the token.
    /// </summary>
    ValueTask<SignInResult> PasswordSignInAsync(string? email, string? password, string? deviceToken, CancellationToken cancellationToken = default);

    /// <summary>
    /// Whether <paramref name="session"/> is still valid: the user exists, is active, and its security stamp is unchanged
    /// (a password change or reset, a 2FA change or an administrator's 2FA reset ends every older session).
    /// </summary>
    ValueTask<bool> ValidateSessionAsync(AuthenticatedSession session, CancellationToken cancellationToken = default);

    /// <summary>
    /// The per-request check of <paramref name="session"/> in the same single read of the user as
    /// <see cref="ValidateSessionAsync"/>: <see cref="SessionStatus.Invalid"/> where that answers <see langword="false"/>;
    /// otherwise <see cref="SessionStatus.TwoFactorSetupRequired"/> when an administrator forced two-factor authentication
    /// on the user, who has no second factor yet (an open session of such a user must go through the setup first, as
    /// its next sign-in would), else <see cref="SessionStatus.Valid"/>. Forcing changes no stamp, so it ends no session.
    /// </summary>
    ValueTask<SessionStatus> GetSessionStatusAsync(AuthenticatedSession session, CancellationToken cancellationToken = default);

    /// <summary>
    /// The second step with a TOTP code from the authenticator app. Fails with <c>invalid_ticket</c> (unknown, expired,
    /// used, or the stamp changed), <c>invalid_code</c>, <c>code_replayed</c> (that code was already accepted), or locks
    /// the second factor after repeated failures — a lock the password step does not reset. On success the ticket is
    /// spent and the session carries <c>otp</c> and <c>mfa</c>.
    /// </summary>
    ValueTask<SignInResult> SecondFactorSignInAsync(string? ticket, string? code, CancellationToken cancellationToken = default);

    /// <summary>
    /// The second step with a one-time recovery code instead of a TOTP code (lost or unavailable device). The code is
    /// spent; the same failures as <see cref="SecondFactorSignInAsync"/> apply. The session carries <c>rec</c> and <c>mfa</c>.
    /// </summary>
    ValueTask<SignInResult> RecoveryCodeSignInAsync(string? ticket, string? recoveryCode, CancellationToken cancellationToken = default);

    /// <summary>
    /// Starts setup for a user whom sign-in sent to setup (forced 2FA): the ticket from
    /// <see cref="SignInStatus.TwoFactorSetupRequired"/> stands in for the password just checked. Returns the QR code,
    /// URI and manual key (the secret stays pending until <see cref="TwoFactorSetupSignInAsync"/> confirms it). Fails
    /// with <c>invalid_ticket</c> for a ticket that is unknown, malformed, expired, for another step, or whose user
    /// has 2FA active meanwhile; never touches an active factor and never throws for hostile input.
    /// </summary>
    ValueTask<SecurityResult<TwoFactorSetup>> BeginTwoFactorSetupAsync(string? ticket, CancellationToken cancellationToken = default);

    /// <summary>
    /// Completes a forced setup that <see cref="BeginTwoFactorSetupAsync"/> started: confirms the code from the new
    /// secret (2FA becomes active, the stamp changes) and completes the sign-in — a session with <c>pwd</c>, <c>otp</c>
    /// and <c>mfa</c>, plus the recovery codes to show once. The ticket is spent in the same write. Fails as
    /// <see cref="SecondFactorSignInAsync"/> does, with the same codes and events: <c>invalid_ticket</c> (also when no
    /// setup was started or it expired), <c>invalid_code</c>, <c>code_replayed</c>, <c>locked_out</c>; every failure
    /// is a failed sign-in. Never logs the code.
    /// </summary>
    ValueTask<SignInResult> TwoFactorSetupSignInAsync(string? ticket, string? code, CancellationToken cancellationToken = default);
}
