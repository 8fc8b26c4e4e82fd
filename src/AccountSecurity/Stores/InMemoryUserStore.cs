using AccountSecurity.Accounts;

namespace AccountSecurity.Stores;

/// <summary>
/// A thread-safe in-memory <see cref="IUserStore"/>: the embedded default for samples, tests and single-instance
/// hosts. State is lost when the process ends. Like the database stores, it keeps e-mail addresses, passkey user
/// handles and passkey credential ids unique across all users. Stored values are immutable records, so handing them out cannot
/// let a caller change what is stored.
/// </summary>
public sealed class InMemoryUserStore : IUserStore
{
    // One lock keeps id, e-mail and passkey credential id uniqueness and the version check atomic; the critical sections are tiny.
    private readonly Lock _gate = new();
    private readonly Dictionary<string, UserAccount> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _idByNormalizedEmail = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _idByCredentialId = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask<UserAccount?> FindByIdAsync(string userId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_byId.GetValueOrDefault(userId));
        }
    }

    /// <inheritdoc />
    public ValueTask<UserAccount?> FindByEmailAsync(string email, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(email);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(
                _idByNormalizedEmail.TryGetValue(EmailAddress.Normalize(email), out var id) ? _byId[id] : null);
        }
    }

    /// <inheritdoc />
    public ValueTask<UserAccount?> FindByPasskeyUserHandleAsync(string userHandle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userHandle);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            // A scan: the in-memory store serves samples and tests; database stores index the handle.
            return ValueTask.FromResult(_byId.Values.FirstOrDefault(u => string.Equals(u.PasskeyUserHandle, userHandle, StringComparison.Ordinal)));
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<UserAccount>> ListByContractAsync(string contractId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contractId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            IReadOnlyList<UserAccount> users = [.. _byId.Values.Where(u => u.ContractId == contractId)];
            return ValueTask.FromResult(users);
        }
    }

    /// <inheritdoc />
    public ValueTask<StoreWriteResult> CreateAsync(UserAccount user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        cancellationToken.ThrowIfCancellationRequested();
        var email = EmailAddress.Normalize(user.Email);
        lock (_gate)
        {
            if (_byId.ContainsKey(user.Id) || _idByNormalizedEmail.ContainsKey(email) || HandleTaken(user) || CredentialTaken(user))
            {
                return ValueTask.FromResult(StoreWriteResult.Duplicate);
            }

            _byId[user.Id] = user with { Version = 1 };
            _idByNormalizedEmail[email] = user.Id;
            IndexCredentials(null, user);
            return ValueTask.FromResult(StoreWriteResult.Success);
        }
    }

    /// <inheritdoc />
    public ValueTask<StoreWriteResult> UpdateAsync(UserAccount user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        cancellationToken.ThrowIfCancellationRequested();
        var newEmail = EmailAddress.Normalize(user.Email);
        lock (_gate)
        {
            if (!_byId.TryGetValue(user.Id, out var stored))
            {
                return ValueTask.FromResult(StoreWriteResult.NotFound);
            }

            if (stored.Version != user.Version)
            {
                return ValueTask.FromResult(StoreWriteResult.Conflict);
            }

            if ((user.PasskeyUserHandle != stored.PasskeyUserHandle && HandleTaken(user)) || CredentialTaken(user))
            {
                return ValueTask.FromResult(StoreWriteResult.Duplicate);
            }

            var oldEmail = EmailAddress.Normalize(stored.Email);
            if (newEmail != oldEmail)
            {
                if (_idByNormalizedEmail.ContainsKey(newEmail))
                {
                    return ValueTask.FromResult(StoreWriteResult.Duplicate);
                }

                _idByNormalizedEmail.Remove(oldEmail);
                _idByNormalizedEmail[newEmail] = user.Id;
            }

            IndexCredentials(stored, user);
            _byId[user.Id] = user with { Version = stored.Version + 1 };
            return ValueTask.FromResult(StoreWriteResult.Success);
        }
    }

    /// <summary>
    /// Whether a passkey credential id of <paramref name="user"/> is another user's, or appears twice in the account
    /// (under the lock; a credential id names one account, as the database stores' key makes it).
    /// </summary>
    private bool CredentialTaken(UserAccount user)
    {
        if (user.Passkeys.IsDefaultOrEmpty)
        {
            return false;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var passkey in user.Passkeys)
        {
            if (!seen.Add(passkey.CredentialId) || (_idByCredentialId.TryGetValue(passkey.CredentialId, out var holder) && holder != user.Id))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Moves the credential index from <paramref name="before"/>'s passkeys to <paramref name="after"/>'s (under the lock).</summary>
    private void IndexCredentials(UserAccount? before, UserAccount after)
    {
        foreach (var passkey in before is null || before.Passkeys.IsDefault ? [] : before.Passkeys)
        {
            _idByCredentialId.Remove(passkey.CredentialId);
        }

        foreach (var passkey in after.Passkeys.IsDefault ? [] : after.Passkeys)
        {
            _idByCredentialId[passkey.CredentialId] = after.Id;
        }
    }

    /// <summary>Whether another user holds <paramref name="user"/>'s passkey user handle (a scan, under the lock; handles are unique, as the database stores' index makes them).</summary>
    private bool HandleTaken(UserAccount user) =>
        user.PasskeyUserHandle is { } handle && _byId.Values.Any(u => u.Id != user.Id && string.Equals(u.PasskeyUserHandle, handle, StringComparison.Ordinal));
}
