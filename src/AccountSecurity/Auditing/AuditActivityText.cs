using System.Globalization;
using AccountSecurity.Events;
using AccountSecurity.Lockout;
using AccountSecurity.Sessions;

namespace AccountSecurity.Auditing;

/// <summary>
/// Audit records in plain English words, for a "Recent security activity" list and an administrator's activity page:
/// <see cref="Describe"/> gives <c>Signed in with password and authenticator app, Firefox on Windows, 10:42</c>. The
/// words come from typed fields only (event type, sign-in methods, factor, outcome code, the session's device label),
/// so they carry nothing a user typed but the device label the host recorded, and never a secret. English only for now;
/// a host that needs another language maps <see cref="AuditRecord.EventType"/> itself.
/// </summary>
public static class AuditActivityText
{
    /// <summary>
    /// What happened, the device (when known) and the time: <c>Signed in with password and authenticator app, Firefox on
    /// Windows, 10:42</c>. The time is <see cref="AuditRecord.OccurredAt"/> in <paramref name="timeZone"/> (UTC when
    /// <see langword="null"/>) as hours and minutes; with <paramref name="includeDate"/> the date comes first
    /// (<c>2026-12-07 10:42</c>). The client address is never included (personal data; show it where it is needed).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is <see langword="null"/>.</exception>
    public static string Describe(AuditRecord record, TimeZoneInfo? timeZone = null, bool includeDate = false)
    {
        ArgumentNullException.ThrowIfNull(record);
        var local = TimeZoneInfo.ConvertTime(record.OccurredAt, timeZone ?? TimeZoneInfo.Utc);
        var time = local.ToString(includeDate ? "yyyy-MM-dd HH:mm" : "HH:mm", CultureInfo.InvariantCulture);
        return string.IsNullOrWhiteSpace(record.DeviceLabel)
            ? $"{What(record)}, {time}"
            : $"{What(record)}, {record.DeviceLabel}, {time}";
    }

    /// <summary>What happened, as a short sentence without a full stop: <c>Signed in with password and authenticator app</c>, <c>Two-factor authentication required by an administrator</c>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is <see langword="null"/>.</exception>
    public static string What(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.EventType switch
        {
            SecurityEventType.SignInSucceeded or SecurityEventType.SessionStarted => Methods(record.SignInMethods) is { } methods ? "Signed in with " + methods : "Signed in",
            SecurityEventType.SignInFailed => record.Factor == AuthenticationFactor.SecondFactor ? "Sign-in failed: wrong authenticator code" : "Sign-in failed",
            SecurityEventType.LockedOut => "Sign-in locked after too many failed attempts",
            SecurityEventType.TrustedDeviceLockedOut => "A known device was locked after too many failed attempts",
            SecurityEventType.PasswordChanged => "Changed the password",
            SecurityEventType.PasswordChangeFailed => "Password change refused",
            SecurityEventType.PasswordResetRequested => "Password reset requested",
            SecurityEventType.PasswordResetCompleted => "Password reset with an e-mailed link",
            SecurityEventType.PasswordResetFailed => "Password reset link refused",
            SecurityEventType.PasswordRehashed => "Password storage upgraded",
            SecurityEventType.PasswordPolicyChanged => "Password policy changed",
            SecurityEventType.UserCreated => "Account created",
            SecurityEventType.TwoFactorSetupStarted => "Started setting up the authenticator app",
            SecurityEventType.TwoFactorEnabled => "Turned on two-factor authentication",
            SecurityEventType.TwoFactorDisabled => "Turned off two-factor authentication",
            SecurityEventType.TwoFactorForced => "Two-factor authentication required by an administrator",
            SecurityEventType.TwoFactorUnforced => "Two-factor authentication no longer required by an administrator",
            SecurityEventType.TwoFactorReset => "Two-factor authentication reset by an administrator",
            SecurityEventType.RecoveryCodeUsed => "Used a recovery code",
            SecurityEventType.RecoveryCodesRegenerated => "Created new recovery codes",
            SecurityEventType.SecondFactorFailed => "Wrong authenticator code",
            SecurityEventType.ReplayRejected => "An authenticator code used before was refused",
            SecurityEventType.AuthorizationRefused => "An action was refused: not allowed",
            SecurityEventType.SupportPinSet => "Set a support PIN",
            SecurityEventType.SupportPinChanged => "Changed the support PIN",
            SecurityEventType.SupportPinRemoved => "Removed the support PIN",
            SecurityEventType.SupportPinVerified => "Support checked the support PIN: correct",
            SecurityEventType.SupportPinVerificationFailed => "Support checked the support PIN: wrong",
            SecurityEventType.SupportPinChangeFailed => "Support PIN change refused",
            SecurityEventType.SupportPinVerificationRefused => "A support PIN check was refused",
            SecurityEventType.SupportPinLockoutCleared => "Support PIN lock cleared by an administrator",
            SecurityEventType.UserDeactivated => "Account deactivated",
            SecurityEventType.UserReactivated => "Account reactivated",
            SecurityEventType.EmailChanged => "E-mail address changed",
            SecurityEventType.EmailChangeFailed => "E-mail address change refused",
            SecurityEventType.RoleChanged => "Role changed",
            SecurityEventType.ContractOwnershipTransferred => "Contract ownership transferred",
            SecurityEventType.PasskeyAdded => "Added a passkey",
            SecurityEventType.PasskeyRemoved => "Removed a passkey",
            SecurityEventType.PasskeyRegistrationFailed => "Adding a passkey failed",
            SecurityEventType.PasskeyCounterRegressed => "A passkey that may have been copied was refused",
            SecurityEventType.PasskeySignInPolicyChanged => "Passkey sign-in setting changed",
            SecurityEventType.UserInvited => "Invitation sent",
            SecurityEventType.InvitationAccepted => "Invitation accepted",
            SecurityEventType.InvitationFailed => "Invitation link refused",
            SecurityEventType.Registered => "Registered",
            SecurityEventType.SessionEnded => record.Outcome switch
            {
                SessionEndReasons.SignedOut => "Signed out",
                SessionEndReasons.EndedByUser => "Signed out of other sessions",
                SessionEndReasons.EndedByAdministrator => "Signed out by an administrator",
                SessionEndReasons.SessionLimit => "Oldest session signed out (too many sessions)",
                SessionEndReasons.Deactivated => "Signed out: account deactivated",
                SessionEndReasons.CredentialsChanged => "Other sessions signed out after a security change",
                _ => "Signed out",
            },
            SecurityEventType.SessionPolicyChanged => "Session policy changed",
            SecurityEventType.Reauthenticated => "Confirmed it's you",
            SecurityEventType.ReauthenticationFailed => "Confirming it's you failed",
            SecurityEventType.AuditRetentionChanged => "Security activity retention changed",
            SecurityEventType.AuditTrailExported => "Security activity exported",
            _ => "Security event",
        };
    }

    /// <summary>The methods in words: <c>password and authenticator app</c>; <see langword="null"/> for none.</summary>
    private static string? Methods(AuditSignInMethods methods)
    {
        var words = new List<string>(3);
        if (methods.HasFlag(AuditSignInMethods.Password))
        {
            words.Add("password");
        }

        if (methods.HasFlag(AuditSignInMethods.AuthenticatorApp))
        {
            words.Add("authenticator app");
        }

        if (methods.HasFlag(AuditSignInMethods.RecoveryCode))
        {
            words.Add("recovery code");
        }

        if (methods.HasFlag(AuditSignInMethods.Passkey))
        {
            words.Add("passkey");
        }

        return words.Count == 0 ? null : string.Join(" and ", words);
    }
}
