namespace AccountSecurity.Sessions;

/// <summary>
/// One signed-in session on the server (OWASP ASVS V7): who, since when, until when, how it was signed in and from
/// which device. The client holds only a reference (<c>id.secret</c>); the record keeps the secret's SHA-256, so the
/// reference cannot be rebuilt from the store, and nothing in the record can be replayed as a session.
/// </summary>
/// <remarks><see cref="ToString"/> never prints <see cref="SecretHash"/> or <see cref="ClientAddress"/>.</remarks>
public sealed record SessionRecord
{
    /// <summary>The session's public id (128 random bits, base64url): listed, shown and ended by it. Not enough to act as the session.</summary>
    public required string Id { get; init; }

    /// <summary>The SHA-256 (upper-case hex) of the reference's secret part. Compared in constant time, never returned to a client.</summary>
    public required string SecretHash { get; init; }

    /// <summary>The signed-in user.</summary>
    public required string UserId { get; init; }

    /// <summary>The user's contract when the session began.</summary>
    public required string ContractId { get; init; }

    /// <summary>The user's security stamp when the session began (or was last renewed); a changed stamp ends the session.</summary>
    public required string SecurityStamp { get; init; }

    /// <summary>How the user signed in: the <see cref="SignIn.AuthenticationMethods"/> values (<c>amr</c>).</summary>
    public required IReadOnlyList<string> Methods { get; init; }

    /// <summary>When the session began (the sign-in completed).</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When a request of the session was last seen (written at most once per <see cref="SessionOptions.LastSeenWriteInterval"/>).</summary>
    public required DateTimeOffset LastSeenAt { get; init; }

    /// <summary>How long the session may sit unused before it ends (the contract's policy when it began).</summary>
    public required TimeSpan IdleTimeout { get; init; }

    /// <summary>When the session ends whatever its use (its absolute lifetime, the contract's policy when it began).</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>A readable label of the device ("Firefox on Windows"), set by the host; <see langword="null"/> when unknown.</summary>
    public string? DeviceLabel { get; init; }

    /// <summary>The client address the host recorded (it may anonymise it first); <see langword="null"/> when none. Personal data.</summary>
    public string? ClientAddress { get; init; }

    /// <summary>When the session last re-authenticated for sensitive operations; <see langword="null"/> when it has not since it began.</summary>
    public DateTimeOffset? ReauthenticatedAt { get; init; }

    /// <summary>When the session was ended on the server; <see langword="null"/> while it has not been.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>Why it was ended (<see cref="SessionEndReasons"/>); <see langword="null"/> while it has not been.</summary>
    public string? EndReason { get; init; }

    /// <summary>Whether the sign-in used a second factor (<c>mfa</c>): what <c>secAuthProtection</c> asks of a session.</summary>
    public bool UsedSecondFactor => Methods.Contains(SignIn.AuthenticationMethods.MultiFactor);

    /// <summary>When the session ends if it stays unused: <see cref="LastSeenAt"/> plus <see cref="IdleTimeout"/>, or <see cref="ExpiresAt"/> when earlier.</summary>
    public DateTimeOffset IdleExpiresAt => LastSeenAt + IdleTimeout < ExpiresAt ? LastSeenAt + IdleTimeout : ExpiresAt;

    /// <summary>Whether the session stands at <paramref name="now"/>: not ended, not idle for its timeout, not past its lifetime.</summary>
    public bool IsLiveAt(DateTimeOffset now) => EndedAt is null && now < IdleExpiresAt;

    /// <inheritdoc />
    public override string ToString() =>
        $"SessionRecord {{ Id = {Id}, UserId = {UserId}, ContractId = {ContractId}, CreatedAt = {CreatedAt:O}, LastSeenAt = {LastSeenAt:O}, ExpiresAt = {ExpiresAt:O}, EndedAt = {EndedAt:O}, EndReason = {EndReason} }}";
}

/// <summary>Why a session was ended on the server (<see cref="SessionRecord.EndReason"/>, the outcome of the event). Stable values.</summary>
public static class SessionEndReasons
{
    /// <summary>The user signed out of this session.</summary>
    public const string SignedOut = "signed_out";

    /// <summary>The user ended it from another session ("Sign out" on its row, or "Sign out of all other sessions").</summary>
    public const string EndedByUser = "ended_by_user";

    /// <summary>An administrator of the user's contract ended every session of the user.</summary>
    public const string EndedByAdministrator = "ended_by_administrator";

    /// <summary>The user signed in once more than <see cref="SessionPolicySettings.MaxSessionsPerUser"/> allows: the oldest session gave way.</summary>
    public const string SessionLimit = "session_limit";

    /// <summary>The account was deactivated.</summary>
    public const string Deactivated = "deactivated";

    /// <summary>The user's password or a second factor changed, and the user's other sessions were ended with it.</summary>
    public const string CredentialsChanged = "credentials_changed";
}
