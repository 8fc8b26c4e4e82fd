using AccountSecurity.SignIn;
using Microsoft.AspNetCore.Http;

namespace AccountSecurity.AspNetCore.Authentication;

/// <summary>
/// What <see cref="DependencyInjection.AccountSecurityCookieOptions.OnSessionRejected"/> receives when the per-request
/// check ended a session: the request, the session the cookie carried, and where a browser page that needs a session is
/// sent on this request.
/// </summary>
public sealed class SessionRejectedContext
{
    internal SessionRejectedContext(HttpContext httpContext, AuthenticatedSession? session, string? endReason)
    {
        HttpContext = httpContext;
        Session = session;
        EndReason = endReason;
    }

    /// <summary>The request whose session cookie was rejected (the cookie is already deleted; the request goes on anonymous).</summary>
    public HttpContext HttpContext { get; }

    /// <summary>
    /// The server-side session the cookie referred to (user id, contract, stamp, methods, sign-in time, session id), as
    /// the store still has it, or <see langword="null"/> when the cookie held no well-formed reference, the reference is
    /// unknown or forged, or clean-up already deleted the session. It is no longer valid: use it only to tell the user
    /// why it ended.
    /// </summary>
    public AuthenticatedSession? Session { get; }

    /// <summary>
    /// Why the session was ended on the server (<see cref="AccountSecurity.Sessions.SessionEndReasons"/>: signed out,
    /// ended by the user or an administrator, the session limit, deactivation, a credential change), or
    /// <see langword="null"/> when it was not ended but ran out (idle or absolute timeout), its user's stamp changed
    /// elsewhere (a password reset, an administrator's 2FA reset), or <see cref="Session"/> is unknown.
    /// </summary>
    public string? EndReason { get; }

    /// <summary>
    /// Where a browser page of this request that needs a session is redirected instead of
    /// <see cref="DependencyInjection.AccountSecurityCookieOptions.LoginPath"/> (for example a page that says why the
    /// session ended). API requests still get <c>401</c>, never a redirect.
    /// </summary>
    /// <value>Empty: the usual login redirect (or <c>401</c> without a login path).</value>
    public PathString RedirectPath { get; set; }
}
