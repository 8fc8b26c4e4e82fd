using AccountSecurity.Accounts;
using AccountSecurity.EntityFrameworkCore.Model;
using AccountSecurity.Stores;
using Microsoft.EntityFrameworkCore;

namespace AccountSecurity.EntityFrameworkCore.Stores;

/// <summary>
/// An <see cref="IContractStore"/> on EF Core, with the same guarantees and caveats as
/// <see cref="EntityFrameworkCoreUserStore{TContext}"/>: untracked reads, version-checked single-statement updates,
/// one instance per scope.
/// </summary>
/// <typeparam name="TContext">The context that maps AccountSecurity's tables.</typeparam>
public sealed class EntityFrameworkCoreContractStore<TContext> : IContractStore
    where TContext : DbContext
{
    private readonly EntityTable<ContractEntity> _table;

    /// <summary>Creates the store over <paramref name="context"/>.</summary>
    /// <exception cref="InvalidOperationException">The context does not map AccountSecurity's tables, or the process cannot run dynamic code (Native AOT; the message says what to do instead).</exception>
    public EntityFrameworkCoreContractStore(TContext context) => _table = new EntityTable<ContractEntity>(context);

    private IQueryable<ContractEntity> Contracts => _table.Rows;

    /// <inheritdoc />
    public async ValueTask<Contract?> FindByIdAsync(string contractId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contractId);
        var entity = await Contracts.FirstOrDefaultAsync(c => c.Id == contractId, cancellationToken).ConfigureAwait(false);
        return entity is null ? null : EntityMapping.ToDomain(entity);
    }

    /// <inheritdoc />
    public async ValueTask<StoreWriteResult> CreateAsync(Contract contract, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contract);
        var entity = EntityMapping.ToEntity(contract, version: 1);
        var id = entity.Id;
        return await _table.InsertAsync(entity, ct => Contracts.AnyAsync(c => c.Id == id, ct), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<StoreWriteResult> UpdateAsync(Contract contract, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contract);
        var read = contract.Version;
        var e = EntityMapping.ToEntity(contract, read + 1);
        var updated = await _table.Set
            .Where(c => c.Id == e.Id && c.Version == read)
            .ExecuteUpdateAsync(
                s => s
                    .SetProperty(c => c.Name, e.Name)
                    .SetProperty(c => c.OwnerUserId, e.OwnerUserId)
                    .SetProperty(c => c.PolicyMinimumLength, e.PolicyMinimumLength)
                    .SetProperty(c => c.PolicyMaximumLength, e.PolicyMaximumLength)
                    .SetProperty(c => c.PolicyMinimumDigits, e.PolicyMinimumDigits)
                    .SetProperty(c => c.PolicyMinimumUppercase, e.PolicyMinimumUppercase)
                    .SetProperty(c => c.PolicyMinimumLowercase, e.PolicyMinimumLowercase)
                    .SetProperty(c => c.PolicyMinimumSpecial, e.PolicyMinimumSpecial)
                    .SetProperty(c => c.PolicyBlockCommonPasswords, e.PolicyBlockCommonPasswords)
                    .SetProperty(c => c.PolicyRejectEmail, e.PolicyRejectEmail)
                    .SetProperty(c => c.PolicyRejectPredictablePatterns, e.PolicyRejectPredictablePatterns)
                    .SetProperty(c => c.PolicyHistoryDepth, e.PolicyHistoryDepth)
                    .SetProperty(c => c.PasskeySignInAllowed, e.PasskeySignInAllowed)
                    .SetProperty(c => c.SessionPolicy, e.SessionPolicy)
                    .SetProperty(c => c.Version, e.Version),
                cancellationToken)
            .ConfigureAwait(false);
        if (updated == 1)
        {
            return StoreWriteResult.Success;
        }

        var id = e.Id;
        return await EntityTable<ContractEntity>.MissedUpdateAsync(Contracts.AnyAsync(c => c.Id == id, cancellationToken)).ConfigureAwait(false);
    }
}
