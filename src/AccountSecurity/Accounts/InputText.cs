using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace AccountSecurity.Accounts;

/// <summary>
/// Checks on identifiers and text typed by users before they reach a store or a normaliser. Invalid UTF-16 (a lone
/// surrogate) is refused because a store cannot be trusted to take it: PostgreSQL's driver encodes parameters with a
/// strict UTF-8 encoder and throws. Unicode noncharacters (U+FDD0..U+FDEF and the last two code points of every
/// plane) are refused because the platform's normaliser throws on some of them (ICU rejects U+FFFE) and because no
/// interchanged text may carry them (Unicode §23.7). Either would turn hostile input into an unhandled exception.
/// </summary>
internal static class InputText
{
    /// <summary>The longest user or contract id accepted.</summary>
    public const int MaxIdLength = 128;

    /// <summary>Whether <paramref name="id"/> can be an id: non-blank, bounded, no control characters, valid UTF-16.</summary>
    public static bool IsId([NotNullWhen(true)] string? id) =>
        !string.IsNullOrWhiteSpace(id) && id.Length <= MaxIdLength && !id.Any(char.IsControl) && IsWellFormed(id);

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

    /// <summary>The 66 noncharacters: U+FDD0..U+FDEF, and U+xxFFFE/U+xxFFFF in each of the 17 planes.</summary>
    private static bool IsNoncharacter(int codePoint) =>
        codePoint is >= 0xFDD0 and <= 0xFDEF || (codePoint & 0xFFFE) == 0xFFFE;
}
