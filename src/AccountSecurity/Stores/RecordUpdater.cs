using AccountSecurity.Accounts;
using AccountSecurity.DependencyInjection;
using AccountSecurity.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AccountSecurity.Stores;

/// <summary>
/// The read-modify-write loop (<see cref="ReadModifyWrite"/>) bound to one store: how to read a record by id, how to
/// write it with the version read, how many attempts the options allow, and what to log when they run out.
/// <see cref="UserUpdater"/> and <see cref="ContractUpdater"/> are this over their store, so the binding is written once.
/// </summary>
internal abstract class RecordUpdater<TRecord>(
    IOptions<AccountSecurityOptions> options,
    Func<string, CancellationToken, ValueTask<TRecord?>> read,
    Func<TRecord, CancellationToken, ValueTask<StoreWriteResult>> write,
    Action<string, int> retriesExhausted)
    where TRecord : class
{
    private readonly int _maxAttempts = options.Value.Stores.MaxConcurrencyRetries + 1;

    /// <summary>
    /// Runs <paramref name="decide"/> on the fresh state of <paramref name="id"/> (<see langword="null"/> when it does not
    /// exist) until its write lands or it decides not to write. Returns <paramref name="whenExhausted"/>'s result if every
    /// attempt conflicted (logged by id and attempt count, never the record's content). <paramref name="first"/>, when
    /// given, saves the first read. <paramref name="whenDuplicate"/>, when given, answers a write the store refused as a
    /// duplicate (a key another record holds) without retrying it.
    /// </summary>
    public ValueTask<T> UpdateAsync<T>(
        string id,
        Func<TRecord?, RecordChange<TRecord, T>> decide,
        Func<T> whenExhausted,
        CancellationToken cancellationToken,
        TRecord? first = null,
        Func<T>? whenDuplicate = null) =>
        ReadModifyWrite.RunAsync(
            ct => read(id, ct),
            write,
            decide,
            _maxAttempts,
            whenExhausted,
            attempts => retriesExhausted(id, attempts),
            cancellationToken,
            first,
            whenDuplicate);
}

/// <summary>
/// The read-modify-write loop (<see cref="ReadModifyWrite"/>) over the user store, which every service uses for
/// users: read the user, decide, write with the version read, and on a conflict read again and decide again.
/// </summary>
internal sealed class UserUpdater(IUserStore store, IOptions<AccountSecurityOptions> options, ILogger<UserUpdater> logger)
    : RecordUpdater<UserAccount>(options, store.FindByIdAsync, store.UpdateAsync, (id, attempts) => Log.ConcurrencyRetriesExhausted(logger, id, attempts))
{
    public IUserStore Store => store;
}

/// <summary>
/// The read-modify-write loop (<see cref="ReadModifyWrite"/>) over the contract store, as <see cref="UserUpdater"/>
/// is for users: read the contract, decide, write with the version read, and on a conflict decide again on fresh state.
/// </summary>
internal sealed class ContractUpdater(IContractStore store, IOptions<AccountSecurityOptions> options, ILogger<ContractUpdater> logger)
    : RecordUpdater<Contract>(options, store.FindByIdAsync, store.UpdateAsync, (id, attempts) => Log.ContractConcurrencyRetriesExhausted(logger, id, attempts));
