using AccountSecurity.Accounts;
using AccountSecurity.Stores;

namespace AccountSecurity.Tests.Accounts.Administration;

/// <summary>An in-memory store whose updates of one chosen user always conflict, as if that record never stopped changing.</summary>
internal sealed class FailingUpdatesUserStore : IUserStore
{
    private readonly InMemoryUserStore _inner = new();

    public string? FailUpdatesOf { get; set; }

    public ValueTask<UserAccount?> FindByIdAsync(string userId, CancellationToken cancellationToken) => _inner.FindByIdAsync(userId, cancellationToken);

    public ValueTask<UserAccount?> FindByPasskeyUserHandleAsync(string userHandle, CancellationToken cancellationToken) => _inner.FindByPasskeyUserHandleAsync(userHandle, cancellationToken);

    public ValueTask<UserAccount?> FindByEmailAsync(string email, CancellationToken cancellationToken) => _inner.FindByEmailAsync(email, cancellationToken);

    public ValueTask<IReadOnlyList<UserAccount>> ListByContractAsync(string contractId, CancellationToken cancellationToken) => _inner.ListByContractAsync(contractId, cancellationToken);

    public ValueTask<StoreWriteResult> CreateAsync(UserAccount user, CancellationToken cancellationToken) => _inner.CreateAsync(user, cancellationToken);

    public ValueTask<StoreWriteResult> UpdateAsync(UserAccount user, CancellationToken cancellationToken) =>
        user.Id == FailUpdatesOf ? ValueTask.FromResult(StoreWriteResult.Conflict) : _inner.UpdateAsync(user, cancellationToken);
}
