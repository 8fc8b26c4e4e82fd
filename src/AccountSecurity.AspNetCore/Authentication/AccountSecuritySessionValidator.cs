using AccountSecurity.AspNetCore.DependencyInjection;
using AccountSecurity.AspNetCore.Diagnostics;
using AccountSecurity.SignIn;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AccountSecurity.AspNetCore.Authentication;

/// <summary>
/// The per-request session check (the counterpart of Identity's <c>SecurityStampValidator</c>), wired into the session
/// scheme's <c>OnValidatePrincipal</c>. A host with its own cookie scheme can plug it in the same way.
/// </summary>
public static class AccountSecuritySessionValidator
{
    private static readonly object RedirectPathKey = new();

    /// <summary>
    /// Validates the cookie's session with <see cref="ISignInService.GetSessionStatusAsync"/>: one read of the user by id,
    /// no hashing. A changed stamp (password changed or reset, 2FA changed or reset), a deactivated or deleted user, or a
    /// cookie without the session claims rejects the principal and signs the session scheme out, so the request goes on
    /// anonymous; then <see cref="AccountSecurityCookieOptions.OnSessionRejected"/> runs, when set. A session whose user
    /// was forced to use two-factor authentication and has no second factor yet stays, marked
    /// <see cref="AccountSecurityPrincipal.IsTwoFactorSetupRequired"/> (claim
    /// <see cref="AccountSecurityClaimTypes.TwoFactorSetupRequired"/>, decided on this read, never taken from the cookie):
    /// the package's policies then send it to the setup. Never throws for a malformed cookie; a store failure (or an
    /// exception of the callback) propagates.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is <see langword="null"/>.</exception>
    public static async Task ValidatePrincipalAsync(CookieValidatePrincipalContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var session = context.Principal.GetAccountSecuritySession();
        var services = context.HttpContext.RequestServices;
        var status = session is null
            ? SessionStatus.Invalid
            : await services.GetRequiredService<ISignInService>().GetSessionStatusAsync(session, context.HttpContext.RequestAborted).ConfigureAwait(false);
        if (status != SessionStatus.Invalid)
        {
            var principal = AccountSecurityPrincipal.WithTwoFactorSetupRequired(context.Principal!, status == SessionStatus.TwoFactorSetupRequired);
            if (!ReferenceEquals(principal, context.Principal))
            {
                context.ReplacePrincipal(principal);
            }

            return;
        }

        var logger = services.GetService<ILoggerFactory>()?.CreateLogger(typeof(AccountSecuritySessionValidator).FullName!) ?? NullLogger.Instance;
        Log.SessionRejected(logger, session?.UserId);
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(context.Scheme.Name).ConfigureAwait(false);
        if (services.GetService<IOptions<AccountSecurityAspNetCoreOptions>>()?.Value.Cookies.OnSessionRejected is { } onRejected)
        {
            var rejected = new SessionRejectedContext(context.HttpContext, session);
            await onRejected(rejected).ConfigureAwait(false);
            if (rejected.RedirectPath.HasValue)
            {
                context.HttpContext.Items[RedirectPathKey] = rejected.RedirectPath;
            }
        }
    }

    /// <summary>Where the login redirect of a request whose session was rejected goes, when the host's callback set one.</summary>
    internal static PathString? RedirectPathOf(HttpContext context) =>
        context.Items.TryGetValue(RedirectPathKey, out var value) && value is PathString path ? path : null;
}
