using AccountSecurity.Accounts;
using AccountSecurity.DependencyInjection;
using AccountSecurity.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AccountSecurity.Stores;

/// <summary>What a read-modify-write of a contract decided: a result, and optionally the new state to write first.</summary>
internal readonly record struct ContractChange<T>(T Result, Contract? NewState)
{
    public static ContractChange<T> Keep(T result) => new(result, null);

    public static ContractChange<T> Save(Contract newState, T result) => new(result, newState);

    /// <summary>The store-neutral form the shared loop (<see cref="RecordUpdater{TRecord}"/>) runs on.</summary>
    public static implicit operator RecordChange<Contract, T>(ContractChange<T> change) => new(change.Result, change.NewState);
}

/// <summary>
/// The read-modify-write loop (<see cref="ReadModifyWrite"/>) over the contract store, as <see cref="UserUpdater"/>
/// is for users: read the contract, decide, write with the version read, and on a conflict decide again on fresh state.
/// </summary>
internal sealed class ContractUpdater : RecordUpdater<Contract>
{
    private readonly IContractStore _store;
    private readonly ILogger<ContractUpdater> _logger;

    public ContractUpdater(IContractStore store, IOptions<AccountSecurityOptions> options, ILogger<ContractUpdater> logger)
        : base(options)
    {
        _store = store;
        _logger = logger;
    }

    /// <summary>
    /// Runs <paramref name="decide"/> on the fresh state of <paramref name="contractId"/> (<see langword="null"/> when it
    /// does not exist) until its write lands or it decides not to write. Returns <paramref name="whenExhausted"/>'s result
    /// if every attempt conflicted.
    /// </summary>
    public ValueTask<T> UpdateAsync<T>(string contractId, Func<Contract?, ContractChange<T>> decide, Func<T> whenExhausted, CancellationToken cancellationToken) =>
        RunAsync<T>(contractId, current => decide(current), whenExhausted, cancellationToken);

    protected override ValueTask<Contract?> ReadAsync(string id, CancellationToken cancellationToken) => _store.FindByIdAsync(id, cancellationToken);

    protected override ValueTask<StoreWriteResult> WriteAsync(Contract record, CancellationToken cancellationToken) => _store.UpdateAsync(record, cancellationToken);

    protected override void RetriesExhausted(string id, int attempts) => Log.ContractConcurrencyRetriesExhausted(_logger, id, attempts);
}
