namespace AccountSecurity.AspNetCore.Authorization;

/// <summary>
/// The authorization policies <c>AddAspNetCore()</c> registers; each authenticates with the session scheme, and each
/// refuses a session that must first set up the two-factor authentication an administrator forced
/// (<see cref="ForcedTwoFactorSetupRequirement"/>) except on endpoints marked <see cref="AllowDuringTwoFactorSetupAttribute"/>,
/// and a session that must first change a breached password (<see cref="ForcedPasswordChangeRequirement"/>) except on
/// endpoints marked <see cref="AllowDuringPasswordChangeAttribute"/>.
/// </summary>
public static class AccountSecurityPolicies
{
    /// <summary>A valid session (stamp unchanged), with or without a second factor.</summary>
    public const string SignedIn = "AccountSecurity.SignedIn";

    /// <summary>A valid session completed with the second factor (<c>amr</c> contains <c>mfa</c>).</summary>
    public const string SecondFactor = "AccountSecurity.SecondFactor";

    /// <summary>A valid session of a support agent (by default an active owner or administrator; see <c>ISupportAgentAuthorizer</c>).</summary>
    public const string SupportAgent = "AccountSecurity.SupportAgent";
}
