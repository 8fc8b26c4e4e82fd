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

    /// <summary>
    /// The least time between two tokens for one account: a request sooner than this after the last token answers as
    /// usual but sends nothing, so a stranger who knows the address cannot flood its inbox. <see cref="TimeSpan.Zero"/> turns it off.
    /// </summary>
    /// <value>Defaults to 1 minute.</value>
    public TimeSpan MinimumIntervalBetweenTokens { get; set; } = TimeSpan.FromMinutes(1);

    internal IEnumerable<string> Validate()
    {
        if (MinimumIntervalBetweenTokens < TimeSpan.Zero || MinimumIntervalBetweenTokens >= TokenLifetime)
        {
            yield return "PasswordReset.MinimumIntervalBetweenTokens must be zero or more and shorter than TokenLifetime.";
        }

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
