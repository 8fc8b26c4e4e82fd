using AccountSecurity.Accounts;
using AccountSecurity.Administration;
using AccountSecurity.Events;
using AccountSecurity.Lockout;
using AccountSecurity.Passwords;
using AccountSecurity.Results;
using AccountSecurity.Stores;

namespace AccountSecurity.TwoFactor;

/// <summary>
/// What an administrator or the contract owner may do about another user's two-factor authentication on the
/// "Users &amp; Groups" page: force it, stop forcing it, or reset it after a lost device. No operation here (or
/// anywhere) lets anyone but the user switch 2FA on.
/// </summary>
public sealed class TwoFactorAdministrationService
{
    private readonly IUserStore _users;
    private readonly UserUpdater _updater;
    private readonly SecurityEventPublisher _events;
    private readonly PeerAuthority _peers;

    internal TwoFactorAdministrationService(IUserStore users, UserUpdater updater, SecurityEventPublisher events)
    {
        _users = users;
        _updater = updater;
        _events = events;
        _peers = new PeerAuthority(users, events);
    }

    /// <summary>
    /// Sets or clears <c>forceSecAuth</c> on <paramref name="targetUserId"/>, under <see cref="PeerRules"/>
    /// (<c>not_authorized</c> otherwise, audited as <see cref="SecurityEventType.AuthorizationRefused"/>). Forcing raises
    /// security: an active administrator or the owner of the target's own contract may, for anyone but the owner (whom only
    /// the owner may force), themselves included. Lifting it lowers security: the owner may for anyone in the contract
    /// (themselves included), an administrator only for a plain user, so an administrator the owner forced cannot free
    /// themselves or another administrator and then switch 2FA off. A forced user without active 2FA is sent through
    /// setup at the next sign-in; forcing never enables anything.
    /// </summary>
    public async ValueTask<SecurityResult> SetForcedAsync(string actingUserId, string targetUserId, bool forced, CancellationToken cancellationToken = default)
    {
        var refusal = await _peers.AuthorizeAsync(
            actingUserId,
            targetUserId,
            forced ? PeerChange.Raise : PeerChange.Lower,
            forced ? "force_two_factor" : "unforce_two_factor",
            cancellationToken).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        var result = await _updater.UpdateAsync(
            targetUserId,
            user => user is null
                ? UserChange<SecurityResult>.Keep(NotFound())
                : user.TwoFactor.IsForced == forced
                    ? UserChange<SecurityResult>.Keep(SecurityResult.Success())
                    : UserChange<SecurityResult>.Save(user with { TwoFactor = user.TwoFactor with { IsForced = forced } }, SecurityResult.Success()),
            () => SecurityResult.Failed(PasswordVerifier.Busy()),
            cancellationToken).ConfigureAwait(false);

        if (result.Succeeded)
        {
            var target = await _users.FindByIdAsync(targetUserId, cancellationToken).ConfigureAwait(false);
            await _events.PublishAsync(forced ? SecurityEventType.TwoFactorForced : SecurityEventType.TwoFactorUnforced, targetUserId, target?.ContractId, cancellationToken, actorId: actingUserId).ConfigureAwait(false);
        }

        return result;
    }

    /// <summary>
    /// Resets <paramref name="targetUserId"/>'s two-factor authentication after a lost device: the secret, a pending
    /// setup and the recovery codes are removed, 2FA is inactive, and the security stamp changes (every session ends).
    /// <c>forceSecAuth</c> stays as it was, so a forced user must set 2FA up again at the next sign-in. Audited with the
    /// actor's id. It lowers security, so <see cref="PeerRules.CanLowerSecurityOf"/> applies: the owner for anyone in the
    /// contract, an administrator only for a plain user (<c>not_authorized</c> otherwise, audited); never on oneself
    /// (use disable instead).
    /// </summary>
    public async ValueTask<SecurityResult> ResetAsync(string actingUserId, string targetUserId, CancellationToken cancellationToken = default)
    {
        var refusal = await _peers.AuthorizeAsync(actingUserId, targetUserId, PeerChange.Lower, "reset_two_factor", cancellationToken, selfAllowed: false).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        var result = await _updater.UpdateAsync(
            targetUserId,
            user => user is null
                ? UserChange<SecurityResult>.Keep(NotFound())
                : UserChange<SecurityResult>.Save(
                    user with
                    {
                        TwoFactor = TwoFactorState.None with { IsForced = user.TwoFactor.IsForced },
                        SecurityStamp = SecurityStamp.New(),
                        PendingSignIn = null,
                        Lockouts = user.Lockouts.With(AuthenticationFactor.SecondFactor, FactorLockoutState.Clear),
                    },
                    SecurityResult.Success()),
            () => SecurityResult.Failed(PasswordVerifier.Busy()),
            cancellationToken).ConfigureAwait(false);

        if (result.Succeeded)
        {
            var target = await _users.FindByIdAsync(targetUserId, cancellationToken).ConfigureAwait(false);
            await _events.PublishAsync(SecurityEventType.TwoFactorReset, targetUserId, target?.ContractId, cancellationToken, actorId: actingUserId).ConfigureAwait(false);
        }

        return result;
    }

    private static SecurityResult NotFound() => SecurityResult.Failed(new SecurityError(SecurityErrorCodes.NotFound, "The user does not exist."));
}
