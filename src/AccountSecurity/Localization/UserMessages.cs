using System.Globalization;
using System.Resources;
using System.Runtime.CompilerServices;

namespace AccountSecurity.Localization;

/// <summary>
/// Every message the SDK shows an end user, by name: <c>UserMessages.resx</c> (English, the neutral resources in the
/// assembly) and <c>UserMessages.de.resx</c> (German, the <c>de/AccountSecurity.resources.dll</c> satellite assembly),
/// looked up in <see cref="CultureInfo.CurrentUICulture"/> at the moment the message is made (ASP.NET Core's request
/// localization sets it per request; a language without messages falls back to English). The summaries show the English
/// text. A test checks that this list and the resources name the same messages, that German is complete and that no
/// message is written inline elsewhere. Values are formatted with <see cref="Localized.Format"/>; never a secret.
/// </summary>
internal static class UserMessages
{
    /// <summary>The resources, looked up by name, which trimming and Native AOT keep working.</summary>
    public static readonly ResourceManager ResourceManager = new("AccountSecurity.Localization.UserMessages", typeof(UserMessages).Assembly);

    /// <summary>The account is busy with another request. Try again.</summary>
    public static string AccountBusy => Get();

    /// <summary>The account is being changed elsewhere. Try again.</summary>
    public static string AccountBusyElsewhere => Get();

    /// <summary>The account does not exist or is deactivated.</summary>
    public static string AccountMissingOrDeactivated => Get();

    /// <summary>The account was not found.</summary>
    public static string AccountNotFound => Get();

    /// <summary>Only the contract owner or an administrator can add users, and a contract has exactly one owner.</summary>
    public static string AddUserNotAuthorized => Get();

    /// <summary>Only an administrator or the owner of the user's own contract can do this.</summary>
    public static string AdminOrOwnerOnly => Get();

    /// <summary>Only the contract owner (for anyone in the contract) or an administrator (for plain users) can do this, and never for themselves.</summary>
    public static string AdministrationNotAuthorized => Get();

    /// <summary>The antiforgery token is missing or invalid: get one from the antiforgery endpoint and send it in the header it names.</summary>
    public static string AntiforgeryInvalid => Get();

    /// <summary>The code is not valid.</summary>
    public static string CodeInvalid => Get();

    /// <summary>The code is not valid. Enter the current code from your authenticator app.</summary>
    public static string CodeInvalidEnterCurrent => Get();

    /// <summary>This code was already used. Wait for the next code from your authenticator app.</summary>
    public static string CodeReplayed => Get();

    /// <summary>This code was already used. Wait for the next code.</summary>
    public static string CodeReplayedShort => Get();

    /// <summary>The code is wrong. Enter the current code from your authenticator app, or a recovery code.</summary>
    public static string CodeWrong => Get();

    /// <summary>Confirm with your passkey: this account does not re-authenticate with a password alone.</summary>
    public static string ConfirmWithPasskey => Get();

    /// <summary>A contract with this id already exists.</summary>
    public static string ContractAlreadyExists => Get();

    /// <summary>The contract is being changed elsewhere. Try again.</summary>
    public static string ContractBusyElsewhere => Get();

    /// <summary>The contract changed meanwhile. Try again.</summary>
    public static string ContractChangedMeanwhile => Get();

    /// <summary>The culture must be a language tag such as de-DE or en (at most {0} characters).</summary>
    public static string CultureInvalid => Get();

    /// <summary>The current password is not correct.</summary>
    public static string CurrentPasswordWrong => Get();

    /// <summary>A deactivated user cannot become the contract owner.</summary>
    public static string DeactivatedCannotBecomeOwner => Get();

    /// <summary>This e-mail address looks like the address of another user of this contract (it differs only in look-alike or other-script characters). Use a clearly different address.</summary>
    public static string EmailConfusable => Get();

    /// <summary>Enter a valid e-mail address.</summary>
    public static string EmailInvalid => Get();

    /// <summary>The e-mail address or password is not correct.</summary>
    public static string EmailOrPasswordWrong => Get();

    /// <summary>Another account already uses this e-mail address.</summary>
    public static string EmailTaken => Get();

    /// <summary>Enter the code from your authenticator app.</summary>
    public static string EnterCode => Get();

    /// <summary>Enter the current code from your authenticator app.</summary>
    public static string EnterCurrentCode => Get();

