using System.Globalization;
using System.Text;

namespace AccountSecurity.Diagnostics;

/// <summary>
/// A value bound for a log line or an event's text, made safe in this one place: control characters (CR, LF, NUL…),
/// line and paragraph separators, invisible and bidi control characters, lone surrogates and noncharacters are
/// written as <c>\uXXXX</c> (and a backslash as <c>\\</c>, so an escape cannot be forged), and anything beyond
/// <see cref="MaxLength"/> characters is cut with a note of how much was left out. So no id can forge a log line,
/// hide or reorder text in a viewer, or make a 20-million-character line. Every <c>[LoggerMessage]</c> parameter that
/// carries text takes this type; the implicit conversion from <see cref="string"/> applies it at every call.
/// </summary>
internal readonly struct LogValue : IEquatable<LogValue>
{
    /// <summary>The most characters of the original value kept (the escaped form may be longer, at most six times this).</summary>
    public const int MaxLength = 256;

    private readonly string? _text;

    private LogValue(string? text) => _text = text;

    /// <summary>The escaped, bounded text; <see langword="null"/> when the value was <see langword="null"/>.</summary>
    public string? Text => _text;

    /// <summary>Escapes and bounds <paramref name="value"/>.</summary>
    public static implicit operator LogValue(string? value) => new(Escape(value));

    /// <summary>Escapes and bounds <paramref name="value"/>; <see langword="null"/> stays <see langword="null"/>. Never throws.</summary>
    public static string? Escape(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var span = value.AsSpan(0, Math.Min(value.Length, MaxLength));
        if (span.Length > 0 && char.IsHighSurrogate(span[^1]) && value.Length > MaxLength && char.IsLowSurrogate(value[MaxLength]))
        {
            span = span[..^1]; // never cut a pair in two
        }

        StringBuilder? builder = null;
        var start = 0;
        for (var i = 0; i < span.Length; i++)
        {
            var c = span[i];
            var pair = char.IsHighSurrogate(c) && i + 1 < span.Length && char.IsLowSurrogate(span[i + 1]);
            var codePoint = pair ? char.ConvertToUtf32(c, span[i + 1]) : c;
            if (!NeedsEscape(c, codePoint, pair))
            {
                i += pair ? 1 : 0;
                continue;
            }

            builder ??= new StringBuilder(span.Length + 16);
            builder.Append(span[start..i]);
            if (c == '\\')
            {
                builder.Append(@"\\");
            }
            else
            {
                builder.Append(@"\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                if (pair)
                {
                    builder.Append(@"\u").Append(((int)span[i + 1]).ToString("X4", CultureInfo.InvariantCulture));
                    i++;
                }
            }

            start = i + 1;
        }

        var cut = value.Length - span.Length;
        if (builder is null && cut == 0)
        {
            return value;
        }

        builder ??= new StringBuilder(span.Length + 32);
        builder.Append(span[start..]);
        if (cut > 0)
        {
            builder.Append("…(+").Append(cut.ToString(CultureInfo.InvariantCulture)).Append(" chars)");
        }

        return builder.ToString();
    }

    /// <inheritdoc />
    public override string ToString() => _text ?? "(null)"; // as the log formatter renders a null argument

    /// <inheritdoc />
    public bool Equals(LogValue other) => string.Equals(_text, other._text, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is LogValue other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _text is null ? 0 : StringComparer.Ordinal.GetHashCode(_text);

    private static bool NeedsEscape(char c, int codePoint, bool pair)
    {
        if (c == '\\')
        {
            return true;
        }

        if (char.IsSurrogate(c) && !pair)
        {
            return true; // lone surrogate
        }

        if (codePoint is >= 0xFDD0 and <= 0xFDEF || (codePoint & 0xFFFE) == 0xFFFE)
        {
            return true; // noncharacter
        }

        var rune = new Rune(codePoint);
        return Rune.IsControl(rune) || codePoint is 0x2028 or 0x2029 || Accounts.InputText.IsInvisibleOrBidiControl(rune);
    }
}
