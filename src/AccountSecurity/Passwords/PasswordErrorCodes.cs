namespace AccountSecurity.Passwords;

/// <summary>Stable error codes of the password capability (policy, change, reset).</summary>
public static class PasswordErrorCodes
{
    /// <summary>No password was given.</summary>
    public const string Required = "password_required";

    /// <summary>The password contains a NUL character, a Unicode noncharacter or invalid UTF-16 (a lone surrogate).</summary>
    public const string InvalidCharacters = "password_invalid_characters";

    /// <summary>Shorter than the policy's minimum length.</summary>
    public const string TooShort = "password_too_short";

    /// <summary>Longer than the policy's maximum length (never silently truncated).</summary>
    public const string TooLong = "password_too_long";

    /// <summary>Fewer digits than the policy asks for.</summary>
    public const string RequiresDigit = "password_requires_digit";

    /// <summary>Fewer upper-case letters than the policy asks for.</summary>
    public const string RequiresUppercase = "password_requires_uppercase";

    /// <summary>Fewer lower-case letters than the policy asks for.</summary>
    public const string RequiresLowercase = "password_requires_lowercase";

    /// <summary>Fewer special characters than the policy asks for.</summary>
    public const string RequiresSpecial = "password_requires_special";

    /// <summary>The password is on the list of commonly used passwords.</summary>
    public const string Common = "password_common";

    /// <summary>
    /// The password is a common password with a simple change: digits, symbols or spaces before or after it, or
    /// look-alike digits and symbols for letters (<c>password123456</c>, <c>P@ssw0rd12345</c>).
    /// </summary>
    public const string CommonVariant = "password_common_variant";

    /// <summary>The password contains a control character (a tab, a line break, U+0001…) or a line or paragraph separator.</summary>
    public const string ControlCharacters = "password_control_characters";

    /// <summary>The password is made of whitespace only (spaces, tabs, ideographic spaces…).</summary>
    public const string WhitespaceOnly = "password_whitespace_only";

    /// <summary>The password has no visible character: only zero-width, format or combining characters (and whitespace).</summary>
    public const string InvisibleOnly = "password_invisible_only";

    /// <summary>The password repeats one character more than <see cref="Policy.DefaultPasswordPolicy.MaximumRepeatedCharacters"/> times in a row.</summary>
    public const string RepeatedCharacters = "password_repeated_characters";

    /// <summary>
    /// The password is mostly one group of two or more characters repeated (<c>abababababab</c>,
    /// <c>monkeymonkeymonkey</c>), or short runs of one character: once the repeats are collapsed, fewer than
    /// <see cref="Policy.DefaultPasswordPolicy.MinimumUniqueCharacters"/> characters remain.
    /// </summary>
    public const string RepeatedPattern = "password_repeated_pattern";

    /// <summary>
    /// The password is mostly letters or digits in alphabetical or numerical order, ascending or descending
    /// (<c>abcdefghijkl</c>, <c>987654321</c>): once each sequence counts as one character, fewer than
    /// <see cref="Policy.DefaultPasswordPolicy.MinimumUniqueCharacters"/> characters remain.
    /// </summary>
    public const string Sequence = "password_sequence";

    /// <summary>
    /// The password is mostly keys next to each other on a keyboard, along a row or a column of a QWERTY, QWERTZ or
    /// AZERTY layout or the numeric keypad, forwards or backwards (<c>qwertyuiopas</c>, <c>zxcvbnmasdfg</c>,
    /// <c>qwertzuiop</c>): once each walk counts as one character, fewer than
    /// <see cref="Policy.DefaultPasswordPolicy.MinimumUniqueCharacters"/> characters remain.
    /// </summary>
    public const string KeyboardWalk = "password_keyboard_walk";

    /// <summary>
    /// The password is mostly words an attacker knows from the account: the parts of the user's e-mail address (the
    /// name before the <c>@</c> and its dot-, dash-, underscore- or plus-separated words, and the domain's labels
    /// without the top-level domain), alone or repeated (<c>exampleexample</c> for <c>jane@example.com</c>).
    /// </summary>
    public const string ContextWords = "password_context_words";

    /// <summary>The password contains the user's e-mail address or its local part.</summary>
    public const string ContainsEmail = "password_contains_email";

    /// <summary>The password was used recently (it is in the password history).</summary>
    public const string Reused = "password_reused";

    /// <summary>The new password and its repetition differ.</summary>
    public const string Mismatch = "password_mismatch";

    /// <summary>The new password equals the current one.</summary>
    public const string SameAsCurrent = "password_same_as_current";

    /// <summary>The current password given for a change or re-authentication is wrong.</summary>
    public const string WrongCurrent = "password_wrong_current";

    /// <summary>A password policy's own settings are invalid (for example a maximum below 64).</summary>
    public const string InvalidPolicy = "password_policy_invalid";

    /// <summary>A reset token is unknown, expired, already used, or the e-mail does not match.</summary>
    public const string ResetTokenInvalid = "reset_token_invalid";

    /// <summary>
    /// A stored bcrypt hash (a password's or a support PIN's, typically imported from another system) has a cost above
    /// <see cref="Hashing.PasswordHashingOptions.MaximumWorkFactor"/>: it is refused without ever being computed, so
    /// nothing can match it until it is replaced. For the operator (the log line carries it): rehash such hashes at
    /// import to a cost no higher than the maximum, or have the user reset the password or set the PIN again. Never
    /// shown to the user, who gets the ordinary answer of a wrong password or PIN.
    /// </summary>
    public const string StoredHashCostTooHigh = "stored_hash_cost_too_high";
}
