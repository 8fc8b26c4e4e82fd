using System.Globalization;

namespace AccountSecurity.BreachedPasswords;

/// <summary>
/// One parsed range: every breached suffix with its count, sorted for a binary search, 24 bytes a suffix. Padding
/// entries (count 0) are dropped while parsing: they stand for no password.
/// </summary>
internal sealed class PwnedRange
{
    /// <summary>The longest line worth reading: 35 hex characters, a colon, a count of up to 10 digits, CR.</summary>
    internal const int LongestLine = PasswordHashRange.SuffixLength + 1 + 10 + 1;

    private readonly Entry[] _entries;

    private PwnedRange(Entry[] entries) => _entries = entries;

    /// <summary>An empty range (a partial mirror without the file).</summary>
    public static PwnedRange Empty { get; } = new([]);

    /// <summary>How many breached suffixes the range holds.</summary>
    public int Count => _entries.Length;

    /// <summary>How often <paramref name="suffix"/> (35 hex characters) appears in breaches; 0 when not at all.</summary>
    public int CountOf(string suffix)
    {
        if (!TryParseSuffix(suffix.AsSpan(), out var head, out var tail))
        {
            return 0;
        }

        int low = 0, high = _entries.Length - 1;
        while (low <= high)
        {
            var middle = low + ((high - low) / 2);
            var order = Compare(_entries[middle].Head, _entries[middle].Tail, head, tail);
            if (order == 0)
            {
                return _entries[middle].Count;
            }

            if (order < 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return 0;
    }

    /// <summary>
    /// Parses a range answer or file (ASCII lines <c>SUFFIX:COUNT</c>, CRLF or LF). A line that is not exactly that
    /// (wrong length, not hex, no colon, a count that is not a non-negative 32-bit number) is skipped and counted in
    /// <see cref="RangeParse.Malformed"/>; empty lines are skipped silently. More than <paramref name="maxLines"/>
    /// lines is no range at all (<see cref="RangeParse.TooManyLines"/>). Never throws.
    /// </summary>
    public static RangeParse Parse(ReadOnlySpan<byte> text, int maxLines)
    {
        var entries = new List<Entry>(Math.Min(maxLines, text.Length / (PasswordHashRange.SuffixLength + 2) + 1));
        var malformed = 0;
        var lines = 0;
        Span<char> chars = stackalloc char[LongestLine];
        while (!text.IsEmpty)
        {
            var end = text.IndexOf((byte)'\n');
            var line = end < 0 ? text : text[..end];
            text = end < 0 ? [] : text[(end + 1)..];
            if (!line.IsEmpty && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }

            if (line.IsEmpty)
            {
                continue;
            }

            if (++lines > maxLines)
            {
                return new RangeParse(null, malformed, TooManyLines: true);
            }

            if (line.Length > LongestLine || !TryParseLine(line, chars, out var entry))
            {
                malformed++;
                continue;
            }

            if (entry.Count > 0)
            {
                entries.Add(entry);
            }
        }

        var sorted = entries.ToArray();
        Array.Sort(sorted, static (a, b) => Compare(a.Head, a.Tail, b.Head, b.Tail));
        return new RangeParse(new PwnedRange(sorted), malformed, TooManyLines: false);
    }

    private static bool TryParseLine(ReadOnlySpan<byte> line, Span<char> chars, out Entry entry)
    {
        entry = default;
        if (line.Length < PasswordHashRange.SuffixLength + 2 || line[PasswordHashRange.SuffixLength] != (byte)':')
        {
            return false;
        }

        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] > 0x7F)
            {
                return false;
            }

            chars[i] = (char)line[i];
        }

        var text = chars[..line.Length];
        if (!TryParseSuffix(text[..PasswordHashRange.SuffixLength], out var head, out var tail)
            || !int.TryParse(text[(PasswordHashRange.SuffixLength + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            return false;
        }

        entry = new Entry(head, tail, count);
        return true;
    }

    /// <summary>35 hex characters (either case) as 128 + 12 bits.</summary>
    private static bool TryParseSuffix(ReadOnlySpan<char> suffix, out UInt128 head, out ushort tail)
    {
        tail = 0;
        head = default;
        return suffix.Length == PasswordHashRange.SuffixLength
            && UInt128.TryParse(suffix[..32], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out head)
            && ushort.TryParse(suffix[32..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out tail);
    }

    private static int Compare(UInt128 headA, ushort tailA, UInt128 headB, ushort tailB)
    {
        var order = headA.CompareTo(headB);
        return order != 0 ? order : tailA.CompareTo(tailB);
    }

    private readonly record struct Entry(UInt128 Head, ushort Tail, int Count);
}

/// <summary>What <see cref="PwnedRange.Parse"/> made of a text: the range (null when it had too many lines) and how many lines it skipped.</summary>
internal readonly record struct RangeParse(PwnedRange? Range, int Malformed, bool TooManyLines);
