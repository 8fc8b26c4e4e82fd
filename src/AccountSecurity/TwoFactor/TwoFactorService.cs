using AccountSecurity.Accounts;
using AccountSecurity.DependencyInjection;
using AccountSecurity.Diagnostics;
using AccountSecurity.Events;
using AccountSecurity.Localization;
using AccountSecurity.Passwords;
using AccountSecurity.Reauthentication;
using AccountSecurity.Results;
using AccountSecurity.SignIn;
using AccountSecurity.Stores;
using AccountSecurity.Verification;
using Microsoft.Extensions.Options;

namespace AccountSecurity.TwoFactor;

/// <summary>A user's view of their two-factor authentication.</summary>
/// <param name="IsEnabled">2FA is active (<c>secAuthActive</c>).</param>
/// <param name="IsForced">An administrator requires it (<c>forceSecAuth</c>).</param>
/// <param name="SetupPending">A setup was started and not yet confirmed.</param>
/// <param name="RecoveryCodesLeft">Unused recovery codes.</param>
public sealed record TwoFactorStatus(bool IsEnabled, bool IsForced, bool SetupPending, int RecoveryCodesLeft);

/// <summary>The default <see cref="ITwoFactorService"/>.</summary>
internal sealed class TwoFactorService : ITwoFactorService
{
    private readonly IUserStore _users;
    private readonly PasswordVerifier _passwords;
    private readonly SecondFactorVerifier _secondFactor;
    private readonly TwoFactorEnrollment _enrollment;
    private readonly SecurityEventPublisher _events;
    private readonly TwoFactorOptions _options;
    private readonly UserUpdater _updater;
    private readonly ReauthenticationGate _reauthentication;

    internal TwoFactorService(
        IUserStore users,
        PasswordVerifier passwords,
        SecondFactorVerifier secondFactor,
        TwoFactorEnrollment enrollment,
        SecurityEventPublisher events,
        IOptions<AccountSecurityOptions> options,
        UserUpdater updater,
        ReauthenticationGate reauthentication)
    {
        _updater = updater;
        _reauthentication = reauthentication;
        _users = users;
        _passwords = passwords;
        _secondFactor = secondFactor;
        _enrollment = enrollment;
        _events = events;
        _options = options.Value.TwoFactor;
    }

    /// <inheritdoc />
    public async ValueTask<TwoFactorStatus?> GetStatusAsync(string userId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        var user = await _users.FindByIdAsync(userId, cancellationToken).ConfigureAwait(false);
        return user is null ? null : new TwoFactorStatus(user.TwoFactor.IsEnabled, user.IsTwoFactorForced, user.TwoFactor.PendingProtectedSecret is not null, user.TwoFactor.RecoveryCodeHashes.Length);
    }

    /// <inheritdoc />
    public async ValueTask<SecurityResult<TwoFactorSetup>> BeginSetupAsync(AuthenticatedSession session, string? currentPassword, string? currentCode = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        using var span = AccountSecurityActivitySource.Start(SpanNames.TwoFactorSetupBegin);
        using var context = SecurityEventContext.For(session);
        return span.Outcome(await BeginSetupCoreAsync(session, currentPassword, currentCode, cancellationToken).ConfigureAwait(false));
    }

