namespace AccountSecurity.SignIn;

/// <summary>Sign-in settings.</summary>
public sealed class SignInOptions
{
    /// <summary>How long the ticket between the password step and the second factor (or forced setup) lives.</summary>
    /// <value>Defaults to 5 minutes.</value>
    public TimeSpan TicketLifetime { get; set; } = TimeSpan.FromMinutes(5);

    internal IEnumerable<string> Validate()
    {
        if (TicketLifetime <= TimeSpan.Zero || TicketLifetime > TimeSpan.FromMinutes(30))
        {
            yield return "SignIn.TicketLifetime must be positive and at most 30 minutes.";
        }
    }
}
