using System.Globalization;

namespace AccountSecurity.WebSample.Infrastructure;

/// <summary>
/// How the console writes times: always UTC (the server does not know the browser's time zone, and the label says so),
/// in the request's culture — German "07.12.2026 23:38 UTC"; English keeps the unambiguous "2026-12-07 23:38 UTC".
/// </summary>
public static class Display
{
    /// <summary>A date and time to the minute.</summary>
    public static string Time(DateTimeOffset at) => Format(at, "yyyy-MM-dd HH:mm", "g");

    /// <summary>A date and time to the second.</summary>
    public static string TimeWithSeconds(DateTimeOffset at) => Format(at, "yyyy-MM-dd HH:mm:ss", "G");

    private static string Format(DateTimeOffset at, string english, string standard)
    {
        var culture = CultureInfo.CurrentCulture;
        var utc = at.UtcDateTime;
        var text = culture.TwoLetterISOLanguageName is "en" or "iv"
            ? utc.ToString(english, CultureInfo.InvariantCulture)
            : utc.ToString(standard, culture);
        return text + " UTC";
    }
}
