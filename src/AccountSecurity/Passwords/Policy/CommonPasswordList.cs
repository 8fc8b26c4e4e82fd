using System.Collections.Frozen;
using System.Text;

namespace AccountSecurity.Passwords.Policy;

/// <summary>
/// The shipped list of common passwords (about 49,000, from zxcvbn-ts, MIT; see NOTICE.md beside the list),
/// loaded once on first use. Entries are NFKC-normalised and lower-cased; matching is case-insensitive on the whole password.
/// </summary>
internal static class CommonPasswordList
{
    /// <summary>
    /// A common password with something added is only recognised when what remains of it has at least this many
    /// characters: shorter list entries ("abc", "god") sit inside too many strong passwords by chance.
    /// </summary>
    public const int ShortestVariantBase = 4;

    private static readonly Lazy<(FrozenSet<string> Set, int Longest)> Entries = new(Load);

    public static int Count => Entries.Value.Set.Count;

    public static bool Contains(string normalizedPassword) => Entries.Value.Set.Contains(normalizedPassword);

    /// <summary>
    /// Whether <paramref name="normalizedPassword"/> is a common password in disguise (NIST SP 800-63B 5.1.1.2:
    /// "dictionary words … and context-specific words", with the simple changes attackers try first): the whole
    /// password, once a leading and/or a trailing run of digits, symbols and spaces is taken off and look-alike
    /// digits and symbols are read as the letters they stand for (<c>P@ssw0rd</c> as <c>password</c>), is a list entry
    /// of at least <see cref="ShortestVariantBase"/> characters that contains a letter.
    /// </summary>
    /// <remarks>
    /// Precise on purpose: only the whole remainder is looked up, never a word inside it, so a passphrase that merely
    /// contains a common word ("purple monkey dishwasher 42") is not refused. A password that is itself on the list
    /// is <see cref="Contains"/>'s case, not this one. The work is bounded by the longest entry (about 20 characters).
    /// </remarks>
    public static bool ContainsVariant(string normalizedPassword)
    {
        var (set, longest) = Entries.Value;
        var text = normalizedPassword.ToLowerInvariant();
        if (text.Length < ShortestVariantBase)
        {
            return false;
        }

        var leadingEnd = 0;
        while (leadingEnd < text.Length && IsAffix(text[leadingEnd]))
        {
            leadingEnd++;
        }

        var trailingStart = text.Length;
        while (trailingStart > leadingEnd && IsAffix(text[trailingStart - 1]))
        {
            trailingStart--;
        }

        // Where the remainder may start (before or after the leading run) and end (anywhere in the trailing run, since
        // "l0v3" ends in a look-alike digit that belongs to the word, not to the suffix).
        foreach (var start in leadingEnd == 0 ? [0] : new[] { 0, leadingEnd })
        {
            for (var end = text.Length; end >= Math.Max(trailingStart, start + ShortestVariantBase); end--)
            {
                if (end - start > longest)
                {
                    continue;
                }

                var remainder = text[start..end];
                if (!remainder.Any(char.IsLetter))
                {
                    continue;
                }

                var changed = start > 0 || end < text.Length;
                if ((changed && set.Contains(remainder))
                    || IsListedLookAlike(set, remainder, ambiguousAs: 'i')
                    || IsListedLookAlike(set, remainder, ambiguousAs: 'l'))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Digits, symbols, punctuation and spaces: what people put before or after a word to "strengthen" it.</summary>
    private static bool IsAffix(char c) => char.IsDigit(c) || char.IsPunctuation(c) || char.IsSymbol(c) || char.IsWhiteSpace(c);

    /// <summary>The remainder with look-alikes read as letters ("1", "!" and "|" read as <paramref name="ambiguousAs"/>), if that changed anything.</summary>
    private static bool IsListedLookAlike(FrozenSet<string> set, string remainder, char ambiguousAs)
    {
        var builder = new StringBuilder(remainder.Length);
        var changed = false;
        foreach (var c in remainder)
        {
            var letter = c switch
            {
                '@' or '4' => 'a',
                '8' => 'b',
                '(' => 'c',
                '3' or '€' => 'e',
                '6' or '9' => 'g',
                '1' or '!' or '|' => ambiguousAs,
                '0' => 'o',
                '5' or '$' => 's',
                '7' or '+' => 't',
                '2' => 'z',
                _ => c,
            };
            changed |= letter != c;
            builder.Append(letter);
        }

        return changed && set.Contains(builder.ToString());
    }

    private static (FrozenSet<string>, int) Load()
    {
        using var stream = typeof(CommonPasswordList).Assembly.GetManifestResourceStream("AccountSecurity.common-passwords.txt")
            ?? throw new InvalidOperationException("The embedded common-password list is missing from the AccountSecurity assembly.");
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var longest = 0;
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                set.Add(line);
                longest = Math.Max(longest, line.Length);
            }
        }

        return (set.ToFrozenSet(StringComparer.OrdinalIgnoreCase), longest);
    }
}
