using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace AccountSecurity.Accounts.Confusables;

/// <summary>
/// The confusable skeleton of UTS #39 section 4 (skeleton = NFD, map every code point by <c>confusables.txt</c>,
/// NFD again), over Unicode's data (version 10.0.0, embedded; see NOTICE.md beside it), loaded once on first use.
/// Two strings with the same skeleton look alike (<c>kıng</c> and <c>king</c>, Cyrillic <c>а</c> and Latin <c>a</c>,
/// <c>rn</c> and <c>m</c>, <c>0</c> and <c>O</c>). The skeleton is case-sensitive, as the data is (<c>I</c> maps to
/// <c>l</c>); <see cref="LookAlikeKeys"/> says how e-mail addresses, which compare case-insensitively, use it.
/// </summary>
internal static class ConfusableSkeleton
{
    private static readonly Lazy<FrozenDictionary<int, string>> Prototypes = new(Load);

    /// <summary>The number of mappings loaded.</summary>
    public static int MappingCount => Prototypes.Value.Count;

    /// <summary>The UTS #39 skeleton of <paramref name="value"/>, which must be well-formed text.</summary>
    public static string Skeleton(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var prototypes = Prototypes.Value;
        var decomposed = value.Normalize(NormalizationForm.FormD);
        var mapped = new StringBuilder(decomposed.Length);
        foreach (var rune in decomposed.EnumerateRunes())
        {
            if (prototypes.TryGetValue(rune.Value, out var prototype))
            {
                mapped.Append(prototype);
            }
            else
            {
                mapped.Append(rune.ToString());
            }
        }

        return mapped.ToString().Normalize(NormalizationForm.FormD);
    }

    private static FrozenDictionary<int, string> Load()
    {
        using var stream = typeof(ConfusableSkeleton).Assembly.GetManifestResourceStream("AccountSecurity.confusables.txt")
            ?? throw new InvalidOperationException("The embedded confusables data is missing from the AccountSecurity assembly.");
        using var reader = new StreamReader(stream);
        var map = new Dictionary<int, string>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var separator = line.IndexOf(';', StringComparison.Ordinal);
            var source = int.Parse(line.AsSpan(0, separator), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
            var prototype = new StringBuilder();
            foreach (var codePoint in line[(separator + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                prototype.Append(char.ConvertFromUtf32(int.Parse(codePoint, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture)));
            }

            map[source] = prototype.ToString();
        }

        return map.ToFrozenDictionary();
    }
}
