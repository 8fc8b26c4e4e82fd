using AccountSecurity.Accounts;
using AccountSecurity.Administration;
using AccountSecurity.DependencyInjection;
using AccountSecurity.Events;
using AccountSecurity.Localization;
using AccountSecurity.Lockout;
using AccountSecurity.Passwords;
using AccountSecurity.Reauthentication;
using AccountSecurity.Results;
using AccountSecurity.SignIn;
using AccountSecurity.Stores;
using AccountSecurity.Verification;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AccountSecurity.SupportPin;

/// <summary>The default <see cref="ISupportPinService"/>, on <see cref="IUserStore"/> and the shared lockout.</summary>
internal sealed partial class SupportPinService : ISupportPinService
{
    private readonly IUserStore _users;
    private readonly PasswordVerifier _passwords;
    private readonly UserUpdater _updater;
    private readonly FactorVerification _pipeline;
    private readonly ISupportPinHasher _hasher;
    private readonly ISupportAgentAuthorizer _agents;
    private readonly SecurityEventPublisher _events;
    private readonly TimeProvider _time;
    private readonly SupportPinOptions _options;
    private readonly ILogger<SupportPinService> _logger;
    private readonly PeerAuthority _peers;
    private readonly ReauthenticationGate _reauthentication;

    internal SupportPinService(
        IUserStore users,
        PasswordVerifier passwords,
        UserUpdater updater,
        FactorVerification pipeline,
        ISupportPinHasher hasher,
        ISupportAgentAuthorizer agents,
        SecurityEventPublisher events,
        TimeProvider time,
        IOptions<AccountSecurityOptions> options,
        ILogger<SupportPinService> logger,
        ReauthenticationGate reauthentication)
    {
        _users = users;
        _passwords = passwords;
        _updater = updater;
        _pipeline = pipeline;
        _hasher = hasher;
        _agents = agents;
        _events = events;
        _time = time;
        _options = options.Value.SupportPin;
        _logger = logger;
        _reauthentication = reauthentication;
        _peers = new PeerAuthority(users, events, reauthentication);
    }

