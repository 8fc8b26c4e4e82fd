namespace AccountSecurity.Passwords.Hashing;

/// <summary>Settings of the default bcrypt hasher.</summary>
public sealed class PasswordHashingOptions
{
    /// <summary>The lowest work factor accepted outside tests (OWASP: at least 10).</summary>
    public const int MinimumProductionWorkFactor = 10;

    /// <summary>bcrypt's work factor (log2 of the rounds). Raising it makes existing hashes be rehashed at the next successful sign-in or change.</summary>
    /// <value>Defaults to 12.</value>
    public int WorkFactor { get; set; } = 12;

    /// <summary>
    /// Lets <see cref="WorkFactor"/> go as low as 4. Only for test suites; a host that sets it in production
    /// makes password hashes cheap to crack.
    /// </summary>
    /// <value>Defaults to <see langword="false"/>.</value>
    public bool AllowInsecureWorkFactorForTesting { get; set; }

    internal IEnumerable<string> Validate()
    {
        var minimum = AllowInsecureWorkFactorForTesting ? 4 : MinimumProductionWorkFactor;
        if (WorkFactor < minimum || WorkFactor > 20)
        {
            yield return $"Hashing.WorkFactor must be between {minimum} and 20 (it is {WorkFactor}).";
        }
    }
}
