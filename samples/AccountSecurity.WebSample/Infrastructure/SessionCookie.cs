using System.Globalization;
using System.Security.Claims;
using AccountSecurity.Accounts;
using AccountSecurity.Accounts.Administration;
using AccountSecurity.SignIn;
using AccountSecurity.Stores;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace AccountSecurity.WebSample.Infrastructure;

/// <summary>
/// The session cookie carries the library's <see cref="AuthenticatedSession"/> as claims: user id, contract id,
/// security stamp, the methods used (amr) and the sign-in time. Every request re-checks the stamp.
/// </summary>
public static class SessionCookie
{
    private const string ContractClaim = "contract";
    private const string StampClaim = "security_stamp";
    private const string MethodClaim = "amr";
    private const string AuthTimeClaim = "auth_time";

    /// <summary>Issues (or re-issues) the cookie for <paramref name="session"/>.</summary>
    public static Task SignInAsync(HttpContext context, AuthenticatedSession session)
    {
        List<Claim> claims =
        [
            new(ClaimTypes.NameIdentifier, session.UserId),
            new(ContractClaim, session.ContractId),
            new(StampClaim, session.SecurityStamp),
            new(AuthTimeClaim, session.AuthenticatedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
        ];
        claims.AddRange(session.Methods.Select(m => new Claim(MethodClaim, m)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme));
        return context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal);
    }

    /// <summary>Re-issues the caller's cookie with a new stamp (after their own password or 2FA change), keeping the methods.</summary>
    public static Task ReissueAsync(HttpContext context, AuthenticatedSession session, string newStamp) =>
        SignInAsync(context, session with { SecurityStamp = newStamp });

    /// <summary>Re-issues the caller's cookie with the stamp the store holds now.</summary>
    /// <remarks>
    /// The one read of the store left in the sample: the two-factor operations (confirm, disable, new recovery codes)
    /// change the stamp but do not yet return it, as <see cref="Passwords.Change.PasswordChanged"/> and
    /// <see cref="AccountChanged"/> do. Once they do, this method goes.
    /// </remarks>
    public static async Task ReissueFromStoreAsync(HttpContext context, AuthenticatedSession session)
    {
        var user = await context.RequestServices.GetRequiredService<IUserStore>().FindByIdAsync(session.UserId, context.RequestAborted);
        if (user is not null)
        {
            await ReissueAsync(context, session, user.SecurityStamp);
        }
    }

    /// <summary>The session of a principal, or <see langword="null"/> when the cookie lacks a claim.</summary>
    public static AuthenticatedSession? FromPrincipal(ClaimsPrincipal? principal)
    {
        var userId = principal?.FindFirstValue(ClaimTypes.NameIdentifier);
        var contractId = principal?.FindFirstValue(ContractClaim);
        var stamp = principal?.FindFirstValue(StampClaim);
        var authTime = principal?.FindFirstValue(AuthTimeClaim);
        if (principal is null || userId is null || contractId is null || stamp is null
            || !long.TryParse(authTime, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return null;
        }

        var methods = principal.FindAll(MethodClaim).Select(c => c.Value).ToList();
        return new AuthenticatedSession(userId, contractId, stamp, methods, DateTimeOffset.FromUnixTimeSeconds(seconds));
    }

    /// <summary>The session of the current request (it passed <see cref="ValidateAsync"/>).</summary>
    public static AuthenticatedSession? Current(HttpContext context) =>
        context.User.Identity?.IsAuthenticated == true ? FromPrincipal(context.User) : null;

    /// <summary>
    /// Cookie validation on every request: a changed security stamp (password changed or reset elsewhere, 2FA
    /// changed, an administrator's 2FA reset), a deleted or deactivated user ends the session here.
    /// </summary>
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var session = FromPrincipal(context.Principal);
        var signIn = context.HttpContext.RequestServices.GetRequiredService<SignInService>();
        if (session is null || !await signIn.ValidateSessionAsync(session, context.HttpContext.RequestAborted))
        {
            // Remembered for the sign-in redirect, so the user reads why (password changed elsewhere, 2FA reset, …).
            await context.HttpContext.RequestServices.GetRequiredService<SessionEnded>().RememberAsync(context.HttpContext, session);
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }

    /// <summary>The signed-in user (a summary without secrets), or <see langword="null"/> (then the page redirects to sign-in).</summary>
    public static async Task<(AuthenticatedSession Session, UserSummary User)?> LoadAsync(HttpContext context)
    {
        var session = Current(context);
        if (session is null)
        {
            return null;
        }

        // Fails for an unknown or deactivated user, which ends the page like a missing session.
        var user = await context.RequestServices.GetRequiredService<AccountAdministrationService>().GetUserAsync(session.UserId, session.UserId, context.RequestAborted);
        return user.Succeeded ? (session, user.Value) : null;
    }
}
