namespace AccountSecurity.Results;

/// <summary>
/// Every stable error code the AccountSecurity packages answer with, in one place: the core services, the HTTP layer
/// and the passkeys package. A code names one failure and never changes once shipped; hosts may switch on it and
/// localise by it. Each <see cref="SecurityError"/> carries one of these in <see cref="SecurityError.Code"/>; the
/// table in <c>docs/error-codes.md</c> lists them with their HTTP status and is checked against this class by a test.
/// </summary>
public static class SecurityErrorCodes
{
    // ---- Shared by every capability ----
    /// <summary>The user, contract or account named does not exist (only where saying so leaks nothing).</summary>
    public const string NotFound = "not_found";

    /// <summary>The acting user may not perform this operation.</summary>
    public const string NotAuthorized = "not_authorized";

    /// <summary>The user account is deactivated.</summary>
    public const string UserInactive = "user_inactive";

    /// <summary>Too many failed attempts; the factor is locked until <see cref="SecurityResult.LockedOutUntil"/>.</summary>
    public const string LockedOut = "locked_out";

    /// <summary>The account changed concurrently too many times in a row; the caller may try again.</summary>
    public const string ConcurrencyConflict = "concurrency_conflict";

    /// <summary>
    /// The machine is at its capacity for password and PIN checks: nothing was checked, counted or changed. Try again
    /// after <see cref="SecurityError.RetryAfter"/> (see <see cref="Passwords.Hashing.PasswordHashingOptions.MaxQueueTime"/>).
    /// </summary>
    public const string Busy = "busy";

    /// <summary>An input was missing, empty, too long or malformed.</summary>
    public const string InvalidInput = "invalid_input";

    /// <summary>An account with this e-mail or id already exists.</summary>
    public const string Duplicate = "duplicate";

    // ---- Accounts and administration ----
    /// <summary>
    /// The new e-mail address looks like the address of another user of the same contract: its Unicode confusable
    /// skeleton (UTS #39), as written or in another case, is the same (for example <c>kıng@example.com</c> beside
    /// <c>king@example.com</c>, or <c>admin@exampIe.com</c>, with a capital I, beside <c>admin@example.com</c>).
    /// </summary>
    public const string EmailConfusable = "email_confusable";

    /// <summary>
    /// A contract was handed to its new owner (the contract record names them), but a role write did not land: the roles
    /// are not yet in line. Repeating the request — or any later role change in the contract — finishes it. Never leaves
    /// two owners.
    /// </summary>
    public const string OwnershipTransferIncomplete = "ownership_transfer_incomplete";

    /// <summary>The culture is not a well-formed BCP 47 language tag (such as <c>de-DE</c> or <c>en</c>) of at most 84 characters.</summary>
    public const string CultureInvalid = "culture_invalid";

    // ---- Sign-in ----
    /// <summary>Unknown e-mail, wrong password or inactive user: deliberately indistinguishable.</summary>
    public const string InvalidCredentials = "invalid_credentials";

    /// <summary>
    /// Not an error of the user's: the password was right and the sign-in needs the second factor next (the result carries
    /// the ticket for that step). The JSON API answers it as a 200 status, not a problem.
    /// </summary>
    public const string SecondFactorRequired = "second_factor_required";

    /// <summary>The ticket is unknown, expired, already used, for another purpose, or its user's stamp changed.</summary>
    public const string InvalidTicket = "invalid_ticket";

    /// <summary>
    /// A code the user typed (TOTP or recovery code) is wrong or malformed: at sign-in, when confirming 2FA setup, when
    /// disabling 2FA or replacing its authenticator. One code for all of them, so hosts handle one failure one way.
    /// </summary>
    public const string InvalidCode = "invalid_code";

    /// <summary>The TOTP code was already accepted once (at sign-in or in 2FA management): wait for the next one.</summary>
    public const string CodeReplayed = "code_replayed";

