using System.Globalization;
using System.Text;
using AccountSecurity.Accounts;
using AccountSecurity.Results;

namespace AccountSecurity.Passwords.Policy;

/// <summary>
/// The default <see cref="IPasswordPolicy"/>: length, character classes, common passwords and the user's e-mail,
/// all checked on the NFKC-normalised candidate, all violations reported together.
/// </summary>
public sealed class DefaultPasswordPolicy : IPasswordPolicy
{
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

        if (settings.BlockCommonPasswords && CommonPasswordList.Contains(password))
        {
            errors.Add(new(PasswordErrorCodes.Common, "This password is too common and easy to guess. Choose one that others are unlikely to use."));
        }

        if (settings.RejectEmail && ContainsEmail(password, email))
        {
            errors.Add(new(PasswordErrorCodes.ContainsEmail, "Do not use your e-mail address or its name part in your password."));
        }

        return errors;
    }

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
