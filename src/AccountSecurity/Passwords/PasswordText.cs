using System.Text;
using AccountSecurity.Accounts;
using AccountSecurity.Localization;
using AccountSecurity.Results;

namespace AccountSecurity.Passwords;

/// <summary>
/// The one place a raw password string becomes the text that is checked and hashed: refused when empty, too
/// long to be worth normalising, containing NUL, a noncharacter or invalid UTF-16; otherwise NFKC-normalised (NIST SP 800-63B 5.1.1.2).
/// </summary>
internal static class PasswordText
{
    /// <summary>
    /// No policy may allow more than this many characters; longer input is refused before normalisation or
    /// hashing, so a megabyte "password" costs nothing.
    /// </summary>
    public const int AbsoluteMaximumLength = 4096;

    public static bool TryNormalize(string? password, out string normalized, out SecurityError? error)
    {
        normalized = string.Empty;
        if (string.IsNullOrEmpty(password))
        {
            error = new SecurityError(SecurityErrorCodes.PasswordRequired, UserMessages.PasswordRequired);
            return false;
        }

        if (password.Length > AbsoluteMaximumLength)
        {
            error = new SecurityError(SecurityErrorCodes.PasswordTooLong, Localized.Format(UserMessages.PasswordTooLong, AbsoluteMaximumLength));
            return false;
        }

        if (password.Contains('\0', StringComparison.Ordinal) || !InputText.IsWellFormed(password))
        {
            error = new SecurityError(SecurityErrorCodes.PasswordInvalidCharacters, UserMessages.PasswordInvalidCharacters);
            return false;
        }

        normalized = password.Normalize(NormalizationForm.FormKC);
        error = null;
        return true;
    }

    /// <summary>Length as NIST counts it: Unicode code points after normalisation.</summary>
    public static int CountCodePoints(string normalized)
    {
        var count = 0;
        foreach (var _ in normalized.EnumerateRunes())
        {
            count++;
        }

        return count;
    }
}
