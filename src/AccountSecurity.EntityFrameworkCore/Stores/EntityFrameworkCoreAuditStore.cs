using AccountSecurity.Auditing;
using AccountSecurity.EntityFrameworkCore.Model;
using AccountSecurity.Events;
using AccountSecurity.Lockout;
using AccountSecurity.Stores;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace AccountSecurity.EntityFrameworkCore.Stores;

/// <summary>
/// An <see cref="IAuditStore"/> on EF Core: the audit records table (<see cref="AccountSecurityTables.AuditRecords"/>)
/// and one head row per contract (<see cref="AccountSecurityTables.AuditChains"/>). Safe for several app instances
/// sharing one database: an append holds its contract's head for the length of one transaction — on PostgreSQL with
/// <c>SELECT … FOR UPDATE</c> (the other writers wait their turn), on other providers by a version-checked update of the
/// head (SQLite's write transactions already serialise; a loser of the race elsewhere rolls back and tries again) — so
/// sequence numbers never repeat or skip and each record links to the one before it.
/// </summary>
/// <remarks>
/// Like the context it wraps, one instance serves one scope and is not safe for concurrent use;
/// <c>UseEntityFrameworkCore&lt;TContext&gt;()</c> registers it scoped. Reads are untracked; a write never leaves an
/// entity tracked.
/// </remarks>
/// <typeparam name="TContext">The context that maps AccountSecurity's tables.</typeparam>
public sealed class EntityFrameworkCoreAuditStore<TContext> : IAuditStore
    where TContext : DbContext
{
    // Enough for writers of many instances racing on one contract on a provider without row locks; each try is short.
    private const int MaxAttempts = 50;

    private readonly EntityTable<AuditRecordEntity> _records;
    private readonly TContext _context;
    private readonly bool _rowLocks;

    /// <summary>Creates the store over <paramref name="context"/>.</summary>
    /// <exception cref="InvalidOperationException">The context does not map AccountSecurity's tables, or the process cannot run dynamic code (Native AOT; the message says what to do instead).</exception>
    public EntityFrameworkCoreAuditStore(TContext context)
    {
        _records = new EntityTable<AuditRecordEntity>(context);
        StoreErrors.RequireModel<AuditChainEntity>(context);
        _context = context;
        _rowLocks = context.Database.ProviderName?.Contains("Npgsql", StringComparison.OrdinalIgnoreCase) == true;
    }

    private IQueryable<AuditRecordEntity> Records => _records.Rows;

    private IQueryable<AuditChainEntity> Chains => _context.Set<AuditChainEntity>().AsNoTracking();

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<AuditRecord>> AppendAsync(string contractId, IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contractId);
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return [];
        }

        return await UnderHeadAsync(
            contractId,
            async (head, ct) =>
            {
                var linked = new List<AuditRecord>(records.Count);
                var (sequence, previous) = head is null ? (0L, AuditChain.GenesisHash) : (head.LastSequence, head.LastHash);
                foreach (var record in records)
                {
                    var next = AuditChain.Link(record with { ContractId = contractId }, ++sequence, previous);
                    previous = next.Hash;
                    linked.Add(next);
                }

                var written = head is null
                    ? await InsertHeadAsync(new AuditChainEntity { ContractId = contractId, LastSequence = sequence, LastHash = previous, AnchorHash = AuditChain.GenesisHash, Version = 1 }, ct).ConfigureAwait(false)
                    : await MoveHeadAsync(head, h => h.SetProperty(c => c.LastSequence, sequence).SetProperty(c => c.LastHash, previous), ct).ConfigureAwait(false);
                if (!written)
                {
                    return (false, (IReadOnlyList<AuditRecord>)[]);
                }

                var entities = linked.Select(ToEntity).ToList();
                _context.Set<AuditRecordEntity>().AddRange(entities);
                try
                {
                    await _context.SaveChangesAsync(ct).ConfigureAwait(false);
                }
                catch (DbUpdateException e) when (StoreErrors.IsUniqueViolation(e) || IsSqliteConstraint(e))
                {
                    return (false, (IReadOnlyList<AuditRecord>)[]);
                }
                finally
                {
                    foreach (var entity in entities)
                    {
                        StoreErrors.Detach(_context, entity);
                    }
                }

                return (true, (IReadOnlyList<AuditRecord>)linked);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<AuditRecord>> QueryAsync(AuditStoreQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Limit <= 0)
        {
            return [];
        }

        var contractId = query.ContractId;
        var rows = Records.Where(r => r.ContractId == contractId);
        if (query.UserId is { } userId)
        {
            rows = rows.Where(r => r.UserId == userId);
        }

        if (query.EventTypes is { Count: > 0 } types)
        {
            var codes = types.Select(t => (int)t).Distinct().ToArray();
            rows = rows.Where(r => codes.Contains(r.EventType));
        }

        if (query.From is { } from)
        {
            var ticks = EntityMapping.Ticks(from);
            rows = rows.Where(r => r.OccurredAt >= ticks);
        }

        if (query.To is { } to)
        {
            var ticks = EntityMapping.Ticks(to);
            rows = rows.Where(r => r.OccurredAt < ticks);
        }

        if (query.BeforeSequence is { } before)
        {
            rows = rows.Where(r => r.Sequence < before);
        }

        var found = await rows.OrderByDescending(r => r.Sequence).Take(query.Limit).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. found.Select(ToRecord)];
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<AuditRecord>> ReadChainAsync(string contractId, long afterSequence, int count, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contractId);
        if (count <= 0)
        {
            return [];
        }

        var found = await Records
            .Where(r => r.ContractId == contractId && r.Sequence > afterSequence)
            .OrderBy(r => r.Sequence)
            .Take(count)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. found.Select(ToRecord)];
    }

    /// <inheritdoc />
    public async ValueTask<AuditChainHead?> FindChainAsync(string contractId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contractId);
        var head = await Chains.FirstOrDefaultAsync(c => c.ContractId == contractId, cancellationToken).ConfigureAwait(false);
        return head is null ? null : ToHead(head);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<AuditChainHead>> ListChainsAsync(string? afterContractId, int count, CancellationToken cancellationToken)
    {
        if (count <= 0)
        {
            return [];
        }

        var rows = Chains;
        if (afterContractId is not null)
        {
            // Ordinal order: string.CompareOrdinal translates to a plain comparison, which PostgreSQL runs in the column's
            // collation; the ordering below is then the same collation, so paging is consistent on every provider.
            rows = rows.Where(c => string.Compare(c.ContractId, afterContractId) > 0);
        }

        var found = await rows.OrderBy(c => c.ContractId).Take(count).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. found.Select(ToHead)];
    }

    /// <inheritdoc />
    public async ValueTask<StoreWriteResult> SetRetentionAsync(string contractId, int? retentionDays, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contractId);
        for (var attempt = 0; ; attempt++)
        {
            // Only the retention column: an append racing with it changes other columns and checks the version.
            var updated = await _context.Set<AuditChainEntity>()
                .Where(c => c.ContractId == contractId)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.RetentionDays, retentionDays), cancellationToken).ConfigureAwait(false);
            if (updated > 0)
            {
                return StoreWriteResult.Success;
            }

            var head = new AuditChainEntity { ContractId = contractId, LastHash = AuditChain.GenesisHash, AnchorHash = AuditChain.GenesisHash, RetentionDays = retentionDays, Version = 1 };
            var inserted = await new EntityTable<AuditChainEntity>(_context)
                .InsertAsync(head, ct => Chains.AnyAsync(c => c.ContractId == contractId, ct), cancellationToken).ConfigureAwait(false);
            if (inserted == StoreWriteResult.Success || attempt >= 2)
            {
                return inserted;
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask<int> DeleteExpiredAsync(string contractId, DateTimeOffset before, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contractId);
        if (batchSize <= 0)
        {
            return 0;
        }

        var cutoff = EntityMapping.Ticks(before);
        return await UnderHeadAsync(
            contractId,
            async (head, ct) =>
            {
                if (head is null)
                {
                    return (true, 0);
                }

                var anchor = head.AnchorSequence;
                var oldest = await Records
                    .Where(r => r.ContractId == contractId && r.Sequence > anchor)
                    .OrderBy(r => r.Sequence)
                    .Take(batchSize)
                    .Select(r => new { r.Sequence, r.OccurredAt, r.Hash })
                    .ToListAsync(ct).ConfigureAwait(false);
                var due = oldest.TakeWhile(r => r.OccurredAt < cutoff).ToList();
                if (due.Count == 0)
                {
                    return (true, 0);
                }

                var last = due[^1];
                if (!await MoveHeadAsync(head, h => h.SetProperty(c => c.AnchorSequence, last.Sequence).SetProperty(c => c.AnchorHash, last.Hash), ct).ConfigureAwait(false))
                {
                    return (false, 0);
                }

                var deleted = await _records.Set
                    .Where(r => r.ContractId == contractId && r.Sequence > anchor && r.Sequence <= last.Sequence)
                    .ExecuteDeleteAsync(ct).ConfigureAwait(false);
                return (true, deleted);
            },
            cancellationToken).ConfigureAwait(false);
    }

    private static bool IsSqliteConstraint(DbUpdateException exception) =>
        exception.InnerException?.GetType().Name == "SqliteException" && exception.InnerException.Message.Contains("constraint", StringComparison.OrdinalIgnoreCase);

    private static AuditRecordEntity ToEntity(AuditRecord r) => new()
    {
        ContractId = r.ContractId,
        Sequence = r.Sequence,
        OccurredAt = EntityMapping.Ticks(r.OccurredAt),
        EventType = (int)r.EventType,
        UserId = r.UserId,
        ActorId = r.ActorId,
        Factor = r.Factor is { } f ? (int)f : null,
        SignInMethods = (int)r.SignInMethods,
        Outcome = r.Outcome,
        SessionId = r.SessionId,
        DeviceLabel = r.DeviceLabel,
        ClientAddress = r.ClientAddress,
        CorrelationId = r.CorrelationId,
        PreviousHash = r.PreviousHash,
        Hash = r.Hash,
    };

    private static AuditRecord ToRecord(AuditRecordEntity e) => new()
    {
        ContractId = e.ContractId,
        Sequence = e.Sequence,
        OccurredAt = EntityMapping.Instant(e.OccurredAt),
        EventType = (SecurityEventType)e.EventType,
        UserId = e.UserId,
        ActorId = e.ActorId,
        Factor = e.Factor is { } f ? (AuthenticationFactor)f : null,
        SignInMethods = (AuditSignInMethods)e.SignInMethods,
        Outcome = e.Outcome,
        SessionId = e.SessionId,
        DeviceLabel = e.DeviceLabel,
        ClientAddress = e.ClientAddress,
        CorrelationId = e.CorrelationId,
        PreviousHash = e.PreviousHash,
        Hash = e.Hash,
    };

    private static AuditChainHead ToHead(AuditChainEntity e) =>
        new(e.ContractId, e.LastSequence, e.LastHash, e.AnchorSequence, e.AnchorHash, e.RetentionDays);

    /// <summary>
    /// Runs <paramref name="work"/> in a transaction (or a savepoint of the host's) holding <paramref name="contractId"/>'s
    /// head as it read it (<see langword="null"/>: no chain yet); <paramref name="work"/> answers whether it could write
    /// (false: the head moved or was created meanwhile), and the transaction is then undone and everything tried again.
    /// </summary>
    private async Task<T> UnderHeadAsync<T>(string contractId, Func<AuditChainEntity?, CancellationToken, Task<(bool Done, T Result)>> work, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (done, result) = WriteScope.WouldOwnTransaction(_context)
                ? await _context.Database.CreateExecutionStrategy()
                    .ExecuteAsync((contractId, work), (_, state, ct) => TryOnceAsync(state.contractId, state.work, ct), null, cancellationToken)
                    .ConfigureAwait(false)
                : await TryOnceAsync(contractId, work, cancellationToken).ConfigureAwait(false);
            if (done)
            {
                return result;
            }

            if (attempt >= MaxAttempts)
            {
                throw new DbUpdateConcurrencyException($"The audit chain head stayed contended through {MaxAttempts} attempts.");
            }

            // Spread the retries of writers that lost together, so they do not collide again in step.
            await Task.Delay(System.Security.Cryptography.RandomNumberGenerator.GetInt32(1, 5 * Math.Min(attempt, 10) + 1), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<(bool Done, T Result)> TryOnceAsync<T>(string contractId, Func<AuditChainEntity?, CancellationToken, Task<(bool Done, T Result)>> work, CancellationToken cancellationToken)
    {
        var scope = await WriteScope.BeginAsync(_context, cancellationToken).ConfigureAwait(false);
        await using (scope.ConfigureAwait(false))
        {
            try
            {
                var head = await ReadHeadForUpdateAsync(contractId, cancellationToken).ConfigureAwait(false);
                var outcome = await work(head, cancellationToken).ConfigureAwait(false);
                if (outcome.Done)
                {
                    await scope.CompleteAsync(cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await scope.UndoAsync().ConfigureAwait(false);
                }

                return outcome;
            }
            catch
            {
                await scope.UndoAsync().ConfigureAwait(false);
                throw;
            }
        }
    }

    private async Task<AuditChainEntity?> ReadHeadForUpdateAsync(string contractId, CancellationToken cancellationToken)
    {
        if (!_rowLocks)
        {
            return await Chains.FirstOrDefaultAsync(c => c.ContractId == contractId, cancellationToken).ConfigureAwait(false);
        }

        // PostgreSQL: lock the head row until the transaction ends; other writers of the contract wait here, then read the moved head.
        var entity = _context.Model.FindEntityType(typeof(AuditChainEntity))!;
        var sql = _context.GetService<ISqlGenerationHelper>();
        var table = sql.DelimitIdentifier(entity.GetTableName()!, entity.GetSchema());
        var column = sql.DelimitIdentifier(entity.FindProperty(nameof(AuditChainEntity.ContractId))!.GetColumnName());
#pragma warning disable EF1002 // The identifiers are the model's own, delimited by the provider; the contract id is a parameter ({0}).
        var rows = await _context.Set<AuditChainEntity>()
            .FromSqlRaw($"SELECT * FROM {table} WHERE {column} = {{0}} FOR UPDATE", contractId)
#pragma warning restore EF1002
            .AsNoTracking()
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    private async Task<bool> InsertHeadAsync(AuditChainEntity head, CancellationToken cancellationToken)
    {
        _context.Set<AuditChainEntity>().Add(head);
        try
        {
            await _context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (DbUpdateException e) when (StoreErrors.IsUniqueViolation(e) || IsSqliteConstraint(e))
        {
            // Another writer created the chain first: start again from its head.
            return false;
        }
        finally
        {
            StoreErrors.Detach(_context, head);
        }
    }

    private async Task<bool> MoveHeadAsync(
        AuditChainEntity head,
        Action<Microsoft.EntityFrameworkCore.Query.UpdateSettersBuilder<AuditChainEntity>> set,
        CancellationToken cancellationToken)
    {
        var contractId = head.ContractId;
        var version = head.Version;
        var updated = await _context.Set<AuditChainEntity>()
            .Where(c => c.ContractId == contractId && c.Version == version)
            .ExecuteUpdateAsync(
                s =>
                {
                    set(s);
                    s.SetProperty(c => c.Version, version + 1);
                },
                cancellationToken).ConfigureAwait(false);
        return updated == 1;
    }
}
