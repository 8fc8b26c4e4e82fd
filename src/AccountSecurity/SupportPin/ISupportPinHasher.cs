namespace AccountSecurity.SupportPin;

/// <summary>The outcome of checking a PIN against a stored PIN hash.</summary>
internal enum SupportPinHashCheck
{
    /// <summary>The PIN does not match.</summary>
    Failed = 0,

    /// <summary>The PIN matches and the hash is current.</summary>
    Success = 1,

    /// <summary>The PIN matches, but the hash has a lower cost or was made without the pepper now configured.</summary>
    SuccessRehashNeeded = 2,

    /// <summary>The stored hash is malformed, of an unknown scheme, or needs a pepper that is not configured. Nothing matches it.</summary>
    Malformed = 3,

    /// <summary>The stored hash is well-formed but its bcrypt cost is above <c>Hashing.MaximumWorkFactor</c>: never computed, nothing matches it.</summary>
    CostTooHigh = 4,
}

/// <summary>
/// Hashes and checks support PINs. Internal seam: the service compares PINs only through it, which lets tests count
/// comparisons. Inputs are already validated as 1 to 32 ASCII digits. Never logs or throws for stored data.
/// </summary>
internal interface ISupportPinHasher
{
    /// <summary>Hashes <paramref name="pin"/> with a fresh salt, the configured cost and pepper; the result carries its scheme marker.</summary>
    string Hash(string pin);

    /// <summary>Checks <paramref name="pin"/> against <paramref name="storedHash"/>, comparing in constant time.</summary>
    SupportPinHashCheck Verify(string? storedHash, string pin);

    /// <summary>Spends the time of a real <see cref="Verify"/> against no account, so unknown accounts answer as slowly as wrong PINs.</summary>
    void VerifyDummy(string pin);
}