    /// <summary>The field '{0}' is not valid: send it as the documented JSON type.</summary>
    public static string FieldInvalid => Get();

    /// <summary>You may not do this.</summary>
    public static string Forbidden => Get();

    /// <summary>Too many password checks are running right now; nothing was checked or changed. Try again in {0:0} seconds.</summary>
    public static string HashingBusy => Get();

    /// <summary>The idle timeout must not be longer than the session lifetime.</summary>
    public static string IdleTimeoutLongerThanLifetime => Get();

    /// <summary>The idle timeout must be between {0:0} and {1:0} minutes.</summary>
    public static string IdleTimeoutOutOfRange => Get();

    /// <summary>The e-mail address or the password is wrong.</summary>
    public static string InvalidCredentials => Get();

    /// <summary>An invitation needs a valid e-mail address (and, when given, a user id of at most 128 characters without control, invisible or bidi characters).</summary>
    public static string InvitationInputInvalid => Get();

    /// <summary>This invitation link is invalid, has expired or was already used. Ask for a new one.</summary>
    public static string InvitationInvalid => Get();

    /// <summary>Only the contract owner or an administrator can invite users, and a contract has exactly one owner.</summary>
    public static string InviteNotAuthorized => Get();

    /// <summary>Two-factor authentication is required for your account: keep at least one passkey or an authenticator app.</summary>
    public static string KeepOneSecondFactor => Get();

    /// <summary>No active user has this id.</summary>
    public static string NoActiveUserWithId => Get();

    /// <summary>This account has no passkey: confirm with your password instead.</summary>
    public static string NoPasskeyUsePassword => Get();

    /// <summary>Only the contract owner can change this.</summary>
    public static string OwnerOnly => Get();

    /// <summary>The contract now belongs to the new owner, but the roles are not yet in line. Repeat the request to finish.</summary>
    public static string OwnershipTransferIncomplete => Get();

    /// <summary>This passkey is already registered.</summary>
    public static string PasskeyAlreadyRegistered => Get();

    /// <summary>The passkey answered another request. Start again.</summary>
    public static string PasskeyChallengeMismatch => Get();

    /// <summary>The passkey was made for another site.</summary>
    public static string PasskeyForAnotherSite => Get();

    /// <summary>You have as many passkeys as an account may have. Remove one first.</summary>
    public static string PasskeyLimitReached => Get();

    /// <summary>Give the passkey a name (no control or invisible characters).</summary>
    public static string PasskeyNameInvalid => Get();

    /// <summary>The passkey was not accepted. Try again, or sign in another way.</summary>
    public static string PasskeyNotAccepted => Get();

    /// <summary>The passkey could not be verified.</summary>
    public static string PasskeyNotVerified => Get();

    /// <summary>That passkey is not one of yours.</summary>
    public static string PasskeyNotYours => Get();

    /// <summary>Start again: no passkey registration is waiting, or it expired.</summary>
    public static string PasskeyRegistrationExpired => Get();

    /// <summary>The browser's answer was not a passkey response.</summary>
    public static string PasskeyResponseMalformed => Get();

    /// <summary>Your passkey must verify you (PIN or biometrics).</summary>
    public static string PasskeyUserVerificationRequired => Get();

    /// <summary>Your password was found in a data breach: change it to continue. You stay signed in meanwhile.</summary>
    public static string PasswordChangeRequiredToContinue => Get();

    /// <summary>This password is too common and easy to guess. Choose one that others are unlikely to use.</summary>
    public static string PasswordCommon => Get();

    /// <summary>This password is a common password with digits or symbols added or letters swapped for look-alikes (such as "P@ssw0rd1"). Attackers try these first: choose a password that is not built on a common one, such as a few unrelated words.</summary>
    public static string PasswordCommonVariant => Get();

    /// <summary>Do not use your e-mail address or its name part in your password.</summary>
    public static string PasswordContainsEmail => Get();

    /// <summary>This password is mostly made of words from your e-mail address (its name or domain), which attackers know. Use words that have nothing to do with your account.</summary>
    public static string PasswordContextWords => Get();

    /// <summary>This password is mostly made of words from your e-mail address, your organisation's name or this service's name, which attackers know. Use words that have nothing to do with your account.</summary>
    public static string PasswordContextWordsWithNames => Get();

