namespace AccountSecurity.EntityFrameworkCore.Model;

/// <summary>
/// One row per <see cref="Accounts.UserAccount"/>. A flat persistence shape mapped to and from the immutable domain
/// record by <see cref="EntityMapping"/>: scalar fields are columns, the small collections (and the lockout state of every factor) are JSON text.
/// </summary>
internal sealed class UserEntity
{
    public string Id { get; set; } = "";
    public string ContractId { get; set; } = "";
    public string Email { get; set; } = "";
    public string NormalizedEmail { get; set; } = "";
    public int Role { get; set; }
    public string? Culture { get; set; }
    public bool IsActive { get; set; }

    /// <summary>The account's "second factor required" policy (<see cref="Accounts.UserAccount.IsTwoFactorForced"/>); not part of the TOTP columns below.</summary>
    public bool TwoFactorForced { get; set; }

    /// <summary>The password must be changed before anything else (<see cref="Accounts.UserAccount.PasswordChangeRequired"/>).</summary>
    public bool PasswordChangeRequired { get; set; }
    public string? PasswordHash { get; set; }
    public DateTimeOffset? PasswordChangedAt { get; set; }
    public string PasswordHistory { get; set; } = "[]";
    public string SecurityStamp { get; set; } = "";

    public bool TwoFactorEnabled { get; set; }
    public string? TotpProtectedSecret { get; set; }
    public string? TotpPendingProtectedSecret { get; set; }
    public DateTimeOffset? TotpPendingCreatedAt { get; set; }
    public long? TotpLastAcceptedTimeStep { get; set; }
    public string RecoveryCodeHashes { get; set; } = "[]";
    public DateTimeOffset? TwoFactorEnabledAt { get; set; }

    public string? SupportPinHash { get; set; }
    public DateTimeOffset? SupportPinSetAt { get; set; }

    /// <summary>Every factor's failure counting, as JSON keyed by factor (one column whatever the number of factors).</summary>
    public string Lockouts { get; set; } = "[]";

    public string PasswordResetTokens { get; set; } = "[]";

    /// <summary>The user's passkeys (public material only), as JSON.</summary>
    public string Passkeys { get; set; } = "[]";

    /// <summary>The WebAuthn user handle; unique, indexed (passwordless sign-in looks the account up by it).</summary>
    public string? PasskeyUserHandle { get; set; }

    /// <summary>The pending registration and the spent assertion challenges, as JSON.</summary>
    public string PasskeyCeremonies { get; set; } = "{}";

    /// <summary>The sign-ins waiting for their second step (ticket hashes only), as JSON.</summary>
    public string PendingSignIns { get; set; } = "[]";

    /// <summary>The trusted devices (token secret hashes only) and their own failure counts, as JSON.</summary>
    public string TrustedDevices { get; set; } = "[]";

    public long Version { get; set; }
}
