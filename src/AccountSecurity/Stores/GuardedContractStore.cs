using AccountSecurity.Accounts;

namespace AccountSecurity.Stores;

/// <summary>
/// The one door through which the library's services reach the host's <see cref="IContractStore"/>; see
/// <see cref="GuardedUserStore"/>. A contract id no contract can have is answered as an unknown one; a contract whose
/// id, owner id or name a store could not take (NUL, lone surrogate, control characters) is never written.
/// </summary>
internal sealed class GuardedContractStore(IContractStore inner) : IContractStore
{
    /// <summary>The host's store behind the guard.</summary>
    public IContractStore Inner => inner;

    public ValueTask<Contract?> FindByIdAsync(string contractId, CancellationToken cancellationToken) =>
        InputText.IsId(contractId) ? inner.FindByIdAsync(contractId, cancellationToken) : ValueTask.FromResult<Contract?>(null);

    public ValueTask<StoreWriteResult> CreateAsync(Contract contract, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contract);
        return IsStorable(contract) ? inner.CreateAsync(contract, cancellationToken) : ValueTask.FromResult(StoreWriteResult.Duplicate);
    }

    public ValueTask<StoreWriteResult> UpdateAsync(Contract contract, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contract);
        return InputText.IsId(contract.Id) ? inner.UpdateAsync(contract, cancellationToken) : ValueTask.FromResult(StoreWriteResult.NotFound);
    }

    private static bool IsStorable(Contract contract) =>
        InputText.IsId(contract.Id) && InputText.IsId(contract.OwnerUserId) && InputText.IsName(contract.Name);
}
