// snippet:begin sessionclaims
using System.Globalization;
using System.Security.Claims;
using AccountSecurity.SignIn;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

/// <summary>Carries the library's <see cref="AuthenticatedSession"/> in the cookie as claims, and re-checks it per request.</summary>
internal static class SessionClaims
{
    public const string PendingScheme = "PendingSignIn";

    public static ClaimsPrincipal ToPrincipal(AuthenticatedSession session)
    {
        List<Claim> claims =
        [
            new(ClaimTypes.NameIdentifier, session.UserId),
            new("contract", session.ContractId),
            new("stamp", session.SecurityStamp),
            new("auth_time", session.AuthenticatedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
            .. session.Methods.Select(m => new Claim("amr", m)),    // pwd, otp, mfa: what the sign-in used
        ];
        return new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme));
    }

    public static AuthenticatedSession? FromPrincipal(ClaimsPrincipal? principal) =>
        principal?.FindFirstValue(ClaimTypes.NameIdentifier) is { } userId
        && principal.FindFirstValue("contract") is { } contractId
        && principal.FindFirstValue("stamp") is { } stamp
        && long.TryParse(principal.FindFirstValue("auth_time"), CultureInfo.InvariantCulture, out var authTime)
            ? new AuthenticatedSession(userId, contractId, stamp, [.. principal.FindAll("amr").Select(c => c.Value)], DateTimeOffset.FromUnixTimeSeconds(authTime))
            : null;

    /// <summary>The session of a request that passed <c>RequireAuthorization()</c>.</summary>
    public static AuthenticatedSession Current(HttpContext http) =>
        FromPrincipal(http.User) ?? throw new InvalidOperationException("No AccountSecurity session on this request.");

    /// <summary>Cookie validation: a changed security stamp (password changed or reset, 2FA changed), a deleted or deactivated user ends the session.</summary>
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var session = FromPrincipal(context.Principal);
        var signIn = context.HttpContext.RequestServices.GetRequiredService<ISignInService>();
        if (session is null || !await signIn.ValidateSessionAsync(session, context.HttpContext.RequestAborted))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }

    public static ClaimsPrincipal PendingPrincipal(string ticket) =>
        new(new ClaimsIdentity([new Claim("ticket", ticket)], PendingScheme));

    public static string? TicketOf(ClaimsPrincipal? pending) => pending?.FindFirstValue("ticket");
}
// snippet:end
