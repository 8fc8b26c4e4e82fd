using AccountSecurity.Localization;

namespace AccountSecurity.Accounts;

/// <summary>
/// The one check of a user's <see cref="UserAccount.Culture"/>: a well-formed BCP 47 language tag (a language of 2 to 8
/// letters, then subtags of 1 to 8 letters or digits, hyphen-separated), at most <see cref="MaxLength"/> characters, in
/// canonical case (<c>de-de</c> becomes <c>de-DE</c>). Syntax only, on purpose: whether the runtime knows a culture
/// depends on the host's ICU data (and on invariant-globalization mode, none), so a name valid on one instance would be
/// refused on another; a culture without texts falls back to the host's default where texts are chosen.
/// </summary>
internal static class CultureName
{
    /// <summary>The most characters of a culture name (Windows' <c>LOCALE_NAME_MAX_LENGTH</c>, 85, includes the terminator).</summary>
    public const int MaxLength = 84;

    /// <summary>The refusal of a culture name that is not a well-formed tag.</summary>
    public static Results.SecurityError Invalid() => new(
        Results.SecurityErrorCodes.CultureInvalid, Localized.Format(UserMessages.CultureInvalid, MaxLength));

    /// <summary>
    /// Whether <paramref name="input"/> is absent (null, empty or white space: the host's default, <paramref name="name"/>
    /// <see langword="null"/>) or a well-formed tag (<paramref name="name"/> in canonical case). <see langword="false"/>
    /// for anything else.
    /// </summary>
    public static bool TryNormalize(string? input, out string? name)
    {
        name = null;
        var trimmed = input?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return true;
        }

        if (trimmed.Length > MaxLength)
        {
            return false;
        }

        var subtags = trimmed.Split('-');
        if (subtags[0].Length is < 2 or > 8 || !subtags[0].All(char.IsAsciiLetter))
        {
            return false;
        }

        for (var i = 1; i < subtags.Length; i++)
        {
            if (subtags[i].Length is < 1 or > 8 || !subtags[i].All(char.IsAsciiLetterOrDigit))
            {
                return false;
            }
        }

        name = string.Join('-', subtags.Select(Canonical));
        return true;

        // RFC 5646 2.1.1: language lower case, a four-letter script title case, a two-letter region upper case; after a
        // singleton (an extension or private use), everything lower case.
        string Canonical(string subtag, int index)
        {
            var afterSingleton = subtags.Take(index).Skip(1).Any(s => s.Length == 1);
            return index == 0 || afterSingleton ? subtag.ToLowerInvariant()
                : subtag.Length == 2 && subtag.All(char.IsAsciiLetter) ? subtag.ToUpperInvariant()
                : subtag.Length == 4 && subtag.All(char.IsAsciiLetter) ? char.ToUpperInvariant(subtag[0]) + subtag[1..].ToLowerInvariant()
                : subtag.ToLowerInvariant();
        }
    }
}
