using AccountSecurity.Stores;

namespace AccountSecurity.Auditing;

/// <summary>
/// The embedded <see cref="IAuditStore"/>: chains in process memory, gone when the process ends. For tests, samples
/// and single-instance hosts that accept that; use a durable store (EF Core) anywhere an audit trail must survive.
/// Thread-safe: one lock serialises writers, so each chain stays gapless and linked.
/// </summary>
public sealed class InMemoryAuditStore : IAuditStore
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, Chain> _chains = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<AuditRecord>> AppendAsync(string contractId, IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contractId);
        ArgumentNullException.ThrowIfNull(records);
        cancellationToken.ThrowIfCancellationRequested();
        var linked = new List<AuditRecord>(records.Count);
        lock (_gate)
        {
            var chain = ChainOf(contractId);
            foreach (var record in records)
            {
                var next = AuditChain.Link(record with { ContractId = contractId }, chain.LastSequence + 1, chain.LastHash);
                chain.Records.Add(next.Sequence, next);
                chain.LastSequence = next.Sequence;
                chain.LastHash = next.Hash;
                linked.Add(next);
            }
        }

        return ValueTask.FromResult<IReadOnlyList<AuditRecord>>(linked);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<AuditRecord>> QueryAsync(AuditStoreQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            IReadOnlyList<AuditRecord> found = _chains.TryGetValue(query.ContractId, out var chain)
                ? [.. chain.Records.Values.Reverse().Where(query.Matches).Take(Math.Max(0, query.Limit))]
                : [];
            return ValueTask.FromResult(found);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<AuditRecord>> ReadChainAsync(string contractId, long afterSequence, int count, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contractId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            IReadOnlyList<AuditRecord> found = _chains.TryGetValue(contractId, out var chain)
                ? [.. chain.Records.Values.Where(r => r.Sequence > afterSequence).Take(Math.Max(0, count))]
                : [];
            return ValueTask.FromResult(found);
        }
    }

    /// <inheritdoc />
    public ValueTask<AuditChainHead?> FindChainAsync(string contractId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contractId);
        lock (_gate)
        {
            return ValueTask.FromResult(_chains.TryGetValue(contractId, out var chain) ? chain.Head(contractId) : null);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<AuditChainHead>> ListChainsAsync(string? afterContractId, int count, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<AuditChainHead> heads = [.. _chains
                .Where(c => afterContractId is null || string.CompareOrdinal(c.Key, afterContractId) > 0)
                .Take(Math.Max(0, count))
                .Select(c => c.Value.Head(c.Key))];
            return ValueTask.FromResult(heads);
        }
    }

    /// <inheritdoc />
    public ValueTask<StoreWriteResult> SetRetentionAsync(string contractId, int? retentionDays, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contractId);
        lock (_gate)
        {
            ChainOf(contractId).RetentionDays = retentionDays;
        }

        return ValueTask.FromResult(StoreWriteResult.Success);
    }

    /// <inheritdoc />
    public ValueTask<int> DeleteExpiredAsync(string contractId, DateTimeOffset before, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contractId);
        var deleted = 0;
        lock (_gate)
        {
            if (!_chains.TryGetValue(contractId, out var chain))
            {
                return ValueTask.FromResult(0);
            }

            foreach (var record in chain.Records.Values.Take(Math.Max(0, batchSize)).ToList())
            {
                if (record.OccurredAt >= before)
                {
                    break;
                }

                chain.Records.Remove(record.Sequence);
                chain.AnchorSequence = record.Sequence;
                chain.AnchorHash = record.Hash;
                deleted++;
            }
        }

        return ValueTask.FromResult(deleted);
    }

    /// <summary>Replaces a stored record as it is, without relinking (for tests of tamper evidence only).</summary>
    internal void OverwriteForTests(AuditRecord record)
    {
        lock (_gate)
        {
            ChainOf(record.ContractId).Records[record.Sequence] = record;
        }
    }

    /// <summary>Removes a stored record without moving the anchor (for tests of tamper evidence only).</summary>
    internal void RemoveForTests(string contractId, long sequence)
    {
        lock (_gate)
        {
            ChainOf(contractId).Records.Remove(sequence);
        }
    }

    private Chain ChainOf(string contractId)
    {
        if (!_chains.TryGetValue(contractId, out var chain))
        {
            chain = new Chain();
            _chains.Add(contractId, chain);
        }

        return chain;
    }

    private sealed class Chain
    {
        public SortedList<long, AuditRecord> Records { get; } = [];

        public long LastSequence { get; set; }

        public string LastHash { get; set; } = AuditChain.GenesisHash;

        public long AnchorSequence { get; set; }

        public string AnchorHash { get; set; } = AuditChain.GenesisHash;

        public int? RetentionDays { get; set; }

        public AuditChainHead Head(string contractId) => new(contractId, LastSequence, LastHash, AnchorSequence, AnchorHash, RetentionDays);
    }
}
