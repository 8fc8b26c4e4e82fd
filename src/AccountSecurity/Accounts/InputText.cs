using System.Diagnostics.CodeAnalysis;

namespace AccountSecurity.Accounts;

/// <summary>
/// Checks on identifiers and text typed by users before they reach a store. Invalid UTF-16 (a lone surrogate) is
/// refused here because a store cannot be trusted to take it: PostgreSQL's driver encodes parameters with a strict
/// UTF-8 encoder and throws, which would turn hostile input into an unhandled exception (and an answer that differs
/// from "unknown account").
/// </summary>
internal static class InputText
{
    /// <summary>The longest user or contract id accepted.</summary>
    public const int MaxIdLength = 128;

    /// <summary>Whether <paramref name="id"/> can be an id: non-blank, bounded, no control characters, valid UTF-16.</summary>
    public static bool IsId([NotNullWhen(true)] string? id) =>
        !string.IsNullOrWhiteSpace(id) && id.Length <= MaxIdLength && !id.Any(char.IsControl) && !HasLoneSurrogate(id);

    /// <summary>Whether <paramref name="value"/> holds a surrogate without its partner (text no encoder can represent).</summary>
    public static bool HasLoneSurrogate(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1]))
                {
                    return true;
                }

                i++;
            }
            else if (char.IsLowSurrogate(c))
            {
                return true;
            }
        }

        return false;
    }
}
