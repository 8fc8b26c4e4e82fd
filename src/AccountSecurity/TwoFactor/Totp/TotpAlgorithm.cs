namespace AccountSecurity.TwoFactor.Totp;

/// <summary>The HMAC hash function a TOTP code is computed with (RFC 6238 section 1.2).</summary>
/// <remarks>
/// Some authenticator apps (Google Authenticator among them, for years) ignore the <c>algorithm</c> parameter of the
/// otpauth URI and always use SHA-1: with any other value their codes never verify. Keep <see cref="Sha1"/> unless
/// every authenticator your users may choose is known to honour it.
/// </remarks>
public enum TotpAlgorithm
{
    /// <summary>HMAC-SHA-1, the default every authenticator app supports.</summary>
    Sha1 = 0,

    /// <summary>HMAC-SHA-256.</summary>
    Sha256 = 1,

    /// <summary>HMAC-SHA-512.</summary>
    Sha512 = 2,
}
