using AccountSecurity.BreachedPasswords;

namespace AccountSecurity.WebSample.Infrastructure;

/// <summary>
/// The console's breached-password data set: a small mirror in the downloader's format, generated at start-up next to
/// the database, so the demo screens passwords without reaching the internet. A real console points
/// <c>MirrorDirectory</c> at a full mirror, or leaves it unset to ask the range API.
/// </summary>
public static class BreachedPasswordDemo
{
    /// <summary>
    /// The demo's "breached" passwords. Each passes the local policy (so the form shows the breach message, not the
    /// common-password one); never a demo account's seed password, which the seed sets through provisioning (screened too).
    /// </summary>
    public static IReadOnlyList<string> Passwords { get; } = ["winter-is-coming-2019", "letmein-please-2020", "trustno1-ever-again", "sunflower-Harbour-2019"];

    /// <summary>The mirror folder of the database at <paramref name="databasePath"/> (one per database, so two consoles never share one).</summary>
    public static string MirrorDirectory(string databasePath) => databasePath + ".pwned-mirror";

    /// <summary>Writes <see cref="Passwords"/> into <paramref name="directory"/> (range files replaced whole: idempotent).</summary>
    public static void Write(string directory) => BreachedPasswordMirror.WriteAsync(directory, Passwords).GetAwaiter().GetResult();
}
