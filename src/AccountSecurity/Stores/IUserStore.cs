using AccountSecurity.Accounts;

namespace AccountSecurity.Stores;

/// <summary>
/// Persistence for <see cref="UserAccount"/>s. Every update is optimistic: it states the version it read and
/// fails with <see cref="StoreWriteResult.Conflict"/> when the stored version moved on. This one rule is what keeps
/// replay protection, lockout counters and one-time codes correct under concurrency and across app instances.
/// </summary>
/// <remarks>
/// Implementations must be safe for concurrent use, must keep e-mail addresses, passkey user handles and passkey
/// credential ids unique across all users, must compare e-mail addresses case-insensitively
/// (<see cref="EmailAddress.Normalize"/>), and must never hand out an object a caller could use to change stored
/// state. <c>AccountSecurity.Testing</c> holds the conformance suite every implementation must pass.
/// </remarks>
public interface IUserStore
{
    /// <summary>Finds a user by id; <see langword="null"/> when none exists.</summary>
    ValueTask<UserAccount?> FindByIdAsync(string userId, CancellationToken cancellationToken);

    /// <summary>Finds a user by e-mail, case-insensitively; <see langword="null"/> when none exists.</summary>
    ValueTask<UserAccount?> FindByEmailAsync(string email, CancellationToken cancellationToken);

    /// <summary>
    /// Finds the user whose <see cref="UserAccount.PasskeyUserHandle"/> is <paramref name="userHandle"/> (compared
    /// ordinally); <see langword="null"/> when none. Used by passwordless passkey sign-in, where the authenticator names
    /// the account.
    /// </summary>
    ValueTask<UserAccount?> FindByPasskeyUserHandleAsync(string userHandle, CancellationToken cancellationToken);

    /// <summary>Lists the users of a contract, in no particular order.</summary>
    ValueTask<IReadOnlyList<UserAccount>> ListByContractAsync(string contractId, CancellationToken cancellationToken);

    /// <summary>
    /// Adds a new user with version 1 (whatever <see cref="UserAccount.Version"/> says). Returns
    /// <see cref="StoreWriteResult.Duplicate"/> when the id, the e-mail, the (non-null) passkey user handle or a passkey
    /// credential id (<see cref="PasskeyCredential.CredentialId"/>, compared ordinally) is taken.
    /// </summary>
    ValueTask<StoreWriteResult> CreateAsync(UserAccount user, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the stored user when its version equals <paramref name="user"/>'s <see cref="UserAccount.Version"/>,
    /// storing the new state with the version incremented. Returns <see cref="StoreWriteResult.Conflict"/> on a
    /// version mismatch (nothing written), <see cref="StoreWriteResult.NotFound"/> when the user does not exist and
    /// <see cref="StoreWriteResult.Duplicate"/> when a changed e-mail or passkey user handle is taken, or a passkey
    /// credential id of the user is another user's (a credential id names one account, WebAuthn §7.1 step 22; the
    /// check must be atomic with the write, so two concurrent registrations of one credential cannot both succeed).
    /// </summary>
    ValueTask<StoreWriteResult> UpdateAsync(UserAccount user, CancellationToken cancellationToken);
}
