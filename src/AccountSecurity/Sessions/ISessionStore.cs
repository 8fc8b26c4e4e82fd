using AccountSecurity.Stores;

namespace AccountSecurity.Sessions;

/// <summary>
/// Persistence for <see cref="SessionRecord"/>s, beside <see cref="IUserStore"/> (and in the same database, so one
/// query can read a session with its user). Safe for concurrent use by several app instances: every write is a single
/// conditional statement, never a read-modify-write.
/// </summary>
/// <remarks><c>AccountSecurity.Testing.NUnit</c> holds the conformance suite every implementation must pass.</remarks>
public interface ISessionStore
{
    /// <summary>Adds a new session. Returns <see cref="StoreWriteResult.Duplicate"/> when its id is taken (nothing written).</summary>
    ValueTask<StoreWriteResult> CreateAsync(SessionRecord session, CancellationToken cancellationToken);

    /// <summary>
    /// The one read of a request: session <paramref name="sessionId"/> together with the narrow part of its user that
    /// decides whether it stands (stamp, active flag, contract, whether forced 2FA still needs setting up); one query in a
    /// database store, never the whole user. <see langword="null"/> when the session does not exist.
    /// </summary>
    ValueTask<SessionValidationState?> FindForValidationAsync(string sessionId, CancellationToken cancellationToken);

    /// <summary>The sessions of <paramref name="userId"/> that have not been ended (expired ones included), in no particular order.</summary>
    ValueTask<IReadOnlyList<SessionRecord>> ListByUserAsync(string userId, CancellationToken cancellationToken);

    /// <summary>
    /// Sets <see cref="SessionRecord.LastSeenAt"/> to <paramref name="seenAt"/> when the session is not ended and was last
    /// seen before <paramref name="notSeenSince"/>; otherwise writes nothing. Whether it wrote. Of many instances racing to
    /// record the same request burst, one writes.
    /// </summary>
    ValueTask<bool> TouchAsync(string sessionId, DateTimeOffset seenAt, DateTimeOffset notSeenSince, CancellationToken cancellationToken);

    /// <summary>
    /// Ends session <paramref name="sessionId"/> of <paramref name="userId"/> at <paramref name="endedAt"/> for
    /// <paramref name="reason"/>, unless already ended. Whether it ended it (<see langword="false"/> when unknown, another
    /// user's, or already ended).
    /// </summary>
    ValueTask<bool> EndAsync(string userId, string sessionId, DateTimeOffset endedAt, string reason, CancellationToken cancellationToken);

    /// <summary>
    /// Ends every session of <paramref name="userId"/> not ended yet, except <paramref name="exceptSessionId"/> (when given),
    /// in one statement. How many it ended.
    /// </summary>
    ValueTask<int> EndAllAsync(string userId, string? exceptSessionId, DateTimeOffset endedAt, string reason, CancellationToken cancellationToken);

    /// <summary>
    /// Records that session <paramref name="sessionId"/> of <paramref name="userId"/> (not ended, not past its lifetime)
    /// re-authenticated at <paramref name="reauthenticatedAt"/>. One conditional write; whether it wrote. Never
    /// moves the time back (a later one already recorded stays).
    /// </summary>
    ValueTask<bool> MarkReauthenticatedAsync(string userId, string sessionId, DateTimeOffset reauthenticatedAt, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the security stamp of session <paramref name="sessionId"/> of <paramref name="userId"/> (not ended) with
    /// <paramref name="securityStamp"/>: the session that changed its own user's stamp stays signed in. Whether it wrote.
    /// </summary>
    ValueTask<bool> RenewStampAsync(string userId, string sessionId, string securityStamp, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes at most <paramref name="batchSize"/> sessions ended, or past their absolute expiry, before
    /// <paramref name="before"/>. How many it deleted (fewer than the batch: nothing more to delete now).
    /// </summary>
    ValueTask<int> DeleteEndedAsync(DateTimeOffset before, int batchSize, CancellationToken cancellationToken);
}

/// <summary>What one request needs to decide whether its session stands: the session and the narrow part of its user.</summary>
/// <param name="Session">The stored session.</param>
/// <param name="UserExists">Whether the session's user still exists.</param>
/// <param name="UserIsActive">Whether the user is active.</param>
/// <param name="UserContractId">The user's contract now.</param>
/// <param name="UserSecurityStamp">The user's security stamp now.</param>
/// <param name="TwoFactorSetupRequired">Whether two-factor authentication is forced on the user, who has no second factor yet.</param>
public sealed record SessionValidationState(SessionRecord Session, bool UserExists, bool UserIsActive, string? UserContractId, string? UserSecurityStamp, bool TwoFactorSetupRequired)
{
    /// <summary>Whether the user must change the password first (<see cref="Accounts.UserAccount.PasswordChangeRequired"/>).</summary>
    /// <value>Defaults to <see langword="false"/>; a store sets it from the user's row.</value>
    public bool PasswordChangeRequired { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"SessionValidationState {{ Session = {Session}, UserExists = {UserExists}, UserIsActive = {UserIsActive}, TwoFactorSetupRequired = {TwoFactorSetupRequired}, PasswordChangeRequired = {PasswordChangeRequired} }}";
}
