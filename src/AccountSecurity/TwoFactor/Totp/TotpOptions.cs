namespace AccountSecurity.TwoFactor.Totp;

/// <summary>Settings of the TOTP (RFC 6238) authenticator-app factor.</summary>
/// <remarks>
/// <see cref="Algorithm"/>, <see cref="Digits"/> and <see cref="PeriodSeconds"/> are written into the otpauth URI, but
/// several authenticator apps silently ignore non-default values and keep computing 6-digit SHA-1 codes every 30
/// seconds, which then never verify. Change them only when you control which apps your users run. Changing them
/// after users have enrolled breaks those users' authenticators.
/// </remarks>
public sealed class TotpOptions
{
    /// <summary>The smallest secret accepted: 160 bits, the HMAC-SHA-1 output size RFC 4226 section 4 recommends.</summary>
    public const int MinimumSecretSizeBytes = 20;

    /// <summary>The largest secret accepted (the SHA-512 block size; larger keys would be hashed down anyway).</summary>
    public const int MaximumSecretSizeBytes = 128;

    /// <summary>The widest drift window accepted, in time steps on each side of the current one.</summary>
    public const int MaximumAllowedDriftSteps = 3;

    /// <summary>The HMAC hash function. See the remarks on <see cref="TotpOptions"/> before changing it.</summary>
    /// <value>Defaults to <see cref="TotpAlgorithm.Sha1"/>.</value>
    public TotpAlgorithm Algorithm { get; set; } = TotpAlgorithm.Sha1;

    /// <summary>The number of digits of a code: 6 or 8. See the remarks on <see cref="TotpOptions"/> before changing it.</summary>
    /// <value>Defaults to 6.</value>
    public int Digits { get; set; } = 6;

    /// <summary>The length of a time step in seconds (between 15 and 300).</summary>
    /// <value>Defaults to 30, the RFC 6238 recommendation and what every authenticator app assumes.</value>
    public int PeriodSeconds { get; set; } = 30;

    /// <summary>
    /// How many time steps before and after the current one a code may come from, to absorb clock drift between the
    /// server and the user's phone and the time the user needs to type. Between 0 and <see cref="MaximumAllowedDriftSteps"/>:
    /// every extra step widens the window an attacker guesses into.
    /// </summary>
    /// <value>Defaults to 1 (one step back and one forward, as RFC 6238 section 5.2 recommends).</value>
    public int AllowedDriftSteps { get; set; } = 1;

    /// <summary>
    /// The name authenticator apps show above the code (your product or company), written into the otpauth URI's label
    /// and its <c>issuer</c> parameter. Required; may not contain <c>':'</c> (it separates issuer and account in the label).
    /// </summary>
    /// <value>No default: the host must set it.</value>
    public string? Issuer { get; set; }

    /// <summary>The size of newly generated secrets in bytes, at least <see cref="MinimumSecretSizeBytes"/>.</summary>
    /// <value>Defaults to 20 (160 bits).</value>
    public int SecretSizeBytes { get; set; } = MinimumSecretSizeBytes;

    internal IEnumerable<string> Validate()
    {
        if (!Enum.IsDefined(Algorithm))
        {
            yield return $"Totp.Algorithm must be Sha1, Sha256 or Sha512 (it is {(int)Algorithm}).";
        }

        if (Digits is not (6 or 8))
        {
            yield return $"Totp.Digits must be 6 or 8 (it is {Digits}).";
        }

        if (PeriodSeconds is < 15 or > 300)
        {
            yield return $"Totp.PeriodSeconds must be between 15 and 300 (it is {PeriodSeconds}).";
        }

        if (AllowedDriftSteps is < 0 or > MaximumAllowedDriftSteps)
        {
            yield return $"Totp.AllowedDriftSteps must be between 0 and {MaximumAllowedDriftSteps} (it is {AllowedDriftSteps}).";
        }

        if (string.IsNullOrWhiteSpace(Issuer))
        {
            yield return "Totp.Issuer is required: set it to the name authenticator apps should show (your product).";
        }
        else if (Issuer.Contains(':', StringComparison.Ordinal))
        {
            yield return "Totp.Issuer may not contain ':' (it separates issuer and account name in the otpauth label).";
        }
        else if (Issuer.Length > 100 || Issuer.Any(char.IsControl))
        {
            yield return "Totp.Issuer must be at most 100 characters without control characters.";
        }

        if (SecretSizeBytes is < MinimumSecretSizeBytes or > MaximumSecretSizeBytes)
        {
            yield return $"Totp.SecretSizeBytes must be between {MinimumSecretSizeBytes} and {MaximumSecretSizeBytes} (it is {SecretSizeBytes}).";
        }
    }
}
