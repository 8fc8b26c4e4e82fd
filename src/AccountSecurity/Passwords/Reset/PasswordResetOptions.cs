namespace AccountSecurity.Passwords.Reset;

/// <summary>Password-reset tokens.</summary>
public sealed class PasswordResetOptions
{
    /// <summary>How long a reset token works.</summary>
    /// <value>Defaults to 1 hour.</value>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How many unexpired tokens a user may have at once; a new request drops the oldest beyond this.</summary>
    /// <value>Defaults to 3.</value>
    public int MaxOutstandingTokens { get; set; } = 3;

    internal IEnumerable<string> Validate()
    {
        if (TokenLifetime <= TimeSpan.Zero || TokenLifetime > TimeSpan.FromDays(1))
        {
            yield return "PasswordReset.TokenLifetime must be positive and at most one day.";
        }

        if (MaxOutstandingTokens is < 1 or > 20)
        {
            yield return "PasswordReset.MaxOutstandingTokens must be between 1 and 20.";
        }
    }
}
