namespace AccountSecurity.EntityFrameworkCore.Model;

/// <summary>
/// One row per <see cref="Auditing.AuditRecord"/>, keyed by (contract, sequence). The instant is UTC ticks in a 64-bit
/// integer (as the sessions table keeps its instants: exact on every provider, comparable in SQL), enums are integers.
/// Rows are inserted and deleted (retention), never updated.
/// </summary>
internal sealed class AuditRecordEntity
{
    public string ContractId { get; set; } = "";
    public long Sequence { get; set; }
    public long OccurredAt { get; set; }
    public int EventType { get; set; }
    public string? UserId { get; set; }
    public string? ActorId { get; set; }
    public int? Factor { get; set; }
    public int SignInMethods { get; set; }
    public string? Outcome { get; set; }
    public string? SessionId { get; set; }
    public string? DeviceLabel { get; set; }
    public string? ClientAddress { get; set; }
    public string? CorrelationId { get; set; }
    public string PreviousHash { get; set; } = "";
    public string Hash { get; set; } = "";
}

/// <summary>
/// One row per contract with an audit chain: where it ends (the next append's sequence and previous hash), where it
/// starts after retention, the contract's retention, and the version every change of the head checks.
/// </summary>
internal sealed class AuditChainEntity
{
    public string ContractId { get; set; } = "";
    public long LastSequence { get; set; }
    public string LastHash { get; set; } = "";
    public long AnchorSequence { get; set; }
    public string AnchorHash { get; set; } = "";
    public int? RetentionDays { get; set; }
    public long Version { get; set; }
}
