using AccountSecurity.Results;

namespace AccountSecurity.Accounts.Administration;

/// <summary>
/// The "Users &amp; Groups" page without the store: read and list the users of one's own contract, deactivate and
/// reactivate them, change an e-mail address, change a role and hand the contract to a new owner. Every answer is a
/// <see cref="UserSummary"/> (never a hash, secret or stamp of another user); expected failures are
/// <see cref="SecurityResult"/> codes; every change is audited with the acting user's id.
/// </summary>
/// <remarks>
/// The peer rule: lowering another person's access is the contract owner's for anyone in the contract, an
/// administrator's only for plain users; nobody acts on themselves here except to change their own e-mail address with
/// their password, and nobody acts across contracts. Acting on a user of another contract, or on an id no account has,
/// is answered <c>not_authorized</c> like any other refusal, so the answers reveal nothing outside one's contract.
/// <para>
/// Every change is a sensitive operation (<see cref="Reauthentication.SensitiveOperation"/>) and takes the acting
/// session: once authorized, it must have re-authenticated within the window (<c>reauthentication_required</c>;
/// <c>not_authenticated</c> for a session that no longer stands). Changing one's own e-mail address accepts the current
/// password inline instead.
/// </para>
/// </remarks>
public interface IAccountAdministrationService
{
    /// <summary>
    /// Reads <paramref name="userId"/> for <paramref name="actingUserId"/>: anyone active may read themselves, the owner
    /// and administrators anyone of their contract. Fails with <c>not_authorized</c> when the acting user is unknown or
    /// deactivated, or is a plain user asking for someone else; with <c>not_found</c> when a manager asks for an id that
    /// no user of their contract has (a user of another contract included). Never throws for hostile ids.
    /// </summary>
    ValueTask<SecurityResult<UserSummary>> GetUserAsync(string actingUserId, string userId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The display name of <paramref name="actingUserId"/>'s own contract (what a console shows in its header instead of
    /// the contract's id). Any active user may read their own contract's name; it is text the owner chose, so a host
    /// encodes it like any other input. Fails with <c>not_authorized</c> when the acting user is unknown or deactivated
    /// and with <c>not_found</c> when their contract no longer exists. Never reads another contract and never throws for
    /// hostile ids.
    /// </summary>
    ValueTask<SecurityResult<string>> GetContractNameAsync(string actingUserId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Lists the users of the acting user's contract, ordered by e-mail address. Only the owner and administrators may
    /// (<c>not_authorized</c> for a plain, unknown or deactivated acting user). Deactivated users are listed too.
    /// </summary>
    ValueTask<SecurityResult<IReadOnlyList<UserSummary>>> ListUsersAsync(string actingUserId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deactivates <paramref name="userId"/>: they can no longer sign in, every session ends (the security stamp changes)
    /// and a pending sign-in is dropped. Under the peer rule (<c>not_authorized</c> otherwise, also for oneself, so a
    /// contract always keeps its owner). Deactivating an inactive user succeeds without a change or an event.
    /// </summary>
    ValueTask<SecurityResult<UserSummary>> DeactivateAsync(SignIn.AuthenticatedSession actor, string userId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reactivates a deactivated <paramref name="userId"/>; they sign in afresh (their old sessions ended at deactivation).
    /// Same rule as <see cref="DeactivateAsync"/>. Reactivating an active user succeeds without a change or an event.
    /// </summary>
    ValueTask<SecurityResult<UserSummary>> ReactivateAsync(SignIn.AuthenticatedSession actor, string userId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Changes <paramref name="userId"/>'s e-mail address. The user themself must give their current password (checked
    /// under the password lockout: <c>password_wrong_current</c>, <c>locked_out</c>); the owner or an administrator may
    /// change another's address under the peer rule without one (<c>not_authorized</c> otherwise;
    /// <paramref name="currentPassword"/> is then ignored). The new address must be plausible (<c>invalid_input</c>), must
    /// not look like another user's of the contract (<c>email_confusable</c>) and must be free (<c>duplicate</c>) — the
    /// rules of account creation. On success every session of the user ends (the security stamp changes), outstanding
    /// reset tokens (sent to the old address) die and a pending sign-in is dropped; when the user changed their own
    /// address the result carries the stamp to re-issue their session with. Never logs the addresses or the password.
    /// </summary>
    ValueTask<SecurityResult<AccountChanged>> ChangeEmailAsync(
        SignIn.AuthenticatedSession actor,
        string userId,
        string? newEmail,
        string? currentPassword,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Changes <paramref name="userId"/>'s role. Only the contract owner may (<c>not_authorized</c> otherwise, also for
    /// oneself and across contracts). <see cref="UserRole.Administrator"/> and <see cref="UserRole.User"/> swap freely;
    /// <see cref="UserRole.ContractOwner"/> hands the contract over: the target (who must be active, else
    /// <c>user_inactive</c>) becomes the owner and the acting owner an administrator — a contract has exactly one owner
    /// (see the remarks on the class for the two writes). Every session of each user whose role changed ends (their
    /// security stamp changes); after a transfer the result carries the old owner's new stamp to re-issue their own
    /// session with. Setting the role a user already has succeeds without a change or an event. Fails with
    /// <c>invalid_input</c> for an undefined role, <c>concurrency_conflict</c> when the contract changed meanwhile, and
    /// <c>ownership_transfer_incomplete</c> when the ownership moved but a role write did not land (repeat the request).
    /// </summary>
    ValueTask<SecurityResult<AccountChanged>> ChangeRoleAsync(SignIn.AuthenticatedSession actor, string userId, UserRole role, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets the culture of the signed-in user <paramref name="userId"/> for texts the SDK writes to them (a BCP 47 tag such
    /// as <c>de-DE</c>, kept in canonical case; <see langword="null"/> or blank for the host's default). A preference, not
    /// a credential: it needs no password, changes no security stamp, ends no session and is not a sensitive operation.
    /// Only the user themself sets it. Fails with <c>culture_invalid</c> for a malformed tag and <c>not_found</c> when the
    /// user does not exist or is deactivated. Setting the culture a user already has succeeds without a write.
    /// </summary>
    ValueTask<SecurityResult<UserSummary>> ChangeCultureAsync(string userId, string? culture, CancellationToken cancellationToken = default);
}
