using AccountSecurity.Results;
using AccountSecurity.SignIn;

namespace AccountSecurity.TwoFactor;

/// <summary>
/// The user's own two-factor management on the "Password &amp; Security" page: the setup assistant, confirmation,
/// recovery codes and switching it off. Only the user can switch 2FA on, and only by proving the new secret works.
/// </summary>
/// <remarks>
/// Setting up, switching off and new recovery codes are sensitive operations (<see cref="Reauthentication.SensitiveOperation"/>):
/// each takes its proof inline (<c>currentPassword</c>, and the current code where it says so; then only the session's
/// user id is used), or, with <c>currentPassword</c> <see langword="null"/>, accepts a session that re-authenticated
/// within the window (<c>reauthentication_required</c> otherwise, <c>not_authenticated</c> for a session that no longer
/// stands) — the way an account without a password (passkey only) manages its authenticator app.
/// </remarks>
public interface ITwoFactorService
{
    /// <summary>The user's 2FA status; <see langword="null"/> for an unknown user.</summary>
    ValueTask<TwoFactorStatus?> GetStatusAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Starts the setup assistant for the signed-in user after re-checking the current password (which counts toward the
    /// password lockout). Creates a new pending secret and returns the QR code, URI and manual key; a working factor stays
    /// untouched until <see cref="ConfirmSetupAsync"/> proves the new secret. When 2FA is already active this replaces the
    /// authenticator, so it also needs the current second factor: <paramref name="currentCode"/> is a code from the
    /// current authenticator or one of the recovery codes (which it spends), checked under the second-factor lockout and
    /// replay protection like a sign-in. Fails with <c>password_wrong_current</c>, <c>locked_out</c>, <c>not_found</c>,
    /// and with 2FA active <c>two_factor_current_code_required</c> (no code given: nothing is checked or counted) or
    /// <c>invalid_code</c>. The password alone never moves an active second factor.
    /// </summary>
    ValueTask<SecurityResult<TwoFactorSetup>> BeginSetupAsync(AuthenticatedSession session, string? currentPassword, string? currentCode = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Confirms setup with a code from the new secret: 2FA becomes active (replacing any earlier secret), the security
    /// stamp changes (ending every other session), and the result carries the new stamp, to re-issue the caller's session
    /// with, and the new recovery codes — shown once, stored only hashed. Fails with <c>two_factor_no_pending_setup</c>
    /// (none, or expired), <c>invalid_code</c> or <c>locked_out</c>.
    /// </summary>
    ValueTask<SecurityResult<TwoFactorChanged>> ConfirmSetupAsync(string userId, string? code, CancellationToken cancellationToken = default);

    /// <summary>
    /// Switches the user's own 2FA off, with the current password and the current second factor: a code from the
    /// authenticator or a recovery code, checked under the second-factor lockout and replay protection. Refused with
    /// <c>two_factor_forced</c> (before anything is checked) when an administrator forces it. Other failures:
    /// <c>two_factor_not_enabled</c>, <c>two_factor_current_code_required</c> (no code: nothing checked or counted),
    /// <c>password_wrong_current</c>, <c>invalid_code</c>, <c>locked_out</c>.
    /// On success the secret and recovery codes are deleted and the security stamp changes (ending every other session);
    /// the result carries the new stamp, to re-issue the caller's session with, and no recovery codes.
    /// </summary>
    ValueTask<SecurityResult<TwoFactorChanged>> DisableAsync(AuthenticatedSession session, string? currentPassword, string? code, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces all recovery codes with new ones after re-checking the current password and the current second factor
    /// (a code from the authenticator, or one of the recovery codes being replaced); the old codes stop working.
    /// Returns the new codes (shown once). Fails with <c>two_factor_not_enabled</c>, <c>two_factor_current_code_required</c>
    /// (no code given: nothing checked or counted), <c>password_wrong_current</c>, <c>invalid_code</c> or
    /// <c>locked_out</c>.
    /// </summary>
    ValueTask<SecurityResult<IReadOnlyList<string>>> RegenerateRecoveryCodesAsync(AuthenticatedSession session, string? currentPassword, string? currentCode, CancellationToken cancellationToken = default);
}
