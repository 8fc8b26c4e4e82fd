using AccountSecurity.Accounts;
using AccountSecurity.DependencyInjection;
using AccountSecurity.Events;
using AccountSecurity.Passwords;
using AccountSecurity.Results;
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

/// <summary>
/// The user's own two-factor management on the "Password &amp; Security" page: the setup assistant, confirmation,
/// recovery codes and switching it off. Only the user can switch 2FA on, and only by proving the new secret works.
/// </summary>
public sealed class TwoFactorService
{
    private readonly IUserStore _users;
    private readonly PasswordVerifier _passwords;
    private readonly SecondFactorVerifier _secondFactor;
    private readonly TwoFactorEnrollment _enrollment;
    private readonly SecurityEventPublisher _events;
    private readonly TwoFactorOptions _options;

    internal TwoFactorService(IUserStore users, PasswordVerifier passwords, SecondFactorVerifier secondFactor, TwoFactorEnrollment enrollment, SecurityEventPublisher events, IOptions<AccountSecurityOptions> options)
    {
        _users = users;
        _passwords = passwords;
        _secondFactor = secondFactor;
        _enrollment = enrollment;
        _events = events;
        _options = options.Value.TwoFactor;
    }

    /// <summary>The user's 2FA status; <see langword="null"/> for an unknown user.</summary>
    public async ValueTask<TwoFactorStatus?> GetStatusAsync(string userId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        var user = await _users.FindByIdAsync(userId, cancellationToken).ConfigureAwait(false);
        return user is null ? null : new TwoFactorStatus(user.TwoFactor.IsEnabled, user.TwoFactor.IsForced, user.TwoFactor.PendingProtectedSecret is not null, user.TwoFactor.RecoveryCodeHashes.Length);
    }

    /// <summary>
    /// Starts the setup assistant for the signed-in user after re-checking the current password (which counts toward the
    /// password lockout). Creates a new pending secret and returns the QR code, URI and manual key; a working factor stays
    /// untouched until <see cref="ConfirmSetupAsync"/> proves the new secret. When 2FA is already active this replaces the
    /// authenticator, so it also needs the current second factor: <paramref name="currentCode"/> is a code from the
    /// current authenticator or one of the recovery codes (which it spends), checked under the second-factor lockout and
    /// replay protection like a sign-in. Fails with <c>password_wrong_current</c>, <c>locked_out</c>, <c>not_found</c>,
    /// and with 2FA active <c>two_factor_current_code_required</c> (no code given: nothing is checked or counted) or
    /// <c>two_factor_invalid_code</c>. The password alone never moves an active second factor.
    /// </summary>
    public async ValueTask<SecurityResult<TwoFactorSetup>> BeginSetupAsync(string userId, string? currentPassword, string? currentCode = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        var user = await _users.FindByIdAsync(userId, cancellationToken).ConfigureAwait(false);
        if (user is null || !user.IsActive)
        {
            return SecurityResult<TwoFactorSetup>.Failed(NotFound());
        }

        var pending = _enrollment.NewPendingSecret(user);

        if (!user.TwoFactor.IsEnabled)
        {
            // Decided on the state being written: if 2FA became active meanwhile, the password alone must not add a key.
            var first = await _passwords.CheckAsync(user, currentPassword, PasswordErrorCodes.WrongCurrent, cancellationToken,
                verified => verified.TwoFactor.IsEnabled ? verified : pending.ApplyTo(verified)).ConfigureAwait(false);
            if (!first.Succeeded)
            {
                return SecurityResult<TwoFactorSetup>.From(first.Result);
            }

            return first.User!.TwoFactor.PendingProtectedSecret == pending.ProtectedSecret
                ? await _enrollment.StartedAsync(user, pending, cancellationToken).ConfigureAwait(false)
                : SecurityResult<TwoFactorSetup>.Failed(CurrentCodeRequired());
        }

        var proven = await ProveCurrentFactorAsync(user, currentPassword, currentCode, _ => true, pending.ApplyTo, cancellationToken).ConfigureAwait(false);
        return proven.Succeeded
            ? await _enrollment.StartedAsync(user, pending, cancellationToken).ConfigureAwait(false)
            : SecurityResult<TwoFactorSetup>.From(proven);
    }

    /// <summary>
    /// Confirms setup with a code from the new secret: 2FA becomes active (replacing any earlier secret), the security
    /// stamp changes, and new recovery codes are returned — shown once, stored only hashed. Fails with
    /// <c>two_factor_no_pending_setup</c> (none, or expired), <c>two_factor_invalid_code</c> or <c>locked_out</c>.
    /// </summary>
    public async ValueTask<SecurityResult<IReadOnlyList<string>>> ConfirmSetupAsync(string userId, string? code, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        var user = await _users.FindByIdAsync(userId, cancellationToken).ConfigureAwait(false);
        if (user is null || !user.IsActive)
        {
            return SecurityResult<IReadOnlyList<string>>.Failed(NotFound());
        }

        var (codes, check) = await _enrollment.ConfirmAsync(user, code, _ => true, null, cancellationToken).ConfigureAwait(false);
        return check.IsVerified
            ? SecurityResult<IReadOnlyList<string>>.Success(codes)
            : SecurityResult<IReadOnlyList<string>>.From(ToFailure(check, NoPendingSetup()));
    }

