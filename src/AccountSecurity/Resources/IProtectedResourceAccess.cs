using AccountSecurity.SignIn;

namespace AccountSecurity.Resources;

/// <summary>
/// Hides resources flagged <c>secAuthProtection</c> from anyone who is not signed in with the second factor — even
/// when a group grants access. Group permissions stay the host's: this only ever removes, never adds.
/// </summary>
public interface IProtectedResourceAccess
{
    /// <summary>
    /// Whether a resource with the given protection may be shown to <paramref name="session"/>'s user. A protected
    /// resource needs a valid session (stamp unchanged), an active user with 2FA active now, and a sign-in that used
    /// the second factor. An unprotected one is left to the host's own permissions (always <see langword="true"/> here).
    /// </summary>
    ValueTask<bool> CanSeeAsync(AuthenticatedSession? session, bool secAuthProtection, CancellationToken cancellationToken = default);

    /// <summary>Whether <paramref name="resource"/> may be shown to <paramref name="session"/>'s user; see <see cref="CanSeeAsync(AuthenticatedSession?, bool, CancellationToken)"/>.</summary>
    ValueTask<bool> CanSeeAsync(AuthenticatedSession? session, ISecAuthProtectedResource resource, CancellationToken cancellationToken = default);

    /// <summary>
    /// The resources of <paramref name="resources"/> that <paramref name="session"/>'s user may see, in their order, for any
    /// resource type: <paramref name="isProtected"/> reads its <c>secAuthProtection</c>. The user is looked up once.
    /// </summary>
    ValueTask<IReadOnlyList<T>> FilterAsync<T>(AuthenticatedSession? session, IEnumerable<T> resources, Func<T, bool> isProtected, CancellationToken cancellationToken = default);

    /// <summary>The resources <paramref name="session"/>'s user may see; see <see cref="FilterAsync{T}(AuthenticatedSession?, IEnumerable{T}, Func{T, bool}, CancellationToken)"/>.</summary>
    ValueTask<IReadOnlyList<T>> FilterAsync<T>(AuthenticatedSession? session, IEnumerable<T> resources, CancellationToken cancellationToken = default)
        where T : ISecAuthProtectedResource;
}
