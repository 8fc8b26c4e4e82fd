using Microsoft.Extensions.Logging;

namespace AccountSecurity.Auditing;

/// <summary>
/// Deletes audit records older than their contract's retention (<see cref="IAuditTrailService.SetRetentionAsync"/>,
/// default <see cref="AuditTrailOptions.DefaultRetention"/>), oldest first, in batches of
/// <see cref="AuditTrailOptions.DeleteBatchSize"/>; each batch moves its chain's anchor so what is kept still verifies.
/// A method the host schedules (the ASP.NET Core package runs it daily from a hosted service). Scoped, like the store it
/// uses: resolve it from a scope per run.
/// </summary>
public sealed class AuditRetention
{
    private const int ChainsPerRead = 200;

    private readonly IAuditStore _store;
    private readonly TimeProvider _time;
    private readonly AuditTrailOptions _options;
    private readonly ILogger<AuditRetention> _logger;

    internal AuditRetention(IAuditStore store, TimeProvider time, AuditTrailOptions options, ILogger<AuditRetention> logger)
    {
        _store = store;
        _time = time;
        _options = options;
        _logger = logger;
    }

    /// <summary>
    /// Deletes what is due in every contract, at most <paramref name="maxBatchesPerContract"/> batches per contract per
    /// run (the rest goes at the next run). How many records it deleted. Never deletes a record younger than its
    /// contract's retention.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxBatchesPerContract"/> is below 1.</exception>
    public async ValueTask<long> RunOnceAsync(int maxBatchesPerContract = 20, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchesPerContract, 1);
        var now = _time.GetUtcNow();
        var total = 0L;
        string? after = null;
        while (true)
        {
            var heads = await _store.ListChainsAsync(after, ChainsPerRead, cancellationToken).ConfigureAwait(false);
            foreach (var head in heads)
            {
                var before = now - TimeSpan.FromDays(AuditTrailService.EffectiveDays(head.RetentionDays, _options));
                for (var batch = 0; batch < maxBatchesPerContract; batch++)
                {
                    var deleted = await _store.DeleteExpiredAsync(head.ContractId, before, _options.DeleteBatchSize, cancellationToken).ConfigureAwait(false);
                    total += deleted;
                    if (deleted < _options.DeleteBatchSize)
                    {
                        break;
                    }
                }
            }

            if (heads.Count < ChainsPerRead)
            {
                break;
            }

            after = heads[^1].ContractId;
        }

        if (total > 0)
        {
            AuditLog.RetentionDeleted(_logger, total);
        }

        return total;
    }
}
