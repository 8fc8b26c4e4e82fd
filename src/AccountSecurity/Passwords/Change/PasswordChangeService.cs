using AccountSecurity.Accounts;
using AccountSecurity.Diagnostics;
using AccountSecurity.Events;
using AccountSecurity.Localization;
using AccountSecurity.Passwords.Hashing;
using AccountSecurity.Reauthentication;
using AccountSecurity.Results;
using AccountSecurity.SignIn;
using AccountSecurity.Stores;

namespace AccountSecurity.Passwords.Change;

/// <summary>The default <see cref="IPasswordChangeService"/>.</summary>
internal sealed class PasswordChangeService : IPasswordChangeService
{
    private readonly IUserStore _users;
    private readonly PasswordVerifier _verifier;
    private readonly NewPasswordRules _rules;
    private readonly IPasswordHasher _hasher;
    private readonly UserUpdater _updater;
    private readonly SecurityEventPublisher _events;
    private readonly TimeProvider _time;
    private readonly ReauthenticationGate _reauthentication;

    internal PasswordChangeService(
        IUserStore users,
        PasswordVerifier verifier,
        NewPasswordRules rules,
        IPasswordHasher hasher,
        UserUpdater updater,
        SecurityEventPublisher events,
        TimeProvider time,
        ReauthenticationGate reauthentication)
    {
        _reauthentication = reauthentication;
        _users = users;
        _verifier = verifier;
        _rules = rules;
        _hasher = hasher;
        _updater = updater;
        _events = events;
        _time = time;
    }

    /// <inheritdoc />
    public async ValueTask<SecurityResult<PasswordChanged>> ChangePasswordAsync(
        AuthenticatedSession session,
        string? currentPassword,
        string? newPassword,
        string? newPasswordRepeated,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        using var span = AccountSecurityActivitySource.Start(SpanNames.PasswordChange);
        using var context = SecurityEventContext.For(session);
        return span.Outcome(await ChangePasswordCoreAsync(session, currentPassword, newPassword, newPasswordRepeated, cancellationToken).ConfigureAwait(false));
    }

    private async ValueTask<SecurityResult<PasswordChanged>> ChangePasswordCoreAsync(
        AuthenticatedSession session,
        string? currentPassword,
        string? newPassword,
        string? newPasswordRepeated,
        CancellationToken cancellationToken)
    {
        var user = await _users.FindByIdAsync(session.UserId, cancellationToken).ConfigureAwait(false);
        if (user is null || !user.IsActive)
        {
            return SecurityResult<PasswordChanged>.Failed(new SecurityError(SecurityErrorCodes.NotFound, UserMessages.AccountMissingOrDeactivated));
        }

        if (currentPassword is null)
        {
            // No proof inline: the session's re-authentication must be fresh. This is also how an account without a
            // password (a passkey-only one) sets its first.
            if (await _reauthentication.RequireAsync(session, SensitiveOperation.ChangePassword, cancellationToken).ConfigureAwait(false) is { } refusal)
            {
                return SecurityResult<PasswordChanged>.Failed(refusal);
            }
        }
        else
        {
            var check = await _verifier.CheckAsync(user, currentPassword, SecurityErrorCodes.PasswordWrongCurrent, cancellationToken).ConfigureAwait(false);
            if (!check.Succeeded)
            {
                await _events.PublishAsync(SecurityEventType.PasswordChangeFailed, user.Id, user.ContractId, cancellationToken, outcome: check.Result.Errors[0].Code).ConfigureAwait(false);
                return SecurityResult<PasswordChanged>.From(check.Result);
            }

            user = check.User!;
        }

        var (errors, policy) = await _rules.CheckAsync(user, newPassword, newPasswordRepeated, currentPassword, cancellationToken).ConfigureAwait(false);
        if (errors.Count > 0)
        {
            await _events.PublishAsync(SecurityEventType.PasswordChangeFailed, user.Id, user.ContractId, cancellationToken, outcome: errors[0].Code).ConfigureAwait(false);
            return SecurityResult<PasswordChanged>.Failed(errors);
        }

        var hash = await _verifier.Hashing.HashAsync(() => _hasher.Hash(newPassword), cancellationToken).ConfigureAwait(false);
        if (!hash.Succeeded)
        {
            return SecurityResult<PasswordChanged>.From(hash);
        }

        var verifiedHash = user.PasswordHash;
        var result = await _updater.UpdateAsync(
            user.Id,
            current =>
            {
                if (current is null || current.PasswordHash != verifiedHash)
                {
                    // Someone else changed the password meanwhile; the current password we checked is stale.
                    return UserChange.Keep(SecurityResult<PasswordChanged>.Failed(PasswordVerifier.Busy()));
                }

                var now = _time.GetUtcNow();
                var stamp = SecurityStamp.New();
                var next = current with
                {
                    PasswordHash = hash.Value,
                    PasswordHistory = PasswordHistory.After(current, policy),
                    PasswordChangedAt = now,
                    PasswordChangeRequired = false,
                    SecurityStamp = stamp,
                    PasswordResetTokens = [],
                };
                return UserChange.Save(next, SecurityResult<PasswordChanged>.Success(new PasswordChanged(current.Id, stamp, now)));
            },
            () => SecurityResult<PasswordChanged>.Failed(PasswordVerifier.Busy()),
            cancellationToken).ConfigureAwait(false);

        await _events.PublishResultAsync(result, SecurityEventType.PasswordChanged, SecurityEventType.PasswordChangeFailed, user, cancellationToken).ConfigureAwait(false);
        return result;
    }
}