    // ---- Re-authentication (sensitive operations) ----
    /// <summary>
    /// The operation is sensitive (<c>SensitiveOperation</c>) and was given no proof inline, and the session has not
    /// re-authenticated within the window: re-authenticate (<c>IReauthenticationService</c>) and repeat it. The JSON API
    /// answers 401 with the problem type <c>urn:accountsecurity:problem:reauthentication-required</c>.
    /// </summary>
    public const string ReauthenticationRequired = "reauthentication_required";

    /// <summary>The account cannot re-authenticate this way (for example with a password, when its second factor is a passkey): use one of the status's methods.</summary>
    public const string ReauthenticationMethodUnavailable = "reauthentication_method_unavailable";

    // ---- Sessions ----
    /// <summary>A session policy setting is outside the bounds the host allows (the error's field names which).</summary>
    public const string SessionPolicyInvalid = "session_policy_invalid";

    // ---- Passwords, the password policy and reset ----
    /// <summary>No password was given.</summary>
    public const string PasswordRequired = "password_required";

    /// <summary>The password contains a NUL character, a Unicode noncharacter or invalid UTF-16 (a lone surrogate).</summary>
    public const string PasswordInvalidCharacters = "password_invalid_characters";

    /// <summary>Shorter than the policy's minimum length.</summary>
    public const string PasswordTooShort = "password_too_short";

    /// <summary>Longer than the policy's maximum length (never silently truncated).</summary>
    public const string PasswordTooLong = "password_too_long";

    /// <summary>Fewer digits than the policy asks for.</summary>
    public const string PasswordRequiresDigit = "password_requires_digit";

    /// <summary>Fewer upper-case letters than the policy asks for.</summary>
    public const string PasswordRequiresUppercase = "password_requires_uppercase";

    /// <summary>Fewer lower-case letters than the policy asks for.</summary>
    public const string PasswordRequiresLowercase = "password_requires_lowercase";

    /// <summary>Fewer special characters than the policy asks for.</summary>
    public const string PasswordRequiresSpecial = "password_requires_special";

    /// <summary>The password is on the list of commonly used passwords.</summary>
    public const string PasswordCommon = "password_common";

    /// <summary>
    /// The password is a common password with a simple change: digits, symbols or spaces before or after it, or
    /// look-alike digits and symbols for letters (<c>password123456</c>, <c>P@ssw0rd12345</c>).
    /// </summary>
    public const string PasswordCommonVariant = "password_common_variant";

    /// <summary>The password contains a control character (a tab, a line break, U+0001…) or a line or paragraph separator.</summary>
    public const string PasswordControlCharacters = "password_control_characters";

    /// <summary>The password is made of whitespace only (spaces, tabs, ideographic spaces…).</summary>
    public const string PasswordWhitespaceOnly = "password_whitespace_only";

    /// <summary>The password has no visible character: only zero-width, format or combining characters (and whitespace).</summary>
    public const string PasswordInvisibleOnly = "password_invisible_only";

    /// <summary>The password repeats one character more than <see cref="Passwords.Policy.DefaultPasswordPolicy.MaximumRepeatedCharacters"/> times in a row.</summary>
    public const string PasswordRepeatedCharacters = "password_repeated_characters";

    /// <summary>
    /// The password is mostly one group of two or more characters repeated (<c>abababababab</c>,
    /// <c>monkeymonkeymonkey</c>), or short runs of one character: once the repeats are collapsed, fewer than
    /// <see cref="Passwords.Policy.DefaultPasswordPolicy.MinimumUniqueCharacters"/> characters remain.
    /// </summary>
    public const string PasswordRepeatedPattern = "password_repeated_pattern";

    /// <summary>
    /// The password is mostly letters or digits in alphabetical or numerical order, ascending or descending
    /// (<c>abcdefghijkl</c>, <c>987654321</c>): once each sequence counts as one character, fewer than
    /// <see cref="Passwords.Policy.DefaultPasswordPolicy.MinimumUniqueCharacters"/> characters remain.
    /// </summary>
    public const string PasswordSequence = "password_sequence";

