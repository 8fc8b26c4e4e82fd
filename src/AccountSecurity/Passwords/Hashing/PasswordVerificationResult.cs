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

    /// <summary>The stored hash is malformed, truncated or of an unknown scheme; nothing can match it. A failure, never an exception.</summary>
    MalformedHash = 3,

    /// <summary>
    /// The stored hash is a well-formed bcrypt hash whose cost is above <see cref="PasswordHashingOptions.MaximumWorkFactor"/>:
    /// it was never computed (the answer cost what a wrong password costs at the configured work factor), and nothing
    /// can match it until it is replaced. A failure, never an exception; the operator's code is
    /// <see cref="Results.SecurityErrorCodes.StoredHashCostTooHigh"/>.
    /// </summary>
    HashCostTooHigh = 4,
}