    /// <summary>
    /// Switches the user's own 2FA off, with the current password and the current second factor: a code from the
    /// authenticator or a recovery code, checked under the second-factor lockout and replay protection. Refused with
    /// <c>two_factor_forced</c> (before anything is checked) when an administrator forces it. Other failures:
    /// <c>two_factor_not_enabled</c>, <c>two_factor_current_code_required</c> (no code: nothing checked or counted),
    /// <c>password_wrong_current</c>, <c>two_factor_invalid_code</c>, <c>locked_out</c>.
    /// On success the secret and recovery codes are deleted and the security stamp changes.
    /// </summary>
    public async ValueTask<SecurityResult> DisableAsync(string userId, string? currentPassword, string? code, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        var user = await _users.FindByIdAsync(userId, cancellationToken).ConfigureAwait(false);
        if (user is null || !user.IsActive)
        {
            return SecurityResult.Failed(NotFound());
        }

        if (user.TwoFactor.IsForced)
        {
            return SecurityResult.Failed(new SecurityError(TwoFactorErrorCodes.Forced, "Two-factor authentication is required for your account by an administrator and cannot be switched off."));
        }

        if (!user.TwoFactor.IsEnabled)
        {
            return SecurityResult.Failed(NotEnabled());
        }

        var result = await ProveCurrentFactorAsync(
            user,
            currentPassword,
            code,
            current => !current.TwoFactor.IsForced,
            current => current with { TwoFactor = TwoFactorState.None, SecurityStamp = SecurityStamp.New(), PendingSignIn = null },
            cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            return result;
        }

        await _events.PublishAsync(SecurityEventType.TwoFactorDisabled, user.Id, user.ContractId, cancellationToken).ConfigureAwait(false);
        return SecurityResult.Success();
    }

    /// <summary>
    /// Replaces all recovery codes with new ones after re-checking the current password and the current second factor
    /// (a code from the authenticator, or one of the recovery codes being replaced); the old codes stop working.
    /// Returns the new codes (shown once). Fails with <c>two_factor_not_enabled</c>, <c>two_factor_current_code_required</c>
    /// (no code given: nothing checked or counted), <c>password_wrong_current</c>, <c>two_factor_invalid_code</c> or
    /// <c>locked_out</c>.
    /// </summary>
    public async ValueTask<SecurityResult<IReadOnlyList<string>>> RegenerateRecoveryCodesAsync(string userId, string? currentPassword, string? currentCode, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        var user = await _users.FindByIdAsync(userId, cancellationToken).ConfigureAwait(false);
        if (user is null || !user.IsActive)
        {
            return SecurityResult<IReadOnlyList<string>>.Failed(NotFound());
        }

        if (!user.TwoFactor.IsEnabled)
        {
            return SecurityResult<IReadOnlyList<string>>.Failed(NotEnabled());
        }

        var (codes, hashes) = RecoveryCodes.Generate(_options.RecoveryCodeCount);
        var proven = await ProveCurrentFactorAsync(user, currentPassword, currentCode, _ => true,
            current => current with { TwoFactor = current.TwoFactor with { RecoveryCodeHashes = hashes } }, cancellationToken).ConfigureAwait(false);
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
    /// spaces) is refused as <c>two_factor_current_code_required</c> before anything is checked.
    /// </summary>
    private async ValueTask<SecurityResult> ProveCurrentFactorAsync(
        UserAccount user,
        string? currentPassword,
        string? code,
        Func<UserAccount, bool> precondition,
        Func<UserAccount, UserAccount> change,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            return SecurityResult.Failed(CurrentCodeRequired());
        }

        var password = await _passwords.CheckAsync(user, currentPassword, PasswordErrorCodes.WrongCurrent, cancellationToken).ConfigureAwait(false);
        if (!password.Succeeded)
        {
            return password.Result;
        }

        bool StillActive(UserAccount current) => current.IsActive && current.TwoFactor.IsEnabled && precondition(current);
        var check = RecoveryCodes.IsWellFormed(code)
            ? await _secondFactor.VerifyRecoveryCodeAsync(password.User!, code, StillActive, change, cancellationToken).ConfigureAwait(false)
            : await _secondFactor.VerifyTotpAsync(password.User!, code, pending: false, StillActive, change, cancellationToken).ConfigureAwait(false);

        // The precondition fails only when 2FA was switched off, forced or re-keyed meanwhile: ask to retry.
        return check.IsVerified ? SecurityResult.Success() : ToFailure(check, PasswordVerifier.Busy());
    }

    private static SecurityResult ToFailure(FactorCheck check, SecurityError whenPreconditionFailed) => check switch
    {
        { IsLocked: true } => PasswordVerifier.LockedOut(check.LockedUntil!.Value),
        { Status: FactorStatus.Busy } => SecurityResult.Failed(PasswordVerifier.Busy()),
        { Status: FactorStatus.Unavailable or FactorStatus.NotFound } => SecurityResult.Failed(whenPreconditionFailed),
        _ => SecurityResult.Failed(new SecurityError(TwoFactorErrorCodes.InvalidCode, "The code is not valid. Enter the current code from your authenticator app.")),
    };

    private static SecurityError NoPendingSetup() => new(TwoFactorErrorCodes.NoPendingSetup, "Start the setup again: no setup is waiting for confirmation, or it expired.");

    private static SecurityError NotFound() => new(SecurityErrorCodes.NotFound, "The account does not exist or is deactivated.");

    private static SecurityError CurrentCodeRequired() => new(TwoFactorErrorCodes.CurrentCodeRequired,
        "Two-factor authentication is active: enter a code from your current authenticator app (or a recovery code) to change it.");

    private static SecurityError NotEnabled() => new(TwoFactorErrorCodes.NotEnabled, "Two-factor authentication is not active for this account.");
}