    /// <summary>
    /// The password is mostly keys next to each other on a keyboard, along a row or a column of a QWERTY, QWERTZ or
    /// AZERTY layout or the numeric keypad, forwards or backwards (<c>qwertyuiopas</c>, <c>zxcvbnmasdfg</c>,
    /// <c>qwertzuiop</c>): once each walk counts as one character, fewer than
    /// <see cref="Passwords.Policy.DefaultPasswordPolicy.MinimumUniqueCharacters"/> characters remain.
    /// </summary>
    public const string PasswordKeyboardWalk = "password_keyboard_walk";

    /// <summary>
    /// The password is mostly words an attacker knows from the account: the parts of the user's e-mail address (the
    /// name before the <c>@</c> and its dot-, dash-, underscore- or plus-separated words, and the domain's labels
    /// without the top-level domain), alone or repeated (<c>exampleexample</c> for <c>jane@example.com</c>), and the
    /// words of the contract's name and of the product's name (<c>AccountSecurityOptions.ProductName</c>).
    /// </summary>
    public const string PasswordContextWords = "password_context_words";

    /// <summary>
    /// The password appears in a known data breach (at least <c>BreachedPasswordOptions.MinimumBreachCount</c> times in
    /// the breached-password source; package AccountSecurity.BreachedPasswords). Choose another password.
    /// </summary>
    public const string PasswordBreached = "password_breached";

    /// <summary>
    /// The breached-password source could not be reached and the host chose to refuse rather than allow
    /// (<c>BreachedPasswordOptions.WhenUnavailable</c> = <c>Refuse</c>): nothing was changed. Try again in a moment.
    /// </summary>
    public const string PasswordBreachCheckUnavailable = "password_breach_check_unavailable";

    /// <summary>The password contains the user's e-mail address or its local part.</summary>
    public const string PasswordContainsEmail = "password_contains_email";

    /// <summary>The password was used recently (it is in the password history).</summary>
    public const string PasswordReused = "password_reused";

    /// <summary>The new password and its repetition differ.</summary>
    public const string PasswordMismatch = "password_mismatch";

    /// <summary>The new password equals the current one.</summary>
    public const string PasswordSameAsCurrent = "password_same_as_current";

    /// <summary>The current password given for a change or re-authentication is wrong.</summary>
    public const string PasswordWrongCurrent = "password_wrong_current";

    /// <summary>A password policy's own settings are invalid (for example a maximum below 64).</summary>
    public const string PasswordPolicyInvalid = "password_policy_invalid";

    /// <summary>A reset token is unknown, expired, already used, or the e-mail does not match.</summary>
    public const string ResetTokenInvalid = "reset_token_invalid";

    /// <summary>
    /// An invitation or registration token is unknown, malformed, expired or already used (the account may have been
    /// activated already). Ask for a new invitation or register again.
    /// </summary>
    public const string InvitationInvalid = "invitation_invalid";

    /// <summary>Self-registration is off for this host (<c>AccountSecurityOptions.Registration.Enabled</c>).</summary>
    public const string RegistrationDisabled = "registration_disabled";

    /// <summary>
    /// A stored bcrypt hash (a password's or a support PIN's, typically imported from another system) has a cost above
    /// <see cref="Passwords.Hashing.PasswordHashingOptions.MaximumWorkFactor"/>: it is refused without ever being computed, so
    /// nothing can match it until it is replaced. For the operator (the log line carries it): rehash such hashes at
    /// import to a cost no higher than the maximum, or have the user reset the password or set the PIN again. Never
    /// shown to the user, who gets the ordinary answer of a wrong password or PIN.
    /// </summary>
    public const string StoredHashCostTooHigh = "stored_hash_cost_too_high";

    // ---- Two-factor authentication (TOTP and recovery codes) ----
    /// <summary>Two-factor authentication is forced for this user and cannot be switched off.</summary>
    public const string TwoFactorForced = "two_factor_forced";

    /// <summary>Two-factor authentication is not active for this user.</summary>
    public const string TwoFactorNotEnabled = "two_factor_not_enabled";

    /// <summary>Two-factor authentication is already active; disable or have it reset first.</summary>
    public const string TwoFactorAlreadyEnabled = "two_factor_already_enabled";

    /// <summary>No setup is pending, or it expired: start setup again.</summary>
    public const string TwoFactorNoPendingSetup = "two_factor_no_pending_setup";

