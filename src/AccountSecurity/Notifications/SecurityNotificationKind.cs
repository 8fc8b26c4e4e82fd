namespace AccountSecurity.Notifications;

/// <summary>What a <see cref="SecurityNotification"/> tells the account's owner. Values are stable; new kinds are only appended.</summary>
public enum SecurityNotificationKind
{
    /// <summary>The user changed their password (event <see cref="Events.SecurityEventType.PasswordChanged"/>).</summary>
    PasswordChanged = 1,

    /// <summary>A new password was set through a reset link (event <see cref="Events.SecurityEventType.PasswordResetCompleted"/>).</summary>
    PasswordResetCompleted = 2,

    /// <summary>Two-factor authentication was turned on (event <see cref="Events.SecurityEventType.TwoFactorEnabled"/>).</summary>
    TwoFactorEnabled = 3,

    /// <summary>Two-factor authentication was turned off (event <see cref="Events.SecurityEventType.TwoFactorDisabled"/>).</summary>
    TwoFactorDisabled = 4,

    /// <summary>An administrator reset the user's two-factor authentication (event <see cref="Events.SecurityEventType.TwoFactorReset"/>).</summary>
    TwoFactorResetByAdministrator = 5,

    /// <summary>An administrator made two-factor authentication mandatory for the user (event <see cref="Events.SecurityEventType.TwoFactorForced"/>).</summary>
    TwoFactorForced = 6,

    /// <summary>New recovery codes replaced the old ones (event <see cref="Events.SecurityEventType.RecoveryCodesRegenerated"/>).</summary>
    RecoveryCodesRegenerated = 7,

    /// <summary>A recovery code was used to sign in (event <see cref="Events.SecurityEventType.RecoveryCodeUsed"/>).</summary>
    RecoveryCodeUsed = 8,

    /// <summary>
    /// Few recovery codes are left: sent with <see cref="RecoveryCodeUsed"/> when the codes left are at or below
    /// <see cref="SecurityNotificationOptions.RecoveryCodesLowThreshold"/>.
    /// </summary>
    RecoveryCodesLow = 9,

    /// <summary>A passkey was registered (event <see cref="Events.SecurityEventType.PasskeyAdded"/>).</summary>
    PasskeyAdded = 10,

    /// <summary>A passkey was removed (event <see cref="Events.SecurityEventType.PasskeyRemoved"/>).</summary>
    PasskeyRemoved = 11,

    /// <summary>A support PIN was set or changed (events <see cref="Events.SecurityEventType.SupportPinSet"/> and <see cref="Events.SecurityEventType.SupportPinChanged"/>).</summary>
    SupportPinSet = 12,

    /// <summary>The support PIN was removed (event <see cref="Events.SecurityEventType.SupportPinRemoved"/>).</summary>
    SupportPinRemoved = 13,

    /// <summary>The account's e-mail address changed: sent to the old address and to the new one.</summary>
    EmailChanged = 14,

    /// <summary>
    /// Sign-in (or support-PIN verification) was locked after repeated failures (event
    /// <see cref="Events.SecurityEventType.LockedOut"/>). At most one per user per <see cref="SecurityNotificationOptions.FloodInterval"/>.
    /// </summary>
    AccountLocked = 15,

    /// <summary>
    /// A sign-in from a device and address no other session of the user has (event
    /// <see cref="Events.SecurityEventType.SessionStarted"/>). At most one per user per <see cref="SecurityNotificationOptions.FloodInterval"/>.
    /// </summary>
    NewDeviceSignIn = 16,

    /// <summary>
    /// The password the user signed in with was found in a data breach, and must be changed at the next step
    /// (event <see cref="Events.SecurityEventType.PasswordFoundInBreach"/> with outcome <c>marked</c>).
    /// </summary>
    PasswordFoundInBreach = 17,
}
