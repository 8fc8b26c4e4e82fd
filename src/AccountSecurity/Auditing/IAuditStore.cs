using AccountSecurity.Events;
using AccountSecurity.Stores;

namespace AccountSecurity.Auditing;

/// <summary>
/// Persistence of the audit trail, beside <see cref="IUserStore"/>: append-only chains of <see cref="AuditRecord"/>s,
/// one per contract, each with a head row (<see cref="AuditChainHead"/>) that serialises its writers. Safe for several
/// app instances sharing one database: appending to a contract's chain holds its head (a lock or a version-checked
/// update, retried) so sequence numbers never repeat or skip and every record links to the one before it.
/// </summary>
/// <remarks>
/// The library writes through a bounded queue (<see cref="AuditTrailOptions"/>), never in the request; hosts read
/// through <see cref="IAuditTrailService"/>, which decides who may see what. <c>AccountSecurity.Testing.NUnit</c> holds
/// the conformance suite every implementation must pass (<c>AuditStoreConformanceTests</c>).
/// </remarks>
public interface IAuditStore
{
    /// <summary>
    /// Appends <paramref name="records"/> (all of <paramref name="contractId"/>, in order) to the end of that contract's
    /// chain in one atomic step: each gets the next sequence number and is linked with <see cref="AuditChain.Link"/> to
    /// the one before it (the chain head's hash for the first). Creates the chain on its first record. Returns the
    /// linked records. Whatever another writer appends concurrently, the chain stays gapless and linked.
    /// </summary>
    ValueTask<IReadOnlyList<AuditRecord>> AppendAsync(string contractId, IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken);

    /// <summary>
    /// At most <see cref="AuditStoreQuery.Limit"/> records of <see cref="AuditStoreQuery.ContractId"/> matching every
    /// filter of <paramref name="query"/> whose sequence is below <see cref="AuditStoreQuery.BeforeSequence"/> (when
    /// given), newest (highest sequence) first.
    /// </summary>
    ValueTask<IReadOnlyList<AuditRecord>> QueryAsync(AuditStoreQuery query, CancellationToken cancellationToken);

    /// <summary>At most <paramref name="count"/> records of <paramref name="contractId"/> with a sequence above <paramref name="afterSequence"/>, in ascending sequence: the walk of verification.</summary>
    ValueTask<IReadOnlyList<AuditRecord>> ReadChainAsync(string contractId, long afterSequence, int count, CancellationToken cancellationToken);

    /// <summary>The chain head of <paramref name="contractId"/>; <see langword="null"/> when the contract has no chain yet.</summary>
    ValueTask<AuditChainHead?> FindChainAsync(string contractId, CancellationToken cancellationToken);

    /// <summary>At most <paramref name="count"/> chain heads with a contract id ordinally after <paramref name="afterContractId"/> (from the first when <see langword="null"/>), in that order: the walk of retention.</summary>
    ValueTask<IReadOnlyList<AuditChainHead>> ListChainsAsync(string? afterContractId, int count, CancellationToken cancellationToken);

    /// <summary>
    /// Sets the retention of <paramref name="contractId"/>'s records to <paramref name="retentionDays"/> days
    /// (<see langword="null"/>: the host's default), creating the chain's head when it has none. Always succeeds for a
    /// valid contract id (<see cref="StoreWriteResult.Success"/>); concurrent appends are unaffected.
    /// </summary>
    ValueTask<StoreWriteResult> SetRetentionAsync(string contractId, int? retentionDays, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the oldest records of <paramref name="contractId"/>'s chain, in sequence order and at most
    /// <paramref name="batchSize"/>, stopping at the first that happened at or after <paramref name="before"/>; in the
    /// same atomic step moves the chain's anchor (<see cref="AuditChainHead.AnchorSequence"/>,
    /// <see cref="AuditChainHead.AnchorHash"/>) to the last one deleted, so the rest still verifies. How many it deleted.
    /// </summary>
    ValueTask<int> DeleteExpiredAsync(string contractId, DateTimeOffset before, int batchSize, CancellationToken cancellationToken);
}

/// <summary>
/// The head of one contract's chain: where it ends (for the next append), where it starts (after retention deleted the
/// oldest records) and the contract's retention policy.
/// </summary>
/// <param name="ContractId">The contract.</param>
/// <param name="LastSequence">The sequence of the last record appended (0 for none).</param>
/// <param name="LastHash">The hash of the last record appended (<see cref="AuditChain.GenesisHash"/> for none).</param>
/// <param name="AnchorSequence">The sequence of the last record retention deleted (0 for none): verification starts after it.</param>
/// <param name="AnchorHash">The hash of that record (<see cref="AuditChain.GenesisHash"/> for none): the first kept record links to it.</param>
/// <param name="RetentionDays">The contract's retention in days; <see langword="null"/> for the host's default (<see cref="AuditTrailOptions.DefaultRetention"/>).</param>
public sealed record AuditChainHead(string ContractId, long LastSequence, string LastHash, long AnchorSequence, string AnchorHash, int? RetentionDays);

/// <summary>What <see cref="IAuditStore.QueryAsync"/> reads: one contract's records, filtered, a page before a sequence.</summary>
public sealed record AuditStoreQuery
{
    /// <summary>The contract (required: no query crosses contracts).</summary>
    public required string ContractId { get; init; }

    /// <summary>Only records about this user, when given.</summary>
    public string? UserId { get; init; }

    /// <summary>Only records of these types, when given and not empty.</summary>
    public IReadOnlyList<SecurityEventType>? EventTypes { get; init; }

    /// <summary>Only records that happened at or after this instant, when given.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Only records that happened before this instant, when given.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Only records with a lower sequence (the keyset cursor of the next page), when given.</summary>
    public long? BeforeSequence { get; init; }

    /// <summary>The most records returned.</summary>
    public required int Limit { get; init; }

    /// <summary>Whether <paramref name="record"/> matches every filter (the in-memory store's rule; a database store says the same in SQL).</summary>
    public bool Matches(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return string.Equals(record.ContractId, ContractId, StringComparison.Ordinal)
            && (UserId is null || string.Equals(record.UserId, UserId, StringComparison.Ordinal))
            && (EventTypes is not { Count: > 0 } types || types.Contains(record.EventType))
            && (From is not { } from || record.OccurredAt >= from)
            && (To is not { } to || record.OccurredAt < to)
            && (BeforeSequence is not { } before || record.Sequence < before);
    }
}