    private async ValueTask<SecurityResult<TwoFactorSetup>> BeginSetupCoreAsync(AuthenticatedSession session, string? currentPassword, string? currentCode, CancellationToken cancellationToken)
    {
        var user = await _users.FindByIdAsync(session.UserId, cancellationToken).ConfigureAwait(false);
        if (user is null || !user.IsActive)
        {
            return SecurityResult<TwoFactorSetup>.Failed(NotFound());
        }

        var pending = _enrollment.NewPendingSecret(user);
        if (currentPassword is null)
        {
            var (fresh, _) = await ProveBySessionAsync(session, SensitiveOperation.SetUpTwoFactor, _ => true, pending.ApplyTo, cancellationToken).ConfigureAwait(false);
            return fresh.Succeeded
                ? await _enrollment.StartedAsync(user, pending, cancellationToken).ConfigureAwait(false)
                : SecurityResult<TwoFactorSetup>.From(fresh);
        }

        if (!user.TwoFactor.IsEnabled)
        {
            // Decided on the state being written: if 2FA became active meanwhile, the password alone must not add a key.
            var first = await _passwords.CheckAsync(user, currentPassword, SecurityErrorCodes.PasswordWrongCurrent, cancellationToken,
                verified => verified.TwoFactor.IsEnabled ? verified : pending.ApplyTo(verified)).ConfigureAwait(false);
            if (!first.Succeeded)
            {
                return SecurityResult<TwoFactorSetup>.From(first.Result);
            }

            return first.User!.TwoFactor.PendingProtectedSecret == pending.ProtectedSecret
                ? await _enrollment.StartedAsync(user, pending, cancellationToken).ConfigureAwait(false)
                : SecurityResult<TwoFactorSetup>.Failed(CurrentCodeRequired());
        }

        var (proven, _) = await ProveCurrentFactorAsync(user, currentPassword, currentCode, _ => true, pending.ApplyTo, cancellationToken).ConfigureAwait(false);
        return proven.Succeeded
            ? await _enrollment.StartedAsync(user, pending, cancellationToken).ConfigureAwait(false)
            : SecurityResult<TwoFactorSetup>.From(proven);
    }

    /// <inheritdoc />
    public async ValueTask<SecurityResult<TwoFactorChanged>> ConfirmSetupAsync(string userId, string? code, CancellationToken cancellationToken = default)
    {
        using var span = AccountSecurityActivitySource.Start(SpanNames.TwoFactorSetupConfirm);
        return span.Outcome(await ConfirmSetupCoreAsync(userId, code, cancellationToken).ConfigureAwait(false));
    }

    private async ValueTask<SecurityResult<TwoFactorChanged>> ConfirmSetupCoreAsync(string userId, string? code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userId);
        var user = await _users.FindByIdAsync(userId, cancellationToken).ConfigureAwait(false);
        if (user is null || !user.IsActive)
        {
            return SecurityResult<TwoFactorChanged>.Failed(NotFound());
        }

