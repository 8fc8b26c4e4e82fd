using System.Globalization;
using System.Security.Claims;
using AccountSecurity.SignIn;

namespace AccountSecurity.AspNetCore.Authentication;

/// <summary>Maps the library's <see cref="AuthenticatedSession"/> to the session principal and back.</summary>
public static class AccountSecurityPrincipal
{
    /// <summary>
    /// The principal of <paramref name="session"/> for <see cref="AccountSecurityAuthenticationDefaults.SessionScheme"/>:
    /// user id, contract, stamp, <c>amr</c> (RFC 8176: <c>pwd</c>; with a second factor also <c>otp</c> and <c>mfa</c>),
    /// <c>auth_time</c> and the server-side session's id (<c>sid</c>, when it has one). Never carries a secret (the stamp
    /// is a random value, not derived from one; the session reference stays in the cookie). The session scheme builds it
    /// on every request from the validated server-side session; the cookie holds none of it.
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
        if (!string.IsNullOrEmpty(session.SessionId))
        {
            claims.Add(new Claim(AccountSecurityClaimTypes.SessionId, session.SessionId));
        }

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
        var identity = SessionIdentity(principal);
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
        var sessionId = identity.FindFirst(AccountSecurityClaimTypes.SessionId)?.Value;
        return new AuthenticatedSession(userId, contractId, stamp, methods, DateTimeOffset.FromUnixTimeSeconds(seconds)) { SessionId = string.IsNullOrEmpty(sessionId) ? null : sessionId };
    }

    /// <summary>
    /// The session of a principal that one of the <see cref="Authorization.AccountSecurityPolicies"/> let through, for
    /// code behind <c>.RequireAuthorization(AccountSecurityPolicies.SignedIn)</c> (or <c>SecondFactor</c>,
    /// <c>SupportAgent</c>): those policies admit only session principals, so there it is never <see langword="null"/>.
    /// Says nothing about validity beyond that (the session scheme re-validates on every request). Use
    /// <see cref="GetAccountSecuritySession"/> where a request may be anonymous.
    /// </summary>
    /// <exception cref="InvalidOperationException">The principal is not a session principal: the endpoint is not behind
    /// the policy (a host bug, not a user outcome). The message names no claim value.</exception>
    public static AuthenticatedSession GetRequiredAccountSecuritySession(this ClaimsPrincipal? principal) =>
        principal.GetAccountSecuritySession() ?? throw new InvalidOperationException(
            "The principal carries no AccountSecurity session: the endpoint that asks for it needs .RequireAuthorization(AccountSecurityPolicies.SignedIn) "
            + "(or SecondFactor, SupportAgent), which admits only signed-in sessions. Use GetAccountSecuritySession() where a request may be anonymous.");

    /// <summary>
    /// Whether the principal's session must first set up the two-factor authentication an administrator forced on its
    /// user (it has no second factor yet): the session stands, but the package's policies let it reach only the
    /// endpoints marked <see cref="Authorization.AllowDuringTwoFactorSetupAttribute"/> until the setup is done.
    /// <see langword="false"/> for anonymous and other principals. Decided afresh on every request by
    /// <see cref="AccountSecuritySessionValidator"/>.
    /// </summary>
    public static bool IsTwoFactorSetupRequired(this ClaimsPrincipal? principal) =>
        SessionIdentity(principal)?.HasClaim(AccountSecurityClaimTypes.TwoFactorSetupRequired, "true") == true;

    /// <summary>
    /// <paramref name="principal"/> with its session identity marked as <see cref="IsTwoFactorSetupRequired"/> exactly
    /// when <paramref name="required"/>; the same instance when it already is (the common case costs nothing).
    /// </summary>
    internal static ClaimsPrincipal WithTwoFactorSetupRequired(ClaimsPrincipal principal, bool required) =>
        WithMark(principal, AccountSecurityClaimTypes.TwoFactorSetupRequired, required);

    /// <summary>
    /// Whether the principal's session must change its password before anything else (its user's password was found in
    /// a data breach after a sign-in: <see cref="SessionStatus.PasswordChangeRequired"/>). The host sends such a session
    /// to its password change form (for example from a middleware or a page filter: <c>if (User.IsPasswordChangeRequired())</c>);
    /// changing the password clears it. <see langword="false"/> for anonymous and other principals. Decided afresh on
    /// every request by <see cref="AccountSecuritySessionValidator"/>.
    /// </summary>
    public static bool IsPasswordChangeRequired(this ClaimsPrincipal? principal) =>
        SessionIdentity(principal)?.HasClaim(AccountSecurityClaimTypes.PasswordChangeRequired, "true") == true;

    /// <summary>
    /// <paramref name="principal"/> with its session identity carrying the mark <paramref name="claimType"/> exactly
    /// when <paramref name="required"/>; the same instance when it already does (the common case costs nothing).
    /// </summary>
    internal static ClaimsPrincipal WithMark(ClaimsPrincipal principal, string claimType, bool required)
    {
        var identity = SessionIdentity(principal);
        if (identity is null)
        {
            return principal;
        }

        var marks = identity.FindAll(claimType).ToList();
        if (required ? marks is [{ Value: "true" }] : marks.Count == 0)
        {
            return principal;
        }

        // A cookie renewed while the mark was set carries it: the store's answer of this request replaces it.
        var marked = identity.Clone();
        foreach (var mark in marked.FindAll(claimType).ToList())
        {
            marked.RemoveClaim(mark);
        }

        if (required)
        {
            marked.AddClaim(new Claim(claimType, "true"));
        }

        return new ClaimsPrincipal(principal.Identities.Select(i => ReferenceEquals(i, identity) ? marked : i));
    }

    /// <summary>The principal the session cookie's ticket holds: the server-side session's reference, nothing else.</summary>
    internal static ClaimsPrincipal ForCookie(string reference) =>
        new(new ClaimsIdentity([new Claim(AccountSecurityClaimTypes.SessionReference, reference)], AccountSecurityAuthenticationDefaults.SessionScheme));

    /// <summary>The session reference a cookie principal carries, or <see langword="null"/>.</summary>
    internal static string? ReferenceOf(ClaimsPrincipal? principal) =>
        principal?.Identities.FirstOrDefault(i => i.AuthenticationType == AccountSecurityAuthenticationDefaults.SessionScheme)?.FindFirst(AccountSecurityClaimTypes.SessionReference)?.Value;

    private static ClaimsIdentity? SessionIdentity(ClaimsPrincipal? principal) =>
        principal?.Identities.FirstOrDefault(i => i.IsAuthenticated && i.AuthenticationType == AccountSecurityAuthenticationDefaults.SessionScheme);
}
