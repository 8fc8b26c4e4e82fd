namespace AccountSecurity.Crypto;

/// <summary>Stable error codes of secret protection. Codes never change once shipped; hosts may switch on them.</summary>
public static class SecretProtectionErrorCodes
{
    /// <summary>The protected value is not in the expected format (or is empty or too long).</summary>
    public const string Malformed = "protected_secret_malformed";

    /// <summary>The protected value names a key id that is not configured (a retired key was removed too early).</summary>
    public const string UnknownKey = "protected_secret_unknown_key";

    /// <summary>Decryption failed authentication: the value was altered, or it belongs to another context (user).</summary>
    public const string AuthenticationFailed = "protected_secret_authentication_failed";
}
