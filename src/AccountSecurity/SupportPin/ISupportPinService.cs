using AccountSecurity.Results;

namespace AccountSecurity.SupportPin;

/// <summary>
/// The support PIN: the user sets it on the console's Password &amp; Security page; when the user calls support, the
/// agent asks for it to verify that the caller is the account's user.
/// </summary>
/// <remarks>
/// A PIN is 1 to <see cref="SupportPinOptions.HighestAllowedLength"/> ASCII digits (new PINs: between
/// <see cref="SupportPinOptions.MinLength"/> and <see cref="SupportPinOptions.MaxLength"/>, not trivial), kept as
/// text so leading zeros count. It is stored only as a slow salted hash (bcrypt, optionally peppered), never
/// readable back, and compared in constant time. No method logs, returns, raises in an event or puts into an
/// exception message any PIN or hash. Every change and every verification raises a security event.
/// </remarks>
public interface ISupportPinService
{
    /// <summary>
    /// Sets or changes the support PIN of the user of <paramref name="session"/> (the signed-in user). Problems of the new PIN
    /// come back together (<c>support_pin_required</c>, <c>support_pin_not_digits</c>, <c>support_pin_too_short</c>,
    /// <c>support_pin_too_long</c>, <c>support_pin_same_digit</c>, <c>support_pin_sequential</c>,
    /// <c>support_pin_pattern</c>, <c>support_pin_common</c>, <c>support_pin_mismatch</c>) before the password is
    /// checked. Then the proof (a sensitive operation, <see cref="Reauthentication.SensitiveOperation.SetSupportPin"/>): <paramref name="currentPassword"/> when given, checked under the password lockout (<c>password_wrong_current</c>,
    /// <c>locked_out</c>), or with <see langword="null"/> the session's re-authentication within the window
    /// (<c>reauthentication_required</c>): always when a PIN is set, and for a first PIN when
    /// <see cref="SupportPinOptions.RequirePasswordForFirstPin"/> is on. Other failures: <c>not_found</c> (unknown or
    /// deactivated user), <c>concurrency_conflict</c>. On success the PIN's failure count and lock are cleared (a new
    /// PIN starts afresh; repeated locks still grow) and the result carries the new status.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="session"/> is <see langword="null"/>.</exception>
    ValueTask<SecurityResult<SupportPinStatus>> SetPinAsync(
        SignIn.AuthenticatedSession session,
        string? currentPassword,
        string? newPin,
        string? newPinRepeated,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes the support PIN of the user of <paramref name="session"/> (the signed-in user) after checking <paramref name="currentPassword"/> (or, when it is <see langword="null"/>, the session's fresh re-authentication: <c>reauthentication_required</c>)
    /// under the password lockout. Failures: <c>not_found</c>, <c>support_pin_not_set</c> (checked before the
    /// password), <c>password_wrong_current</c>, <c>locked_out</c>, <c>concurrency_conflict</c>.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="session"/> is <see langword="null"/>.</exception>
    ValueTask<SecurityResult> RemovePinAsync(SignIn.AuthenticatedSession session, string? currentPassword, CancellationToken cancellationToken = default);

    /// <summary>Says whether <paramref name="userId"/> has a PIN, since when, and whether verification is locked. Fails only with <c>not_found</c>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="userId"/> is <see langword="null"/>.</exception>
    ValueTask<SecurityResult<SupportPinStatus>> GetStatusAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Clears the support-PIN verification lockout of <paramref name="targetUserId"/> (its failure count and lock), for
    /// example after support has made sure the caller is the user by other means. This lowers the target's security, so
    /// <see cref="Administration.PeerRules.CanLowerSecurityOf"/> decides who may: the owner of the target's contract for
    /// anyone in it, an administrator of it only for a plain user. A refusal answers <c>not_authorized</c> and raises
    /// <see cref="Events.SecurityEventType.AuthorizationRefused"/>; other failures: <c>not_found</c>,
    /// <c>concurrency_conflict</c>. On success (also when nothing was locked) raises
    /// <see cref="Events.SecurityEventType.SupportPinLockoutCleared"/> with the actor's id. The PIN itself is untouched,
    /// and the number of locks in a row stays, so a next lock still lasts longer. Never throws for unknown ids.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="actor"/> or <paramref name="targetUserId"/> is <see langword="null"/>.</exception>
    ValueTask<SecurityResult> ClearLockoutAsync(SignIn.AuthenticatedSession actor, string targetUserId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Checks <paramref name="pin"/> against a PIN candidate's rules without storing anything (for live form
    /// validation); returns the same codes as <see cref="SetPinAsync"/> for the PIN itself.
    /// </summary>
    SecurityResult ValidateNewPin(string? pin);

    /// <summary>
    /// Verifies the PIN a caller gave support agent <paramref name="agentId"/> for the account with e-mail address
    /// <paramref name="email"/>. See <see cref="VerifyByUserIdAsync"/> for the answers.
    /// </summary>
    ValueTask<SupportPinVerificationResult> VerifyByEmailAsync(string? agentId, string? email, string? pin, CancellationToken cancellationToken = default);

    /// <summary>
    /// Verifies the PIN a caller gave support agent <paramref name="agentId"/> for the account <paramref name="userId"/>.
    /// The agent must be authorized by the registered <see cref="ISupportAgentAuthorizer"/> (by default: an active owner
    /// or administrator of the account's own contract).
    /// Answers <see cref="SupportPinVerificationOutcome.Verified"/> (with the user's ids),
    /// <see cref="SupportPinVerificationOutcome.WrongPin"/> (also, identically and after the same work, for an
    /// account that does not exist, is deactivated or is outside the agent's reach: nothing is counted for those),
    /// <see cref="SupportPinVerificationOutcome.AgentNotAuthorized"/> (the agent id names no support agent; the same
    /// for every account, nothing looked up or counted), <see cref="SupportPinVerificationOutcome.NoPinSet"/>,
    /// <see cref="SupportPinVerificationOutcome.LockedOut"/> (even for the right PIN, until the lock ends),
    /// <see cref="SupportPinVerificationOutcome.InvalidInput"/> (no agent id, no account, a PIN that is not 1 to 32
    /// digits: nothing compared or counted) or <see cref="SupportPinVerificationOutcome.Busy"/>.
    /// Each attempt is counted before the PIN is compared, so however many attempts race, no more than
    /// <see cref="Lockout.LockoutOptions.SupportPin"/>'s maximum are compared before the account locks; a correct PIN
    /// clears the count. Every outcome raises an event carrying the agent's id as actor (refusals for want of authority:
    /// <see cref="Events.SecurityEventType.SupportPinVerificationRefused"/>). Never throws for bad input.
    /// </summary>
    ValueTask<SupportPinVerificationResult> VerifyByUserIdAsync(string? agentId, string? userId, string? pin, CancellationToken cancellationToken = default);
}
