using System.Globalization;
using AccountSecurity.Accounts;
using AccountSecurity.Localization;
using AccountSecurity.Results;
using AccountSecurity.Sessions;
using AccountSecurity.SignIn;
using AccountSecurity.Stores;

namespace AccountSecurity.Reauthentication;

/// <summary>
/// The one rule for "this session proved itself recently enough" that every <see cref="SensitiveOperation"/> asks when
/// it is given no proof inline. A server-side session is judged by its record (one read, which also re-checks that the
/// session still stands); a session the host keeps in its own token, by the times it carries and its user's stamp.
/// </summary>
/// <remarks>
/// The last proof is the later of the sign-in (unless it used a recovery code: a code written on paper proves
/// possession of the paper, not of the account's factors; and unless it was made without a second factor the account
/// has now) and the last re-authentication. A proof dated in the future
/// (beyond a minute of clock skew) counts as none.
/// </remarks>
internal sealed class ReauthenticationGate
{
    private static readonly TimeSpan AllowedSkew = TimeSpan.FromMinutes(1);

    private readonly GuardedUserStore _users;
    private readonly ISessionStore _sessions;
    private readonly TimeProvider _time;
    private readonly ReauthenticationOptions _options;

    public ReauthenticationGate(GuardedUserStore users, ISessionStore sessions, TimeProvider time, ReauthenticationOptions options)
    {
        _users = users;
        _sessions = sessions;
        _time = time;
        _options = options;
    }

    /// <summary>How long a re-authentication stands.</summary>
    public TimeSpan Window => _options.Window;

    /// <summary>
    /// <see langword="null"/> when <paramref name="session"/> may perform <paramref name="operation"/> without proof
    /// inline now; otherwise the refusal: <c>not_authenticated</c> when the session no longer stands,
    /// <c>reauthentication_required</c> when its last proof is older than the window.
    /// </summary>
    public async ValueTask<SecurityError?> RequireAsync(AuthenticatedSession session, SensitiveOperation operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var standing = await StandingAsync(session, cancellationToken).ConfigureAwait(false);
        return standing is null ? SessionEnded()
            : standing.FreshUntil(_time.GetUtcNow(), Window) is null ? Required(operation)
            : null;
    }

    /// <summary>Where <paramref name="session"/> stands: <see langword="null"/> when it no longer stands (ended, expired, its user's stamp changed, deactivated).</summary>
    public async ValueTask<SessionStanding?> StandingAsync(AuthenticatedSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (session.SessionId is { } sessionId)
        {
            if (!InputText.IsId(sessionId))
            {
                return null;
            }

            var state = await _sessions.FindForValidationAsync(sessionId, cancellationToken).ConfigureAwait(false);
            if (state is null
                || !SessionService.Stands(state, _time.GetUtcNow())
                || !string.Equals(state.Session.UserId, session.UserId, StringComparison.Ordinal))
            {
                return null;
            }

            var signInCounts = await SignInCoversTheFactorsAsync(state.Session.Methods, session.UserId, null, cancellationToken).ConfigureAwait(false);
            return new SessionStanding(LastProof(state.Session.CreatedAt, state.Session.ReauthenticatedAt, signInCounts));
        }

        var user = await _users.FindByIdAsync(session.UserId, cancellationToken).ConfigureAwait(false);
        if (!session.IsCurrentFor(user))
        {
            return null;
        }

        var counts = await SignInCoversTheFactorsAsync(session.Methods, session.UserId, user, cancellationToken).ConfigureAwait(false);
        return new SessionStanding(LastProof(session.AuthenticatedAt, session.ReauthenticatedAt, counts));
    }

    /// <summary>
    /// Whether the sign-in itself counts as a proof for sensitive operations: it used no recovery code, and it used a
    /// second factor if the account has one now. A password-only sign-in made before the account got its first second
    /// factor proves less than a re-authentication would ask now, so it does not count (one read, only in that case).
    /// </summary>
    private async ValueTask<bool> SignInCoversTheFactorsAsync(IReadOnlyList<string> methods, string userId, UserAccount? user, CancellationToken cancellationToken)
    {
        if (methods.Contains(AuthenticationMethods.RecoveryCode))
        {
            return false;
        }

        if (methods.Contains(AuthenticationMethods.MultiFactor))
        {
            return true;
        }

        user ??= await _users.FindByIdAsync(userId, cancellationToken).ConfigureAwait(false);
        return user is not null && !SecondFactors.Any(user);
    }

    internal static SecurityError SessionEnded() =>
        new(SecurityErrorCodes.NotAuthenticated, UserMessages.SessionEnded);

    internal static SecurityError Required(SensitiveOperation operation) =>
        new(SecurityErrorCodes.ReauthenticationRequired, Localized.Format(UserMessages.ReauthenticationRequired, SensitiveOperations.Describe(operation, CultureInfo.CurrentUICulture)));

    private static DateTimeOffset? LastProof(DateTimeOffset signedInAt, DateTimeOffset? reauthenticatedAt, bool signInCounts)
    {
        DateTimeOffset? signIn = signInCounts ? signedInAt : null;
        return (signIn, reauthenticatedAt) switch
        {
            (null, var r) => r,
            (var s, null) => s,
            (var s, var r) => s > r ? s : r,
        };
    }

    /// <summary>A session that still stands, and when it last proved itself (<see langword="null"/>: never, as far as sensitive operations go).</summary>
    internal sealed record SessionStanding(DateTimeOffset? LastProof)
    {
        /// <summary>Until when sensitive operations are accepted at <paramref name="now"/>; <see langword="null"/> when not.</summary>
        public DateTimeOffset? FreshUntil(DateTimeOffset now, TimeSpan window) =>
            LastProof is { } proof && proof <= now + AllowedSkew && now < proof + window ? proof + window : null;
    }
}
