using AccountSecurity.AspNetCore.Authentication;
using AccountSecurity.Resources;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AccountSecurity.AspNetCore.Authorization;

/// <summary>Filters lists of resources for the current request's session (<c>secAuthProtection</c> hides, never grants).</summary>
public static class ProtectedResourceFilterExtensions
{
    /// <summary>
    /// The resources of <paramref name="resources"/> the current session may see, in order: protected ones are dropped
    /// unless the session was completed with the second factor and the user has 2FA active now (one user read for the
    /// whole list). Unprotected resources are left to the host's permissions.
    /// </summary>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static ValueTask<IReadOnlyList<T>> FilterSecAuthProtectedAsync<T>(this HttpContext context, IEnumerable<T> resources, CancellationToken cancellationToken = default)
        where T : ISecAuthProtectedResource
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.RequestServices.GetRequiredService<IProtectedResourceAccess>()
            .FilterAsync(context.User.GetAccountSecuritySession(), resources, cancellationToken);
    }

    /// <summary>As <see cref="FilterSecAuthProtectedAsync{T}(HttpContext, IEnumerable{T}, CancellationToken)"/>, for any type: <paramref name="isProtected"/> reads its <c>secAuthProtection</c>.</summary>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static ValueTask<IReadOnlyList<T>> FilterSecAuthProtectedAsync<T>(this HttpContext context, IEnumerable<T> resources, Func<T, bool> isProtected, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.RequestServices.GetRequiredService<IProtectedResourceAccess>()
            .FilterAsync(context.User.GetAccountSecuritySession(), resources, isProtected, cancellationToken);
    }
}
