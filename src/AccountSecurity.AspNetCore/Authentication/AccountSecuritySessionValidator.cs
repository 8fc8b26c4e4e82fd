using AccountSecurity.AspNetCore.DependencyInjection;
using AccountSecurity.AspNetCore.Diagnostics;
using AccountSecurity.Sessions;
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
    private static readonly object ReferenceKey = new();

    /// <summary>
    /// Validates the cookie's server-side session with <see cref="ISessionService.ValidateAsync"/> (one store read: the
    /// session and the narrow part of its user) and builds the request's principal from the stored session (user,
    /// contract, stamp, <c>amr</c>, <c>auth_time</c>, <c>sid</c>): the cookie carries only the session's reference. An
    /// ended, idle or expired session, a changed stamp (password changed or reset, 2FA changed or reset), a deactivated
    /// or deleted user, or a cookie without a well-formed reference rejects the principal and signs the session scheme
    /// out, so the request goes on anonymous; then <see cref="AccountSecurityCookieOptions.OnSessionRejected"/> runs,
    /// when set (after one more read, to tell it which session it was). A session whose user was forced to use
    /// two-factor authentication and has no second factor yet stays, marked
    /// <see cref="AccountSecurityPrincipal.IsTwoFactorSetupRequired"/> (claim
    /// <see cref="AccountSecurityClaimTypes.TwoFactorSetupRequired"/>, decided on this read, never taken from the cookie):
    /// the package's policies then send it to the setup. Never throws for a malformed cookie; a store failure (or an
    /// exception of the callback) propagates. Never logs the reference.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is <see langword="null"/>.</exception>
    public static async Task ValidatePrincipalAsync(CookieValidatePrincipalContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var reference = AccountSecurityPrincipal.ReferenceOf(context.Principal);
        var services = context.HttpContext.RequestServices;
        var sessions = services.GetRequiredService<ISessionService>();
        var validation = reference is null
            ? null
            : await sessions.ValidateAsync(reference, context.HttpContext.RequestAborted).ConfigureAwait(false);
        if (validation is { Status: not SessionStatus.Invalid, Session: { } session })
        {
            var principal = AccountSecurityPrincipal.Create(session);
            principal = AccountSecurityPrincipal.WithTwoFactorSetupRequired(principal, validation.Status == SessionStatus.TwoFactorSetupRequired);
            context.ReplacePrincipal(AccountSecurityPrincipal.WithMark(principal, AccountSecurityClaimTypes.PasswordChangeRequired, validation.Status == SessionStatus.PasswordChangeRequired));
            context.HttpContext.Items[ReferenceKey] = reference;
            return;
        }

        // Only a rejected session costs this second read: which session it was, for the log line and the host's callback.
        var ended = reference is null ? null : await sessions.GetRecordAsync(reference, context.HttpContext.RequestAborted).ConfigureAwait(false);
        var logger = services.GetService<ILoggerFactory>()?.CreateLogger(typeof(AccountSecuritySessionValidator).FullName!) ?? NullLogger.Instance;
        Log.SessionRejected(logger, ended?.UserId, ended?.Id, ended?.EndReason);
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(context.Scheme.Name).ConfigureAwait(false);
        if (services.GetService<IOptions<AccountSecurityAspNetCoreOptions>>()?.Value.Cookies.OnSessionRejected is { } onRejected)
        {
            var endedSession = ended is null
                ? null
                : new AuthenticatedSession(ended.UserId, ended.ContractId, ended.SecurityStamp, ended.Methods, ended.CreatedAt) { SessionId = ended.Id };
            var rejected = new SessionRejectedContext(context.HttpContext, endedSession, ended?.EndReason);
            await onRejected(rejected).ConfigureAwait(false);
            if (rejected.RedirectPath.HasValue)
            {
                context.HttpContext.Items[RedirectPathKey] = rejected.RedirectPath;
            }
        }
    }

    /// <summary>The reference of the request's validated session (kept from the cookie for signing out), or <see langword="null"/>.</summary>
    internal static string? ReferenceOf(HttpContext context) =>
        context.Items.TryGetValue(ReferenceKey, out var value) ? value as string : null;

    /// <summary>Where the login redirect of a request whose session was rejected goes, when the host's callback set one.</summary>
    internal static PathString? RedirectPathOf(HttpContext context) =>
        // Typed null: a bare null would convert to PathString (its implicit conversion from string), an empty path with
        // HasValue false but a Nullable that has a value, so every signed-out browser got an empty Location.
        context.Items.TryGetValue(RedirectPathKey, out var value) && value is PathString { HasValue: true } path ? path : (PathString?)null;
}
