using AccountSecurity.Accounts;
using AccountSecurity.Events;
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

    internal TwoFactorAdministrationService(IUserStore users, UserUpdater updater, SecurityEventPublisher events)
    {
        _users = users;
        _updater = updater;
        _events = events;
    }

    /// <summary>
    /// Sets or clears <c>forceSecAuth</c> on <paramref name="targetUserId"/>. Only an active administrator or the owner of
    /// the target's own contract may (<c>not_authorized</c> otherwise, also for the owner as a target of an administrator).
    /// Anyone allowed may force 2FA on themselves, but only the contract owner may lift it from themselves: an
    /// administrator the owner forced cannot free themselves and then switch 2FA off. A forced user without active 2FA is
    /// sent through setup at the next sign-in; forcing never enables anything.
    /// </summary>
    public async ValueTask<SecurityResult> SetForcedAsync(string actingUserId, string targetUserId, bool forced, CancellationToken cancellationToken = default)
    {
        var self = forced ? SelfAction.Allowed : SelfAction.OwnerOnly;
        var refusal = await AuthorizeAsync(actingUserId, targetUserId, self, forced ? "force_two_factor" : "unforce_two_factor", cancellationToken).ConfigureAwait(false);
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
    /// actor's id. Same authorization as <see cref="SetForcedAsync"/>, and never on oneself (use disable instead).
    /// </summary>
    public async ValueTask<SecurityResult> ResetAsync(string actingUserId, string targetUserId, CancellationToken cancellationToken = default)
    {
        var refusal = await AuthorizeAsync(actingUserId, targetUserId, SelfAction.Refused, "reset_two_factor", cancellationToken).ConfigureAwait(false);
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
                        SecondFactorLockout = FactorLockoutState.Clear,
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

    /// <summary>Whether an operation may target the acting user.</summary>
    private enum SelfAction
    {
        Allowed,
        OwnerOnly,
        Refused,
    }

    private async ValueTask<SecurityResult?> AuthorizeAsync(string actingUserId, string targetUserId, SelfAction self, string operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actingUserId);
        ArgumentNullException.ThrowIfNull(targetUserId);
        var actor = await _users.FindByIdAsync(actingUserId, cancellationToken).ConfigureAwait(false);
        var target = await _users.FindByIdAsync(targetUserId, cancellationToken).ConfigureAwait(false);
        var allowed = actor is { IsActive: true } && target is not null
            && actor.ContractId == target.ContractId
            && actor.Role is UserRole.Administrator or UserRole.ContractOwner
            && (target.Role != UserRole.ContractOwner || actor.Role == UserRole.ContractOwner)
            && (actor.Id != target.Id || self == SelfAction.Allowed || (self == SelfAction.OwnerOnly && actor.Role == UserRole.ContractOwner));
        if (allowed)
        {
            return null;
        }

        await _events.PublishAsync(SecurityEventType.AuthorizationRefused, target?.Id, target?.ContractId, cancellationToken, outcome: operation, actorId: actingUserId).ConfigureAwait(false);
        return SecurityResult.Failed(new SecurityError(SecurityErrorCodes.NotAuthorized,
            "Only an administrator or the owner of the user's own contract can do this (and only the owner can do it for the owner)."));
    }

    private static SecurityResult NotFound() => SecurityResult.Failed(new SecurityError(SecurityErrorCodes.NotFound, "The user does not exist."));
}
