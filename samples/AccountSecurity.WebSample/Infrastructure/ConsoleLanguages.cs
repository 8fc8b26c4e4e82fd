namespace AccountSecurity.WebSample.Infrastructure;

/// <summary>The console's languages: English (the default, and the texts' keys) and German.</summary>
public static class ConsoleLanguages
{
    /// <summary>The default language.</summary>
    public const string Default = "en";

    /// <summary>Every language the console speaks, the default first.</summary>
    public static string[] Supported { get; } = ["en", "de"];
}
