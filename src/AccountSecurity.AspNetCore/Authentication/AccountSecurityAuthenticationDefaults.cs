namespace AccountSecurity.AspNetCore.Authentication;

/// <summary>The authentication schemes the layer registers, one per purpose (as ASP.NET Core Identity's <c>IdentityConstants</c>).</summary>
public static class AccountSecurityAuthenticationDefaults
{
    /// <summary>
    /// The session cookie scheme: a completed sign-in. The cookie carries only the reference of a server-side session
    /// (<see cref="AccountSecurity.Sessions.ISessionService"/>); every request validates it against the store with one
    /// read and builds the principal from the stored session.
    /// </summary>
    public const string SessionScheme = "AccountSecurity.Session";

    /// <summary>The two-factor pending scheme: the ticket between the password and the second factor (or forced setup).</summary>
    public const string PendingScheme = "AccountSecurity.TwoFactorPending";
}

/// <summary>The claim types of the session principal.</summary>
public static class AccountSecurityClaimTypes
{
    /// <summary>The user id (also the identity's name claim).</summary>
    public const string UserId = System.Security.Claims.ClaimTypes.NameIdentifier;

    /// <summary>The user's contract id.</summary>
    public const string ContractId = "contract";

    /// <summary>The user's security stamp at sign-in (compared with the store on every request).</summary>
    public const string SecurityStamp = "security_stamp";

    /// <summary>The server-side session's public id (as OpenID Connect's <c>sid</c>): what the user's list of sessions shows and ends. Not a secret.</summary>
    public const string SessionId = "sid";

    /// <summary>Authentication method references, RFC 8176 values (<c>pwd</c>, <c>otp</c>, <c>mfa</c>), one claim each.</summary>
    public const string AuthenticationMethod = "amr";

    /// <summary>When the sign-in completed, in Unix seconds (as OpenID Connect's <c>auth_time</c>).</summary>
    public const string AuthenticationTime = "auth_time";

    /// <summary>Present (value <c>true</c>) when the second factor was a one-time recovery code rather than a TOTP code.</summary>
    public const string RecoveryCodeUsed = "accountsecurity_recovery_code";

    /// <summary>
    /// Present (value <c>true</c>) on a session whose user an administrator forced to use two-factor authentication and
    /// who has no second factor yet: set by <see cref="AccountSecuritySessionValidator"/> from the store on every request
    /// (never trusted from the cookie), read by <see cref="Authorization.ForcedTwoFactorSetupRequirement"/>.
    /// </summary>
    public const string TwoFactorSetupRequired = "accountsecurity_two_factor_setup_required";

    /// <summary>
    /// Present (value <c>true</c>) on a session whose user must change the password first (it was found in a data
    /// breach): set by <see cref="AccountSecuritySessionValidator"/> from the store on every request (never trusted from
    /// the cookie), read through <see cref="AccountSecurityPrincipal.IsPasswordChangeRequired"/>.
    /// </summary>
    public const string PasswordChangeRequired = "accountsecurity_password_change_required";

    /// <summary>The one claim of the session cookie's ticket: the session reference (a secret). Never in the request's principal.</summary>
    internal const string SessionReference = "accountsecurity_session";

    internal const string PendingTicket = "accountsecurity_ticket";
    internal const string PendingStep = "accountsecurity_pending_step";
    internal const string PendingAccount = "accountsecurity_pending_account";
}
