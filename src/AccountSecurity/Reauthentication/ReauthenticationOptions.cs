namespace AccountSecurity.Reauthentication;

/// <summary>
/// How long a re-authentication stands for sensitive operations (<c>AccountSecurityOptions.Reauthentication</c>).
/// Validated at start-up.
/// </summary>
/// <remarks>
/// Ten minutes by default: long enough to change a few settings in one sitting after one prompt (the password, a
/// second factor, the recovery codes), short enough that a signed-in screen left unattended is no longer a key to the
/// account's authenticators by the time someone else sits down — well inside the 30-minute idle timeout of the
/// sessions, so the window always closes before an idle session would. GitHub's sudo mode keeps its window open for up
/// to two hours; Keycloak leaves <c>max_age</c> to each client. A fresh sign-in counts as a re-authentication, unless
/// it used a recovery code.
/// </remarks>
public sealed class ReauthenticationOptions
{
    /// <summary>The shortest window accepted: 1 minute.</summary>
    public static readonly TimeSpan MinWindow = TimeSpan.FromMinutes(1);

    /// <summary>The longest window accepted: 1 hour (NIST SP 800-63B-4's AAL2 idle reauthentication bound).</summary>
    public static readonly TimeSpan MaxWindow = TimeSpan.FromHours(1);

    /// <summary>How long after a re-authentication (or a sign-in) sensitive operations are accepted without proof inline. Default 10 minutes.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(10);

    internal IEnumerable<string> Validate()
    {
        if (Window < MinWindow || Window > MaxWindow)
        {
            yield return $"Reauthentication: Window must be between {MinWindow} and {MaxWindow}.";
        }
    }
}
