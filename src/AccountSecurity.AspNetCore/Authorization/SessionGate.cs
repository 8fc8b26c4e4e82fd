using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace AccountSecurity.AspNetCore.Authorization;

/// <summary>
/// The one rule behind the requirements that hold a standing session at one task before anything else
/// (<see cref="ForcedTwoFactorSetupRequirement"/>, <see cref="ForcedPasswordChangeRequirement"/>): a session that must do
/// the task reaches only endpoints carrying <typeparamref name="TAllow"/>; a refusal is remembered on the request so the
/// forbidden answer can send it to the task instead of a plain 403.
/// </summary>
/// <typeparam name="TAllow">The endpoint metadata that lets such a session through.</typeparam>
internal static class SessionGate<TAllow>
    where TAllow : Attribute
{
    private static readonly object RefusedKey = new();

    /// <summary>Whether this gate refused the request.</summary>
    public static bool WasRefused(HttpContext context) => context.Items.ContainsKey(RefusedKey);

    /// <summary>Succeeds unless <paramref name="taskPending"/> and the endpoint lacks <typeparamref name="TAllow"/>; then fails with <paramref name="reason"/>.</summary>
    public static Task HandleAsync(AuthorizationHandlerContext context, IAuthorizationRequirement requirement, IAuthorizationHandler handler, bool taskPending, string reason)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.Resource as HttpContext;
        if (!taskPending || http?.GetEndpoint()?.Metadata.GetMetadata<TAllow>() is not null)
        {
            context.Succeed(requirement);
            return Task.CompletedTask;
        }

        // Without the request (an explicit AuthorizeAsync on another resource) the endpoint is unknown: refused too.
        if (http is not null)
        {
            http.Items[RefusedKey] = true;
        }

        context.Fail(new AuthorizationFailureReason(handler, reason));
        return Task.CompletedTask;
    }
}
