using System.Security.Cryptography;

namespace AccountSecurity.Accounts;

/// <summary>Creates security stamps: 128 random bits, Base64url, so sessions can be invalidated by changing it.</summary>
public static class SecurityStamp
{
    /// <summary>A new random stamp.</summary>
    public static string New() => Crypto.Base64Url.Encode(RandomNumberGenerator.GetBytes(16));

    /// <summary>
    /// The one comparison of a stamp a session carries with the user's stored one: equal text, in time that does not
    /// depend on where they differ (a stamp is a bearer value: it must not be guessable by timing).
    /// </summary>
    internal static bool Same(string? stored, string? presented) =>
        stored is not null && presented is not null
        && CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(stored), System.Text.Encoding.UTF8.GetBytes(presented));
}
