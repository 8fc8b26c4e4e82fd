using System.Collections.Frozen;

namespace AccountSecurity.SupportPin;

/// <summary>
/// The shipped blocklist of commonly chosen PINs that the structural rules of <see cref="SupportPinRules"/> do not
/// already catch (one digit repeated, runs, repeated blocks, mirrored runs, grouped digits are rules, not entries).
/// </summary>
/// <remarks>
/// <para>
/// Hand-compiled, not copied from any data set, from the kinds of PIN that published analyses of real user-chosen
/// PINs find at the top of their frequency lists: Bonneau, Preibusch and Anderson, "A birthday present every eleven
/// wallets? The security of customer-chosen banking PINs" (FC 2012); Wang et al., "Understanding Human-Chosen PINs:
/// Characteristics, Distribution and Security" (AsiaCCS 2017); and Markert et al., "This PIN Can Be Easily Guessed"
/// (IEEE S&amp;P 2020), which found that a blocklist of the few hundred most common 6-digit PINs removes most of an
/// online attacker's advantage while rarely bothering users.
/// </para>
/// <para>
/// The entries are: shapes traced on a phone or PIN-pad keypad (columns, diagonals, crosses, zig-zags), culture
/// specific number words (520 and 1314 read as "I love you" and "for ever" in Chinese), well-known constants (pi,
/// e, 142857, Fibonacci), counting patterns (102030, 010203) and round numbers. For 4-digit PINs, which hosts may
/// allow, every year from 1900 to 2099 is refused as well, since birth years dominate that length. Calendar dates
/// of longer PINs are deliberately not refused wholesale: they are a tenth of all 6-digit PINs, and refusing them
/// would push users to the patterns above; a user's own birthday is better kept out by the host through
/// <see cref="SupportPinOptions.AdditionalBlocklist"/>.
/// </para>
/// </remarks>
internal static class CommonSupportPins
{
    private static readonly FrozenSet<string> Entries = FrozenSet.ToFrozenSet(
    [
        // 4 digits (only reachable when a host lowers MinLength to 4).
        "1004", "2580", "0852", "1397", "1379", "7931", "9713", "1470", "0741", "3690", "0963", "2468", "8642", "1357", "7531",
        "1235", "1324", "1342", "0007", "0070", "0700", "1000", "5683", "0911", "9110", "1793", "3197", "2684", "1590", "7410",

        // 6 digits: keypad shapes.
        "147258", "258369", "147369", "369147", "369258", "258147", "741852", "852963", "963852", "852741", "741963", "963741",
        "159753", "357159", "753159", "951357", "159357", "357951", "753951", "951753", "147852", "258963", "369852", "741258",
        "789456", "789123", "456123", "321654", "654987", "123654", "321789", "987321", "654123", "123789",
        "147963", "963147", "258456", "456258", "852456", "456852", "159951", "357753", "147741", "369963", "258852",
        "102938", "564738", "019283", "918273", "142536", "415263", "124578", "235689", "986532", "875421", "147896", "123698",
        "789632", "321478", "145236", "365214", "258000", "000258", "080000", "101202", "963258", "741236", "159632", "357412",

        // 6 digits: counting, constants, round numbers, words.
        "102030", "010203", "112358", "314159", "271828", "142857", "246810", "135790", "135791", "135246", "123465", "123457",
        "121314", "131415", "100200", "123000", "100000", "200000", "300000", "500000", "000001",
        "000123", "001234", "520131", "131420", "131452",
        "201314", "520000", "112211", "123012", "123412", "123999", "110119",
        "123450", "199000",

        // 7 and 8 digits.
        "5201314", "1314520", "7758521", "1234560", "8675309", "3141592", "2718281", "1010101",
        "13145200", "52013145", "14789632", "12369874", "14725836", "14736925", "15975346", "75395146",
        "31415926", "27182818", "11235813", "10203040", "01020304", "12345679", "98765431", "19491001", "20080808",
    ]);

    public static int Count => Entries.Count;

    public static bool Contains(string pin) =>
        Entries.Contains(pin) || IsYear(pin);

    /// <summary>A 4-digit PIN from 1900 to 2099: a birth year, an anniversary, the current year.</summary>
    private static bool IsYear(string pin) =>
        pin.Length == 4 && (pin.StartsWith("19", StringComparison.Ordinal) || pin.StartsWith("20", StringComparison.Ordinal));
}
