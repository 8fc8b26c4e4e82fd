namespace AccountSecurity.Passkeys;

/// <summary>The relying party (this application) as WebAuthn sees it, and the ceremonies' limits.</summary>
public sealed class PasskeyOptions
{
    /// <summary>
    /// The RP id: the host's registrable domain (for example <c>console.example.com</c>, or <c>localhost</c> in
    /// development). Browsers refuse an IP address. Required.
    /// </summary>
    public string RelyingPartyId { get; set; } = "";

    /// <summary>The name authenticators show the user (for example the console's product name).</summary>
    /// <value>Defaults to <c>AccountSecurity</c>.</value>
    public string RelyingPartyName { get; set; } = "AccountSecurity";

    /// <summary>
    /// The exact origins (scheme, host and port) the browser may report, for example <c>https://console.example.com</c>.
    /// A response from any other origin is refused as <c>passkey_origin_mismatch</c>. At least one is required.
    /// </summary>
    public ISet<string> Origins { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>How long a started ceremony (registration or sign-in) may take before its challenge stops being accepted.</summary>
    /// <value>Defaults to 5 minutes (WebAuthn's recommended range is 5 to 10 minutes).</value>
    public TimeSpan CeremonyLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The longest name a user may give a passkey.</summary>
    /// <value>Defaults to 64.</value>
    public int MaxNameLength { get; set; } = 64;

    /// <summary>The most passkeys one user may register.</summary>
    /// <value>Defaults to 10.</value>
    public int MaxPasskeysPerUser { get; set; } = 10;

    /// <summary>The most characters a response from the browser may have; a longer one is refused unread.</summary>
    /// <value>Defaults to 16,384.</value>
    public int MaxResponseLength { get; set; } = 16 * 1024;
}
