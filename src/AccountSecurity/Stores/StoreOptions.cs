namespace AccountSecurity.Stores;

/// <summary>How services use the stores.</summary>
public sealed class StoreOptions
{
    /// <summary>
    /// How many times a read-modify-write is retried after a concurrency conflict before the operation answers
    /// <c>concurrency_conflict</c>. Every conflict means another writer succeeded, so progress is guaranteed.
    /// </summary>
    /// <value>Defaults to 64.</value>
    public int MaxConcurrencyRetries { get; set; } = 64;

    internal IEnumerable<string> Validate()
    {
        if (MaxConcurrencyRetries is < 1 or > 10_000)
        {
            yield return "Stores.MaxConcurrencyRetries must be between 1 and 10000.";
        }
    }
}
