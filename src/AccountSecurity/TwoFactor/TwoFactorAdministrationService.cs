using AccountSecurity.Accounts;
using AccountSecurity.Administration;
using AccountSecurity.Events;
using AccountSecurity.Lockout;
using AccountSecurity.Passwords;
using AccountSecurity.Results;
using AccountSecurity.Stores;

namespace AccountSecurity.TwoFactor;

/// <summary>The default <see cref="ITwoFactorAdministrationService"/>.</summary>
internal sealed class TwoFactorAdministrationService : ITwoFactorAdministrationService
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

    /// <inheritdoc />
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

    /// <inheritdoc />
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
