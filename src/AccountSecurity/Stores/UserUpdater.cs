using AccountSecurity.Accounts;
using AccountSecurity.DependencyInjection;
using AccountSecurity.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AccountSecurity.Stores;

/// <summary>What a read-modify-write decided: a result, and optionally the new state to write first.</summary>
internal readonly record struct UserChange<T>(T Result, UserAccount? NewState)
{
    public static UserChange<T> Keep(T result) => new(result, null);

    public static UserChange<T> Save(UserAccount newState, T result) => new(result, newState);

    /// <summary>The store-neutral form the shared loop (<see cref="RecordUpdater{TRecord}"/>) runs on.</summary>
    public static implicit operator RecordChange<UserAccount, T>(UserChange<T> change) => new(change.Result, change.NewState);
}

/// <summary>
/// The read-modify-write loop (<see cref="ReadModifyWrite"/>) over the user store, which every service uses for
/// users: read the user, decide, write with the version read, and on a conflict read again and decide again.
/// </summary>
internal sealed class UserUpdater : RecordUpdater<UserAccount>
{
    private readonly IUserStore _store;
    private readonly ILogger<UserUpdater> _logger;

    public UserUpdater(IUserStore store, IOptions<AccountSecurityOptions> options, ILogger<UserUpdater> logger)
        : base(options)
    {
        _store = store;
        _logger = logger;
    }

    public IUserStore Store => _store;

    /// <summary>
    /// Runs <paramref name="decide"/> on fresh state until its write lands or it decides not to write. Returns
    /// <paramref name="whenExhausted"/>'s result if every attempt conflicted. <paramref name="first"/>, when given,
    /// saves the first read.
    /// </summary>
    public ValueTask<T> UpdateAsync<T>(
        string userId,
        Func<UserAccount?, UserChange<T>> decide,
        Func<T> whenExhausted,
        CancellationToken cancellationToken,
        UserAccount? first = null) =>
        RunAsync<T>(userId, current => decide(current), whenExhausted, cancellationToken, first);

    protected override ValueTask<UserAccount?> ReadAsync(string id, CancellationToken cancellationToken) => _store.FindByIdAsync(id, cancellationToken);

    protected override ValueTask<StoreWriteResult> WriteAsync(UserAccount record, CancellationToken cancellationToken) => _store.UpdateAsync(record, cancellationToken);

    protected override void RetriesExhausted(string id, int attempts) => Log.ConcurrencyRetriesExhausted(_logger, id, attempts);
}
