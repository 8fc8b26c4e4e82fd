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

    /// <summary>
    /// How many reset requests may wait for their work (lookup, token write, send) at once. A request beyond it, in
    /// a flood, is answered as usual but dropped with a warning in the log, so a flood cannot grow memory without bound.
    /// </summary>
    /// <value>Defaults to 1000.</value>
    public int MaxQueuedRequests { get; set; } = 1000;

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

        if (MaxQueuedRequests is < 1 or > 100_000)
        {
            yield return $"PasswordReset.MaxQueuedRequests must be between 1 and 100000 (it is {MaxQueuedRequests}).";
        }
    }
}
