using System.Globalization;
using System.Resources;
using System.Runtime.CompilerServices;

namespace AccountSecurity.BreachedPasswords.Localization;

/// <summary>
/// The package's end-user messages: <c>BreachedPasswordMessages.resx</c> (English, in the assembly) and
/// <c>BreachedPasswordMessages.de.resx</c> (German, the satellite assembly), looked up in
/// <see cref="CultureInfo.CurrentUICulture"/> when the message is made (a language without messages falls back to
/// English), as the core's messages are. The summaries show the English text. Never a password or a count.
/// </summary>
internal static class BreachedPasswordMessages
{
    /// <summary>The resources, looked up by name (which trimming keeps working).</summary>
    public static readonly ResourceManager ResourceManager = new("AccountSecurity.BreachedPasswords.Localization.BreachedPasswordMessages", typeof(BreachedPasswordMessages).Assembly);

    /// <summary>This password has appeared in a data breach, so attackers are likely to try it. Choose a different password, one you have not used anywhere else.</summary>
    public static string PasswordBreached => Get();

    /// <summary>We could not check this password against known data breaches just now, so it was not saved. Try again in a moment.</summary>
    public static string BreachCheckUnavailable => Get();

    private static string Get([CallerMemberName] string name = "") =>
        ResourceManager.GetString(name, CultureInfo.CurrentUICulture) ?? throw new MissingManifestResourceException($"The message {name} is missing from the package's resources.");
}
