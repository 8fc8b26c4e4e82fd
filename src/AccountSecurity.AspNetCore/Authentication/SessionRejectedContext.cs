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
    internal SessionRejectedContext(HttpContext httpContext, AuthenticatedSession? session)
    {
        HttpContext = httpContext;
        Session = session;
    }

    /// <summary>The request whose session cookie was rejected (the cookie is already deleted; the request goes on anonymous).</summary>
    public HttpContext HttpContext { get; }

    /// <summary>
    /// The session the cookie carried (user id, contract, stamp, methods, sign-in time), or <see langword="null"/> when
    /// the cookie lacked the session claims. It is no longer valid: use it only to tell the user why it ended.
    /// </summary>
    public AuthenticatedSession? Session { get; }

    /// <summary>
    /// Where a browser page of this request that needs a session is redirected instead of
    /// <see cref="DependencyInjection.AccountSecurityCookieOptions.LoginPath"/> (for example a page that says why the
    /// session ended). API requests still get <c>401</c>, never a redirect.
    /// </summary>
    /// <value>Empty: the usual login redirect (or <c>401</c> without a login path).</value>
    public PathString RedirectPath { get; set; }
}
