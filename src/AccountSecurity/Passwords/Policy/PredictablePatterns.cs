using System.Collections.Frozen;
using System.Text;
using AccountSecurity.Accounts;

namespace AccountSecurity.Passwords.Policy;

/// <summary>The kinds of predictable part <see cref="PredictablePatterns"/> collapses, in the order ties are named.</summary>
internal enum PatternKind
{
    None,
    ContextWord,
    Repeat,
    Sequence,
    KeyboardWalk,
}

/// <summary>
/// How much of a password is not a predictable pattern: pattern <em>detection</em> for
/// <see cref="DefaultPasswordPolicy"/>'s predictable-pattern rule, written by hand so the core package stays small,
/// allocation-light and trim/AOT-clean (see the policy's remarks for why not zxcvbn).
/// </summary>
/// <remarks>
/// The password is lower-cased and read as code points, then, left to right:
/// <list type="number">
/// <item>every occurrence of a context word (<see cref="ContextWords"/>) is removed: it counts for nothing and splits
/// the password, so no pattern spans it;</item>
/// <item>a group of characters written two or more times in a row (three or more for a single character) keeps one
/// copy: the longest such repetition starting at each position wins, the shorter group on a tie;</item>
/// <item>in what is left, every run of at least <see cref="ShortestRun"/> characters that is an alphabetical or
/// numerical sequence (each character one after or one before the previous; ASCII digits also wrap from 9 to 0 as on
/// the keyboard) or a keyboard walk (keys next to each other along one line of <see cref="KeyboardLines"/>, in one
/// direction) counts as one character: the longer of the two wins, the sequence on a tie.</item>
/// </list>
/// What remains is <see cref="Analysis.UniqueCharacters"/>; the characters inside any pattern (all copies of a
/// repeat, all of a run) are <see cref="Analysis.PatternCharacters"/>; the kind that removed the most characters is
/// <see cref="Analysis.Dominant"/>. Work is bounded: linear in the password for each of the
/// <see cref="LongestRepeatedGroup"/> group lengths tried and each keyboard line.
/// </remarks>
internal static class PredictablePatterns
{
    /// <summary>The shortest sequence, keyboard walk or run of one character that counts as a pattern.</summary>
    public const int ShortestRun = 3;

    /// <summary>E-mail words shorter than this are not context (too many innocent matches: "jo", "de").</summary>
    public const int ShortestContextWord = 3;

    /// <summary>
    /// The longest group whose repetition is collapsed: a longer group repeated leaves more than enough characters
    /// anyway, and the bound keeps the search linear.
    /// </summary>
    public const int LongestRepeatedGroup = 64;

    /// <summary>
    /// Lines of keys, unshifted and lower-case, along which a walk is looked for in both directions: the letter and
    /// number rows of the US QWERTY and German QWERTZ layouts and their slanted columns (<c>1qaz</c>, <c>1qay</c>), the
    /// AZERTY letter rows, and the numeric keypad's columns (its rows are sequences).
    /// </summary>
    internal static readonly string[] KeyboardLines =
    [
        // US QWERTY
        "`1234567890-=", "qwertyuiop[]\\", "asdfghjkl;'", "zxcvbnm,./",
        "1qaz", "2wsx", "3edc", "4rfv", "5tgb", "6yhn", "7ujm", "8ik,", "9ol.", "0p;/",

        // German QWERTZ
        "^1234567890\u00DF\u00B4", "qwertzuiop\u00FC+", "asdfghjkl\u00F6\u00E4#", "<yxcvbnm,.-",
        "1qay", "6zhn", "0p\u00F6-",

        // French AZERTY (its number row needs Shift for digits)
        "azertyuiop^$", "qsdfghjklm\u00F9*", "<wxcvbn,;:!",

        // Numeric keypad
        "741", "852", "963",
    ];

    /// <summary>For each key, where it sits on <see cref="KeyboardLines"/>: the walk search looks only there.</summary>
    private static readonly FrozenDictionary<int, (string Line, int Index)[]> KeyPositions = KeyboardLines
        .SelectMany(line => line.Select((key, index) => (Key: (int)key, Line: line, Index: index)))
        .GroupBy(p => p.Key)
        .ToFrozenDictionary(g => g.Key, g => g.Select(p => (p.Line, p.Index)).ToArray());

    /// <summary>The outcome: how much of the password is patterns, what is left once they are collapsed, and the kind that took the most.</summary>
    /// <param name="Length">The password's length in code points.</param>
    /// <param name="PatternCharacters">Code points inside a pattern (every copy of a repeat, every character of a run or context word).</param>
    /// <param name="UniqueCharacters">Code points left once the patterns are collapsed (each counting as described).</param>
    /// <param name="Dominant">The kind that took the most characters away, or <see cref="PatternKind.None"/>.</param>
    internal readonly record struct Analysis(int Length, int PatternCharacters, int UniqueCharacters, PatternKind Dominant);

