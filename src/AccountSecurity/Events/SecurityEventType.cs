namespace AccountSecurity.Events;

/// <summary>Every kind of security event the library raises. Values are stable; new kinds are only appended.</summary>
public enum SecurityEventType
{
    /// <summary>A sign-in completed (all required factors passed).</summary>
    SignInSucceeded = 1,

    /// <summary>A sign-in step failed (wrong password, unknown account, inactive user, wrong second factor).</summary>
    SignInFailed = 2,

    /// <summary>
    /// A factor's <em>untrusted</em> budget became locked after too many failures from clients without a valid device
    /// token: strangers (or the owner on a new device) are refused until the lock ends; the owner's known devices still
    /// sign in. Tell the owner (someone may be guessing their password). Also raised for the support PIN, which has no devices.
    /// </summary>
    LockedOut = 3,

    /// <summary>One trusted device's own budget became locked after too many failures from it (<see cref="SecurityEvent.Outcome"/> is <c>locked_out</c>); the account's other devices are unaffected.</summary>
    TrustedDeviceLockedOut = 4,

    /// <summary>A user changed their password.</summary>
    PasswordChanged = 10,

    /// <summary>A password change was refused.</summary>
    PasswordChangeFailed = 11,

    /// <summary>A password reset was requested (raised whether or not the account exists; <see cref="SecurityEvent.UserId"/> is null when it does not).</summary>
    PasswordResetRequested = 12,

    /// <summary>A password was set through a reset token.</summary>
    PasswordResetCompleted = 13,

    /// <summary>A reset token was refused (unknown, expired or used).</summary>
    PasswordResetFailed = 14,

    /// <summary>A stored password hash was upgraded to the current scheme or cost after a successful verification.</summary>
    PasswordRehashed = 15,

    /// <summary>A contract owner set or cleared the contract's password policy.</summary>
    PasswordPolicyChanged = 16,

    /// <summary>A user was created.</summary>
    UserCreated = 17,

    /// <summary>A user started two-factor setup (a pending secret was created).</summary>
    TwoFactorSetupStarted = 20,

    /// <summary>A user confirmed setup; two-factor authentication is active.</summary>
    TwoFactorEnabled = 21,

    /// <summary>A user switched off their own two-factor authentication.</summary>
    TwoFactorDisabled = 22,

    /// <summary>An administrator or the owner forced two-factor authentication on a user.</summary>
    TwoFactorForced = 23,

    /// <summary>An administrator or the owner stopped forcing two-factor authentication on a user.</summary>
    TwoFactorUnforced = 24,

    /// <summary>An administrator or the owner reset a user's two-factor authentication (lost device).</summary>
    TwoFactorReset = 25,

    /// <summary>A recovery code was used (and is now spent).</summary>
    RecoveryCodeUsed = 26,

    /// <summary>A user's recovery codes were replaced by new ones.</summary>
    RecoveryCodesRegenerated = 27,

    /// <summary>A second-factor code was wrong.</summary>
    SecondFactorFailed = 28,

    /// <summary>A TOTP code that had already been accepted was submitted again.</summary>
    ReplayRejected = 29,

    /// <summary>An administrative request was refused because the actor lacks the right.</summary>
    AuthorizationRefused = 30,

    /// <summary>A user set a support PIN for the first time.</summary>
    SupportPinSet = 40,

    /// <summary>A user changed their support PIN.</summary>
    SupportPinChanged = 41,

    /// <summary>A user removed their support PIN.</summary>
    SupportPinRemoved = 42,

    /// <summary>A support agent verified a caller's PIN successfully.</summary>
    SupportPinVerified = 43,

    /// <summary>A support agent's PIN verification failed (wrong PIN, no PIN, unknown account or locked).</summary>
    SupportPinVerificationFailed = 44,

    /// <summary>A user's attempt to set, change or remove their support PIN was refused (trivial PIN, wrong current password, lockout).</summary>
    SupportPinChangeFailed = 45,

    /// <summary>
    /// A support-PIN verification was refused for want of authority: the agent is no support agent, or may not act on
    /// the account. Carries the agent's id as actor (and the account when known), never the PIN; nothing was counted.
    /// </summary>
    SupportPinVerificationRefused = 46,

