namespace AccountSecurity.BreachedPasswords;

/// <summary>What to do when the breached-password source cannot answer (a network failure, a timeout, a broken mirror file).</summary>
public enum BreachSourceUnavailableBehavior
{
    /// <summary>
    /// Accept the password as if it were not breached, log a warning naming the range prefix and the reason, and count it
    /// (metric <c>accountsecurity.breached_passwords.unavailable</c>). Users are never blocked by an outage of a third party;
    /// a breached password may get through while the source is down.
    /// </summary>
    AllowAndLog = 0,

    /// <summary>
    /// Refuse the password with <c>password_breach_check_unavailable</c> ("try again in a moment"), log and count it.
    /// No breached password gets through, but nobody can set a password while the source is down.
    /// </summary>
    Refuse = 1,
}

/// <summary>
/// Settings of the breached-password check (<c>AddBreachedPasswordCheck</c>). Validated when the host starts.
/// </summary>
public sealed class BreachedPasswordOptions
{
    /// <summary>The largest <see cref="MaxResponseBytes"/> allowed (16 MiB).</summary>
    public const int LargestResponseCap = 16 * 1024 * 1024;

    /// <summary>
    /// The base address of the range API: a request goes to <c>range/{first 5 hex characters of the SHA-1}</c> under it,
    /// with the <c>Add-Padding: true</c> header. Used when <see cref="MirrorDirectory"/> is not set.
    /// </summary>
    /// <value>Defaults to the Pwned Passwords service, <c>https://api.pwnedpasswords.com/</c>.</value>
    public Uri ApiBaseAddress { get; set; } = new("https://api.pwnedpasswords.com/");

    /// <summary>
    /// A folder of range files as the service's official downloader writes them (one <c>XXXXX.txt</c> per prefix, lines
    /// <c>SUFFIX:COUNT</c>), for hosts without outbound internet. When set, no HTTP request is ever made. The folder
    /// must exist when the host starts.
    /// </summary>
    /// <value>Defaults to <see langword="null"/> (the range API).</value>
    public string? MirrorDirectory { get; set; }

    /// <summary>
    /// Whether <see cref="MirrorDirectory"/> holds only some ranges (a small data set written by
    /// <see cref="BreachedPasswordMirror.WriteAsync(string, IEnumerable{string}, CancellationToken)"/>): a missing range
    /// file then means no breached password has that prefix. In a full mirror (the default) every prefix has a file, so
    /// a missing one is a broken mirror and is handled as an unavailable source.
    /// </summary>
    /// <value>Defaults to <see langword="false"/>.</value>
    public bool PartialMirror { get; set; }

    /// <summary>How many times a password must appear in breaches to be refused (NIST SP 800-63B-4: any appearance).</summary>
    /// <value>Defaults to 1.</value>
    public int MinimumBreachCount { get; set; } = 1;

    /// <summary>What happens when the source cannot answer; see <see cref="BreachSourceUnavailableBehavior"/> for the trade-off.</summary>
    /// <value>Defaults to <see cref="BreachSourceUnavailableBehavior.AllowAndLog"/>.</value>
    public BreachSourceUnavailableBehavior WhenUnavailable { get; set; } = BreachSourceUnavailableBehavior.AllowAndLog;

    /// <summary>How long one HTTP attempt may take (100 ms to 30 s).</summary>
    /// <value>Defaults to 2 seconds.</value>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How many times a failed attempt (network error, timeout, 5xx, 408, 429) is retried (0 to 5), with a short jittered back-off.</summary>
    /// <value>Defaults to 2.</value>
    public int MaxRetries { get; set; } = 2;

    /// <summary>
    /// How long one lookup may take in all: attempts, back-offs and reading the answer (at least
    /// <see cref="RequestTimeout"/>, at most 60 s). A password change waits at most this long for the source.
    /// </summary>
    /// <value>Defaults to 5 seconds.</value>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The largest answer (or mirror file) read, in bytes (4 KiB to <see cref="LargestResponseCap"/>); a larger one is
    /// an unavailable source. A padded range is about 30 to 70 KB.
    /// </summary>
    /// <value>Defaults to 1 MiB.</value>
    public int MaxResponseBytes { get; set; } = 1024 * 1024;

    /// <summary>How many ranges the cache keeps (least recently used go first); 0 turns the cache off.</summary>
    /// <value>Defaults to 4096 (each costs about 24 bytes per breached suffix, some 20 KB).</value>
    public int CacheSize { get; set; } = 4096;

    /// <summary>How long a cached range is used before it is asked for again.</summary>
    /// <value>Defaults to 1 hour.</value>
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Also check the password of every successful password sign-in, in the background (the sign-in never waits): a
    /// breached one marks the account "must change password" (its sessions are sent to the change form) and notifies the
    /// owner. An unavailable source marks nothing.
    /// </summary>
    /// <value>Defaults to <see langword="false"/>.</value>
    public bool CheckAtSignIn { get; set; }
}