    /// <summary>Analyses <paramref name="normalizedPassword"/> (NFKC) with the context words of <paramref name="normalizedEmail"/>.</summary>
    public static Analysis Analyze(string normalizedPassword, string? normalizedEmail, IReadOnlyList<string>? names = null)
    {
        var text = LowerCodePoints(normalizedPassword);
        var removed = new int[(int)PatternKind.KeyboardWalk + 1];
        var inPattern = new bool[text.Length];
        var inContextWord = MarkContextWords(text, ContextWords(normalizedEmail, names), removed);
        inContextWord.CopyTo(inPattern, 0);

        // Positions (into text) of what is left after collapsing the repeats of one stretch between context words.
        var collapsed = new List<int>(text.Length);
        var start = 0;
        while (start < text.Length)
        {
            if (inContextWord[start])
            {
                start++;
                continue;
            }

            var end = start;
            while (end < text.Length && !inContextWord[end])
            {
                end++;
            }

            collapsed.Clear();
            CollapseRepeats(text, start, end, collapsed, removed, inPattern);
            CollapseRuns(text, collapsed, removed, inPattern);
            start = end;
        }

        var total = 0;
        var dominant = PatternKind.None;
        for (var kind = PatternKind.ContextWord; kind <= PatternKind.KeyboardWalk; kind++)
        {
            total += removed[(int)kind];
            if (removed[(int)kind] > (dominant == PatternKind.None ? 0 : removed[(int)dominant]))
            {
                dominant = kind;
            }
        }

        return new Analysis(text.Length, inPattern.Count(p => p), text.Length - total, dominant);
    }

    /// <summary>
    /// The words of an e-mail address an attacker knows: the local part, its parts split at anything that is not a
    /// letter or digit, and those split again between letters and digits (<c>jane.doe1985</c> gives
    /// <c>jane.doe1985</c>, <c>jane</c>, <c>doe1985</c>, <c>doe</c>, <c>1985</c>); and every label of the domain but the
    /// last (the top-level domain is nobody's word). Only words of at least <see cref="ShortestContextWord"/> code points.
    /// </summary>
    /// <remarks>
    /// <paramref name="names"/> (the contract's and the product's names, NFKC) add their words the same way, and each
    /// name whole without what separates its words (<c>Acme Widgets</c> gives <c>acmewidgets</c>, <c>acme</c>, <c>widgets</c>).
    /// </remarks>
    internal static List<int[]> ContextWords(string? normalizedEmail, IReadOnlyList<string>? names = null)
    {
        var words = new List<int[]>();
        foreach (var name in names ?? [])
        {
            var parts = SplitWhere(name, c => !Rune.IsLetterOrDigit(c)).ToList();
            AddWord(words, string.Concat(parts));
            foreach (var part in parts)
            {
                AddWord(words, part);
                foreach (var piece in SplitClasses(part))
                {
                    AddWord(words, piece);
                }
            }
        }

        if (string.IsNullOrWhiteSpace(normalizedEmail))
        {
            words.Sort((a, b) => b.Length.CompareTo(a.Length));
            return words;
        }

        // Longer than any address a store accepts: not an address, and not worth searching for.
        var email = normalizedEmail.Trim();
        if (email.Length > EmailAddress.MaxLength)
        {
            return words;
        }

        var at = email.IndexOf('@', StringComparison.Ordinal);
        var local = at < 0 ? email : email[..at];
        var domain = at < 0 ? "" : email[(at + 1)..];

        Add(local);
        foreach (var part in SplitWhere(local, c => !Rune.IsLetterOrDigit(c)))
        {
            Add(part);
            foreach (var piece in SplitClasses(part))
            {
                Add(piece);
            }
        }

        var labels = domain.Split('.', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < labels.Length - 1; i++)
        {
            Add(labels[i]);
        }

        // Longest first, so "janedoe" is taken whole before "jane" could split it.
        words.Sort((a, b) => b.Length.CompareTo(a.Length));
        return words;

        void Add(string word) => AddWord(words, word);
    }

    private static void AddWord(List<int[]> words, string word)
    {
        var codePoints = LowerCodePoints(word);
        if (codePoints.Length >= ShortestContextWord && !words.Any(w => w.AsSpan().SequenceEqual(codePoints)))
        {
            words.Add(codePoints);
        }
    }

    private static bool[] MarkContextWords(int[] text, List<int[]> words, int[] removed)
    {
        var marked = new bool[text.Length];
        foreach (var word in words)
        {
            for (var i = 0; i + word.Length <= text.Length; i++)
            {
                if (text.AsSpan(i, word.Length).SequenceEqual(word) && !marked.AsSpan(i, word.Length).Contains(true))
                {
                    marked.AsSpan(i, word.Length).Fill(true);
                    removed[(int)PatternKind.ContextWord] += word.Length;
                    i += word.Length - 1;
                }
            }
        }

        return marked;
    }