    /// <summary>
    /// The owner or an administrator cleared a user's support-PIN verification lockout. Carries the actor's id; the PIN
    /// is unchanged.
    /// </summary>
    SupportPinLockoutCleared = 47,

    /// <summary>The contract owner or an administrator deactivated a user; every session of the user ended.</summary>
    UserDeactivated = 50,

    /// <summary>The contract owner or an administrator reactivated a deactivated user.</summary>
    UserReactivated = 51,

    /// <summary>A user's e-mail address changed (by the user with their password, or by an administrator); every session of the user ended.</summary>
    EmailChanged = 52,

    /// <summary>A user's own e-mail change was refused (wrong current password, lockout, an unusable or taken address).</summary>
    EmailChangeFailed = 53,

    /// <summary>The contract owner changed a user's role between administrator and plain user; every session of the user ended.</summary>
    RoleChanged = 54,

    /// <summary>
    /// The contract owner handed the contract to another user (<see cref="SecurityEvent.UserId"/>, the new owner; the
    /// actor is the old owner, now an administrator). Every session of both ended.
    /// </summary>
    ContractOwnershipTransferred = 55,

    /// <summary>A user registered a passkey; every other session of the user ended (the security stamp changed).</summary>
    PasskeyAdded = 60,

    /// <summary>A user removed a passkey; every other session of the user ended.</summary>
    PasskeyRemoved = 61,

    /// <summary>A passkey registration was refused (the response did not verify, the ceremony expired, re-authentication failed).</summary>
    PasskeyRegistrationFailed = 62,

    /// <summary>
    /// A passkey assertion carried a signature counter that did not move forward: the authenticator may have been
    /// cloned. The assertion was refused; the credential id is never part of the event.
    /// </summary>
    PasskeyCounterRegressed = 63,

    /// <summary>The contract owner allowed or disallowed passwordless passkey sign-in for the contract (outcome <c>allowed</c> or <c>disallowed</c>).</summary>
    PasskeySignInPolicyChanged = 64,

    /// <summary>
    /// An administrator invited a user (outcome <c>invited</c>: an inactive account was created and a token sent;
    /// <c>account_exists</c>: the address belongs to another contract, a notice was sent and nothing created).
    /// </summary>
    UserInvited = 70,

    /// <summary>An invited or registered user set their password and the account became active.</summary>
    InvitationAccepted = 71,

    /// <summary>An invitation or registration token was refused (unknown, expired or used).</summary>
    InvitationFailed = 72,

    /// <summary>
    /// A self-registration was requested (outcome <c>registered</c>: a new contract with an inactive owner, token sent;
    /// <c>reissued</c>: a pending registration got a fresh token; <c>account_exists</c>: a notice was sent, nothing created).
    /// </summary>
    Registered = 73,

    /// <summary>A server-side session began (outcome <c>pwd</c> or <c>mfa</c>).</summary>
    SessionStarted = 80,

    /// <summary>Sessions of a user were ended on the server; the outcome is the reason (<see cref="Sessions.SessionEndReasons"/>), the actor who ended them when not the user's own sign-out.</summary>
    SessionEnded = 81,

    /// <summary>The contract owner set or cleared the contract's session policy (outcome <c>set</c> or <c>cleared</c>).</summary>
    SessionPolicyChanged = 82,

    /// <summary>A session re-authenticated for sensitive operations; the outcome names the method (<c>password</c>, <c>password_and_code</c>, <c>passkey</c>).</summary>
    Reauthenticated = 83,

    /// <summary>A re-authentication failed; the outcome is the error code, the factor the one that failed.</summary>
    ReauthenticationFailed = 84,

    /// <summary>
    /// The password a user signed in with was found in a data breach (checked in the background after the sign-in): the
    /// account is marked to change its password (outcome <c>marked</c>; <c>unchanged</c> when the password changed
    /// meanwhile and nothing was marked).
    /// </summary>
    PasswordFoundInBreach = 90,

    /// <summary>The contract owner set or cleared how long the contract's audit records are kept (outcome <c>days_N</c> or <c>default</c>).</summary>
    AuditRetentionChanged = 91,

    /// <summary>An administrator exported the contract's audit records (outcome <c>jsonl</c> or <c>csv</c>; the user when the export was of one user's records).</summary>
    AuditTrailExported = 92,
}
