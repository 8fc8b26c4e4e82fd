namespace AccountSecurity.TwoFactor;

/// <summary>Two-factor setup and recovery codes.</summary>
public sealed class TwoFactorOptions
{
    /// <summary>How many recovery codes are issued (each usable once).</summary>
    /// <value>Defaults to 10.</value>
    public int RecoveryCodeCount { get; set; } = 10;

    /// <summary>How long a started setup (a pending secret) can be confirmed.</summary>
    /// <value>Defaults to 15 minutes.</value>
    public TimeSpan SetupLifetime { get; set; } = TimeSpan.FromMinutes(15);

    internal IEnumerable<string> Validate()
    {
        if (RecoveryCodeCount is < 1 or > 50)
        {
            yield return "TwoFactor.RecoveryCodeCount must be between 1 and 50.";
        }

        if (SetupLifetime <= TimeSpan.Zero || SetupLifetime > TimeSpan.FromHours(24))
        {
            yield return "TwoFactor.SetupLifetime must be positive and at most 24 hours.";
        }
    }
}
