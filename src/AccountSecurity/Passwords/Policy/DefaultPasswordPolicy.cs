using System.Globalization;
using System.Text;
using AccountSecurity.Accounts;
using AccountSecurity.Localization;
using AccountSecurity.Results;

namespace AccountSecurity.Passwords.Policy;

/// <summary>
/// The default <see cref="IPasswordPolicy"/>: length, character classes, common passwords (and their simple
/// variants), the user's e-mail, passwords that are trivial however long they are (control characters, only
/// whitespace, only invisible characters, long runs of one character) and passwords that are mostly a predictable
/// pattern (repeats, sequences, keyboard walks, the e-mail's words) — all checked on the NFKC-normalised candidate,
/// all violations reported together. Messages never contain the candidate or the e-mail address.
/// </summary>
/// <remarks>
/// <para>
/// The trivial-password rules apply under every policy (they are not composition rules and no contract needs them
/// off): <c>password_control_characters</c>, <c>password_whitespace_only</c>, <c>password_invisible_only</c> and
/// <c>password_repeated_characters</c> (more than <see cref="MaximumRepeatedCharacters"/> of one character in a
/// row). The common-variant rule (<c>password_common_variant</c>) follows the policy's blocklist switch.
/// </para>
/// <para>
/// The predictable-pattern rule (NIST SP 800-63B 5.1.1.2: "repetitive or sequential characters" and
/// "context-specific words") follows <see cref="PasswordPolicySettings.RejectPredictablePatterns"/>. The candidate,
/// compared case-insensitively, is collapsed left to right: (1) each occurrence of a word of the user's e-mail
/// address (the local part, its parts between dots, dashes, underscores or pluses, those split between letters and
/// digits, and the domain's labels except the top-level domain; 3 characters or more) counts for nothing; (2) a group
/// of characters written two or more times in a row, or one character three or more times, counts once
/// (<c>monkeymonkeymonkey</c> → <c>monkey</c>); (3) in what is left, a run of 3 or more characters that is an
/// alphabetical or numerical sequence, ascending or descending (<c>abcdef</c>, <c>98765</c>, <c>7890</c>), or a
/// keyboard walk along one row or slanted column of a US QWERTY, German QWERTZ or French AZERTY layout or a column of
/// the numeric keypad, forwards or backwards (<c>qwertz</c>, <c>ölkjh</c>, <c>1qay</c>), counts as one character.
/// The candidate is refused when it is mostly patterns — at least half of its characters are in one (every copy of
/// a repeat counts) — and fewer than <see cref="MinimumUniqueCharacters"/> characters remain. The error names the
/// kind that took the most characters: <c>password_context_words</c>, <c>password_repeated_pattern</c>,
/// <c>password_sequence</c> or <c>password_keyboard_walk</c> (on a tie in that order). It is left out when another error already names the same cause (<c>password_repeated_characters</c> for
/// a repeat, <c>password_contains_email</c> for the e-mail's words) or the candidate has no visible character.
/// So <c>qwertyuiopas</c> (3 remain), <c>abcabcabcabc</c> (1) and, for <c>jane@example.com</c>,
/// <c>exampleexample</c> (0) are refused, while a password that merely contains a pattern keeps enough besides it:
/// <c>violet-Anchor-29-qwerty</c> (6 of 23 characters in a pattern, 18 remain), <c>correct horse battery staple</c>
/// (none). A short word with a walk inside (<c>endpoints</c>) is not mostly a pattern. A group of 8 or more
/// characters written twice is judged as that group.
/// </para>
/// <para>
/// Why not zxcvbn: the served <c>zxcvbn-core</c> 1.1.17 was last released in March 2017 (a port of zxcvbn's old
/// entropy model, netstandard1.x, no trim or AOT annotations, MIT only through a deprecated licence URL). It trims
/// without warnings, but brings about 0.85 MB of embedded dictionaries and costs about 20–35 ms per call (tens of
/// milliseconds more on the first), against microseconds here; its score is a strength estimate to threshold, not a
/// reason to show the user, and it still accepts <c>abababababab</c> (score 3) and knows no QWERTZ layout. The common
/// passwords already come from zxcvbn-ts's list (see <see cref="PasswordPolicySettings.BlockCommonPasswords"/>), so
/// the part zxcvbn would add is pattern detection, which is small enough to write and test here.
/// </para>
/// </remarks>
public sealed class DefaultPasswordPolicy : IPasswordPolicy
{
    /// <summary>
    /// The longest run of one character (compared case-insensitively) a password may contain. Words and numbers people
    /// type hold up to four ("Hmmmm", "1000"); five and more is padding ("aaaaa", "!!!!!") that NIST SP 800-63B
    /// 5.1.1.2 names as "repetitive characters" to refuse.
    /// </summary>
    public const int MaximumRepeatedCharacters = 4;

