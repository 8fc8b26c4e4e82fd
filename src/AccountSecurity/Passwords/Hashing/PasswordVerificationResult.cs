namespace AccountSecurity.Passwords.Hashing;

/// <summary>The outcome of checking a password against a stored hash.</summary>
public enum PasswordVerificationResult
{
    /// <summary>The password does not match (or could not be checked, such as a NUL or over-long input).</summary>
    Failed = 0,

    /// <summary>The password matches and the hash is current.</summary>
    Success = 1,

    /// <summary>The password matches, but the hash uses an older scheme or a lower cost: store <see cref="IPasswordHasher.Hash"/>'s result.</summary>
    SuccessRehashNeeded = 2,

    /// <summary>
    /// The stored hash is malformed, truncated, of an unknown scheme, or has a cost above
    /// <see cref="PasswordHashingOptions.MaximumWorkFactor"/> (never computed); nothing can match it. A failure, never an exception.
    /// </summary>
    MalformedHash = 3,
}
