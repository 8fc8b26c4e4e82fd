using System.Globalization;

namespace AccountSecurity.WebSample.Infrastructure;

/// <summary>How the console writes times (UTC, to the minute).</summary>
public static class Display
{
    /// <summary>A date and time to the minute.</summary>
    public static string Time(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>A date and time to the second.</summary>
    public static string TimeWithSeconds(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
