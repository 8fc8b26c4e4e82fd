using AccountSecurity.Accounts;

namespace AccountSecurity.Stores;

/// <summary>A thread-safe in-memory <see cref="IContractStore"/>; the embedded default. State is lost when the process ends.</summary>
public sealed class InMemoryContractStore : IContractStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Contract> _byId = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask<Contract?> FindByIdAsync(string contractId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contractId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_byId.GetValueOrDefault(contractId));
        }
    }

    /// <inheritdoc />
    public ValueTask<StoreWriteResult> CreateAsync(Contract contract, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contract);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_byId.TryAdd(contract.Id, contract with { Version = 1 })
                ? StoreWriteResult.Success
                : StoreWriteResult.Duplicate);
        }
    }

    /// <inheritdoc />
    public ValueTask<StoreWriteResult> UpdateAsync(Contract contract, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contract);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_byId.TryGetValue(contract.Id, out var stored))
            {
                return ValueTask.FromResult(StoreWriteResult.NotFound);
            }

            if (stored.Version != contract.Version)
            {
                return ValueTask.FromResult(StoreWriteResult.Conflict);
            }

            _byId[contract.Id] = contract with { Version = stored.Version + 1 };
            return ValueTask.FromResult(StoreWriteResult.Success);
        }
    }
}
