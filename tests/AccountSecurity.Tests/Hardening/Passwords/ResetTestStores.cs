using System.Collections.Concurrent;
using AccountSecurity.Accounts;
using AccountSecurity.Passwords.Reset;
using AccountSecurity.Stores;

namespace AccountSecurity.Tests.Hardening.Passwords;

/// <summary>
/// A user store that can be closed: while closed, every e-mail lookup and update waits until it is opened again.
/// Records which calls were made, so a test sees what work happened before an answer without timing anything.
/// </summary>
internal sealed class GatedUserStore(IUserStore inner) : IUserStore
{
    private readonly ConcurrentQueue<string> _calls = new();
    private readonly SemaphoreSlim _entered = new(0);
    private volatile TaskCompletionSource _open = Opened();

    public IReadOnlyList<string> Calls => [.. _calls];

    /// <summary>When set, every update throws it (after the gate).</summary>
    public Exception? FailUpdatesWith { get; set; }

    public void Close() => _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Open() => _open.TrySetResult();

    /// <summary>Forgets the calls made so far (seeding), including their entry signals.</summary>
    public void ClearCalls()
    {
        _calls.Clear();
        while (_entered.Wait(0))
        {
        }
    }

    /// <summary>Completes once <paramref name="count"/> gated calls have started (and are waiting, when closed).</summary>
    public async Task EnteredAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            (await _entered.WaitAsync(TimeSpan.FromSeconds(30))).Should().BeTrue("the background work should have reached the store");
        }
    }

    public ValueTask<UserAccount?> FindByIdAsync(string userId, CancellationToken cancellationToken) => inner.FindByIdAsync(userId, cancellationToken);

    public ValueTask<UserAccount?> FindByPasskeyUserHandleAsync(string userHandle, CancellationToken cancellationToken) => inner.FindByPasskeyUserHandleAsync(userHandle, cancellationToken);

    public async ValueTask<UserAccount?> FindByEmailAsync(string email, CancellationToken cancellationToken)
    {
        await PassAsync(nameof(FindByEmailAsync));
        return await inner.FindByEmailAsync(email, cancellationToken);
    }

    public ValueTask<IReadOnlyList<UserAccount>> ListByContractAsync(string contractId, CancellationToken cancellationToken) => inner.ListByContractAsync(contractId, cancellationToken);

    public ValueTask<StoreWriteResult> CreateAsync(UserAccount user, CancellationToken cancellationToken) => inner.CreateAsync(user, cancellationToken);

    public async ValueTask<StoreWriteResult> UpdateAsync(UserAccount user, CancellationToken cancellationToken)
    {
        await PassAsync(nameof(UpdateAsync));
        if (FailUpdatesWith is { } failure)
        {
            throw failure;
        }

        return await inner.UpdateAsync(user, cancellationToken);
    }

    private static TaskCompletionSource Opened()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }

    private async Task PassAsync(string call)
    {
        _calls.Enqueue(call);
        _entered.Release();
        await _open.Task;
    }
}

/// <summary>A scoped view of one shared store that remembers every instance the container made and whether it was disposed.</summary>
internal sealed class ScopeProbeUserStore(IUserStore inner) : IUserStore, IAsyncDisposable
{
    private int _emailLookups;

    public bool Disposed { get; private set; }

    public int EmailLookups => _emailLookups;

    public static ScopeProbeUserStore Create(IUserStore inner, ConcurrentQueue<ScopeProbeUserStore> made)
    {
        var store = new ScopeProbeUserStore(inner);
        made.Enqueue(store);
        return store;
    }

    public ValueTask<UserAccount?> FindByIdAsync(string userId, CancellationToken cancellationToken) => Alive().FindByIdAsync(userId, cancellationToken);

    public ValueTask<UserAccount?> FindByPasskeyUserHandleAsync(string userHandle, CancellationToken cancellationToken) => Alive().FindByPasskeyUserHandleAsync(userHandle, cancellationToken);

    public ValueTask<UserAccount?> FindByEmailAsync(string email, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _emailLookups);
        return Alive().FindByEmailAsync(email, cancellationToken);
    }

    public ValueTask<IReadOnlyList<UserAccount>> ListByContractAsync(string contractId, CancellationToken cancellationToken) => Alive().ListByContractAsync(contractId, cancellationToken);

    public ValueTask<StoreWriteResult> CreateAsync(UserAccount user, CancellationToken cancellationToken) => Alive().CreateAsync(user, cancellationToken);

    public ValueTask<StoreWriteResult> UpdateAsync(UserAccount user, CancellationToken cancellationToken) => Alive().UpdateAsync(user, cancellationToken);

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        return ValueTask.CompletedTask;
    }

    private IUserStore Alive() => Disposed ? throw new ObjectDisposedException(nameof(ScopeProbeUserStore)) : inner;
}

/// <summary>A reset sender that holds every message until released, or throws.</summary>
internal sealed class HeldResetTokenSender : IPasswordResetTokenSender
{
    private readonly ConcurrentQueue<PasswordResetMessage> _messages = new();
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<PasswordResetMessage> Messages => [.. _messages];

    public Exception? Throw { get; init; }

    public void Release() => _release.TrySetResult();

    public async ValueTask SendAsync(PasswordResetMessage message, CancellationToken cancellationToken)
    {
        await _release.Task;
        _messages.Enqueue(message);
        if (Throw is not null)
        {
            throw Throw;
        }
    }
}