    /// <summary>Remove control characters (such as tabs or line breaks) from the password: they cannot be typed reliably everywhere.</summary>
    public static string PasswordControlCharacters => Get();

    /// <summary>The password contains characters that cannot be used (NUL, a Unicode noncharacter or invalid Unicode). Choose another password.</summary>
    public static string PasswordInvalidCharacters => Get();

    /// <summary>The password has no visible character (only zero-width, combining or format characters). Use letters, digits or symbols you can see.</summary>
    public static string PasswordInvisibleOnly => Get();

    /// <summary>This password is mostly keys next to each other on the keyboard (such as "qwertz" or "1qay"), which attackers try first. Use characters that are not neighbours on the keyboard, or a few unrelated words.</summary>
    public static string PasswordKeyboardWalk => Get();

    /// <summary>The new password and its repetition do not match. Type the same password twice.</summary>
    public static string PasswordMismatch => Get();

    /// <summary>Only the contract owner can change the password policy.</summary>
    public static string PasswordPolicyOwnerOnly => Get();

    /// <summary>Do not repeat one character more than {0} times in a row: repeated characters add length but no strength.</summary>
    public static string PasswordRepeatedCharacters => Get();

    /// <summary>This password is mostly the same characters repeated (such as "xyxyxy" or a word written twice). Repeating adds length but no strength: use more different characters, or a few unrelated words.</summary>
    public static string PasswordRepeatedPattern => Get();

    /// <summary>Enter a password.</summary>
    public static string PasswordRequired => Get();

    /// <summary>Include at least one digit.</summary>
    public static string PasswordRequiresDigit_One => Get();

    /// <summary>Include at least {0} digits.</summary>
    public static string PasswordRequiresDigit_Other => Get();

    /// <summary>Include at least one lower-case letter.</summary>
    public static string PasswordRequiresLowercase_One => Get();

    /// <summary>Include at least {0} lower-case letters.</summary>
    public static string PasswordRequiresLowercase_Other => Get();

    /// <summary>Include at least one special character (such as ! ? # or a space).</summary>
    public static string PasswordRequiresSpecial_One => Get();

    /// <summary>Include at least {0} special characters (such as ! ? # or a space).</summary>
    public static string PasswordRequiresSpecial_Other => Get();

    /// <summary>Include at least one upper-case letter.</summary>
    public static string PasswordRequiresUppercase_One => Get();

    /// <summary>Include at least {0} upper-case letters.</summary>
    public static string PasswordRequiresUppercase_Other => Get();

    /// <summary>You used this password recently. Choose one that differs from your last password.</summary>
    public static string PasswordReused_One => Get();

    /// <summary>You used this password recently. Choose one that differs from your last {0} passwords.</summary>
    public static string PasswordReused_Other => Get();

    /// <summary>The new password must differ from the current one.</summary>
    public static string PasswordSameAsCurrent => Get();

    /// <summary>This password is mostly a sequence of letters or digits in order (such as "lmnopq" or "98765"), which attackers try first. Use characters that do not follow an order, or a few unrelated words.</summary>
    public static string PasswordSequence => Get();

    /// <summary>Use at most {0} characters.</summary>
    public static string PasswordTooLong => Get();

    /// <summary>Use at least {0} characters.</summary>
    public static string PasswordTooShort => Get();

    /// <summary>A password of only spaces is easy to guess. Use letters, digits or symbols too.</summary>
    public static string PasswordWhitespaceOnly => Get();

    /// <summary>Only the owner of the user's own contract can do this, or an administrator of it for a user who is not an administrator.</summary>
    public static string PeerLowerNotAuthorized => Get();

    /// <summary>Only an administrator or the owner of the user's own contract can do this (and only the owner can do it for the owner).</summary>
    public static string PeerRaiseNotAuthorized => Get();

    /// <summary>Character-class minimums cannot be negative.</summary>
    public static string PolicyClassMinimumNegative => Get();

    /// <summary>The character-class minimums add up to more than the maximum length.</summary>
    public static string PolicyClassMinimumsTooLarge => Get();

    /// <summary>The history depth must be between 0 and {0}.</summary>
    public static string PolicyHistoryDepthOutOfRange => Get();

    /// <summary>The maximum length must be between {0} and {1}.</summary>
    public static string PolicyMaximumLengthOutOfRange => Get();

