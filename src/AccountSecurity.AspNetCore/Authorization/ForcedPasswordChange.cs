using AccountSecurity.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace AccountSecurity.AspNetCore.Authorization;

/// <summary>
/// Refuses a session whose user must change the password first, because it was found in a data breach after a sign-in
/// (<see cref="AccountSecurityPrincipal.IsPasswordChangeRequired"/>), except on endpoints marked
/// <see cref="AllowDuringPasswordChangeAttribute"/>: whoever bought the breach list can sign in with that password, so
/// such a session reaches nothing else until the password is changed. Every policy of
/// <see cref="AccountSecurityPolicies"/> has it; add <see cref="Instance"/> to a policy of the host's own. The session is
/// not ended: the session scheme answers a refused browser page with a redirect to
/// <see cref="DependencyInjection.AccountSecurityCookieOptions.PasswordChangePath"/> and an API request with <c>403</c>
/// and the code <see cref="Results.SecurityErrorCodes.PasswordChangeRequired"/>. Cheap: reads the already validated
/// claims and the endpoint's metadata, nothing from the store. Never lets a marked session through on an unmarked
/// endpoint, whatever else the policy allows.
/// </summary>
public sealed class ForcedPasswordChangeRequirement : AuthorizationHandler<ForcedPasswordChangeRequirement>, IAuthorizationRequirement
{
    private ForcedPasswordChangeRequirement()
    {
    }

    /// <summary>The one instance (the requirement has no state).</summary>
    public static ForcedPasswordChangeRequirement Instance { get; } = new();

    /// <summary>Whether this requirement refused the request (so the forbidden answer sends it to the password change).</summary>
    internal static bool WasRefused(HttpContext context) => SessionGate<AllowDuringPasswordChangeAttribute>.WasRefused(context);

    /// <inheritdoc />
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ForcedPasswordChangeRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        return SessionGate<AllowDuringPasswordChangeAttribute>.HandleAsync(
            context, requirement, this, context.User.IsPasswordChangeRequired(), "The user's password was found in a data breach and must be changed first.");
    }
}

/// <summary>
/// Marks an endpoint (or a controller, a page, a route group) that a session which must first change a breached password
/// may still reach (see <see cref="ForcedPasswordChangeRequirement"/>): the password change form and the endpoint it
/// posts to, what the form reads, re-authentication, and sign-out. Minimal APIs can use
/// <c>.AllowDuringPasswordChange()</c> instead. It only lifts that one rule: the endpoint's other requirements still apply.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class AllowDuringPasswordChangeAttribute : Attribute
{
}
