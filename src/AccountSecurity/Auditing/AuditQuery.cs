using AccountSecurity.Events;

namespace AccountSecurity.Auditing;

/// <summary>
/// What a reader of the audit trail asks for (<see cref="IAuditTrailService"/>): filters and a page. Every member is
/// optional; the answer is newest first, a page at a time (keyset paging: pass <see cref="AuditPage.NextCursor"/> as
/// <see cref="Cursor"/> for the next page, so a page never repeats or skips a record when new ones arrive).
/// </summary>
public sealed record AuditQuery
{
    /// <summary>The largest page.</summary>
    public const int MaxPageSize = 200;

    /// <summary>The most event types one query may filter by.</summary>
    public const int MaxEventTypes = 64;

    /// <summary>Only records about this user (an administrator's filter; a user's own query is always theirs).</summary>
    public string? UserId { get; init; }

    /// <summary>Only records of these types; all types when <see langword="null"/> or empty.</summary>
    public IReadOnlyList<SecurityEventType>? EventTypes { get; init; }

    /// <summary>Only records that happened at or after this instant.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Only records that happened before this instant.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>The <see cref="AuditPage.NextCursor"/> of the page before; <see langword="null"/> for the first page.</summary>
    public string? Cursor { get; init; }

    /// <summary>How many records a page holds at most. Default 50; 1 to <see cref="MaxPageSize"/>.</summary>
    public int PageSize { get; init; } = 50;
}

/// <summary>One page of audit records, newest first.</summary>
/// <param name="Records">The records.</param>
/// <param name="NextCursor">Where the next page starts (<see cref="AuditQuery.Cursor"/>); <see langword="null"/> on the last page.</param>
public sealed record AuditPage(IReadOnlyList<AuditRecord> Records, string? NextCursor);

/// <summary>The format of an export (<see cref="IAuditTrailService.ExportAsync"/>).</summary>
public enum AuditExportFormat
{
    /// <summary>JSON Lines: one JSON object per record and line, UTF-8 (<c>application/jsonl</c>).</summary>
    JsonLines = 0,

    /// <summary>CSV (RFC 4180) with a header row, UTF-8; a cell a spreadsheet would run as a formula starts with <c>'</c>.</summary>
    Csv = 1,
}

/// <summary>A contract's retention of audit records, and the bounds its owner may set it within.</summary>
/// <param name="RetentionDays">How many days records are kept (the contract's setting, or the host's default).</param>
/// <param name="IsDefault">Whether the host's default applies (the owner set nothing).</param>
/// <param name="MinDays">The shortest retention the owner may set.</param>
/// <param name="MaxDays">The longest retention the owner may set.</param>
public sealed record AuditRetentionPolicy(int RetentionDays, bool IsDefault, int MinDays, int MaxDays);

/// <summary>How a chain broke (<see cref="AuditChainVerification.Break"/>).</summary>
public enum AuditChainBreak
{
    /// <summary>The chain is intact.</summary>
    None = 0,

    /// <summary>A record's hash does not match its fields, or it does not link to the record before it: altered (or a record before it was).</summary>
    Altered = 1,

    /// <summary>A sequence number is missing: a record was deleted (other than by retention, which moves the anchor).</summary>
    Missing = 2,

    /// <summary>A record beyond the chain's head: inserted without the head's knowledge.</summary>
    Unexpected = 3,

    /// <summary>The last record does not carry the hash the chain's head recorded: the last record was replaced.</summary>
    HeadMismatch = 4,
}

/// <summary>What verifying a contract's chain found (<see cref="AuditChain.VerifyAsync"/>).</summary>
/// <param name="ContractId">The contract.</param>
/// <param name="RecordsChecked">How many records were checked before the first break (all of them when intact).</param>
/// <param name="BrokenAtSequence">The sequence of the first broken link; <see langword="null"/> when intact.</param>
/// <param name="Break">How it broke; <see cref="AuditChainBreak.None"/> when intact.</param>
public sealed record AuditChainVerification(string ContractId, long RecordsChecked, long? BrokenAtSequence, AuditChainBreak Break)
{
    /// <summary>Whether every record from the anchor to the head is in place and linked.</summary>
    public bool IsIntact => Break == AuditChainBreak.None;
}
