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
    /// The highest bcrypt cost a stored or imported hash (password or support PIN) may have. A hash above it is
    /// treated as malformed and answered at once, without computing it: one record with <c>$2b$31$</c> would otherwise
    /// take days of CPU per sign-in attempt. Must be at least <see cref="WorkFactor"/> (and the support PIN's work factor).
    /// </summary>
    /// <value>Defaults to 16: 16 times the default cost, seconds per check on current hardware. At most 31, bcrypt's own limit.</value>
    public int MaximumWorkFactor { get; set; } = 16;

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

        if (MaximumWorkFactor < WorkFactor || MaximumWorkFactor > 31)
        {
            yield return $"Hashing.MaximumWorkFactor must be at least Hashing.WorkFactor ({WorkFactor}) and at most 31 (it is {MaximumWorkFactor}).";
        }
    }
}
