namespace AccountSecurity.SupportPin;

/// <summary>Stable error codes of the support-PIN capability. Codes never change once shipped; hosts may switch on them.</summary>
public static class SupportPinErrorCodes
{
    /// <summary>No PIN was given.</summary>
    public const string Required = "support_pin_required";

    /// <summary>The PIN contains something other than the ASCII digits 0-9 (letters, spaces, other scripts' digits).</summary>
    public const string NotDigits = "support_pin_not_digits";

    /// <summary>The PIN has fewer digits than <see cref="SupportPinOptions.MinLength"/>.</summary>
    public const string TooShort = "support_pin_too_short";

    /// <summary>The PIN has more digits than <see cref="SupportPinOptions.MaxLength"/> (never silently truncated).</summary>
    public const string TooLong = "support_pin_too_long";

    /// <summary>The PIN is one digit repeated, such as <c>000000</c>.</summary>
    public const string SameDigit = "support_pin_same_digit";

    /// <summary>The PIN is an ascending or descending run, such as <c>123456</c>, <c>654321</c> or <c>890123</c>.</summary>
    public const string Sequential = "support_pin_sequential";

    /// <summary>
    /// The PIN is a simple pattern: a repeated block (<c>121212</c>, <c>123123</c>), a mirrored run
    /// (<c>123321</c>), doubled digits of a run (<c>112233</c>) or two halves of one digit each (<c>111222</c>).
    /// </summary>
    public const string Pattern = "support_pin_pattern";

    /// <summary>The PIN is on the list of commonly chosen PINs (or on the host's additional blocklist).</summary>
    public const string Common = "support_pin_common";

    /// <summary>The new PIN and its repetition differ.</summary>
    public const string Mismatch = "support_pin_mismatch";

    /// <summary>The PIN given to a support agent is not the account's PIN, or the account named does not exist.</summary>
    public const string Wrong = "support_pin_wrong";

    /// <summary>The account has no support PIN (for verification and removal).</summary>
    public const string NotSet = "support_pin_not_set";

    /// <summary>No valid support-agent id was given (required, at most 128 characters, no control characters).</summary>
    public const string AgentInvalid = "support_agent_invalid";

    /// <summary>
    /// The agent id names no active support agent (with the default <see cref="ContractSupportAgentAuthorizer"/>: no
    /// active contract owner or administrator). Answered the same whatever account was named; nothing is counted.
    /// </summary>
    public const string AgentNotAuthorized = "support_agent_not_authorized";

    /// <summary>The support agent named no account (neither e-mail address nor user id).</summary>
    public const string AccountRequired = "support_account_required";
}

/// <summary>Stable outcome codes carried by the support-PIN events that report a success.</summary>
public static class SupportPinOutcomeCodes
{
    /// <summary>A first PIN was set (<see cref="Events.SecurityEventType.SupportPinSet"/>).</summary>
    public const string Set = "support_pin_set";

    /// <summary>The PIN was changed (<see cref="Events.SecurityEventType.SupportPinChanged"/>).</summary>
    public const string Changed = "support_pin_changed";

    /// <summary>The PIN was removed (<see cref="Events.SecurityEventType.SupportPinRemoved"/>).</summary>
    public const string Removed = "support_pin_removed";

    /// <summary>A support agent verified the PIN (<see cref="Events.SecurityEventType.SupportPinVerified"/>).</summary>
    public const string Verified = "support_pin_verified";
}
