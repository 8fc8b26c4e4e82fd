using AccountSecurity.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace AccountSecurity.AspNetCore.Authorization;

/// <summary>
/// Refuses a session that must first set up the two-factor authentication an administrator forced on its user
/// (<see cref="AccountSecurityPrincipal.IsTwoFactorSetupRequired"/>), except on endpoints marked
/// <see cref="AllowDuringTwoFactorSetupAttribute"/>. Every policy of <see cref="AccountSecurityPolicies"/> has it; add
/// <see cref="Instance"/> to a policy of the host's own. The session is not ended: the session scheme answers a refused
/// browser page with a redirect to <see cref="DependencyInjection.AccountSecurityCookieOptions.TwoFactorSetupPath"/> and
/// an API request with <c>403</c> and the code <see cref="Results.SecurityErrorCodes.TwoFactorSetupRequired"/>. Cheap: reads the already validated claims and the
/// endpoint's metadata, nothing from the store.
/// </summary>
public sealed class ForcedTwoFactorSetupRequirement : AuthorizationHandler<ForcedTwoFactorSetupRequirement>, IAuthorizationRequirement
{
    private ForcedTwoFactorSetupRequirement()
    {
    }

    /// <summary>The one instance (the requirement has no state).</summary>
    public static ForcedTwoFactorSetupRequirement Instance { get; } = new();

    /// <summary>Whether this requirement refused the request (so the forbidden answer sends it to the setup).</summary>
    internal static bool WasRefused(HttpContext context) => SessionGate<AllowDuringTwoFactorSetupAttribute>.WasRefused(context);

    /// <inheritdoc />
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ForcedTwoFactorSetupRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        return SessionGate<AllowDuringTwoFactorSetupAttribute>.HandleAsync(
            context, requirement, this, context.User.IsTwoFactorSetupRequired(), "Two-factor authentication is forced for this user and not set up yet.");
    }
}

/// <summary>
/// Marks an endpoint (or a controller, a page, a route group) that a session which must first set up forced two-factor
/// authentication may still reach (see <see cref="ForcedTwoFactorSetupRequirement"/>): the setup pages and endpoints
/// themselves, sign-out, and what the setup reads. Minimal APIs can use
/// <c>.AllowDuringTwoFactorSetup()</c> instead. It only lifts that one rule: the endpoint's other requirements still apply.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class AllowDuringTwoFactorSetupAttribute : Attribute
{
}
