using AccountSecurity.Accounts;
using AccountSecurity.Stores;

namespace AccountSecurity.Tests.Hardening.Factors;

/// <summary>
/// The in-memory store with a starting line: once <see cref="Arm"/>ed for <c>n</c> racers, the first <c>n</c>
/// look-ups by id wait until all <c>n</c> have arrived. Each racer's first store call is that look-up, so every
/// racer decides on the same state before any of them writes: the interleaving a slow shared database produces,
/// made certain instead of left to the thread pool.
/// </summary>
internal sealed class StartingLineUserStore : IUserStore
{
    private readonly InMemoryUserStore _inner = new();
    private TaskCompletionSource? _allArrived;
    private int _expected;
    private int _arrived;

    public void Arm(int racers)
    {
        _arrived = 0;
        _expected = racers;
        Volatile.Write(ref _allArrived, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
    }

    public async ValueTask<UserAccount?> FindByIdAsync(string userId, CancellationToken cancellationToken)
    {
        var line = Volatile.Read(ref _allArrived);
        if (line is not null && !line.Task.IsCompleted)
        {
            var read = await _inner.FindByIdAsync(userId, cancellationToken);
            var position = Interlocked.Increment(ref _arrived);
            if (position == _expected)
            {
                line.TrySetResult();
            }

            if (position <= _expected)
            {
                await line.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
                return read;
            }
        }

        return await _inner.FindByIdAsync(userId, cancellationToken);
    }

    public ValueTask<UserAccount?> FindByPasskeyUserHandleAsync(string userHandle, CancellationToken cancellationToken) => _inner.FindByPasskeyUserHandleAsync(userHandle, cancellationToken);

    public ValueTask<UserAccount?> FindByEmailAsync(string email, CancellationToken cancellationToken) => _inner.FindByEmailAsync(email, cancellationToken);

    public ValueTask<IReadOnlyList<UserAccount>> ListByContractAsync(string contractId, CancellationToken cancellationToken) => _inner.ListByContractAsync(contractId, cancellationToken);

    public ValueTask<StoreWriteResult> CreateAsync(UserAccount user, CancellationToken cancellationToken) => _inner.CreateAsync(user, cancellationToken);

    public ValueTask<StoreWriteResult> UpdateAsync(UserAccount user, CancellationToken cancellationToken) => _inner.UpdateAsync(user, cancellationToken);
}
