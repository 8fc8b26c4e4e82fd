using AccountSecurity.Administration;
using AccountSecurity.Events;
using AccountSecurity.Results;

namespace AccountSecurity.TwoFactor;

/// <summary>
/// What an administrator or the contract owner may do about another user's two-factor authentication on the
/// "Users &amp; Groups" page: force it, stop forcing it, or reset it after a lost device. No operation here (or
/// anywhere) lets anyone but the user switch 2FA on.
/// </summary>
/// <remarks>
/// Both are sensitive operations (<see cref="Reauthentication.SensitiveOperation"/>): after authorization, the acting
/// session must have re-authenticated within the window (<c>reauthentication_required</c>; <c>not_authenticated</c> for
/// a session that no longer stands).
/// </remarks>
public interface ITwoFactorAdministrationService
{
    /// <summary>
    /// Sets or clears <c>forceSecAuth</c> on <paramref name="targetUserId"/>, under <see cref="PeerRules"/>
    /// (<c>not_authorized</c> otherwise, audited as <see cref="SecurityEventType.AuthorizationRefused"/>). Forcing raises
    /// security: an active administrator or the owner of the target's own contract may, for anyone but the owner (whom only
    /// the owner may force), themselves included. Lifting it lowers security: the owner may for anyone in the contract
    /// (themselves included), an administrator only for a plain user, so an administrator the owner forced cannot free
    /// themselves or another administrator and then switch 2FA off. A forced user without active 2FA is sent through
    /// setup at the next sign-in; forcing never enables anything.
    /// </summary>
    ValueTask<SecurityResult> SetForcedAsync(SignIn.AuthenticatedSession actor, string targetUserId, bool forced, CancellationToken cancellationToken = default);

    /// <summary>
    /// Resets <paramref name="targetUserId"/>'s two-factor authentication after a lost device: the secret, a pending
    /// setup and the recovery codes are removed, 2FA is inactive, and the security stamp changes (every session ends).
    /// <c>forceSecAuth</c> stays as it was, so a forced user must set 2FA up again at the next sign-in. Audited with the
    /// actor's id. It lowers security, so <see cref="PeerRules.CanLowerSecurityOf"/> applies: the owner for anyone in the
    /// contract, an administrator only for a plain user (<c>not_authorized</c> otherwise, audited); never on oneself
    /// (use disable instead).
    /// </summary>
    ValueTask<SecurityResult> ResetAsync(SignIn.AuthenticatedSession actor, string targetUserId, CancellationToken cancellationToken = default);
}
