using System.Collections.Frozen;

namespace AccountSecurity.Passwords.Policy;

/// <summary>
/// The shipped list of common passwords (about 49,000, from zxcvbn-ts, MIT; see NOTICE.md beside the list),
/// loaded once on first use. Entries are NFKC-normalised and lower-cased; matching is case-insensitive on the whole password.
/// </summary>
internal static class CommonPasswordList
{
    private static readonly Lazy<FrozenSet<string>> Entries = new(Load);

    public static int Count => Entries.Value.Count;

    public static bool Contains(string normalizedPassword) => Entries.Value.Contains(normalizedPassword);

    private static FrozenSet<string> Load()
    {
        using var stream = typeof(CommonPasswordList).Assembly.GetManifestResourceStream("AccountSecurity.common-passwords.txt")
            ?? throw new InvalidOperationException("The embedded common-password list is missing from the AccountSecurity assembly.");
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                set.Add(line);
            }
        }

        return set.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    }
}
