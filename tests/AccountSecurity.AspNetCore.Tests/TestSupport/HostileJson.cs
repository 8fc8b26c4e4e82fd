using System.Globalization;
using System.Text;

namespace AccountSecurity.AspNetCore.Tests.TestSupport;

/// <summary>
/// One hostile string for a JSON field or a route value, made from the field's valid value (so the rest of the text
/// looks right and the request gets as far as it can).
/// </summary>
/// <param name="Name">What it is, for failure messages.</param>
/// <param name="Make">Builds the value from the field's valid (baseline) value.</param>
/// <param name="IsValidText">Well-formed text without control characters: a free-text field (a name, a new password) may accept it.</param>
/// <param name="IsInvalidUtf16">Holds a lone surrogate: the JSON reader may refuse the body before any handler sees it.</param>
/// <param name="RawBytes">Written as raw (generalised) UTF-8 bytes in the body rather than as a <c>\uXXXX</c> escape.</param>
/// <param name="BeyondBodyLimit">Longer than the API's body limit (64 KB): refused as a body, never read.</param>
internal sealed record HostileText(string Name, Func<string, string> Make, bool IsValidText = false, bool IsInvalidUtf16 = false, bool RawBytes = false, bool BeyondBodyLimit = false)
{
    public override string ToString() => Name;
}

/// <summary>
/// The hostile strings of the HTTP suite, and the encoders that can carry them: <see cref="System.Text.Json"/> and
/// <see cref="Uri.EscapeDataString(string)"/> refuse or replace a lone surrogate, so bodies and paths are written by hand.
/// </summary>
internal static class HostileJson
{
    public static IReadOnlyList<HostileText> Values { get; } =
    [
        new("NUL", _ => "\0"),
        new("NUL inside", v => Inside(v, "\0")),
        new("lone high surrogate (JSON escape)", v => Inside(v, "\uD800"), IsInvalidUtf16: true),
        new("lone high surrogate (raw ED A0 80 bytes)", v => Inside(v, "\uD800"), IsInvalidUtf16: true, RawBytes: true),
        new("lone low surrogate (JSON escape)", v => v + "\uDC00", IsInvalidUtf16: true),
        new("U+FFFE (raw bytes)", v => Inside(v, "\uFFFE"), RawBytes: true),
        new("U+FFFF (JSON escape)", v => Inside(v, "\uFFFF")),
        new("CR/LF", v => v + "\r\nINFO AccountSecurity: forged line"),
        new("bidi override U+202E", v => Inside(v, "\u202E"), IsValidText: true),
        new("bidi isolate U+2067..U+2069", v => "\u2067" + v + "\u2069", IsValidText: true),
        new("whitespace only", _ => " \u00A0\u2003\u3000 "),
        new("10,000 characters", v => v + new string('x', Math.Max(0, 10_000 - v.Length))),
        new("100 KB", _ => new string('x', 100_000), BeyondBodyLimit: true),
    ];

    /// <summary>JSON values of the wrong type for a string field (and hostile ones for a boolean or number field).</summary>
    public static IReadOnlyList<(string Name, string Json)> WrongTypes { get; } =
    [
        ("number", "12"),
        ("object", "{\"value\":\"\\u0000\"}"),
        ("array", "[\"\\u0000\"]"),
        ("string", "\"\\u0000\""),
        ("null", "null"),
    ];

    /// <summary>Whole bodies that are not the object the endpoint reads.</summary>
    public static IReadOnlyList<(string Name, byte[] Body)> MalformedBodies { get; } =
    [
        ("an array", Encoding.UTF8.GetBytes("[{\"email\":\"\\u0000\"}]")),
        ("a string", Encoding.UTF8.GetBytes("\"\\u0000\"")),
        ("invalid UTF-8 outside a string", [(byte)'{', 0xED, 0xA0, 0x80, (byte)'}']),
        ("truncated", Encoding.UTF8.GetBytes("{\"email\":\"al")),
    ];