    /// <summary>
    /// Two-factor authentication is active, and replacing the authenticator or the recovery codes needs the current
    /// second factor (a code from the current authenticator or a recovery code) besides the password; none was given.
    /// </summary>
    public const string TwoFactorCurrentCodeRequired = "two_factor_current_code_required";

    // ---- TOTP provider ----
    /// <summary>The account name for the otpauth URI was empty, too long, or contained <c>':'</c> or control characters.</summary>
    public const string TotpAccountNameInvalid = "totp_account_name_invalid";

    // ---- Support PIN ----
    /// <summary>No PIN was given.</summary>
    public const string SupportPinRequired = "support_pin_required";

    /// <summary>The PIN contains something other than the ASCII digits 0-9 (letters, spaces, other scripts' digits).</summary>
    public const string SupportPinNotDigits = "support_pin_not_digits";

    /// <summary>The PIN has fewer digits than <see cref="SupportPin.SupportPinOptions.MinLength"/>.</summary>
    public const string SupportPinTooShort = "support_pin_too_short";

    /// <summary>The PIN has more digits than <see cref="SupportPin.SupportPinOptions.MaxLength"/> (never silently truncated).</summary>
    public const string SupportPinTooLong = "support_pin_too_long";

    /// <summary>The PIN is one digit repeated, such as <c>000000</c>.</summary>
    public const string SupportPinSameDigit = "support_pin_same_digit";

    /// <summary>The PIN is an ascending or descending run, such as <c>123456</c>, <c>654321</c> or <c>890123</c>.</summary>
    public const string SupportPinSequential = "support_pin_sequential";

    /// <summary>
    /// The PIN is a simple pattern: a repeated block (<c>121212</c>, <c>123123</c>), a mirrored run
    /// (<c>123321</c>), doubled digits of a run (<c>112233</c>) or two halves of one digit each (<c>111222</c>).
    /// </summary>
    public const string SupportPinPattern = "support_pin_pattern";

    /// <summary>The PIN is on the list of commonly chosen PINs (or on the host's additional blocklist).</summary>
    public const string SupportPinCommon = "support_pin_common";

    /// <summary>The new PIN and its repetition differ.</summary>
    public const string SupportPinMismatch = "support_pin_mismatch";

    /// <summary>The PIN given to a support agent is not the account's PIN, or the account named does not exist.</summary>
    public const string SupportPinWrong = "support_pin_wrong";

    /// <summary>The account has no support PIN (for verification and removal).</summary>
    public const string SupportPinNotSet = "support_pin_not_set";

    /// <summary>No valid support-agent id was given (required, at most 128 characters, no control characters).</summary>
    public const string SupportAgentInvalid = "support_agent_invalid";

    /// <summary>
    /// The agent id names no active support agent (with the default <see cref="SupportPin.ContractSupportAgentAuthorizer"/>: no
    /// active contract owner or administrator). Answered the same whatever account was named; nothing is counted.
    /// </summary>
    public const string SupportAgentNotAuthorized = "support_agent_not_authorized";

    /// <summary>The support agent named no account (neither e-mail address nor user id).</summary>
    public const string SupportAccountRequired = "support_account_required";

    // ---- Protected secrets (TOTP secrets at rest) ----
    /// <summary>The protected value is not in the expected format (or is empty or too long).</summary>
    public const string ProtectedSecretMalformed = "protected_secret_malformed";

    /// <summary>The protected value names a key id that is not configured (a retired key was removed too early).</summary>
    public const string ProtectedSecretUnknownKey = "protected_secret_unknown_key";

    /// <summary>Decryption failed authentication: the value was altered, or it belongs to another context (user).</summary>
    public const string ProtectedSecretAuthenticationFailed = "protected_secret_authentication_failed";

    // ---- Passkeys (the AccountSecurity.Passkeys package) ----
    /// <summary>The browser's response is not a WebAuthn response (not JSON, missing fields, too long).</summary>
    public const string PasskeyResponseMalformed = "passkey_response_malformed";

    /// <summary>The response was made for another origin than this application's.</summary>
    public const string PasskeyOriginMismatch = "passkey_origin_mismatch";

