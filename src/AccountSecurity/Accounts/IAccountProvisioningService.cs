using AccountSecurity.Results;
using AccountSecurity.Stores;

namespace AccountSecurity.Accounts;

/// <summary>
/// Creates contracts and their users with initial passwords checked under the policy in force, and answers with a
/// <see cref="UserSummary"/> (never the stored record with its hashes). Hosts that own identity elsewhere may instead
/// create <see cref="UserAccount"/>s directly through <see cref="IUserStore"/>.
/// </summary>
public interface IAccountProvisioningService
{
    /// <summary>
    /// Creates a contract and its owner; on success returns the owner's <see cref="UserSummary"/>. Fails with <c>invalid_input</c> (an id or e-mail address no account can have —
    /// blank, over 128 characters, control, invisible or bidi control characters, invalid UTF-16 — or a name that is
    /// blank, over 200 characters or holds control characters), <c>duplicate</c> or every password-policy violation
    /// (under the default policy, since the contract has none yet). Never throws for hostile input; nothing is written
    /// when it fails.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="contract"/> is <see langword="null"/> (a programming error, not input).</exception>
    ValueTask<SecurityResult<UserSummary>> CreateContractAsync(NewContract contract, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds a user (role <see cref="UserRole.User"/> or <see cref="UserRole.Administrator"/>) to the acting user's
    /// contract; on success returns the new user's <see cref="UserSummary"/>. Only the contract owner or an administrator may (<c>not_authorized</c>); a contract has exactly one
    /// owner, so <see cref="UserRole.ContractOwner"/> is refused too. Fails with <c>invalid_input</c> for an id or
    /// address no account can have, with <c>email_confusable</c> (<see cref="SecurityErrorCodes.EmailConfusable"/>) when
    /// the address looks like another user's of the contract (same UTS #39 confusable skeleton), with <c>duplicate</c>
    /// or with every password-policy violation. An acting-user id no account can have is answered as an unknown one
    /// (<c>not_authorized</c>). Never throws for hostile input; nothing is written when it fails.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="actingUserId"/> or <paramref name="user"/> is <see langword="null"/>.</exception>
    ValueTask<SecurityResult<UserSummary>> CreateUserAsync(string actingUserId, NewUser user, CancellationToken cancellationToken = default);
}
