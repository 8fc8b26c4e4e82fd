using System.Security.Cryptography;

namespace AccountSecurity.Accounts;

/// <summary>Creates security stamps: 128 random bits, Base64url, so sessions can be invalidated by changing it.</summary>
public static class SecurityStamp
{
    /// <summary>A new random stamp.</summary>
    public static string New() => Crypto.Base64Url.Encode(RandomNumberGenerator.GetBytes(16));
}
