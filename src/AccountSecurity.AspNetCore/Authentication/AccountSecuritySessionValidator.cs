using AccountSecurity.AspNetCore.Diagnostics;
using AccountSecurity.SignIn;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AccountSecurity.AspNetCore.Authentication;

/// <summary>
/// The per-request session check (the counterpart of Identity's <c>SecurityStampValidator</c>), wired into the session
/// scheme's <c>OnValidatePrincipal</c>. A host with its own cookie scheme can plug it in the same way.
/// </summary>
public static class AccountSecuritySessionValidator
{
    /// <summary>
    /// Validates the cookie's session with <see cref="ISignInService.ValidateSessionAsync"/>: one read of the user by id,
    /// no hashing. A changed stamp (password changed or reset, 2FA changed or reset), a deactivated or deleted user, or a
    /// cookie without the session claims rejects the principal and signs the session scheme out, so the request goes on
    /// anonymous. Never throws for a malformed cookie; a store failure propagates.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is <see langword="null"/>.</exception>
    public static async Task ValidatePrincipalAsync(CookieValidatePrincipalContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var session = context.Principal.GetAccountSecuritySession();
        var services = context.HttpContext.RequestServices;
        if (session is not null
            && await services.GetRequiredService<ISignInService>().ValidateSessionAsync(session, context.HttpContext.RequestAborted).ConfigureAwait(false))
        {
            return;
        }

        var logger = services.GetService<ILoggerFactory>()?.CreateLogger(typeof(AccountSecuritySessionValidator).FullName!) ?? NullLogger.Instance;
        Log.SessionRejected(logger, session?.UserId);
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(context.Scheme.Name).ConfigureAwait(false);
    }
}
