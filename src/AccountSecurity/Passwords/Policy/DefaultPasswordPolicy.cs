using System.Globalization;
using System.Text;
using AccountSecurity.Accounts;
using AccountSecurity.Results;

namespace AccountSecurity.Passwords.Policy;

/// <summary>
/// The default <see cref="IPasswordPolicy"/>: length, character classes, common passwords (and their simple
/// variants), the user's e-mail, and passwords that are trivial however long they are (control characters,
/// only whitespace, only invisible characters, long runs of one character) — all checked on the NFKC-normalised
/// candidate, all violations reported together.
/// </summary>
/// <remarks>
/// The trivial-password rules apply under every policy (they are not composition rules and no contract needs them
/// off): <c>password_control_characters</c>, <c>password_whitespace_only</c>, <c>password_invisible_only</c> and
/// <c>password_repeated_characters</c> (more than <see cref="MaximumRepeatedCharacters"/> of one character in a
/// row). The common-variant rule (<c>password_common_variant</c>) follows the policy's blocklist switch.
/// </remarks>
public sealed class DefaultPasswordPolicy : IPasswordPolicy
{
    /// <summary>
    /// The longest run of one character (compared case-insensitively) a password may contain. Words and numbers people
    /// type hold up to four ("Hmmmm", "1000"); five and more is padding ("aaaaa", "!!!!!") that NIST SP 800-63B
    /// 5.1.1.2 names as "repetitive characters" to refuse.
    /// </summary>
    public const int MaximumRepeatedCharacters = 4;

    /// <summary>E-mail local parts shorter than this are not searched for (too many innocent matches).</summary>
    private const int ShortestLocalPartToReject = 3;

    /// <inheritdoc />
    public IReadOnlyList<SecurityError> Validate(string? candidate, string? email, PasswordPolicySettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!PasswordText.TryNormalize(candidate, out var password, out var inputError))
        {
            return [inputError!];
        }

        var errors = new List<SecurityError>();
        var length = PasswordText.CountCodePoints(password);
        if (length < settings.MinimumLength)
        {
            errors.Add(new(PasswordErrorCodes.TooShort, $"Use at least {settings.MinimumLength} characters."));
        }

        if (length > settings.MaximumLength)
        {
            errors.Add(new(PasswordErrorCodes.TooLong, $"Use at most {settings.MaximumLength} characters."));
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

        AddClassError(errors, digits, settings.MinimumDigits, PasswordErrorCodes.RequiresDigit, "digit");
        AddClassError(errors, upper, settings.MinimumUppercase, PasswordErrorCodes.RequiresUppercase, "upper-case letter");
        AddClassError(errors, lower, settings.MinimumLowercase, PasswordErrorCodes.RequiresLowercase, "lower-case letter");
        AddClassError(errors, special, settings.MinimumSpecial, PasswordErrorCodes.RequiresSpecial, "special character (such as ! ? # or a space)");

        AddTrivialPasswordErrors(errors, password);

        if (settings.BlockCommonPasswords)
        {
            if (CommonPasswordList.Contains(password))
            {
                errors.Add(new(PasswordErrorCodes.Common, "This password is too common and easy to guess. Choose one that others are unlikely to use."));
            }
            else if (CommonPasswordList.ContainsVariant(password))
            {
                errors.Add(new(PasswordErrorCodes.CommonVariant, "This password is a common password with digits or symbols added or letters swapped for look-alikes (such as \"P@ssw0rd1\"). Attackers try these first: choose a password that is not built on a common one, such as a few unrelated words."));
            }
        }

        if (settings.RejectEmail && ContainsEmail(password, email))
        {
            errors.Add(new(PasswordErrorCodes.ContainsEmail, "Do not use your e-mail address or its name part in your password."));
        }

        return errors;
    }

    private static void AddTrivialPasswordErrors(List<SecurityError> errors, string password)
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
            errors.Add(new(PasswordErrorCodes.ControlCharacters, "Remove control characters (such as tabs or line breaks) from the password: they cannot be typed reliably everywhere."));
        }

        if (allWhitespace)
        {
            errors.Add(new(PasswordErrorCodes.WhitespaceOnly, "A password of only spaces is easy to guess. Use letters, digits or symbols too."));
        }
        else if (!anyVisible)
        {
            errors.Add(new(PasswordErrorCodes.InvisibleOnly, "The password has no visible character (only zero-width, combining or format characters). Use letters, digits or symbols you can see."));
        }

        if (longestRun > MaximumRepeatedCharacters)
        {
            errors.Add(new(PasswordErrorCodes.RepeatedCharacters, string.Create(CultureInfo.InvariantCulture,
                $"Do not repeat one character more than {MaximumRepeatedCharacters} times in a row: repeated characters add length but no strength.")));
        }
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

    private static void AddClassError(List<SecurityError> errors, int actual, int required, string code, string what)
    {
        if (actual < required)
        {
            errors.Add(new(code, required == 1
                ? $"Include at least one {what}."
                : string.Create(CultureInfo.InvariantCulture, $"Include at least {required} of: {what}.")));
        }
    }

    private static bool ContainsEmail(string password, string? email)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return false;
        }

        // The e-mail comes from stored data; one that cannot be normalised (invalid UTF-16) is compared as it is.
        var trimmed = email.Trim();
        if (PasswordText.TryNormalize(trimmed, out var normalizedEmail, out _))
        {
            trimmed = normalizedEmail;
        }

        var local = EmailAddress.LocalPart(trimmed);
        return password.Contains(trimmed, StringComparison.OrdinalIgnoreCase)
            || (local.Length >= ShortestLocalPartToReject && password.Contains(local, StringComparison.OrdinalIgnoreCase));
    }
}