    /// <inheritdoc />
    public async ValueTask<SecurityResult<SupportPinStatus>> SetPinAsync(
        AuthenticatedSession session,
        string? currentPassword,
        string? newPin,
        string? newPinRepeated,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        using var context = SecurityEventContext.For(session);
        var user = await _users.FindByIdAsync(session.UserId, cancellationToken).ConfigureAwait(false);
        if (user is null || !user.IsActive)
        {
            return SecurityResult<SupportPinStatus>.Failed(NotFound());
        }

        var errors = SupportPinRules.Validate(newPin, _options);
        if (!string.Equals(newPin, newPinRepeated, StringComparison.Ordinal))
        {
            errors.Add(new SecurityError(SecurityErrorCodes.SupportPinMismatch, UserMessages.SupportPinMismatch));
        }

        if (errors.Count > 0)
        {
            await ChangeFailedAsync(user, errors[0].Code, cancellationToken).ConfigureAwait(false);
            return SecurityResult<SupportPinStatus>.Failed(errors);
        }

        var passwordChecked = false;
        if ((user.SupportPinHash is not null || _options.RequirePasswordForFirstPin) && currentPassword is null)
        {
            if (await _reauthentication.RequireAsync(session, SensitiveOperation.SetSupportPin, cancellationToken).ConfigureAwait(false) is { } refusal)
            {
                await ChangeFailedAsync(user, refusal.Code, cancellationToken).ConfigureAwait(false);
                return SecurityResult<SupportPinStatus>.Failed(refusal);
            }

            passwordChecked = true; // proven by the session's fresh re-authentication
        }
        else if (user.SupportPinHash is not null || _options.RequirePasswordForFirstPin)
        {
            var check = await _passwords.CheckAsync(user, currentPassword, SecurityErrorCodes.PasswordWrongCurrent, cancellationToken).ConfigureAwait(false);
            if (!check.Succeeded)
            {
                await ChangeFailedAsync(user, check.Result.Errors[0].Code, cancellationToken).ConfigureAwait(false);
                return SecurityResult<SupportPinStatus>.From(check.Result);
            }

            user = check.User!;
            passwordChecked = true;
        }

        // Hash outside the retry loop: bcrypt is slow and the decision below must stay a quick pure function.
        var hashed = await _pipeline.Hashing.RunAsync(() => _hasher.Hash(newPin!), cancellationToken).ConfigureAwait(false);
        if (!hashed.Ran)
        {
            return SecurityResult<SupportPinStatus>.Failed(Passwords.Hashing.HashingLimiter.BusyError(hashed.RetryAfter));
        }

        var hash = hashed.Value!;
        var now = _time.GetUtcNow();
        var (result, replaced) = await _updater.UpdateAsync<(SecurityResult<SupportPinStatus>, bool)>(
            user.Id,
            current =>
            {
                if (current is null || !current.IsActive)
                {
                    return UserChange.Keep((SecurityResult<SupportPinStatus>.Failed(NotFound()), false));
                }

                // A PIN appeared meanwhile and we skipped the password because there was none: changing needs it.
                if (current.SupportPinHash is not null && !passwordChecked)
                {
                    return UserChange.Keep((SecurityResult<SupportPinStatus>.Failed(PasswordVerifier.Busy()), false));
                }

                var next = current with
                {
                    SupportPinHash = hash,
                    SupportPinSetAt = now,
                    Lockouts = current.Lockouts.With(AuthenticationFactor.SupportPin, Reopened(current.Lockouts[AuthenticationFactor.SupportPin])),
                };
                return UserChange.Save(
                    next,
                    (SecurityResult<SupportPinStatus>.Success(new SupportPinStatus(true, now, null)), current.SupportPinHash is not null));
            },
            () => (SecurityResult<SupportPinStatus>.Failed(PasswordVerifier.Busy()), false),
            cancellationToken,
            user).ConfigureAwait(false);

        if (!result.Succeeded)
        {
            await ChangeFailedAsync(user, result.Errors[0].Code, cancellationToken).ConfigureAwait(false);
            return result;
        }

        await _events.PublishAsync(
            replaced ? SecurityEventType.SupportPinChanged : SecurityEventType.SupportPinSet,
            user.Id,
            user.ContractId,
            cancellationToken,
            outcome: replaced ? SupportPinOutcomeCodes.Changed : SupportPinOutcomeCodes.Set,
            factor: AuthenticationFactor.SupportPin).ConfigureAwait(false);
        return result;
    }

    /// <inheritdoc />
    public async ValueTask<SecurityResult> RemovePinAsync(AuthenticatedSession session, string? currentPassword, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        using var context = SecurityEventContext.For(session);
        var user = await _users.FindByIdAsync(session.UserId, cancellationToken).ConfigureAwait(false);
        if (user is null || !user.IsActive)
        {
            return SecurityResult.Failed(NotFound());
        }

        if (user.SupportPinHash is null)
        {
            await ChangeFailedAsync(user, SecurityErrorCodes.SupportPinNotSet, cancellationToken).ConfigureAwait(false);
            return SecurityResult.Failed(NotSetError());
        }

        UserAccount proven;
        if (currentPassword is null)
        {
            if (await _reauthentication.RequireAsync(session, SensitiveOperation.RemoveSupportPin, cancellationToken).ConfigureAwait(false) is { } refusal)
            {
                await ChangeFailedAsync(user, refusal.Code, cancellationToken).ConfigureAwait(false);
                return SecurityResult.Failed(refusal);
            }

            proven = user;
        }
        else
        {
            var check = await _passwords.CheckAsync(user, currentPassword, SecurityErrorCodes.PasswordWrongCurrent, cancellationToken).ConfigureAwait(false);
            if (!check.Succeeded)
            {
                await ChangeFailedAsync(user, check.Result.Errors[0].Code, cancellationToken).ConfigureAwait(false);
                return check.Result;
            }

            proven = check.User!;
        }

        var result = await _updater.UpdateAsync(
            user.Id,
            current =>
            {
                if (current is null || !current.IsActive)
                {
                    return UserChange.Keep(SecurityResult.Failed(NotFound()));
                }

                if (current.SupportPinHash is null)
                {
                    return UserChange.Keep(SecurityResult.Failed(NotSetError()));
                }

                var next = current with
                {
                    SupportPinHash = null,
                    SupportPinSetAt = null,
                    Lockouts = current.Lockouts.With(AuthenticationFactor.SupportPin, Reopened(current.Lockouts[AuthenticationFactor.SupportPin])),
                };
                return UserChange.Save(next, SecurityResult.Success());
            },
            () => SecurityResult.Failed(PasswordVerifier.Busy()),
            cancellationToken,
            proven).ConfigureAwait(false);

        if (!result.Succeeded)
        {
            await ChangeFailedAsync(user, result.Errors[0].Code, cancellationToken).ConfigureAwait(false);
            return result;
        }

        await _events.PublishAsync(SecurityEventType.SupportPinRemoved, user.Id, user.ContractId, cancellationToken, outcome: SupportPinOutcomeCodes.Removed, factor: AuthenticationFactor.SupportPin).ConfigureAwait(false);
        return result;
    }

