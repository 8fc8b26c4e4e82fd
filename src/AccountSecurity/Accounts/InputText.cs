using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace AccountSecurity.Accounts;

/// <summary>
/// Checks on identifiers and text typed by users before they reach a store, a normaliser or a log line. Invalid
/// UTF-16 (a lone surrogate) is refused because a store cannot be trusted to take it: PostgreSQL's driver encodes
/// parameters with a strict UTF-8 encoder and throws. Unicode noncharacters (U+FDD0..U+FDEF and the last two code
/// points of every plane) are refused because the platform's normaliser throws on some of them (ICU rejects U+FFFE)
/// and because no interchanged text may carry them (Unicode §23.7). Either would turn hostile input into an
/// unhandled exception. Control characters (NUL above all: PostgreSQL text cannot hold it) and line separators are
/// refused in ids because ids go into log lines and audit events, where a CR/LF forges a line. Invisible and bidi
/// control characters are refused in ids and e-mail addresses because they make two different accounts look alike
/// (<c>admin\u200BA</c> beside <c>adminA</c>, a right-to-left override that shows <c>moc.elpmaxe</c> reversed).
/// </summary>
internal static class InputText
{
    /// <summary>The longest user, contract or agent id accepted.</summary>
    public const int MaxIdLength = 128;

    /// <summary>The longest contract (display) name accepted.</summary>
    public const int MaxNameLength = 200;

    /// <summary>
    /// Whether <paramref name="id"/> can be an id: non-blank, at most <see cref="MaxIdLength"/> characters, valid
    /// UTF-16 without noncharacters, and no control, line-separator, invisible or bidi control character. An id that
    /// fails this names no account anywhere, so callers answer it exactly as an unknown id. Never throws.
    /// </summary>
    public static bool IsId([NotNullWhen(true)] string? id)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Length > MaxIdLength || !IsWellFormed(id))
        {
            return false;
        }

        foreach (var rune in id.EnumerateRunes())
        {
            if (Rune.IsControl(rune) || IsLineBreaking(rune) || IsInvisibleOrBidiControl(rune))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Whether <paramref name="name"/> can be a display name (a contract's): non-blank, at most
    /// <paramref name="maxLength"/> characters, well-formed, without control or line-separator characters. Never throws.
    /// </summary>
    public static bool IsName([NotNullWhen(true)] string? name, int maxLength = MaxNameLength)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > maxLength || !IsWellFormed(name))
        {
            return false;
        }

        foreach (var rune in name.EnumerateRunes())
        {
            if (Rune.IsControl(rune) || IsLineBreaking(rune))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Whether <paramref name="value"/> is text every store and the normaliser accept: valid UTF-16 (no surrogate
    /// without its partner) and no Unicode noncharacter. Checked before any <see cref="string.Normalize(NormalizationForm)"/>
    /// call, which would otherwise throw on such input. Never throws.
    /// </summary>
    public static bool IsWellFormed(ReadOnlySpan<char> value)
    {
        while (!value.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(value, out var rune, out var consumed) != OperationStatus.Done || IsNoncharacter(rune.Value))
            {
                return false;
            }

            value = value[consumed..];
        }

        return true;
    }

    /// <summary>Whether <paramref name="value"/> holds an invisible or bidi control character (see <see cref="IsInvisibleOrBidiControl"/>).</summary>
    public static bool ContainsInvisibleOrBidiControl(string value)
    {
        foreach (var rune in value.EnumerateRunes())
        {
            if (IsInvisibleOrBidiControl(rune))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Format characters (general category Cf: zero-width space and joiners, soft hyphen, the byte-order mark, the
    /// bidi embeddings, overrides, isolates and marks, tag characters) and the rest of Unicode's
    /// Default_Ignorable_Code_Point set (Hangul fillers, variation selectors, the combining grapheme joiner, reserved
    /// ignorables): everything that renders as nothing, or reorders what is around it.
    /// </summary>
    public static bool IsInvisibleOrBidiControl(Rune rune)
    {
        if (Rune.GetUnicodeCategory(rune) == UnicodeCategory.Format)
        {
            return true;
        }

        // Default_Ignorable_Code_Point (DerivedCoreProperties.txt) outside Cf.
        return rune.Value is 0x034F
            or 0x115F or 0x1160
            or 0x17B4 or 0x17B5
            or (>= 0x180B and <= 0x180F)
            or (>= 0x2060 and <= 0x206F)
            or 0x3164
            or (>= 0xFE00 and <= 0xFE0F)
            or 0xFFA0
            or (>= 0xFFF0 and <= 0xFFF8)
            or (>= 0x1BCA0 and <= 0x1BCA3)
            or (>= 0x1D173 and <= 0x1D17A)
            or (>= 0xE0000 and <= 0xE0FFF);
    }

    /// <summary>Characters a log viewer or terminal may break a line at besides CR and LF: NEL is a control, these are not.</summary>
    private static bool IsLineBreaking(Rune rune) => rune.Value is 0x2028 or 0x2029;

    /// <summary>The 66 noncharacters: U+FDD0..U+FDEF, and U+xxFFFE/U+xxFFFF in each of the 17 planes.</summary>
    private static bool IsNoncharacter(int codePoint) =>
        codePoint is >= 0xFDD0 and <= 0xFDEF || (codePoint & 0xFFFE) == 0xFFFE;
}
