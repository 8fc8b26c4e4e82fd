using System.Security.Cryptography;
using System.Text;

namespace AccountSecurity.Crypto;

/// <summary>
/// The one at-rest form of a random bearer secret (a reset token, a sign-in ticket, a device token): the SHA-256 of its
/// UTF-8 text, as upper-case hex, and the one constant-time comparison of two such hashes. SHA-256 is enough because
/// these secrets carry 256 random bits: there is nothing to brute-force (passwords and PINs use bcrypt instead).
/// </summary>
internal static class SecretHash
{
    /// <summary>The stored form of <paramref name="secret"/>. Never logs or keeps the secret.</summary>
    public static string Of(string secret) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Whether two stored forms are equal, in time that does not depend on where they differ.</summary>
    public static bool Same(string stored, string candidate) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(stored), Encoding.ASCII.GetBytes(candidate));
}