    /// <summary>Appends the positions of <paramref name="text"/>[<paramref name="start"/>..<paramref name="end"/>) to <paramref name="output"/>, each repetition's group once.</summary>
    private static void CollapseRepeats(int[] text, int start, int end, List<int> output, int[] removed, bool[] inPattern)
    {
        var i = start;
        while (i < end)
        {
            int bestSpan = 0, bestGroup = 0;
            var longestGroup = Math.Min(LongestRepeatedGroup, (end - i) / 2);
            for (var group = 1; group <= longestGroup; group++)
            {
                // How far text[i..] matches itself shifted by one group.
                var matched = 0;
                while (i + matched + group < end && text[i + matched] == text[i + matched + group])
                {
                    matched++;
                }

                var copies = (matched + group) / group;
                if (copies >= (group == 1 ? ShortestRun : 2) && copies * group > bestSpan)
                {
                    bestSpan = copies * group;
                    bestGroup = group;
                }
            }

            if (bestGroup == 0)
            {
                output.Add(i);
                i++;
                continue;
            }

            for (var k = 0; k < bestGroup; k++)
            {
                output.Add(i + k);
            }

            inPattern.AsSpan(i, bestSpan).Fill(true);
            removed[(int)PatternKind.Repeat] += bestSpan - bestGroup;
            i += bestSpan;
        }
    }

    /// <summary>Counts each sequence and keyboard walk among the <paramref name="positions"/> left of <paramref name="source"/> as one character.</summary>
    private static void CollapseRuns(int[] source, List<int> positions, int[] removed, bool[] inPattern)
    {
        var text = positions.ConvertAll(p => source[p]);
        var i = 0;
        while (i < text.Count)
        {
            var sequence = SequenceLength(text, i);
            var walk = WalkLength(text, i);
            var length = Math.Max(sequence, walk);
            if (length < ShortestRun)
            {
                i++;
                continue;
            }

            removed[(int)(sequence >= walk ? PatternKind.Sequence : PatternKind.KeyboardWalk)] += length - 1;
            for (var k = i; k < i + length; k++)
            {
                inPattern[positions[k]] = true;
            }

            i += length;
        }
    }

    private static int SequenceLength(List<int> text, int start)
    {
        if (start + 1 >= text.Count)
        {
            return 1;
        }

        var step = Step(text[start], text[start + 1]);
        if (step == 0)
        {
            return 1;
        }

        var length = 2;
        while (start + length < text.Count && Step(text[start + length - 1], text[start + length]) == step)
        {
            length++;
        }

        return length;
    }

    /// <summary>+1 or -1 when <paramref name="next"/> follows or precedes <paramref name="current"/> among letters or among digits; else 0.</summary>
    private static int Step(int current, int next)
    {
        if (current == '9' && next == '0')
        {
            return 1;
        }

        if (current == '0' && next == '9')
        {
            return -1;
        }

        var difference = next - current;
        if (difference is not (1 or -1))
        {
            return 0;
        }

        Rune a = new(current), b = new(next);
        return (Rune.IsLetter(a) && Rune.IsLetter(b)) || (Rune.IsDigit(a) && Rune.IsDigit(b)) ? difference : 0;
    }

    private static int WalkLength(List<int> text, int start)
    {
        var best = 1;
        if (start + 1 >= text.Count || !KeyPositions.TryGetValue(text[start], out var positions))
        {
            return best;
        }

        foreach (var (line, position) in positions)
        {
            foreach (var direction in (ReadOnlySpan<int>)[1, -1])
            {
                var length = 1;
                var key = position + direction;
                while (start + length < text.Count && key >= 0 && key < line.Length && line[key] == text[start + length])
                {
                    length++;
                    key += direction;
                }

                best = Math.Max(best, length);
            }
        }

        return best;
    }

    private static int[] LowerCodePoints(string text)
    {
        var codePoints = new List<int>(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            codePoints.Add(Rune.ToLowerInvariant(rune).Value);
        }

        return [.. codePoints];
    }

    private static IEnumerable<string> SplitWhere(string text, Func<Rune, bool> isSeparator)
    {
        var current = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            if (isSeparator(rune))
            {
                if (current.Length > 0)
                {
                    yield return current.ToString();
                    current.Clear();
                }
            }
            else
            {
                current.Append(rune.ToString());
            }
        }

        if (current.Length > 0)
        {
            yield return current.ToString();
        }
    }

    /// <summary>Splits between letters and digits: <c>doe1985</c> gives <c>doe</c> and <c>1985</c>.</summary>
    private static IEnumerable<string> SplitClasses(string word)
    {
        var current = new StringBuilder();
        bool? digits = null;
        foreach (var rune in word.EnumerateRunes())
        {
            var isDigit = Rune.IsDigit(rune);
            if (digits is { } previous && previous != isDigit && current.Length > 0)
            {
                yield return current.ToString();
                current.Clear();
            }

            digits = isDigit;
            current.Append(rune.ToString());
        }

        if (current.Length > 0)
        {
            yield return current.ToString();
        }
    }
}