    /// <summary>The minimum length cannot exceed the maximum length.</summary>
    public static string PolicyMinimumAboveMaximum => Get();

    /// <summary>The minimum length must be at least {0}.</summary>
    public static string PolicyMinimumLengthTooLow => Get();

    /// <summary>Contract id, name and owner id are required (ids at most 128 characters, names at most 200).</summary>
    public static string ProvisioningInputInvalid => Get();

    /// <summary>Too many attempts. Wait a moment and try again.</summary>
    public static string RateLimited => Get();

    /// <summary>Confirm it is you before this change ({0}): enter your password (and code) or use your passkey, then try again.</summary>
    public static string ReauthenticationRequired => Get();

    /// <summary>A recovery code cannot confirm a change. Enter the current code from your authenticator app, or use your passkey.</summary>
    public static string RecoveryCodeCannotConfirm => Get();

    /// <summary>Registration is not available here. Ask your organisation's administrator for an invitation.</summary>
    public static string RegistrationDisabled => Get();

    /// <summary>Enter a valid e-mail address (and a name of at most 200 characters, when you give one).</summary>
    public static string RegistrationInputInvalid => Get();

    /// <summary>The request body must be a UTF-8 JSON object of at most 64 KB with the documented fields.</summary>
    public static string RequestBodyInvalid => Get();

    /// <summary>This reset link is invalid or has expired. Request a new one.</summary>
    public static string ResetTokenInvalid => Get();

    /// <summary>Only the contract owner can change roles, and not their own.</summary>
    public static string RoleChangeNotAuthorized => Get();

    /// <summary>Unknown role.</summary>
    public static string RoleUnknown => Get();

    /// <summary>Sign in with your second factor first: this account has one.</summary>
    public static string SecondFactorFirst => Get();

    /// <summary>Enter the code from your authenticator app, a recovery code, or use a passkey.</summary>
    public static string SecondFactorRequired => Get();

    /// <summary>Your session has ended. Sign in again.</summary>
    public static string SessionEnded => Get();

    /// <summary>The session lifetime must be between {0:0.#} and {1:0.#} hours.</summary>
    public static string SessionLifetimeOutOfRange => Get();

    /// <summary>There is no such session of yours: it may have ended already.</summary>
    public static string SessionNotFound => Get();

    /// <summary>Only the contract owner can change the session policy.</summary>
    public static string SessionPolicyOwnerOnly => Get();

    /// <summary>The number of sessions per user must be between 1 and {0}.</summary>
    public static string SessionsPerUserOutOfRange => Get();

    /// <summary>The sign-in has expired. Sign in again.</summary>
    public static string SignInExpired => Get();

    /// <summary>Sign in first.</summary>
    public static string SignInFirst => Get();

    /// <summary>Too many failed attempts: the account is locked for a while.</summary>
    public static string SignInLockedOut => Get();

    /// <summary>The sign-in expired or was already completed. Sign in again with your password.</summary>
    public static string SignInTicketInvalid => Get();

    /// <summary>The new stamp is needed.</summary>
    public static string StampRequired => Get();

    /// <summary>The stored secret could not be read.</summary>
    public static string StoredSecretUnreadable => Get();

    /// <summary>Name the caller's account by e-mail address or user id.</summary>
    public static string SupportAccountRequired => Get();

    /// <summary>Identify the support agent (an id of at most 128 characters).</summary>
    public static string SupportAgentInvalid => Get();

    /// <summary>This agent is not authorized to verify support PINs.</summary>
    public static string SupportAgentNotAuthorized => Get();

    /// <summary>A support PIN has at most {0} digits.</summary>
    public static string SupportPinAtMostDigits => Get();

    /// <summary>This PIN is too common. Choose a PIN that is hard to guess.</summary>
    public static string SupportPinCommon => Get();

    /// <summary>A support PIN consists of the digits 0 to 9 only.</summary>
    public static string SupportPinDigitsOnly => Get();

    /// <summary>Too many wrong PINs: verification for this account is locked for now.</summary>
    public static string SupportPinLockedOut => Get();

    /// <summary>The PIN and its repetition differ.</summary>
    public static string SupportPinMismatch => Get();

    /// <summary>No support PIN is set.</summary>
    public static string SupportPinNotSet => Get();

