using System.Globalization;
using System.Resources;

[assembly: NeutralResourcesLanguage("en")]

namespace AccountSecurity.Notifications;

/// <summary>
/// The texts of security notifications: <c>SecurityNotificationTexts.resx</c> (English, the neutral resources in the
/// assembly) and <c>SecurityNotificationTexts.de.resx</c> (German, the <c>de/AccountSecurity.resources.dll</c> satellite
/// assembly the package ships beside the library). Looked up by name through <see cref="ResourceManager"/>, which
/// trimming and Native AOT keep working.
/// </summary>
internal static class NotificationTexts
{
    /// <summary>The languages the texts exist in.</summary>
    public static readonly IReadOnlyList<string> Languages = ["en", "de"];

    public static readonly ResourceManager Resources = new("AccountSecurity.Notifications.SecurityNotificationTexts", typeof(NotificationTexts).Assembly);

    /// <summary>
    /// The culture named <paramref name="name"/> (BCP 47) when it is a known culture whose language has texts;
    /// otherwise <see langword="null"/>. Never throws (an invalid name, or any name where globalization is invariant).
    /// </summary>
    public static CultureInfo? Resolve(string? name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 85)
        {
            return null;
        }

        CultureInfo culture;
        try
        {
            culture = CultureInfo.GetCultureInfo(name, predefinedOnly: true);
        }
        catch (CultureNotFoundException)
        {
            return null;
        }

        return Languages.Contains(culture.TwoLetterISOLanguageName, StringComparer.Ordinal) ? culture : null;
    }

    /// <summary>
    /// Whether <paramref name="name"/> can be a default culture: its language has texts, and the culture exists (or the
    /// app runs with invariant globalization, where every text is English and dates are formatted invariantly).
    /// </summary>
    public static bool IsUsableDefault(string? name) =>
        !string.IsNullOrWhiteSpace(name) && IsSupportedLanguage(name)
        && (Resolve(name) is not null || (AppContext.TryGetSwitch("System.Globalization.Invariant", out var invariant) && invariant));

    /// <summary>Whether <paramref name="name"/>'s language subtag is one the texts exist in.</summary>
    public static bool IsSupportedLanguage(string name)
    {
        var language = name.Split('-', 2)[0];
        return Languages.Contains(language, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The text <paramref name="key"/> in <paramref name="culture"/> (falling back to English), never <see langword="null"/>.</summary>
    public static string Get(string key, CultureInfo culture) =>
        Resources.GetString(key, culture) ?? throw new InvalidOperationException($"The notification text '{key}' is missing from the neutral resources.");

    /// <summary><paramref name="key"/> in <paramref name="culture"/> with <paramref name="args"/> formatted in that culture.</summary>
    public static string Format(string key, CultureInfo culture, params object?[] args) =>
        string.Format(culture, Get(key, culture), args);
}