    /// <summary>The response was made for another relying party (RP id).</summary>
    public const string PasskeyRelyingPartyMismatch = "passkey_rp_id_mismatch";

    /// <summary>The response signs another challenge than the ceremony's.</summary>
    public const string PasskeyChallengeMismatch = "passkey_challenge_mismatch";

    /// <summary>The ceremony's challenge was already accepted once (a replayed assertion).</summary>
    public const string PasskeyChallengeReplayed = "passkey_challenge_replayed";

    /// <summary>No ceremony is waiting, or it expired, or its state was altered: start again.</summary>
    public const string PasskeyCeremonyExpired = "passkey_ceremony_expired";

    /// <summary>The signature counter did not move forward: the authenticator may have been cloned.</summary>
    public const string PasskeyCounterRegressed = "passkey_counter_regressed";

    /// <summary>User verification (PIN or biometrics on the authenticator) was required and not performed.</summary>
    public const string PasskeyUserVerificationRequired = "passkey_user_verification_required";

    /// <summary>The credential is not one of this user's passkeys (or no account has it).</summary>
    public const string PasskeyUnknownCredential = "passkey_unknown_credential";

    /// <summary>The response did not verify (a bad signature, an unsupported algorithm, an invalid attestation).</summary>
    public const string PasskeyResponseInvalid = "passkey_response_invalid";

    /// <summary>The credential is already registered, for this user or for another account (a credential id names one account).</summary>
    public const string PasskeyAlreadyRegistered = "passkey_already_registered";

    /// <summary>The user has as many passkeys as <c>PasskeyOptions.MaxPasskeysPerUser</c> allows.</summary>
    public const string PasskeyLimitReached = "passkey_limit_reached";

    /// <summary>The name is empty, too long, or has control or invisible characters.</summary>
    public const string PasskeyInvalidName = "passkey_invalid_name";

    /// <summary>Removing it would leave a user on whom 2FA is forced with no second factor.</summary>
    public const string PasskeyLastSecondFactor = "passkey_last_second_factor";

    /// <summary>The session was not signed in with a second factor, which changing an account with one requires.</summary>
    public const string PasskeySecondFactorSessionRequired = "passkey_second_factor_session_required";

    /// <summary>The contract does not allow signing in with a passkey alone.</summary>
    public const string PasskeySignInNotAllowed = "passkey_sign_in_not_allowed";


    // ---- The audit trail ----
    /// <summary>An audit query or export was malformed: a page size out of range, an unknown event type, a time range that ends before it starts, a cursor this service did not return.</summary>
    public const string AuditQueryInvalid = "audit_query_invalid";

    /// <summary>The audit retention is outside the host's bounds.</summary>
    public const string AuditRetentionInvalid = "audit_retention_invalid";

    // ---- The HTTP layer (the AccountSecurity.AspNetCore package) ----
    /// <summary>The request needs a signed-in session and has none (HTTP 401).</summary>
    public const string NotAuthenticated = "not_authenticated";

    /// <summary>A state change made with a cookie lacks a valid antiforgery token (HTTP 400).</summary>
    public const string AntiforgeryInvalid = "antiforgery_invalid";

    /// <summary>Too many attempts from this client or for this account: wait for <c>Retry-After</c> (HTTP 429).</summary>
    public const string RateLimited = "rate_limited";

    /// <summary>
    /// Two-factor authentication is forced and not set up yet: a sign-in must set it up to complete (the result carries
    /// the ticket; the JSON API answers it as a 200 status), and a session in that state reaches only sign-out, the
    /// session and 2FA setup (HTTP 403 everywhere else).
    /// </summary>
    public const string TwoFactorSetupRequired = "two_factor_setup_required";

    /// <summary>
    /// The user's password was found in a data breach after a sign-in (<c>UserAccount.PasswordChangeRequired</c>): the
    /// session stands but reaches only sign-out, the session, re-authentication and the password change (with what the
    /// change form reads) until the password is changed (HTTP 403 everywhere else).
    /// </summary>
    public const string PasswordChangeRequired = "password_change_required";
}