    /// <summary>This account has no support PIN. Verify the caller another way.</summary>
    public static string SupportPinNotSetVerifyOtherwise => Get();

    /// <summary>Do not use a simple pattern such as 121212, 123321 or 112233. Choose a PIN that is hard to guess.</summary>
    public static string SupportPinPattern => Get();

    /// <summary>Enter a support PIN.</summary>
    public static string SupportPinRequired => Get();

    /// <summary>Do not use one digit repeated. Choose a PIN that is hard to guess.</summary>
    public static string SupportPinSameDigit => Get();

    /// <summary>Do not use ascending or descending digits such as 123456. Choose a PIN that is hard to guess.</summary>
    public static string SupportPinSequential => Get();

    /// <summary>Use at most {0} digits.</summary>
    public static string SupportPinTooLong => Get();

    /// <summary>Use at least {0} digits.</summary>
    public static string SupportPinTooShort => Get();

    /// <summary>The PIN is not correct for this account.</summary>
    public static string SupportPinWrong => Get();

    /// <summary>Too many failed attempts. Try again later.</summary>
    public static string TooManyFailedAttempts => Get();

    /// <summary>The account name must be 1 to {0} characters of valid text without control, invisible or bidi control characters.</summary>
    public static string TotpAccountNameInvalid => Get();

    /// <summary>Two-factor authentication is active: enter a code from your current authenticator app (or a recovery code) to change it.</summary>
    public static string TwoFactorActiveCodeNeeded => Get();

    /// <summary>Two-factor authentication is required for your account by an administrator and cannot be switched off.</summary>
    public static string TwoFactorForcedCannotDisable => Get();

    /// <summary>Two-factor authentication is not active for this account.</summary>
    public static string TwoFactorNotActive => Get();

    /// <summary>Start the setup again: no setup is waiting for confirmation, or it expired.</summary>
    public static string TwoFactorSetupExpired => Get();

    /// <summary>Your administrator requires two-factor authentication for your account: set it up to continue. You stay signed in meanwhile.</summary>
    public static string TwoFactorSetupRequiredToContinue => Get();

    /// <summary>Your administrator requires two-factor authentication: set it up to finish signing in.</summary>
    public static string TwoFactorSetupRequiredToSignIn => Get();

    /// <summary>A user with this id or e-mail address already exists.</summary>
    public static string UserAlreadyExists => Get();

    /// <summary>A user of this contract already has this e-mail address or id.</summary>
    public static string UserInContractExists => Get();

    /// <summary>A user needs an id (at most 128 characters, no control, invisible or bidi characters) and a valid e-mail address.</summary>
    public static string UserInputInvalid => Get();

    /// <summary>The user does not exist.</summary>
    public static string UserNotFound => Get();

    /// <summary>No user with this id belongs to your contract.</summary>
    public static string UserNotInContract => Get();

    /// <summary>Choose an export format: JSON lines or CSV.</summary>
    public static string AuditExportFormatInvalid => Get();

    /// <summary>Only the contract owner can change how long security activity is kept.</summary>
    public static string AuditRetentionOwnerOnly => Get();

    /// <summary>Only the contract's owner and administrators can see its security activity.</summary>
    public static string AuditReadNotAuthorized => Get();

    /// <summary>Keep records between {0} and {1} days.</summary>
    public static string AuditRetentionOutOfRange => Get();

    /// <summary>A page holds 1 to {0} records.</summary>
    public static string AuditPageSizeOutOfRange => Get();

    /// <summary>The user id is not a valid id.</summary>
    public static string AuditUserIdInvalid => Get();

    /// <summary>Filter by at most {0} known event types.</summary>
    public static string AuditEventTypesInvalid => Get();

    /// <summary>The start of the time range is after its end.</summary>
    public static string AuditTimeRangeInvalid => Get();

    /// <summary>The cursor is not one this service returned.</summary>
    public static string AuditCursorInvalid => Get();

    /// <summary>Your contract no longer exists.</summary>
    public static string ContractGone => Get();

    /// <summary>The message named <paramref name="key"/> in the current UI culture; the test of this class proves every name exists.</summary>
    private static string Get([CallerMemberName] string key = "") =>
        ResourceManager.GetString(key, CultureInfo.CurrentUICulture) ?? throw new InvalidOperationException($"The message '{key}' is missing from the neutral resources.");
}
