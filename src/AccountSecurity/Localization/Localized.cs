using System.Globalization;

namespace AccountSecurity.Localization;

/// <summary>
/// Formats a message of <see cref="UserMessages"/> (looked up in <see cref="CultureInfo.CurrentUICulture"/>) with its
/// values in <see cref="CultureInfo.CurrentCulture"/>, so a number reads "1,5" to a German user and "1.5" to an
/// English one. The one place the SDK formats an end-user message; never given a secret to format.
/// </summary>
internal static class Localized
{
    public static string Format(string message, params object?[] values) => string.Format(CultureInfo.CurrentCulture, message, values);
}
