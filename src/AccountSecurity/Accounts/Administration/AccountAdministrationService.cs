using AccountSecurity.Events;
using AccountSecurity.Localization;
using AccountSecurity.Passwords;
using AccountSecurity.Reauthentication;
using AccountSecurity.Results;
using AccountSecurity.SignIn;
using AccountSecurity.Stores;

namespace AccountSecurity.Accounts.Administration;

/// <summary>The default <see cref="IAccountAdministrationService"/>.</summary>
internal sealed partial class AccountAdministrationService : IAccountAdministrationService
{
    private readonly Sessions.ISessionStore? _sessions;
    private readonly IUserStore _users;
    private readonly IContractStore _contracts;
    private readonly UserUpdater _updater;
    private readonly PasswordVerifier _verifier;
    private readonly SecurityEventPublisher _events;
    private readonly TimeProvider _time;
    private readonly ReauthenticationGate _reauthentication;
    private readonly Notifications.SecurityNotifications? _notifications;

    internal AccountAdministrationService(IUserStore users, IContractStore contracts, UserUpdater updater, PasswordVerifier verifier, SecurityEventPublisher events, TimeProvider time, ReauthenticationGate reauthentication, Sessions.ISessionStore? sessions = null, Notifications.SecurityNotifications? notifications = null)
    {
        _notifications = notifications;
        _reauthentication = reauthentication;
        _sessions = sessions;
        _users = users;
        _contracts = contracts;
        _updater = updater;
        _verifier = verifier;
        _events = events;
        _time = time;
    }

    /// <inheritdoc />
    public async ValueTask<SecurityResult<UserSummary>> GetUserAsync(string actingUserId, string userId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actingUserId);
        ArgumentNullException.ThrowIfNull(userId);
        var actor = await _users.FindByIdAsync(actingUserId, cancellationToken).ConfigureAwait(false);
        if (actor is null || !actor.IsActive || (actor.Id != userId && !PeerRule.Manages(actor)))
        {
            return SecurityResult<UserSummary>.Failed(NotAuthorized());
        }

