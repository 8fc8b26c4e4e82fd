using AccountSecurity.Accounts;

namespace AccountSecurity.Stores;

/// <summary>Persistence for <see cref="Contract"/>s, with the same optimistic-concurrency contract as <see cref="IUserStore"/>.</summary>
public interface IContractStore
{
    /// <summary>Finds a contract by id; <see langword="null"/> when none exists.</summary>
    ValueTask<Contract?> FindByIdAsync(string contractId, CancellationToken cancellationToken);

    /// <summary>Adds a new contract with version 1. Returns <see cref="StoreWriteResult.Duplicate"/> when the id is taken.</summary>
    ValueTask<StoreWriteResult> CreateAsync(Contract contract, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the stored contract when its version equals <paramref name="contract"/>'s version, incrementing it;
    /// <see cref="StoreWriteResult.Conflict"/> otherwise (nothing written), <see cref="StoreWriteResult.NotFound"/> when absent.
    /// </summary>
    ValueTask<StoreWriteResult> UpdateAsync(Contract contract, CancellationToken cancellationToken);
}