    /// <summary>
    /// The fewest characters a password must keep once its predictable parts are collapsed (see the remarks): the
    /// shortest password any policy may allow (<see cref="PasswordPolicySettings.LowestAllowedMinimumLength"/>).
    /// </summary>
    public const int MinimumUniqueCharacters = PasswordPolicySettings.LowestAllowedMinimumLength;

    /// <summary>E-mail local parts shorter than this are not searched for (too many innocent matches).</summary>
    private const int ShortestLocalPartToReject = 3;

    /// <inheritdoc />
    public IReadOnlyList<SecurityError> Validate(string? candidate, string? email, PasswordPolicySettings settings) =>
        Validate(candidate, new PasswordContext(email), settings);

    /// <inheritdoc />
    /// <remarks>
    /// The contract's and the product's names are context words like the e-mail's (split into words of at least
    /// <see cref="PredictablePatterns.ShortestContextWord"/> characters, and taken whole without their spaces): a
    /// password mostly made of them is refused with <c>password_context_words</c> under
    /// <see cref="PasswordPolicySettings.RejectPredictablePatterns"/>.
    /// </remarks>
    public IReadOnlyList<SecurityError> Validate(string? candidate, PasswordContext context, PasswordPolicySettings settings)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        var email = context.Email;
        if (!PasswordText.TryNormalize(candidate, out var password, out var inputError))
        {
            return [inputError!];
        }

        var errors = new List<SecurityError>();
        var length = PasswordText.CountCodePoints(password);
        if (length < settings.MinimumLength)
        {
            errors.Add(new(SecurityErrorCodes.PasswordTooShort, Localized.Format(UserMessages.PasswordTooShort, settings.MinimumLength)));
        }

        if (length > settings.MaximumLength)
        {
            errors.Add(new(SecurityErrorCodes.PasswordTooLong, Localized.Format(UserMessages.PasswordTooLong, settings.MaximumLength)));
        }

        int digits = 0, upper = 0, lower = 0, special = 0;
        foreach (var rune in password.EnumerateRunes())
        {
            if (Rune.IsDigit(rune))
            {
                digits++;
            }
            else if (Rune.IsUpper(rune))
            {
                upper++;
            }
            else if (Rune.IsLower(rune))
            {
                lower++;
            }
            else if (!Rune.IsLetter(rune))
            {
                special++;
            }
        }

        AddClassError(errors, digits, settings.MinimumDigits, SecurityErrorCodes.PasswordRequiresDigit, UserMessages.PasswordRequiresDigit_One, UserMessages.PasswordRequiresDigit_Other);
        AddClassError(errors, upper, settings.MinimumUppercase, SecurityErrorCodes.PasswordRequiresUppercase, UserMessages.PasswordRequiresUppercase_One, UserMessages.PasswordRequiresUppercase_Other);
        AddClassError(errors, lower, settings.MinimumLowercase, SecurityErrorCodes.PasswordRequiresLowercase, UserMessages.PasswordRequiresLowercase_One, UserMessages.PasswordRequiresLowercase_Other);
        AddClassError(errors, special, settings.MinimumSpecial, SecurityErrorCodes.PasswordRequiresSpecial, UserMessages.PasswordRequiresSpecial_One, UserMessages.PasswordRequiresSpecial_Other);

        var hasVisibleCharacter = AddTrivialPasswordErrors(errors, password);

        if (settings.BlockCommonPasswords)
        {
            if (CommonPasswordList.Contains(password))
            {
                errors.Add(new(SecurityErrorCodes.PasswordCommon, UserMessages.PasswordCommon));
            }
            else if (CommonPasswordList.ContainsVariant(password))
            {
                errors.Add(new(SecurityErrorCodes.PasswordCommonVariant, UserMessages.PasswordCommonVariant));
            }
        }

        var normalizedEmail = NormalizeEmail(email);
        if (settings.RejectEmail && ContainsEmail(password, normalizedEmail))
        {
            errors.Add(new(SecurityErrorCodes.PasswordContainsEmail, UserMessages.PasswordContainsEmail));
        }

        // A password without a visible character is already refused as such; there is no pattern to name.
        if (settings.RejectPredictablePatterns && hasVisibleCharacter)
        {
            AddPredictablePatternError(errors, password, normalizedEmail, ContextNames(context));
        }

