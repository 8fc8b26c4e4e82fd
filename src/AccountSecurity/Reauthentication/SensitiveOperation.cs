namespace AccountSecurity.Reauthentication;

/// <summary>
/// The operations that ask for fresh proof of who is acting (OWASP ASVS 5.0 V7.5.1, V7.5.3): the one list, checked by
/// one rule (<see cref="IReauthenticationService"/>, documented in <c>docs/reauthentication.md</c>). Each is accepted
/// with a re-authentication of the acting session younger than <see cref="ReauthenticationOptions.Window"/>, or with
/// the proof the operation takes inline (the current password, and the current code where the operation asks for
/// one); otherwise it answers <c>reauthentication_required</c>.
/// </summary>
/// <remarks>
/// Not on the list, on purpose: ending one's own other sessions (someone who finds a stranger in their session list
/// must be able to end it at once, without a ceremony that the stranger may have made harder), renaming a passkey
/// (changes no authenticator), reading anything, and signing out.
/// </remarks>
public enum SensitiveOperation
{
    /// <summary>Changing (or, on an account without one, setting) the password.</summary>
    ChangePassword = 1,

    /// <summary>Setting up the authenticator app, or replacing it.</summary>
    SetUpTwoFactor = 2,

    /// <summary>Switching the authenticator app off.</summary>
    DisableTwoFactor = 3,

    /// <summary>Replacing the recovery codes with new ones.</summary>
    RegenerateRecoveryCodes = 4,

    /// <summary>Adding a passkey.</summary>
    AddPasskey = 5,

    /// <summary>Removing a passkey.</summary>
    RemovePasskey = 6,

    /// <summary>Changing an e-mail address, one's own or, as an administrator, another user's.</summary>
    ChangeEmail = 7,

    /// <summary>Setting or changing the support PIN.</summary>
    SetSupportPin = 8,

    /// <summary>Removing the support PIN.</summary>
    RemoveSupportPin = 9,

    /// <summary>Changing the contract's password policy (the owner).</summary>
    ChangePasswordPolicy = 20,

    /// <summary>Changing the contract's session policy (the owner).</summary>
    ChangeSessionPolicy = 21,

    /// <summary>Allowing or forbidding sign-in with a passkey alone in the contract (the owner).</summary>
    ChangePasswordlessSignInPolicy = 22,

    /// <summary>
    /// Changing how long the contract's audit trail is kept (the owner). Shortening it deletes records at the next
    /// retention run: whoever took over an owner's session must not be able to erase what it did.
    /// </summary>
    ChangeAuditRetention = 23,

    /// <summary>Forcing two-factor authentication on a user, or lifting that requirement.</summary>
    ForceTwoFactor = 30,

    /// <summary>Resetting another user's second factors (a lost device).</summary>
    ResetTwoFactor = 31,

    /// <summary>Changing another user's role.</summary>
    ChangeRole = 32,

    /// <summary>Handing the contract's ownership to another user (a role change to owner).</summary>
    TransferOwnership = 33,

    /// <summary>Deactivating another user.</summary>
    DeactivateUser = 34,

    /// <summary>Reactivating another user.</summary>
    ReactivateUser = 35,

    /// <summary>Ending every session of another user.</summary>
    EndUserSessions = 36,

    /// <summary>Clearing another user's support PIN lockout.</summary>
    ClearSupportPinLockout = 37,
}
