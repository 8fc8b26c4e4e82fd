using System.Globalization;
using System.Resources;

namespace AccountSecurity.WebSample.Infrastructure;

/// <summary>
/// A console text with values in it, in the request's language, where no localizer is at hand (a message a POST
/// keeps for the next page, made in a static helper). Reads the same resources as <c>IStringLocalizer&lt;SharedTexts&gt;</c>.
/// </summary>
public static class ConsoleText
{
    private static readonly ResourceManager Resources = new("AccountSecurity.WebSample.Resources.SharedTexts", typeof(SharedTexts).Assembly);

    /// <summary><paramref name="key"/> (the English text) in the current UI culture, formatted with <paramref name="values"/>.</summary>
    public static string Of(string key, params object[] values) =>
        string.Format(CultureInfo.CurrentCulture, Resources.GetString(key, CultureInfo.CurrentUICulture) ?? key, values);
}
