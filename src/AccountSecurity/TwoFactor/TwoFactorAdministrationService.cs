using AccountSecurity.Accounts;
using AccountSecurity.Administration;
using AccountSecurity.Events;
using AccountSecurity.Localization;
using AccountSecurity.Lockout;
using AccountSecurity.Passwords;
using AccountSecurity.Reauthentication;
using AccountSecurity.Results;
using AccountSecurity.SignIn;
using AccountSecurity.Stores;

namespace AccountSecurity.TwoFactor;

/// <summary>The default <see cref="ITwoFactorAdministrationService"/>.</summary>
internal sealed class TwoFactorAdministrationService : ITwoFactorAdministrationService
{
    private readonly UserUpdater _updater;
    private readonly SecurityEventPublisher _events;
    private readonly PeerAuthority _peers;

    internal TwoFactorAdministrationService(IUserStore users, UserUpdater updater, SecurityEventPublisher events, ReauthenticationGate reauthentication)
    {
        _updater = updater;
        _events = events;
        _peers = new PeerAuthority(users, events, reauthentication);
    }

    /// <inheritdoc />
    public async ValueTask<SecurityResult> SetForcedAsync(AuthenticatedSession actor, string targetUserId, bool forced, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        using var context = SecurityEventContext.For(actor);
        var actingUserId = actor.UserId;
        var refusal = await _peers.AuthorizeSensitiveAsync(
            actor,
            targetUserId,
            forced ? PeerChange.Raise : PeerChange.Lower,
            forced ? "force_two_factor" : "unforce_two_factor",
            SensitiveOperation.ForceTwoFactor,
            cancellationToken).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        return await ChangeTargetAsync(
            actingUserId,
            targetUserId,
            user => user.IsTwoFactorForced == forced
                ? UserChange.Keep(SecurityResult.Success())
                : UserChange.Save(user with { IsTwoFactorForced = forced }, SecurityResult.Success()),
            forced ? SecurityEventType.TwoFactorForced : SecurityEventType.TwoFactorUnforced,
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<SecurityResult> ResetAsync(AuthenticatedSession actor, string targetUserId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        using var context = SecurityEventContext.For(actor);
        var actingUserId = actor.UserId;
        var refusal = await _peers.AuthorizeSensitiveAsync(actor, targetUserId, PeerChange.Lower, "reset_two_factor", SensitiveOperation.ResetTwoFactor, cancellationToken, selfAllowed: false).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        return await ChangeTargetAsync(
            actingUserId,
            targetUserId,
            user => UserChange.Save(
                user with
                {
                    // A lost device takes every second factor with it: the authenticator app and all passkeys.
                    TwoFactor = TwoFactorState.None, // IsTwoFactorForced, the account's requirement, stays
                    Passkeys = [],
                    PendingPasskeyRegistration = null,
                    PasskeyUserHandle = null, // a new handle at the next registration: the lost device's answers name no account
                    SpentPasskeyChallenges = [],
                    SecurityStamp = SecurityStamp.New(),
                    PendingSignIns = [],
                    Lockouts = user.Lockouts.With(AuthenticationFactor.SecondFactor, FactorLockoutState.Clear),
                },
                SecurityResult.Success()),
            SecurityEventType.TwoFactorReset,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Applies an authorized change to the target through the one read-modify-write loop, and on success publishes
    /// <paramref name="eventType"/> with the acting user as the actor. An unknown target is <c>not_found</c>.
    /// </summary>
    private async ValueTask<SecurityResult> ChangeTargetAsync(
        string actingUserId,
        string targetUserId,
        Func<UserAccount, RecordChange<UserAccount, SecurityResult>> change,
        SecurityEventType eventType,
        CancellationToken cancellationToken)
    {
        string? contractId = null;
        var result = await _updater.UpdateAsync(
            targetUserId,
            user =>
            {
                contractId = user?.ContractId;
                return user is null ? UserChange.Keep(NotFound()) : change(user);
            },
            () => SecurityResult.Failed(PasswordVerifier.Busy()),
            cancellationToken).ConfigureAwait(false);

        if (result.Succeeded)
        {
            await _events.PublishAsync(eventType, targetUserId, contractId, cancellationToken, actorId: actingUserId).ConfigureAwait(false);
        }

        return result;
    }

    private static SecurityResult NotFound() => SecurityResult.Failed(new SecurityError(SecurityErrorCodes.NotFound, UserMessages.UserNotFound));
}