        var target = actor.Id == userId ? actor : await _users.FindByIdAsync(userId, cancellationToken).ConfigureAwait(false);
        return target is not null && PeerRule.MayRead(actor, target)
            ? SecurityResult<UserSummary>.Success(UserSummary.From(target, _time.GetUtcNow()))
            : SecurityResult<UserSummary>.Failed(new SecurityError(SecurityErrorCodes.NotFound, UserMessages.UserNotInContract));
    }

    /// <inheritdoc />
    public async ValueTask<SecurityResult<string>> GetContractNameAsync(string actingUserId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actingUserId);
        var actor = await _users.FindByIdAsync(actingUserId, cancellationToken).ConfigureAwait(false);
        if (actor is null || !actor.IsActive)
        {
            return SecurityResult<string>.Failed(NotAuthorized());
        }

        var contract = await _contracts.FindByIdAsync(actor.ContractId, cancellationToken).ConfigureAwait(false);
        return contract is null
            ? SecurityResult<string>.Failed(new SecurityError(SecurityErrorCodes.NotFound, UserMessages.ContractGone))
            : SecurityResult<string>.Success(contract.Name);
    }

    /// <inheritdoc />
    public async ValueTask<SecurityResult<IReadOnlyList<UserSummary>>> ListUsersAsync(string actingUserId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actingUserId);
        var actor = await _users.FindByIdAsync(actingUserId, cancellationToken).ConfigureAwait(false);
        if (actor is null || !PeerRule.Manages(actor))
        {
            return SecurityResult<IReadOnlyList<UserSummary>>.Failed(NotAuthorized());
        }

        var now = _time.GetUtcNow();
        var users = await _users.ListByContractAsync(actor.ContractId, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<UserSummary> summaries = [.. users
            .Where(u => string.Equals(u.ContractId, actor.ContractId, StringComparison.Ordinal))
            .OrderBy(u => u.Email, StringComparer.OrdinalIgnoreCase)
            .ThenBy(u => u.Id, StringComparer.Ordinal)
            .Select(u => UserSummary.From(u, now))];
        return SecurityResult<IReadOnlyList<UserSummary>>.Success(summaries);
    }

    /// <inheritdoc />
    public ValueTask<SecurityResult<UserSummary>> DeactivateAsync(AuthenticatedSession actor, string userId, CancellationToken cancellationToken = default) =>
        SetActiveAsync(actor, userId, active: false, cancellationToken);

    /// <inheritdoc />
    public ValueTask<SecurityResult<UserSummary>> ReactivateAsync(AuthenticatedSession actor, string userId, CancellationToken cancellationToken = default) =>
        SetActiveAsync(actor, userId, active: true, cancellationToken);

    private async ValueTask<SecurityResult<UserSummary>> SetActiveAsync(AuthenticatedSession actorSession, string userId, bool active, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actorSession);
        using var context = SecurityEventContext.For(actorSession);
        var operation = active ? "reactivate_user" : "deactivate_user";
        var (actor, target) = await AuthorizeLoweringAsync(actorSession.UserId, userId, operation, cancellationToken).ConfigureAwait(false);
        if (actor is null || target is null)
        {
            return SecurityResult<UserSummary>.Failed(NotAuthorized());
        }

        if (await _reauthentication.RequireAsync(actorSession, active ? SensitiveOperation.ReactivateUser : SensitiveOperation.DeactivateUser, cancellationToken).ConfigureAwait(false) is { } stale)
        {
            return SecurityResult<UserSummary>.Failed(stale);
        }

        var (result, changed) = await _updater.UpdateAsync<(SecurityResult<UserSummary>, bool)>(
            userId,
            current =>
            {
                // Decided again on what is stored now: a plain user promoted meanwhile is no longer the administrator's.
                if (current is null || !PeerRule.MayLower(actor, current))
                {
                    return UserChange.Keep((SecurityResult<UserSummary>.Failed(NotAuthorized()), false));
                }

                if (current.IsActive == active)
                {
                    return UserChange.Keep((SecurityResult<UserSummary>.Success(UserSummary.From(current, _time.GetUtcNow())), false));
                }

                var next = active
                    ? current with { IsActive = true }
                    : current with { IsActive = false, SecurityStamp = SecurityStamp.New(), PendingSignIns = [] };
                return UserChange.Save(next, (SecurityResult<UserSummary>.Success(UserSummary.From(next, _time.GetUtcNow())), true));
            },
            () => (SecurityResult<UserSummary>.Failed(PasswordVerifier.Busy()), false),
            cancellationToken).ConfigureAwait(false);

        if (changed)
        {
            await _events.PublishAsync(active ? SecurityEventType.UserReactivated : SecurityEventType.UserDeactivated, target.Id, target.ContractId, cancellationToken, actorId: actor.Id).ConfigureAwait(false);

            // The new stamp already refuses every session of the user; ending them on the server too (ASVS V7.4.2) keeps
            // the registry truthful, so no list shows a session that cannot be used.
            if (!active && _sessions is not null
                && await _sessions.EndAllAsync(target.Id, null, _time.GetUtcNow(), Sessions.SessionEndReasons.Deactivated, cancellationToken).ConfigureAwait(false) > 0)
            {
                await _events.PublishAsync(SecurityEventType.SessionEnded, target.Id, target.ContractId, cancellationToken, outcome: Sessions.SessionEndReasons.Deactivated, actorId: actor.Id).ConfigureAwait(false);
            }
        }

        return result;
    }

    /// <inheritdoc />
    public async ValueTask<SecurityResult<AccountChanged>> ChangeEmailAsync(
        AuthenticatedSession actor,
        string userId,
        string? newEmail,
        string? currentPassword,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        using var context = SecurityEventContext.For(actor);
        return await ChangeEmailCoreAsync(actor, userId, newEmail, currentPassword, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<SecurityResult<AccountChanged>> ChangeEmailCoreAsync(
        AuthenticatedSession actorSession,
        string userId,
        string? newEmail,
        string? currentPassword,
        CancellationToken cancellationToken)
    {
        var actingUserId = actorSession.UserId;
        ArgumentNullException.ThrowIfNull(userId);
        var self = string.Equals(actingUserId, userId, StringComparison.Ordinal);
        UserAccount? actor;
        UserAccount? target;
        if (self)
        {
            actor = target = await _users.FindByIdAsync(userId, cancellationToken).ConfigureAwait(false);
            if (target is null || !target.IsActive)
            {
                return SecurityResult<AccountChanged>.Failed(new SecurityError(SecurityErrorCodes.NotFound, UserMessages.AccountMissingOrDeactivated));
            }
        }
        else
        {
            (actor, target) = await AuthorizeLoweringAsync(actingUserId, userId, "change_email", cancellationToken).ConfigureAwait(false);
            if (actor is null || target is null)
            {
                return SecurityResult<AccountChanged>.Failed(NotAuthorized());
            }

            if (await _reauthentication.RequireAsync(actorSession, SensitiveOperation.ChangeEmail, cancellationToken).ConfigureAwait(false) is { } stale)
            {
                return SecurityResult<AccountChanged>.Failed(stale);
            }
        }

        if (!EmailAddress.IsPlausible(newEmail))
        {
            return await RefusedEmailAsync(target, self, new SecurityError(SecurityErrorCodes.InvalidInput, UserMessages.EmailInvalid), cancellationToken).ConfigureAwait(false);
        }

        if (self && currentPassword is null)
        {
            // Before any answer about other addresses, as the password below: only a freshly re-authenticated session learns whether an address is taken.
            if (await _reauthentication.RequireAsync(actorSession, SensitiveOperation.ChangeEmail, cancellationToken).ConfigureAwait(false) is { } stale)
            {
                return SecurityResult<AccountChanged>.Failed(stale);
            }
        }
        else if (self)
        {
            // Before any answer about other addresses: whether an address is taken is for someone who knows the password.
            var check = await _verifier.CheckAsync(target, currentPassword, SecurityErrorCodes.PasswordWrongCurrent, cancellationToken).ConfigureAwait(false);
            if (!check.Succeeded)
            {
                await _events.PublishAsync(SecurityEventType.EmailChangeFailed, target.Id, target.ContractId, cancellationToken, outcome: check.Result.Errors[0].Code, actorId: actingUserId).ConfigureAwait(false);
                return SecurityResult<AccountChanged>.From(check.Result);
            }

            actor = target = check.User!;
        }

        var email = newEmail!.Trim();
        if (string.Equals(email, target.Email, StringComparison.Ordinal))
        {
            return SecurityResult<AccountChanged>.Success(new AccountChanged(UserSummary.From(target, _time.GetUtcNow()), null));
        }

        var refusal = await NewAddressRefusalAsync(target, email, cancellationToken).ConfigureAwait(false);
        if (refusal is not null)
        {
            return await RefusedEmailAsync(target, self, refusal, cancellationToken).ConfigureAwait(false);
        }

        var verifiedHash = target.PasswordHash;
        var acting = self ? target : actor ?? target;
        var result = await _updater.UpdateAsync(
            userId,
            current =>
            {
                if (current is null || (self ? !current.IsActive || current.PasswordHash != verifiedHash : !PeerRule.MayLower(acting, current)))
                {
                    // Self: the password we checked changed, or the account was deactivated. Other: the peer rule no longer holds.
                    return UserChange.Keep(SecurityResult<AccountChanged>.Failed(self ? PasswordVerifier.Busy() : NotAuthorized()));
                }

                var stamp = SecurityStamp.New();
                var next = current with { Email = email, SecurityStamp = stamp, PasswordResetTokens = [], PendingSignIns = [] };
                return UserChange.Save(next, SecurityResult<AccountChanged>.Success(new AccountChanged(UserSummary.From(next, _time.GetUtcNow()), self ? stamp : null)));
            },
            () => SecurityResult<AccountChanged>.Failed(PasswordVerifier.Busy()),
            cancellationToken).ConfigureAwait(false);

        if (!result.Succeeded && result.HasError(SecurityErrorCodes.ConcurrencyConflict))
        {
            // The store refuses a taken address on update; UserUpdater cannot tell that from a conflict, so ask again.
            var holder = await _users.FindByEmailAsync(email, cancellationToken).ConfigureAwait(false);
            if (holder is not null && holder.Id != target.Id)
            {
                result = SecurityResult<AccountChanged>.Failed(Taken());
            }
        }

        if (result.Succeeded)
        {
            await _events.PublishAsync(SecurityEventType.EmailChanged, target.Id, target.ContractId, cancellationToken, actorId: actingUserId).ConfigureAwait(false);

            // The old address must hear of it too (NIST SP 800-63B-4): only here is it still known.
            _notifications?.EmailChanged(target.Id, target.ContractId, target.Email, email, SecurityEventContext.SessionId, _time.GetUtcNow());
            return result;
        }

        return self ? await RefusedEmailAsync(target, self, result.Errors[0], cancellationToken).ConfigureAwait(false) : result;
    }

    /// <summary>The rules a new address passes at account creation, beyond plausibility: not a look-alike, not taken.</summary>
    private async ValueTask<SecurityError?> NewAddressRefusalAsync(UserAccount target, string email, CancellationToken cancellationToken)
    {
        if (await EmailUniqueness.LooksLikeAnotherUserAsync(_users, target.ContractId, email, target.Id, cancellationToken).ConfigureAwait(false))
        {
            return EmailUniqueness.Confusable();
        }

        var holder = await _users.FindByEmailAsync(email, cancellationToken).ConfigureAwait(false);
        return holder is not null && holder.Id != target.Id ? Taken() : null;
    }

    private async ValueTask<SecurityResult<AccountChanged>> RefusedEmailAsync(UserAccount target, bool self, SecurityError error, CancellationToken cancellationToken)
    {
        if (self)
        {
            await _events.PublishAsync(SecurityEventType.EmailChangeFailed, target.Id, target.ContractId, cancellationToken, outcome: error.Code, actorId: target.Id).ConfigureAwait(false);
        }

        return SecurityResult<AccountChanged>.Failed(error);
    }

    /// <summary>
    /// The acting user and the target when the peer rule allows lowering the target's access; otherwise (nulls) the
    /// refusal is audited. An unknown target is refused like a forbidden one.
    /// </summary>
    private async ValueTask<(UserAccount? Actor, UserAccount? Target)> AuthorizeLoweringAsync(string actingUserId, string userId, string operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actingUserId);
        ArgumentNullException.ThrowIfNull(userId);
        var actor = await _users.FindByIdAsync(actingUserId, cancellationToken).ConfigureAwait(false);
        var target = actor is null ? null : await _users.FindByIdAsync(userId, cancellationToken).ConfigureAwait(false);
        if (actor is not null && target is not null && PeerRule.MayLower(actor, target))
        {
            return (actor, target);
        }

        // The target's contract only when it is the actor's: an audit line must not tell which contract an id belongs to.
        var sameContract = target is not null && actor is not null && target.ContractId == actor.ContractId;
        await _events.PublishAsync(SecurityEventType.AuthorizationRefused, sameContract ? target!.Id : null, actor?.ContractId, cancellationToken, outcome: operation, actorId: actingUserId).ConfigureAwait(false);
        return (null, null);
    }

    private static SecurityError NotAuthorized() => new(SecurityErrorCodes.NotAuthorized,
        UserMessages.AdministrationNotAuthorized);

    private static SecurityError Taken() => new(SecurityErrorCodes.Duplicate, UserMessages.EmailTaken);
}
