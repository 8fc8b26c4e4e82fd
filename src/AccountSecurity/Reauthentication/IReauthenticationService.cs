using AccountSecurity.Results;
using AccountSecurity.SignIn;

namespace AccountSecurity.Reauthentication;

/// <summary>
/// The one re-authentication ceremony ("sudo mode"): the signed-in user proves themself again with what would sign them
/// in, and for <see cref="ReauthenticationOptions.Window"/> afterwards every <see cref="SensitiveOperation"/> of that
/// session is accepted without proof inline. A passkey with user verification does the same through the
/// <c>AccountSecurity.Passkeys</c> package. Never logs, stores or echoes the password or the code.
/// </summary>
public interface IReauthenticationService
{
    /// <summary>
    /// Whether <paramref name="session"/> is re-authenticated now, until when, and which ways this account has to do it
    /// (<see cref="ReauthenticationMethods"/>). Fails <c>not_authenticated</c> when the session no longer stands.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="session"/> is <see langword="null"/>.</exception>
    ValueTask<SecurityResult<ReauthenticationStatus>> GetStatusAsync(AuthenticatedSession session, CancellationToken cancellationToken = default);

    /// <summary>
    /// Re-authenticates <paramref name="session"/> with the account's password, plus the current authenticator-app
    /// code when the account has the app on. Counted under the same per-factor lockouts as a sign-in, through the one
    /// verification pipeline (<c>password_wrong_current</c>, <c>invalid_code</c>, <c>code_replayed</c>,
    /// <c>locked_out</c>, <c>busy</c>). A recovery code is not accepted (<c>invalid_code</c>; it is not spent). An account
    /// whose only second factor is a passkey, or that has no password, re-authenticates with the passkey instead
    /// (<c>reauthentication_method_unavailable</c>). Fails <c>not_authenticated</c> when the session no longer stands.
    /// </summary>
    /// <remarks>
    /// On success a server-side session (<see cref="AuthenticatedSession.SessionId"/>) records the time on its record;
    /// a session the host keeps only in its own token gets it in the returned <see cref="Reauthenticated.Session"/>,
    /// which the host re-issues its token with.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="session"/> is <see langword="null"/>.</exception>
    ValueTask<SecurityResult<Reauthenticated>> ReauthenticateAsync(AuthenticatedSession session, string? password, string? code = null, CancellationToken cancellationToken = default);
}

/// <summary>The ways an account can re-authenticate (<see cref="ReauthenticationStatus.Methods"/>). Stable values.</summary>
public static class ReauthenticationMethods
{
    /// <summary>The password alone: the account has no second factor.</summary>
    public const string Password = "password";

    /// <summary>The password and the current authenticator-app code.</summary>
    public const string PasswordAndCode = "password_and_code";

    /// <summary>A passkey with user verification (the <c>AccountSecurity.Passkeys</c> package).</summary>
    public const string Passkey = "passkey";
}

/// <summary>Where a session stands for sensitive operations.</summary>
/// <param name="IsFresh">Whether sensitive operations are accepted now without proof inline.</param>
/// <param name="FreshUntil">When that ends; <see langword="null"/> when it is not fresh.</param>
/// <param name="Methods">The ways the account can re-authenticate (<see cref="ReauthenticationMethods"/>), strongest first.</param>
public sealed record ReauthenticationStatus(bool IsFresh, DateTimeOffset? FreshUntil, IReadOnlyList<string> Methods)
{
    /// <inheritdoc />
    public override string ToString() => $"ReauthenticationStatus {{ IsFresh = {IsFresh}, FreshUntil = {FreshUntil:O}, Methods = [{string.Join(", ", Methods)}] }}";
}

/// <summary>A completed re-authentication.</summary>
/// <param name="Session">The session with <see cref="AuthenticatedSession.ReauthenticatedAt"/> set (re-issue a host-held token with it).</param>
/// <param name="ReauthenticatedAt">When it completed.</param>
/// <param name="FreshUntil">Until when sensitive operations are accepted without proof inline.</param>
public sealed record Reauthenticated(AuthenticatedSession Session, DateTimeOffset ReauthenticatedAt, DateTimeOffset FreshUntil)
{
    /// <inheritdoc />
    public override string ToString() => $"Reauthenticated {{ SessionId = {Session.SessionId}, ReauthenticatedAt = {ReauthenticatedAt:O}, FreshUntil = {FreshUntil:O} }}";
}
