using AccountSecurity.Results;
using AccountSecurity.SignIn;

namespace AccountSecurity.Sessions;

/// <summary>
/// Server-side sessions (OWASP ASVS 5.0 V7): a record per sign-in that the client refers to, checked at every request
/// with one store read, ended by idle and absolute timeouts, by sign-out, by its user (one, or all others), by an
/// administrator, by deactivation and by a credential change. Every ending is an event (<see cref="Events.SecurityEventType.SessionEnded"/>).
/// </summary>
public interface ISessionService
{
    /// <summary>
    /// Begins a session for a completed sign-in (a new id every time, ASVS V7.2.4) under the contract's session policy,
    /// from <paramref name="device"/> (label and address, cleaned and cut to size; optional). Beyond the contract's
    /// maximum of parallel sessions, the user's oldest session is ended. The result's reference is a secret for the
    /// client to keep (a protected cookie) and present at every request.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="signedIn"/> is <see langword="null"/>.</exception>
    ValueTask<SecurityResult<StartedSession>> StartAsync(AuthenticatedSession signedIn, SessionDevice? device = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Where the session of <paramref name="reference"/> stands at this request: one store read (the session and the
    /// narrow part of its user), and at most once per <see cref="SessionOptions.LastSeenWriteInterval"/> a "last seen"
    /// write. Invalid for anything malformed, unknown, ended, idle or past its lifetime, and for a user who is gone,
    /// inactive, moved or whose stamp changed. Never throws for hostile input.
    /// </summary>
    ValueTask<SessionValidation> ValidateAsync(string? reference, CancellationToken cancellationToken = default);

    /// <summary>
    /// The stored record of the session of <paramref name="reference"/> whatever its state (live, ended, expired), or
    /// <see langword="null"/> for a malformed, unknown or forged reference (the secret must match) and once clean-up
    /// deleted it: to tell a user why a rejected session ended (<see cref="SessionRecord.EndReason"/>). One store read;
    /// never throws for hostile input. Not a validation: use <see cref="ValidateAsync"/> for that.
    /// </summary>
    ValueTask<SessionRecord?> GetRecordAsync(string? reference, CancellationToken cancellationToken = default);

    /// <summary>
    /// The sessions of <paramref name="userId"/> that would be accepted now (live, and on the user's current stamp: a
    /// reset by e-mail refuses the older ones even before they are ended in the store), newest first, the one with
    /// <paramref name="currentSessionId"/> marked current. Empty for an unknown or inactive user.
    /// </summary>
    ValueTask<IReadOnlyList<SessionSummary>> ListAsync(string userId, string? currentSessionId, CancellationToken cancellationToken = default);

    /// <summary>
    /// <paramref name="userId"/> ends one of their own sessions (<c>not_found</c> when it is not theirs, not live, or
    /// unknown: the same answer). Ending the current one is signing out.
    /// </summary>
    ValueTask<SecurityResult> EndAsync(string userId, string sessionId, CancellationToken cancellationToken = default);

    /// <summary>
    /// <paramref name="userId"/> ends every session of theirs but <paramref name="currentSessionId"/>; the value is how
    /// many. <c>not_found</c> when the current session is not a live session of the user (nothing ended).
    /// </summary>
    ValueTask<SecurityResult<int>> EndOthersAsync(string userId, string currentSessionId, CancellationToken cancellationToken = default);

    /// <summary>Signing out: ends the session of <paramref name="reference"/> on the server. Succeeds for an unknown or ended session too (nothing to end).</summary>
    ValueTask<SecurityResult> SignOutAsync(string? reference, CancellationToken cancellationToken = default);

    /// <summary>
    /// An administrator ends every session of <paramref name="userId"/>, under the rules of forcing 2FA (an owner or
    /// administrator of the same contract; only the owner for the owner): <c>not_authorized</c> otherwise, audited. A
    /// sensitive operation: <paramref name="actor"/> must have re-authenticated within the window
    /// (<c>reauthentication_required</c>). The value is how many were ended.
    /// </summary>
    ValueTask<SecurityResult<int>> EndAllByAdministratorAsync(AuthenticatedSession actor, string userId, CancellationToken cancellationToken = default);

    /// <summary>
    /// After a credential change made from session <paramref name="currentSessionId"/> (password, second factor), which
    /// gave the user a new stamp: keeps that session signed in with <paramref name="newSecurityStamp"/>, and ends every
    /// other session when <paramref name="endOtherSessions"/> (the default, ASVS V7.4.3) or otherwise re-stamps those that
    /// stood beside it before the change (a session an earlier stamp change had refused stays refused). The value is how
    /// many sessions were ended. <c>not_found</c> when the current session is not a live session of the user: nothing is
    /// adopted or ended.
    /// </summary>
    ValueTask<SecurityResult<int>> AdoptStampAsync(string userId, string currentSessionId, string newSecurityStamp, bool endOtherSessions = true, CancellationToken cancellationToken = default);

    /// <summary>The session policy in force for <paramref name="contractId"/>: the contract's settings within the host's bounds, the host's defaults otherwise.</summary>
    ValueTask<EffectiveSessionPolicy> GetEffectivePolicyAsync(string contractId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The contract owner sets the contract's session policy (<see langword="null"/> clears it): <c>not_authorized</c>
    /// for anyone else, <c>session_policy_invalid</c> (one error per member out of the host's bounds),
    /// <c>reauthentication_required</c> unless <paramref name="actingSession"/> re-authenticated within the window (a
    /// sensitive operation). Applies to sessions that begin afterwards.
    /// </summary>
    ValueTask<SecurityResult> SetPolicyAsync(AuthenticatedSession actingSession, SessionPolicySettings? settings, CancellationToken cancellationToken = default);
}

/// <summary>A session just begun: the reference the client keeps, and the session to put in the principal.</summary>
/// <remarks><see cref="ToString"/> never prints <see cref="Reference"/>.</remarks>
public sealed class StartedSession
{
    internal StartedSession(string reference, AuthenticatedSession session)
    {
        Reference = reference;
        Session = session;
    }

    /// <summary>The reference (<c>id.secret</c>) the client presents at every request. A secret: never log or display it.</summary>
    public string Reference { get; }

    /// <summary>The signed-in session, with <see cref="AuthenticatedSession.SessionId"/> set.</summary>
    public AuthenticatedSession Session { get; }

    /// <inheritdoc />
    public override string ToString() => $"StartedSession {{ SessionId = {Session.SessionId} }}";
}

/// <summary>Where a session stands at a request (<see cref="ISessionService.ValidateAsync"/>).</summary>
/// <param name="Status">Valid, invalid, or valid but held at forced 2FA setup.</param>
/// <param name="Session">The session (with its id) unless <see cref="SessionStatus.Invalid"/>.</param>
public sealed record SessionValidation(SessionStatus Status, AuthenticatedSession? Session)
{
    internal static readonly SessionValidation Invalid = new(SessionStatus.Invalid, null);
}

/// <summary>The device a session is signed in from, as the host describes it. Both optional; neither is verified.</summary>
/// <param name="Label">A readable label, for example "Firefox on Windows" (made from the User-Agent by the host); cut to 100 characters, control characters dropped.</param>
/// <param name="ClientAddress">The client address, as the host chooses to record it (it may drop the last octet first); cut to 64 characters.</param>
public sealed record SessionDevice(string? Label, string? ClientAddress);

/// <summary>One row of "Devices and sessions". Carries no secret.</summary>
/// <param name="Id">The session id, to end it with.</param>
/// <param name="DeviceLabel">The device's label, when the host recorded one.</param>
/// <param name="ClientAddress">The client address the host recorded, when it did.</param>
/// <param name="CreatedAt">When the user signed in.</param>
/// <param name="LastSeenAt">When the session was last active (to the minute).</param>
/// <param name="ExpiresAt">When it ends at the latest.</param>
/// <param name="Methods">How it was signed in (<c>amr</c> values).</param>
/// <param name="IsCurrent">Whether it is the session asking.</param>
public sealed record SessionSummary(string Id, string? DeviceLabel, string? ClientAddress, DateTimeOffset CreatedAt, DateTimeOffset LastSeenAt, DateTimeOffset ExpiresAt, IReadOnlyList<string> Methods, bool IsCurrent)
{
    /// <summary>Whether it was signed in with a second factor.</summary>
    public bool UsedSecondFactor => Methods.Contains(AuthenticationMethods.MultiFactor);

    /// <inheritdoc />
    public override string ToString() => $"SessionSummary {{ Id = {Id}, CreatedAt = {CreatedAt:O}, LastSeenAt = {LastSeenAt:O}, IsCurrent = {IsCurrent} }}";
}

/// <summary>The session policy in force for a contract.</summary>
/// <param name="IdleTimeout">How long a session may sit unused.</param>
/// <param name="AbsoluteLifetime">How long a session may last at all.</param>
/// <param name="MaxSessionsPerUser">How many sessions a user may hold at once.</param>
public sealed record EffectiveSessionPolicy(TimeSpan IdleTimeout, TimeSpan AbsoluteLifetime, int MaxSessionsPerUser);
