namespace AccountSecurity.Redis;

/// <summary>How the abuse limits are shared through Redis (<c>UseRedisAbuseLimits</c>). Validated when the host starts.</summary>
public sealed class RedisAbuseLimitOptions
{
    /// <summary>
    /// The start of every key the limits write, so several applications (or environments) can share one Redis server
    /// without counting each other's attempts. Every instance of one application must use the same prefix.
    /// </summary>
    /// <value><c>accountsecurity:abuse:</c>. 1 to 64 characters, no whitespace or control characters.</value>
    public string KeyPrefix { get; set; } = "accountsecurity:abuse:";

    /// <summary>
    /// How long a limit check waits for Redis before it answers from the in-process fallback instead. A request waits for
    /// it, so keep it well under the request's own budget; a round trip on a local network takes well under a millisecond.
    /// Measured in real time, even when the host's <see cref="TimeProvider"/> is a fake one (the windows follow that clock).
    /// </summary>
    /// <value>100 milliseconds. Between 1 millisecond and 5 seconds.</value>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// After Redis failed to answer in time or answered with an error, how long the checks stay on the in-process
    /// fallback before one tries Redis again, so a slow Redis costs one timeout per interval, not one per request. While
    /// the connection is known to be down, checks use the fallback without waiting, and Redis again as soon as the client
    /// library (which reconnects on its own) is connected.
    /// </summary>
    /// <value>2 seconds. Between 100 milliseconds and 5 minutes.</value>
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The key of the keyed hash (HMAC-SHA-256) that turns a partition key (a client address, an e-mail, a device id) into
    /// the part of a Redis key that names it. Set the same secret, at least 32 bytes from your secret store, on every
    /// instance: then someone who can read Redis cannot even confirm a guessed address or e-mail.
    /// </summary>
    /// <value>
    /// <see langword="null"/>: a key derived from <see cref="KeyPrefix"/>. Partition keys are still never in Redis in
    /// clear, but a reader of Redis who guesses one (an IPv4 address has 2^32 values) can confirm the guess.
    /// </value>
    public byte[]? PartitionKeySecret { get; set; }
}