        return errors;
    }

    /// <summary>The contract's and the product's names, NFKC-normalised, for the context words.</summary>
    private static List<string> ContextNames(PasswordContext context)
    {
        var names = new List<string>(2);
        foreach (var name in (ReadOnlySpan<string?>)[context.ContractName, context.ProductName])
        {
            // Names come from stored data or configuration; one that cannot be normalised is compared as it is.
            if (!string.IsNullOrWhiteSpace(name) && name.Length <= 200)
            {
                names.Add(PasswordText.TryNormalize(name.Trim(), out var normalized, out _) ? normalized : name.Trim());
            }
        }

        return names;
    }

    private static void AddPredictablePatternError(List<SecurityError> errors, string password, string? normalizedEmail, List<string> names)
    {
        // Mostly patterns (at least half of the characters are in one) and too little left once they are collapsed.
        var analysis = PredictablePatterns.Analyze(password, normalizedEmail, names);
        if (analysis.PatternCharacters * 2 < analysis.Length || analysis.UniqueCharacters >= MinimumUniqueCharacters)
        {
            return;
        }

        // One message for one cause: a run of one character or the e-mail's name part already has its own error.
        var error = analysis.Dominant switch
        {
            PatternKind.Repeat when !errors.Any(e => e.Code == SecurityErrorCodes.PasswordRepeatedCharacters) => new SecurityError(
                SecurityErrorCodes.PasswordRepeatedPattern,
                UserMessages.PasswordRepeatedPattern),
            PatternKind.Sequence => new SecurityError(
                SecurityErrorCodes.PasswordSequence,
                UserMessages.PasswordSequence),
            PatternKind.KeyboardWalk => new SecurityError(
                SecurityErrorCodes.PasswordKeyboardWalk,
                UserMessages.PasswordKeyboardWalk),
            PatternKind.ContextWord when !errors.Any(e => e.Code == SecurityErrorCodes.PasswordContainsEmail) => new SecurityError(
                SecurityErrorCodes.PasswordContextWords,
                names.Count == 0 ? UserMessages.PasswordContextWords : UserMessages.PasswordContextWordsWithNames),
            _ => null,
        };
        if (error is not null)
        {
            errors.Add(error);
        }
    }

    /// <returns>Whether the password has a visible character.</returns>
    private static bool AddTrivialPasswordErrors(List<SecurityError> errors, string password)
    {
        bool anyControl = false, allWhitespace = true, anyVisible = false;
        int longestRun = 0, run = 0;
        var previous = default(Rune);
        foreach (var rune in password.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            anyControl |= category is UnicodeCategory.Control or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
            allWhitespace &= Rune.IsWhiteSpace(rune);
            anyVisible |= IsVisible(rune, category);

            var folded = Rune.ToLowerInvariant(rune);
            run = folded == previous ? run + 1 : 1;
            previous = folded;
            longestRun = Math.Max(longestRun, run);
        }

        if (anyControl)
        {
            errors.Add(new(SecurityErrorCodes.PasswordControlCharacters, UserMessages.PasswordControlCharacters));
        }

        if (allWhitespace)
        {
            errors.Add(new(SecurityErrorCodes.PasswordWhitespaceOnly, UserMessages.PasswordWhitespaceOnly));
        }
        else if (!anyVisible)
        {
            errors.Add(new(SecurityErrorCodes.PasswordInvisibleOnly, UserMessages.PasswordInvisibleOnly));
        }

        if (longestRun > MaximumRepeatedCharacters)
        {
            errors.Add(new(SecurityErrorCodes.PasswordRepeatedCharacters, Localized.Format(UserMessages.PasswordRepeatedCharacters, MaximumRepeatedCharacters)));
        }

        return anyVisible;
    }

    /// <summary>
    /// Whether a character leaves a mark: not whitespace, control, format (zero-width characters, bidi controls) or a
    /// combining mark, and not one of the filler letters that render as nothing.
    /// </summary>
    private static bool IsVisible(Rune rune, UnicodeCategory category) => category switch
    {
        UnicodeCategory.Control or UnicodeCategory.Format
            or UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
            or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark => false,
        _ => rune.Value is not (0x115F or 0x1160 or 0x3164 or 0xFFA0 or 0x2800 or 0x180E) && !Rune.IsWhiteSpace(rune),
    };

    /// <summary>Refuses too few characters of a class, in the singular for one ("one digit") and the plural otherwise ("2 digits").</summary>
    private static void AddClassError(List<SecurityError> errors, int actual, int required, string code, string one, string other)
    {
        if (actual < required)
        {
            errors.Add(new(code, required == 1 ? one : Localized.Format(other, required)));
        }
    }

    /// <summary>The e-mail trimmed and NFKC-normalised, or <see langword="null"/> when there is none.</summary>
    private static string? NormalizeEmail(string? email)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return null;
        }

        // The e-mail comes from stored data; one that cannot be normalised (invalid UTF-16) is compared as it is.
        var trimmed = email.Trim();
        return PasswordText.TryNormalize(trimmed, out var normalizedEmail, out _) ? normalizedEmail : trimmed;
    }

    private static bool ContainsEmail(string password, string? normalizedEmail)
    {
        if (normalizedEmail is null)
        {
            return false;
        }

        var local = EmailAddress.LocalPart(normalizedEmail);
        return password.Contains(normalizedEmail, StringComparison.OrdinalIgnoreCase)
            || (local.Length >= ShortestLocalPartToReject && password.Contains(local, StringComparison.OrdinalIgnoreCase));
    }
}
