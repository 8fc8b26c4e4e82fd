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
    /// Never throws for malformed input: a broken hash is <see cref="PasswordVerificationResult.MalformedHash"/>, and one
    /// costlier than <see cref="PasswordHashingOptions.MaximumWorkFactor"/> is <see cref="PasswordVerificationResult.HashCostTooHigh"/>,
    /// never computed at its own cost.
    /// Implementations spend the same work whatever the stored hash is (missing, malformed or real) and whatever the
    /// password is (null, empty, too long, invalid): the work may depend on the password given, never on the account.
    /// </summary>
    PasswordVerificationResult Verify(string? storedHash, string? password);

    /// <summary>
    /// Spends the work of a real <see cref="Verify"/> of <paramref name="password"/> without any hash, so that "no such
    /// account" and "wrong password" take the same time. Never throws.
    /// </summary>
    void VerifyDummy(string? password);
}
