using AccountSecurity.Results;

namespace AccountSecurity.Passwords.Hashing;

/// <summary>
/// Turns passwords into stored hashes that carry their own scheme marker, and checks passwords against them.
/// </summary>
/// <remarks>
/// The default is <see cref="BcryptPasswordHasher"/>. Implementations never log, return or put into an exception
/// message the password or the hash, and never truncate input silently.
/// </remarks>
public interface IPasswordHasher
{
    /// <summary>
    /// Hashes <paramref name="password"/> (after NFKC normalisation). Fails with <c>password_required</c>,
    /// <c>password_too_long</c> or <c>password_invalid_characters</c> instead of throwing.
    /// </summary>
    SecurityResult<string> Hash(string? password);

    /// <summary>
    /// Checks <paramref name="password"/> against <paramref name="storedHash"/> in time independent of where they differ.
    /// Never throws for malformed input: a broken hash is <see cref="PasswordVerificationResult.MalformedHash"/>.
    /// </summary>
    PasswordVerificationResult Verify(string? storedHash, string? password);

    /// <summary>
    /// Spends about the time of a real <see cref="Verify"/> without any hash, so that "no such account" and
    /// "wrong password" take the same time.
    /// </summary>
    void VerifyDummy(string? password);
}
