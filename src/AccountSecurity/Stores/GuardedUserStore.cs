using AccountSecurity.Accounts;

namespace AccountSecurity.Stores;

/// <summary>
/// The one door through which the library's services reach the host's <see cref="IUserStore"/>: every key is checked
/// (<see cref="InputText.IsId"/>, <see cref="EmailAddress.IsPlausible"/>) before the store sees it, and a key no
/// account can have is answered as an unknown one — <see langword="null"/>, an empty list, <see cref="StoreWriteResult.NotFound"/>
/// — without asking the store. So a NUL, a lone surrogate or a 10 MB id from a client never becomes a
/// <c>PostgresException</c>, and a hostile id gets exactly the answer an unknown id gets (no enumeration).
/// </summary>
/// <remarks>
/// Registered in <c>AddAccountSecurity()</c> and handed to every service in place of the raw store, so no entry point
/// can forget the check: a service never holds the host's store directly (a test walks every service to prove it).
/// </remarks>
internal sealed class GuardedUserStore(IUserStore inner) : IUserStore
{
    /// <summary>The host's store behind the guard.</summary>
    public IUserStore Inner => inner;

    public ValueTask<UserAccount?> FindByIdAsync(string userId, CancellationToken cancellationToken) =>
        InputText.IsId(userId) ? inner.FindByIdAsync(userId, cancellationToken) : ValueTask.FromResult<UserAccount?>(null);

    public ValueTask<UserAccount?> FindByEmailAsync(string email, CancellationToken cancellationToken) =>
        EmailAddress.IsPlausible(email) ? inner.FindByEmailAsync(email, cancellationToken) : ValueTask.FromResult<UserAccount?>(null);

    public ValueTask<UserAccount?> FindByPasskeyUserHandleAsync(string userHandle, CancellationToken cancellationToken) =>
        InputText.IsId(userHandle) ? inner.FindByPasskeyUserHandleAsync(userHandle, cancellationToken) : ValueTask.FromResult<UserAccount?>(null);

    public ValueTask<IReadOnlyList<UserAccount>> ListByContractAsync(string contractId, CancellationToken cancellationToken) =>
        InputText.IsId(contractId) ? inner.ListByContractAsync(contractId, cancellationToken) : ValueTask.FromResult<IReadOnlyList<UserAccount>>([]);

    public ValueTask<StoreWriteResult> CreateAsync(UserAccount user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);

        // Provisioning checks all of this first; a record that still fails here is refused as a create that cannot
        // take place (the answer a create has for "not this record"), never passed on to become a store exception.
        return IsStorable(user) ? inner.CreateAsync(user, cancellationToken) : ValueTask.FromResult(StoreWriteResult.Duplicate);
    }

    public ValueTask<StoreWriteResult> UpdateAsync(UserAccount user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);

        // Updates write back what was read from the store (no entry point changes an id or an address), so only the
        // key is checked: an account stored before a rule tightened must still be able to count a failure.
        return InputText.IsId(user.Id) ? inner.UpdateAsync(user, cancellationToken) : ValueTask.FromResult(StoreWriteResult.NotFound);
    }

    private static bool IsStorable(UserAccount user) =>
        InputText.IsId(user.Id) && InputText.IsId(user.ContractId) && EmailAddress.IsPlausible(user.Email);
}
