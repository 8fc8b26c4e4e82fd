using System.Text;

namespace AccountSecurity.Testing.Hardening;

/// <summary>One hostile value and a name to report it by (the value itself may be 10 MB or unprintable).</summary>
/// <param name="Name">What the value is, for failure messages.</param>
/// <param name="Value">The value; <see langword="null"/> only where a parameter is nullable.</param>
public sealed record HostileValue(string Name, string? Value)
{
    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>
/// The hostile inputs the suite sends into every parameter: NUL, lone surrogates, noncharacters, CR/LF, line
/// separators, bidi overrides, zero-width characters, 10 MB strings, empty and blank strings, and malformed tickets.
/// Built in code, not in attributes: attribute strings are stored as UTF-8 metadata, which silently turns a lone
/// surrogate into U+FFFD.
/// </summary>
public static class HostileInputs
{
    private static readonly Lazy<string> TenMegabytes = new(() => new string('x', 10_000_000));

    /// <summary>Strings no id, e-mail address, name, password, code or PIN may be, and that must still get an answer.</summary>
    public static IReadOnlyList<HostileValue> Strings { get; } =
    [
        new("empty", string.Empty),
        new("blank", "   "),
        new("NUL", "\0"),
        new("NUL inside", "user\0id"),
        new("lone high surrogate", "user" + '\uD800' + "id"),
        new("lone low surrogate", '\uDC00' + "user"),
        new("trailing high surrogate", "user-id" + '\uD83D'),
        new("noncharacter U+FFFE", "user" + '\uFFFE'),
        new("noncharacter U+FDD0", '\uFDD0' + "user"),
        new("noncharacter U+10FFFF", "user" + char.ConvertFromUtf32(0x10FFFF)),
        new("CR/LF", "user-id\r\nINFO AccountSecurity: forged line"),
        new("line separator", "user" + '\u2028' + "id"),
        new("bidi override", "user" + '\u202E' + "di-resu"),
        new("zero-width space", "user" + '\u200B' + "id"),
        new("byte-order mark", '\uFEFF' + "user-id"),
        new("129 characters", new string('a', 129)),
        new("10 MB", TenMegabytes.Value),
    ];

    /// <summary>
    /// Strings that may be an id or a name but must be stored and logged as plain data: SQL, format specifiers, markup.
    /// Refusing them would be wrong; mangling them, or letting them change a query or a log template, worse.
    /// </summary>
    public static IReadOnlyList<HostileValue> Injections { get; } =
    [
        new("SQL", "x'); DROP TABLE users; --"),
        new("format specifiers", "{0}{UserId}%s%n%x"),
        new("markup", "<script>alert(1)</script>"),
        new("percent-encoded NUL", "%00"),
    ];

    /// <summary>Strings no display name (a contract's) may be: control characters, invalid text, over 200 characters.</summary>
    public static IReadOnlyList<HostileValue> Names { get; } =
    [
        .. Strings.Where(s => s.Name is not ("bidi override" or "zero-width space" or "byte-order mark" or "129 characters")),
        new("201 characters", new string('n', 201)),
    ];

    /// <summary><see cref="Strings"/> and <see langword="null"/>, for nullable parameters.</summary>
    public static IReadOnlyList<HostileValue> StringsAndNull { get; } = [new("null", null), .. Strings];

    /// <summary>E-mail-shaped strings no address may be (each also fails <c>EmailAddress.IsPlausible</c>).</summary>
    public static IReadOnlyList<HostileValue> Emails { get; } =
    [
        new("null", null),
        .. Strings,
        new("e-mail with NUL", "ursula\0@hostile.example"),
        new("e-mail with lone surrogate", "ursula" + '\uD800' + "@hostile.example"),
        new("e-mail with noncharacter", "ursula" + '\uFFFE' + "@hostile.example"),
        new("e-mail with CR/LF", "ursula@hostile.example\r\nBcc: all@hostile.example"),
        new("e-mail with zero-width space", "urs" + '\u200B' + "ula@hostile.example"),
        new("e-mail with bidi override", "ursula" + '\u202E' + "elpmaxe@hostile.example"),
        new("e-mail of 10 MB", TenMegabytes.Value + "@hostile.example"),
        new("two at signs", "ursula@@hostile.example"),
    ];

    /// <summary>Malformed and made-up sign-in tickets, including ones whose id part decodes to hostile text.</summary>
    public static IReadOnlyList<HostileValue> Tickets { get; } = BuildTickets();

    /// <summary>A ticket for <paramref name="userId"/> with a made-up secret: well-formed, but never issued.</summary>
    /// <param name="userId">The id the ticket names.</param>
    /// <returns>The ticket.</returns>
    public static string MadeUpTicket(string userId) =>
        System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(userId)) + "." + System.Buffers.Text.Base64Url.EncodeToString(new byte[32]);

    private static List<HostileValue> BuildTickets()
    {
        var tickets = new List<HostileValue>
        {
            new("null", null),
            new("ticket whose id is NUL", "AA.abcdef"),
            new("ticket whose id is CESU-8 surrogate bytes", System.Buffers.Text.Base64Url.EncodeToString([0xED, 0xA0, 0x80]) + ".abcdef"),
            new("dot", "."),
            new("two dots", ".."),
            new("no secret", "dXNlcg."),
            new("no id", ".abcdef"),
            new("three parts", "dXNlcg.abc.def"),
            new("not base64url", "!!!!.abcdef"),
        };
        tickets.AddRange(Strings.Select(s => s with { Name = "ticket " + s.Name }));
        foreach (var id in Strings.Where(s => s.Value!.Length < 1000))
        {
            tickets.Add(new("ticket whose id is " + id.Name, MadeUpTicket(id.Value!)));
        }

        return tickets;
    }
}
