namespace AccountSecurity.SignIn;

/// <summary>Sign-in settings.</summary>
public sealed class SignInOptions
{
    /// <summary>How long the ticket between the password step and the second factor (or forced setup) lives.</summary>
    /// <value>Defaults to 5 minutes.</value>
    public TimeSpan TicketLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How many sign-ins of one user may wait for their second step at once (one per device signing in at the same
    /// time); a further password step drops the oldest waiting one. Each stays single-use.
    /// </summary>
    /// <value>Defaults to 5: a person signing in on a laptop and a phone at once, with room to spare, while the user
    /// record stays small whatever a stranger with the password does.</value>
    public int MaxPendingSignIns { get; set; } = 5;

    internal IEnumerable<string> Validate()
    {
        if (MaxPendingSignIns is < 1 or > 20)
        {
            yield return "SignIn.MaxPendingSignIns must be between 1 and 20.";
        }

        if (TicketLifetime <= TimeSpan.Zero || TicketLifetime > TimeSpan.FromMinutes(30))
        {
            yield return "SignIn.TicketLifetime must be positive and at most 30 minutes.";
        }
    }
}