    /// <inheritdoc />
    public async ValueTask<SecurityResult<SupportPinStatus>> GetStatusAsync(string userId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        var user = await _users.FindByIdAsync(userId, cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            return SecurityResult<SupportPinStatus>.Failed(NotFound());
        }

        var isSet = user.SupportPinHash is not null;
        var pinLockout = user.Lockouts[AuthenticationFactor.SupportPin];
        var lockedUntil = pinLockout.IsLockedAt(_time.GetUtcNow()) ? pinLockout.LockoutEnd : null;
        return SecurityResult<SupportPinStatus>.Success(new SupportPinStatus(isSet, isSet ? user.SupportPinSetAt : null, lockedUntil));
    }

    /// <inheritdoc />
    public async ValueTask<SecurityResult> ClearLockoutAsync(AuthenticatedSession actor, string targetUserId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        using var context = SecurityEventContext.For(actor);
        var actingUserId = actor.UserId;
        var refusal = await _peers.AuthorizeSensitiveAsync(actor, targetUserId, PeerChange.Lower, "clear_support_pin_lockout", SensitiveOperation.ClearSupportPinLockout, cancellationToken).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        var result = await _updater.UpdateAsync(
            targetUserId,
            user =>
            {
                if (user is null)
                {
                    return UserChange.Keep(SecurityResult.Failed(NotFound()));
                }

                var state = FactorLockout.Get(user, AuthenticationFactor.SupportPin);
                return state.FailedCount == 0 && state.LockoutEnd is null
                    ? UserChange.Keep(SecurityResult.Success())
                    : UserChange.Save(FactorLockout.With(user, AuthenticationFactor.SupportPin, Reopened(state)), SecurityResult.Success());
            },
            () => SecurityResult.Failed(PasswordVerifier.Busy()),
            cancellationToken).ConfigureAwait(false);

        if (result.Succeeded)
        {
            var target = await _users.FindByIdAsync(targetUserId, cancellationToken).ConfigureAwait(false);
            await _events.PublishAsync(SecurityEventType.SupportPinLockoutCleared, targetUserId, target?.ContractId, cancellationToken, actorId: actingUserId, factor: AuthenticationFactor.SupportPin).ConfigureAwait(false);
        }

        return result;
    }

    /// <inheritdoc />
    public SecurityResult ValidateNewPin(string? pin)
    {
        var errors = SupportPinRules.Validate(pin, _options);
        return errors.Count == 0 ? SecurityResult.Success() : SecurityResult.Failed(errors);
    }

    private ValueTask ChangeFailedAsync(UserAccount user, string code, CancellationToken cancellationToken) =>
        _events.PublishAsync(SecurityEventType.SupportPinChangeFailed, user.Id, user.ContractId, cancellationToken, outcome: code, factor: AuthenticationFactor.SupportPin);

    /// <summary>A new or removed PIN ends the old PIN's failure count and lock; the number of locks in a row stays, so a next lock still grows.</summary>
    private static FactorLockoutState Reopened(FactorLockoutState state) => new(0, null, state.LockoutCount);

    private static SecurityError NotFound() => new(SecurityErrorCodes.NotFound, UserMessages.AccountMissingOrDeactivated);

    private static SecurityError NotSetError() => new(SecurityErrorCodes.SupportPinNotSet, UserMessages.SupportPinNotSet);

}
