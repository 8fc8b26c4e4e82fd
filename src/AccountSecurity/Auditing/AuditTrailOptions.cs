namespace AccountSecurity.Auditing;

/// <summary>
/// The audit trail (<c>AccountSecurityOptions.Audit</c>): the write queue, retention bounds and who besides
/// administrators may read. Validated at start-up.
/// </summary>
public sealed class AuditTrailOptions
{
    /// <summary>Whether security events are kept in the <see cref="IAuditStore"/>. Default <see langword="true"/>.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// How many events may wait to be written. Default 10,000. Beyond it an event is not kept: counted
    /// (<c>accountsecurity.audit.records</c>, outcome <c>dropped_queue_full</c>) and logged (sampled), never silently;
    /// the operation that raised it never waits. 1 to 1,000,000.
    /// </summary>
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>How many events one write appends at most (one transaction per contract in the batch). Default 200; 1 to 10,000.</summary>
    public int WriteBatchSize { get; set; } = 200;

    /// <summary>How many times a failed write is tried in all before its events are dropped (counted as <c>dropped_write_failed</c>). Default 3; 1 to 10.</summary>
    public int WriteAttempts { get; set; } = 3;

    /// <summary>
    /// How long records are kept unless the contract's owner sets otherwise. Default 400 days: a year and a month, so
    /// an annual audit finds the whole year before it and a year-over-year comparison has both years' month (PCI DSS
    /// v4.0 10.5.1 asks for 12 months of audit history). Between <see cref="MinRetention"/> and <see cref="MaxRetention"/>.
    /// </summary>
    public TimeSpan DefaultRetention { get; set; } = TimeSpan.FromDays(400);

    /// <summary>The shortest retention a contract may set. Default 90 days.</summary>
    public TimeSpan MinRetention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>The longest retention a contract may set. Default 3650 days (ten years), also the most accepted.</summary>
    public TimeSpan MaxRetention { get; set; } = TimeSpan.FromDays(3650);

    /// <summary>
    /// How often the ASP.NET Core package's hosted service runs <see cref="AuditRetention"/>. Default 1 day;
    /// <see langword="null"/> for never (a host that schedules it itself). At least 1 minute.
    /// </summary>
    public TimeSpan? RetentionInterval { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How many records one retention statement deletes at most. Default 500; 1 to 10,000.</summary>
    public int DeleteBatchSize { get; set; } = 500;

    /// <summary>
    /// Whether a support agent who may verify a user's support PIN (<see cref="SupportPin.ISupportAgentAuthorizer.MayVerifyAsync"/>)
    /// may also read that user's records (and only that user's). Default <see langword="false"/>: support agents who are
    /// not the contract's administrators see nothing. With the default authorizer every support agent is an
    /// administrator or the owner, who see the whole contract anyway.
    /// </summary>
    public bool SupportAgentsMayReadUserRecords { get; set; }

    internal IEnumerable<string> Validate()
    {
        var longest = TimeSpan.FromDays(3650);
        if (QueueCapacity is < 1 or > 1_000_000)
        {
            yield return "Audit.QueueCapacity must be between 1 and 1000000.";
        }

        if (WriteBatchSize is < 1 or > 10_000)
        {
            yield return "Audit.WriteBatchSize must be between 1 and 10000.";
        }

        if (WriteAttempts is < 1 or > 10)
        {
            yield return "Audit.WriteAttempts must be between 1 and 10.";
        }

        if (MinRetention < TimeSpan.FromDays(1) || MinRetention > DefaultRetention || DefaultRetention > MaxRetention || MaxRetention > longest)
        {
            yield return "Audit: 1 day <= MinRetention <= DefaultRetention <= MaxRetention <= 3650 days must hold.";
        }

        if (RetentionInterval is { } interval && interval < TimeSpan.FromMinutes(1))
        {
            yield return "Audit.RetentionInterval must be at least 1 minute (or null).";
        }

        if (DeleteBatchSize is < 1 or > 10_000)
        {
            yield return "Audit.DeleteBatchSize must be between 1 and 10000.";
        }
    }
}