    /// <summary>Content types the JSON endpoints do not read (the body itself is the valid baseline): not JSON, or a charset that is not UTF-8.</summary>
    public static IReadOnlyList<string> ContentTypes { get; } =
    [
        "text/plain",
        "application/json; charset=no-such-charset",
        "application/json; charset=utf-16",
    ];

    /// <summary>Members no contract has, with hostile names and values: skipped by the reader, so the request is the baseline's.</summary>
    public static IReadOnlyList<(string Name, string Json)> ExtraMembers { get; } =
    [
        ("extraField", "\"\\u0000\\ud800\\uffff\""),
        ("__proto__", "{\"isAdmin\":true}"),
        ("role", "\"ContractOwner\""),
        ("contract\0Id", "\"c2\""),
    ];

    /// <summary>A JSON string literal that can carry anything: ASCII as is, controls and quotes escaped, the rest escaped or as raw (generalised) UTF-8.</summary>
    public static byte[] StringLiteral(string value, bool rawBytes = false)
    {
        var output = new List<byte>(value.Length + 2) { (byte)'"' };
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c is '"' or '\\')
            {
                output.Add((byte)'\\');
                output.Add((byte)c);
            }
            else if (c < 0x20 || c == 0x7F || (c >= 0x80 && !rawBytes))
            {
                output.AddRange(Encoding.ASCII.GetBytes("\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture)));
            }
            else if (c < 0x80)
            {
                output.Add((byte)c);
            }
            else
            {
                i += AppendWtf8(output, value, i) - 1;
            }
        }

        output.Add((byte)'"');
        return [.. output];
    }

    /// <summary>
    /// A path segment: every byte but the unreserved ASCII characters percent-encoded. A lone surrogate has no UTF-8
    /// form, so it goes out as the bytes a lenient encoder would write (<c>%ED%A0%80</c>), as an attacker can send them.
    /// </summary>
    public static string PathSegment(string value)
    {
        var bytes = new List<byte>();
        var text = new StringBuilder();
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '.' or '_' or '~')
            {
                text.Append(c);
                continue;
            }

            bytes.Clear();
            i += AppendWtf8(bytes, value, i) - 1;
            foreach (var b in bytes)
            {
                text.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }

    /// <summary>An object from members already written as JSON.</summary>
    public static byte[] Object(IEnumerable<(string Name, byte[] Json)> members)
    {
        var output = new List<byte> { (byte)'{' };
        var first = true;
        foreach (var (name, json) in members)
        {
            if (!first)
            {
                output.Add((byte)',');
            }

            first = false;
            output.AddRange(StringLiteral(name));
            output.Add((byte)':');
            output.AddRange(json);
        }

        output.Add((byte)'}');
        return [.. output];
    }

    private static string Inside(string value, string inserted) => value[..(value.Length / 2)] + inserted + value[(value.Length / 2)..];

    /// <summary>Appends the UTF-8 of the character at <paramref name="index"/> (a pair as one code point, a lone surrogate as its 3 bytes); returns the characters used.</summary>
    private static int AppendWtf8(List<byte> output, string value, int index)
    {
        var c = value[index];
        if (char.IsHighSurrogate(c) && index + 1 < value.Length && char.IsLowSurrogate(value[index + 1]))
        {
            output.AddRange(Encoding.UTF8.GetBytes(value.Substring(index, 2)));
            return 2;
        }

        if (c < 0x80)
        {
            output.Add((byte)c);
        }
        else if (c < 0x800)
        {
            output.Add((byte)(0xC0 | (c >> 6)));
            output.Add((byte)(0x80 | (c & 0x3F)));
        }
        else
        {
            output.Add((byte)(0xE0 | (c >> 12)));
            output.Add((byte)(0x80 | ((c >> 6) & 0x3F)));
            output.Add((byte)(0x80 | (c & 0x3F)));
        }

        return 1;
    }
}
