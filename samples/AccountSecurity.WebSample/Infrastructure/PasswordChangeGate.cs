using AccountSecurity.AspNetCore.Authentication;

namespace AccountSecurity.WebSample.Infrastructure;

/// <summary>
/// Sends a session whose password must change (found in a data breach at sign-in) to the change form, as the package
/// sends a forced-2FA session to its setup: nothing else of the console opens until the password is changed. The form,
/// its endpoint, the step-up dialog, sign-out, the language switch, the outbox and the assets stay reachable.
/// </summary>
public sealed class PasswordChangeGate(RequestDelegate next)
{
    /// <summary>Where the session is sent: the password card of Password &amp; Security, which says why.</summary>
    public const string ChangePath = "/security";

    private static readonly string[] Open = ["/security/password", StepUp.DialogPath, "/signout", "/signin", "/language", SessionEnded.PagePath, "/static", "/favicon.ico", "/dev/outbox"];

    /// <summary>Redirects, or lets the request through.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        if (!context.User.IsPasswordChangeRequired()
            || (path.Equals(ChangePath, StringComparison.OrdinalIgnoreCase) && HttpMethods.IsGet(context.Request.Method))
            || Open.Any(open => path.StartsWithSegments(open, StringComparison.OrdinalIgnoreCase)))
        {
            return next(context);
        }

        return Respond.SeeOther(ChangePath + "#password").ExecuteAsync(context);
    }
}
