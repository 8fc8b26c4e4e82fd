using AccountSecurity.AspNetCore.Authentication;
using AccountSecurity.Resources;
using AccountSecurity.SupportPin;
using Microsoft.AspNetCore.Authorization;

namespace AccountSecurity.AspNetCore.Authorization;

/// <summary>Requires a session completed with the second factor. Cheap: reads the (already validated) claims only.</summary>
public sealed class SecondFactorSessionRequirement : AuthorizationHandler<SecondFactorSessionRequirement>, IAuthorizationRequirement
{
    /// <summary>The one instance (the requirement has no state).</summary>
    public static SecondFactorSessionRequirement Instance { get; } = new();

    /// <inheritdoc />
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, SecondFactorSessionRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.User.GetAccountSecuritySession() is { UsedSecondFactor: true })
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}

/// <summary>
/// Resource-based authorization for <c>secAuthProtection</c>: use with
/// <c>IAuthorizationService.AuthorizeAsync(user, resource, SecAuthProtectionRequirement.Instance)</c> on an
/// <see cref="ISecAuthProtectedResource"/>. Succeeds for an unprotected resource; for a protected one only when the
/// session is valid, was completed with the second factor and the user has 2FA active now (the library's
/// <see cref="IProtectedResourceAccess"/> decides). It only ever removes access: the host's own permissions still apply.
/// </summary>
public sealed class SecAuthProtectionRequirement : IAuthorizationRequirement
{
    private SecAuthProtectionRequirement()
    {
    }

    /// <summary>The one instance (the requirement has no state).</summary>
    public static SecAuthProtectionRequirement Instance { get; } = new();
}

/// <summary>Requires a support agent; with a <see cref="SupportPinTarget"/> resource, an agent who may verify that account.</summary>
public sealed class SupportAgentRequirement : IAuthorizationRequirement
{
    private SupportAgentRequirement()
    {
    }

    /// <summary>The one instance (the requirement has no state).</summary>
    public static SupportAgentRequirement Instance { get; } = new();
}

/// <summary>Handles <see cref="SecAuthProtectionRequirement"/> through <see cref="IProtectedResourceAccess"/>.</summary>
internal sealed class SecAuthProtectionHandler(IProtectedResourceAccess access) : AuthorizationHandler<SecAuthProtectionRequirement, ISecAuthProtectedResource>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, SecAuthProtectionRequirement requirement, ISecAuthProtectedResource resource)
    {
        if (await access.CanSeeAsync(context.User.GetAccountSecuritySession(), resource).ConfigureAwait(false))
        {
            context.Succeed(requirement);
        }
    }
}

/// <summary>Handles <see cref="SupportAgentRequirement"/> through the library's <see cref="ISupportAgentAuthorizer"/>, with the principal as the agent.</summary>
internal sealed class SupportAgentHandler(ISupportAgentAuthorizer authorizer) : IAuthorizationHandler
{
    public async Task HandleAsync(AuthorizationHandlerContext context)
    {
        var requirement = context.PendingRequirements.OfType<SupportAgentRequirement>().FirstOrDefault();
        var agent = context.User.GetAccountSecuritySession();
        if (requirement is null || agent is null)
        {
            return;
        }

        var allowed = context.Resource is SupportPinTarget target
            ? await authorizer.MayVerifyAsync(agent.UserId, target, CancellationToken.None).ConfigureAwait(false)
            : await authorizer.IsSupportAgentAsync(agent.UserId, CancellationToken.None).ConfigureAwait(false);
        if (allowed)
        {
            context.Succeed(requirement);
        }
    }
}