        // The stamp comes from the state the acceptance write stored, so a host re-issues its cookie without a read.
        var (codes, check) = await _enrollment.ConfirmAsync(user, code, _ => true, null, cancellationToken).ConfigureAwait(false);
        return check.IsVerified
            ? SecurityResult<TwoFactorChanged>.Success(new TwoFactorChanged(check.User!.SecurityStamp, codes))
            : SecurityResult<TwoFactorChanged>.From(ToFailure(check, NoPendingSetup()));
    }

    /// <inheritdoc />
    public async ValueTask<SecurityResult<TwoFactorChanged>> DisableAsync(AuthenticatedSession session, string? currentPassword, string? code, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        using var span = AccountSecurityActivitySource.Start(SpanNames.TwoFactorDisable);
        using var context = SecurityEventContext.For(session);
        return span.Outcome(await DisableCoreAsync(session, currentPassword, code, cancellationToken).ConfigureAwait(false));
    }

    private async ValueTask<SecurityResult<TwoFactorChanged>> DisableCoreAsync(AuthenticatedSession session, string? currentPassword, string? code, CancellationToken cancellationToken)
    {
        var user = await _users.FindByIdAsync(session.UserId, cancellationToken).ConfigureAwait(false);
        if (user is null || !user.IsActive)
        {
            return SecurityResult<TwoFactorChanged>.Failed(NotFound());
        }

        if (!SecondFactors.ForcedStillSatisfied(user, WithoutTotp))
        {
            return SecurityResult<TwoFactorChanged>.Failed(new SecurityError(SecurityErrorCodes.TwoFactorForced, UserMessages.TwoFactorForcedCannotDisable));
        }

        if (!user.TwoFactor.IsEnabled)
        {
            return SecurityResult<TwoFactorChanged>.Failed(NotEnabled());
        }

        static bool StillAllowed(UserAccount current) => SecondFactors.ForcedStillSatisfied(current, WithoutTotp);
        static UserAccount Disabled(UserAccount current) => WithoutTotp(current) with { SecurityStamp = SecurityStamp.New(), PendingSignIns = [] };
        var (result, written) = currentPassword is null
            ? await ProveBySessionAsync(session, SensitiveOperation.DisableTwoFactor, current => current.TwoFactor.IsEnabled && StillAllowed(current), Disabled, cancellationToken).ConfigureAwait(false)
            : await ProveCurrentFactorAsync(user, currentPassword, code, StillAllowed, Disabled, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            return SecurityResult<TwoFactorChanged>.From(result);
        }

        await _events.PublishAsync(SecurityEventType.TwoFactorDisabled, user.Id, user.ContractId, cancellationToken).ConfigureAwait(false);
        return SecurityResult<TwoFactorChanged>.Success(new TwoFactorChanged(written!.SecurityStamp, []));
    }

    /// <summary>
    /// The account without its authenticator app. The administrator's requirement stays: it belongs to the account, not
    /// to the app, and a forced user may drop the app only while a passkey still satisfies it.
    /// </summary>
    private static UserAccount WithoutTotp(UserAccount user) => user with { TwoFactor = TwoFactorState.None };

    /// <inheritdoc />
    public async ValueTask<SecurityResult<IReadOnlyList<string>>> RegenerateRecoveryCodesAsync(AuthenticatedSession session, string? currentPassword, string? currentCode, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        using var span = AccountSecurityActivitySource.Start(SpanNames.TwoFactorRecoveryCodesRegenerate);
        using var context = SecurityEventContext.For(session);
        return span.Outcome(await RegenerateRecoveryCodesCoreAsync(session, currentPassword, currentCode, cancellationToken).ConfigureAwait(false));
    }

    private async ValueTask<SecurityResult<IReadOnlyList<string>>> RegenerateRecoveryCodesCoreAsync(AuthenticatedSession session, string? currentPassword, string? currentCode, CancellationToken cancellationToken)
    {
        var user = await _users.FindByIdAsync(session.UserId, cancellationToken).ConfigureAwait(false);
        if (user is null || !user.IsActive)
        {
            return SecurityResult<IReadOnlyList<string>>.Failed(NotFound());
        }

        if (!user.TwoFactor.IsEnabled)
        {
            return SecurityResult<IReadOnlyList<string>>.Failed(NotEnabled());
        }

        var (codes, hashes) = RecoveryCodes.Generate(_options.RecoveryCodeCount);
        UserAccount Regenerated(UserAccount current) => current with { TwoFactor = current.TwoFactor with { RecoveryCodeHashes = hashes } };
        var (proven, _) = currentPassword is null
            ? await ProveBySessionAsync(session, SensitiveOperation.RegenerateRecoveryCodes, current => current.TwoFactor.IsEnabled, Regenerated, cancellationToken).ConfigureAwait(false)
            : await ProveCurrentFactorAsync(user, currentPassword, currentCode, _ => true, Regenerated, cancellationToken).ConfigureAwait(false);
        if (!proven.Succeeded)
        {
            return SecurityResult<IReadOnlyList<string>>.From(proven);
        }

        await _events.PublishAsync(SecurityEventType.RecoveryCodesRegenerated, user.Id, user.ContractId, cancellationToken).ConfigureAwait(false);
        return SecurityResult<IReadOnlyList<string>>.Success(codes);
    }

    /// <summary>
    /// What changing an active second factor takes: the current password (password lockout), then the current second
    /// factor through <see cref="SecondFactorVerifier"/> (its lockout and replay protection, no side path) — a TOTP
    /// code from the active secret, or a recovery code, which is spent. <paramref name="change"/> is written in the
    /// second factor's acceptance write, on fresh state that still has 2FA active with the secret that was checked and
    /// satisfies <paramref name="precondition"/>. A blank <paramref name="code"/> (<see langword="null"/>, empty or
    /// spaces) is refused as <c>two_factor_current_code_required</c> before anything is checked. On success the second
    /// value is the state that write stored (its security stamp is what the caller's session is re-issued with).
    /// </summary>
    private async ValueTask<(SecurityResult Result, UserAccount? Written)> ProveCurrentFactorAsync(
        UserAccount user,
        string? currentPassword,
        string? code,
        Func<UserAccount, bool> precondition,
        Func<UserAccount, UserAccount> change,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            return (SecurityResult.Failed(CurrentCodeRequired()), null);
        }

        var password = await _passwords.CheckAsync(user, currentPassword, SecurityErrorCodes.PasswordWrongCurrent, cancellationToken).ConfigureAwait(false);
        if (!password.Succeeded)
        {
            return (password.Result, null);
        }

        bool StillActive(UserAccount current) => current.IsActive && current.TwoFactor.IsEnabled && precondition(current);
        var check = RecoveryCodes.IsWellFormed(code)
            ? await _secondFactor.VerifyRecoveryCodeAsync(password.User!, code, StillActive, change, cancellationToken).ConfigureAwait(false)
            : await _secondFactor.VerifyTotpAsync(password.User!, code, pending: false, StillActive, change, cancellationToken).ConfigureAwait(false);

        // The precondition fails only when 2FA was switched off, forced or re-keyed meanwhile: ask to retry.
        return check.IsVerified ? (SecurityResult.Success(), check.User) : (ToFailure(check, PasswordVerifier.Busy()), null);
    }

    /// <summary>
    /// The other way to prove a change: no proof inline, and <paramref name="session"/>'s re-authentication is fresh
    /// (<see cref="ReauthenticationGate"/>). <paramref name="change"/> is then written on fresh state that is still active
    /// and satisfies <paramref name="precondition"/> (otherwise <c>concurrency_conflict</c>: it changed meanwhile, try again).
    /// On success the second value is the state written.
    /// </summary>
    private async ValueTask<(SecurityResult Result, UserAccount? Written)> ProveBySessionAsync(
        AuthenticatedSession session,
        SensitiveOperation operation,
        Func<UserAccount, bool> precondition,
        Func<UserAccount, UserAccount> change,
        CancellationToken cancellationToken)
    {
        if (await _reauthentication.RequireAsync(session, operation, cancellationToken).ConfigureAwait(false) is { } refusal)
        {
            return (SecurityResult.Failed(refusal), null);
        }

        UserAccount? written = null;
        var result = await _updater.UpdateAsync(
            session.UserId,
            current =>
            {
                if (current is not { IsActive: true } || !precondition(current))
                {
                    return UserChange.Keep(SecurityResult.Failed(PasswordVerifier.Busy()));
                }

                written = change(current);
                return UserChange.Save(written, SecurityResult.Success());
            },
            () => SecurityResult.Failed(PasswordVerifier.Busy()),
            cancellationToken).ConfigureAwait(false);
        return result.Succeeded ? (result, written) : (result, null);
    }

    private static SecurityResult ToFailure(FactorCheck check, SecurityError whenPreconditionFailed) => check switch
    {
        { IsLocked: true } => PasswordVerifier.LockedOut(check.LockedUntil!.Value),
        { Status: FactorStatus.Busy } => SecurityResult.Failed(PasswordVerifier.Busy()),
        { Status: FactorStatus.Unavailable or FactorStatus.NotFound } => SecurityResult.Failed(whenPreconditionFailed),
        _ => SecurityResult.Failed(new SecurityError(SecurityErrorCodes.InvalidCode, UserMessages.CodeInvalidEnterCurrent)),
    };

    private static SecurityError NoPendingSetup() => new(SecurityErrorCodes.TwoFactorNoPendingSetup, UserMessages.TwoFactorSetupExpired);

    private static SecurityError NotFound() => new(SecurityErrorCodes.NotFound, UserMessages.AccountMissingOrDeactivated);

    private static SecurityError CurrentCodeRequired() => new(SecurityErrorCodes.TwoFactorCurrentCodeRequired,
        UserMessages.TwoFactorActiveCodeNeeded);

    private static SecurityError NotEnabled() => new(SecurityErrorCodes.TwoFactorNotEnabled, UserMessages.TwoFactorNotActive);
}
