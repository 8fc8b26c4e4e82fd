using AccountSecurity.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AccountSecurity.Stores;

/// <summary>
/// The read-modify-write loop (<see cref="ReadModifyWrite"/>) bound to one store: how to read a record by id, how to
/// write it with the version read, how many attempts the options allow, and what to log when they run out.
/// <see cref="UserUpdater"/> and <see cref="ContractUpdater"/> are this over their store, so the binding is written once.
/// </summary>
internal abstract class RecordUpdater<TRecord>
    where TRecord : class
{
    private readonly int _maxAttempts;

    protected RecordUpdater(IOptions<AccountSecurityOptions> options) => _maxAttempts = options.Value.Stores.MaxConcurrencyRetries + 1;

    protected abstract ValueTask<TRecord?> ReadAsync(string id, CancellationToken cancellationToken);

    protected abstract ValueTask<StoreWriteResult> WriteAsync(TRecord record, CancellationToken cancellationToken);

    /// <summary>Logs that every attempt on <paramref name="id"/> conflicted (never the record's content).</summary>
    protected abstract void RetriesExhausted(string id, int attempts);

    /// <summary>
    /// Runs <paramref name="decide"/> on the fresh state of <paramref name="id"/> (<see langword="null"/> when it does not
    /// exist) until its write lands or it decides not to write. Returns <paramref name="whenExhausted"/>'s result if every
    /// attempt conflicted. <paramref name="first"/>, when given, saves the first read.
    /// </summary>
    protected ValueTask<T> RunAsync<T>(
        string id,
        Func<TRecord?, RecordChange<TRecord, T>> decide,
        Func<T> whenExhausted,
        CancellationToken cancellationToken,
        TRecord? first = null) =>
        ReadModifyWrite.RunAsync(
            ct => ReadAsync(id, ct),
            WriteAsync,
            decide,
            _maxAttempts,
            whenExhausted,
            attempts => RetriesExhausted(id, attempts),
            cancellationToken,
            first);
}
