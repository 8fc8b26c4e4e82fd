using System.Globalization;
using System.Security.Claims;
using AccountSecurity.SignIn;

namespace AccountSecurity.AspNetCore.Authentication;

/// <summary>Maps the library's <see cref="AuthenticatedSession"/> to the session principal and back.</summary>
public static class AccountSecurityPrincipal
{
    /// <summary>
    /// The principal of <paramref name="session"/> for <see cref="AccountSecurityAuthenticationDefaults.SessionScheme"/>:
    /// user id, contract, stamp, <c>amr</c> (RFC 8176: <c>pwd</c>; with a second factor also <c>otp</c> and <c>mfa</c>) and
    /// <c>auth_time</c>. Never carries a secret (the stamp is a random value, not derived from one).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="session"/> is <see langword="null"/>.</exception>
    public static ClaimsPrincipal Create(AuthenticatedSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        List<Claim> claims =
        [
            new(AccountSecurityClaimTypes.UserId, session.UserId),
            new(AccountSecurityClaimTypes.ContractId, session.ContractId),
            new(AccountSecurityClaimTypes.SecurityStamp, session.SecurityStamp),
            new(AccountSecurityClaimTypes.AuthenticationTime, session.AuthenticatedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer64),
        ];
        foreach (var method in session.Methods)
        {
            // RFC 8176 has no value for a recovery code: it is a one-time password ("otp"); a separate claim keeps the difference.
            var amr = method == AuthenticationMethods.RecoveryCode ? AuthenticationMethods.Otp : method;
            if (!claims.Exists(c => c.Type == AccountSecurityClaimTypes.AuthenticationMethod && c.Value == amr))
            {
                claims.Add(new Claim(AccountSecurityClaimTypes.AuthenticationMethod, amr));
            }
        }

        if (session.Methods.Contains(AuthenticationMethods.RecoveryCode))
        {
            claims.Add(new Claim(AccountSecurityClaimTypes.RecoveryCodeUsed, "true"));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, AccountSecurityAuthenticationDefaults.SessionScheme, AccountSecurityClaimTypes.UserId, ClaimTypes.Role));
    }

    /// <summary>
    /// The session a principal carries, or <see langword="null"/> when it is not a session principal (anonymous, another
    /// scheme, a claim missing or malformed). Says nothing about validity: the session scheme re-validates on every request.
    /// </summary>
    public static AuthenticatedSession? GetAccountSecuritySession(this ClaimsPrincipal? principal)
    {
        var identity = principal?.Identities.FirstOrDefault(i => i.IsAuthenticated && i.AuthenticationType == AccountSecurityAuthenticationDefaults.SessionScheme);
        var userId = identity?.FindFirst(AccountSecurityClaimTypes.UserId)?.Value;
        var contractId = identity?.FindFirst(AccountSecurityClaimTypes.ContractId)?.Value;
        var stamp = identity?.FindFirst(AccountSecurityClaimTypes.SecurityStamp)?.Value;
        var authTime = identity?.FindFirst(AccountSecurityClaimTypes.AuthenticationTime)?.Value;
        if (identity is null || string.IsNullOrEmpty(userId) || string.IsNullOrEmpty(contractId) || string.IsNullOrEmpty(stamp)
            || !long.TryParse(authTime, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return null;
        }

        var recovery = identity.HasClaim(AccountSecurityClaimTypes.RecoveryCodeUsed, "true");
        var methods = identity.FindAll(AccountSecurityClaimTypes.AuthenticationMethod)
            .Select(c => recovery && c.Value == AuthenticationMethods.Otp ? AuthenticationMethods.RecoveryCode : c.Value)
            .ToList();
        return new AuthenticatedSession(userId, contractId, stamp, methods, DateTimeOffset.FromUnixTimeSeconds(seconds));
    }
}
