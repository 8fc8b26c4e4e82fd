using AccountSecurity.Localization;
using AccountSecurity.Results;

namespace AccountSecurity.Passwords.Policy;

/// <summary>
/// A password policy: the contract-wide rules a contract owner sets, or the library default. Lengths count Unicode
/// code points after NFKC normalisation. Passwords are never truncated: too long is an error.
/// </summary>
public sealed record PasswordPolicySettings
{
    /// <summary>The smallest maximum a policy may set: NIST SP 800-63B asks verifiers to allow at least 64 characters.</summary>
    public const int LowestAllowedMaximumLength = 64;

    /// <summary>The smallest minimum a policy may set (NIST SP 800-63B: 8).</summary>
    public const int LowestAllowedMinimumLength = 8;

    /// <summary>
    /// The default when a contract has no policy, in the spirit of NIST SP 800-63B: 12 to 128 characters, common
    /// passwords, the user's e-mail and predictable patterns (repeats, sequences, keyboard walks, the e-mail's words)
    /// refused, no composition minimums, the last 5 passwords not reusable.
    /// </summary>
    public static PasswordPolicySettings Default { get; } = new();

    /// <summary>The fewest characters.</summary>
    /// <value>Defaults to 12.</value>
    public int MinimumLength { get; init; } = 12;

    /// <summary>The most characters; at least <see cref="LowestAllowedMaximumLength"/>.</summary>
    /// <value>Defaults to 128.</value>
    public int MaximumLength { get; init; } = 128;

    /// <summary>The fewest digits (0-9 and other Unicode digits).</summary>
    /// <value>Defaults to 0.</value>
    public int MinimumDigits { get; init; }

    /// <summary>The fewest upper-case letters.</summary>
    /// <value>Defaults to 0.</value>
    public int MinimumUppercase { get; init; }

    /// <summary>The fewest lower-case letters.</summary>
    /// <value>Defaults to 0.</value>
    public int MinimumLowercase { get; init; }

    /// <summary>The fewest special characters (anything neither letter nor digit, space included).</summary>
    /// <value>Defaults to 0.</value>
    public int MinimumSpecial { get; init; }

    /// <summary>Refuse passwords on the shipped list of common passwords (case-insensitive, whole password).</summary>
    /// <value>Defaults to <see langword="true"/>.</value>
    public bool BlockCommonPasswords { get; init; } = true;

    /// <summary>Refuse passwords that contain the user's e-mail address or its local part.</summary>
    /// <value>Defaults to <see langword="true"/>.</value>
    public bool RejectEmail { get; init; } = true;

    /// <summary>
    /// Refuse passwords that are mostly a predictable pattern: a repeated group of characters, an alphabetical or
    /// numerical sequence, a keyboard walk, or the words of the user's e-mail address (NIST SP 800-63B 5.1.1.2:
    /// "repetitive or sequential characters" and "context-specific words"). A password that merely contains such a
    /// part is accepted; see <see cref="DefaultPasswordPolicy"/> for the exact rule.
    /// </summary>
    /// <value>Defaults to <see langword="true"/>.</value>
    public bool RejectPredictablePatterns { get; init; } = true;

    /// <summary>How many previous passwords may not be used again (0 turns the history off).</summary>
    /// <value>Defaults to 5.</value>
    public int HistoryDepth { get; init; } = 5;

    /// <summary>The most history entries a policy may ask for; each costs one bcrypt check on every change.</summary>
    public const int MaximumHistoryDepth = 24;

    /// <summary>Every problem with these settings; empty when they are usable.</summary>
    public IReadOnlyList<SecurityError> Validate()
    {
        var errors = new List<SecurityError>();
        void Add(string message) => errors.Add(new SecurityError(SecurityErrorCodes.PasswordPolicyInvalid, message));

        if (MinimumLength < LowestAllowedMinimumLength)
        {
            Add(Localized.Format(UserMessages.PolicyMinimumLengthTooLow, LowestAllowedMinimumLength));
        }

        if (MaximumLength < LowestAllowedMaximumLength || MaximumLength > PasswordText.AbsoluteMaximumLength)
        {
            Add(Localized.Format(UserMessages.PolicyMaximumLengthOutOfRange, LowestAllowedMaximumLength, PasswordText.AbsoluteMaximumLength));
        }

        if (MinimumLength > MaximumLength)
        {
            Add(UserMessages.PolicyMinimumAboveMaximum);
        }

        if (MinimumDigits < 0 || MinimumUppercase < 0 || MinimumLowercase < 0 || MinimumSpecial < 0)
        {
            Add(UserMessages.PolicyClassMinimumNegative);
        }
        else if ((long)MinimumDigits + MinimumUppercase + MinimumLowercase + MinimumSpecial > MaximumLength)
        {
            Add(UserMessages.PolicyClassMinimumsTooLarge);
        }

        if (HistoryDepth is < 0 or > MaximumHistoryDepth)
        {
            Add(Localized.Format(UserMessages.PolicyHistoryDepthOutOfRange, MaximumHistoryDepth));
        }

        return errors;
    }
}
