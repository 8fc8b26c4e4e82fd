using AccountSecurity.SignIn;
using AccountSecurity.Stores;

namespace AccountSecurity.Resources;

/// <summary>
/// Hides resources flagged <c>secAuthProtection</c> from anyone who is not signed in with the second factor — even
/// when a group grants access. Group permissions stay the host's: this only ever removes, never adds.
/// </summary>
public sealed class ProtectedResourceAccess
{
    private readonly IUserStore _users;
    private readonly SignInService _signIn;

    internal ProtectedResourceAccess(IUserStore users, SignInService signIn)
    {
        _users = users;
        _signIn = signIn;
    }

    /// <summary>
    /// Whether a resource with the given protection may be shown to <paramref name="session"/>'s user. A protected
    /// resource needs a valid session (stamp unchanged), an active user with 2FA active now, and a sign-in that used
    /// the second factor. An unprotected one is left to the host's own permissions (always <see langword="true"/> here).
    /// </summary>
    public async ValueTask<bool> CanSeeAsync(AuthenticatedSession? session, bool secAuthProtection, CancellationToken cancellationToken = default)
    {
        if (!secAuthProtection)
        {
            return true;
        }

        return await SecondFactorSessionAsync(session, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Whether <paramref name="resource"/> may be shown to <paramref name="session"/>'s user; see <see cref="CanSeeAsync(AuthenticatedSession?, bool, CancellationToken)"/>.</summary>
    public ValueTask<bool> CanSeeAsync(AuthenticatedSession? session, ISecAuthProtectedResource resource, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return CanSeeAsync(session, resource.SecAuthProtection, cancellationToken);
    }

    /// <summary>
    /// The resources of <paramref name="resources"/> that <paramref name="session"/>'s user may see, in their order, for any
    /// resource type: <paramref name="isProtected"/> reads its <c>secAuthProtection</c>. The user is looked up once.
    /// </summary>
    public async ValueTask<IReadOnlyList<T>> FilterAsync<T>(AuthenticatedSession? session, IEnumerable<T> resources, Func<T, bool> isProtected, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resources);
        ArgumentNullException.ThrowIfNull(isProtected);
        var materialized = resources.ToList();
        if (!materialized.Any(isProtected))
        {
            return materialized;
        }

        var mayOpenProtected = await SecondFactorSessionAsync(session, cancellationToken).ConfigureAwait(false);
        return mayOpenProtected ? materialized : materialized.Where(r => !isProtected(r)).ToList();
    }

    /// <summary>The resources <paramref name="session"/>'s user may see; see <see cref="FilterAsync{T}(AuthenticatedSession?, IEnumerable{T}, Func{T, bool}, CancellationToken)"/>.</summary>
    public ValueTask<IReadOnlyList<T>> FilterAsync<T>(AuthenticatedSession? session, IEnumerable<T> resources, CancellationToken cancellationToken = default)
        where T : ISecAuthProtectedResource =>
        FilterAsync(session, resources, r => r.SecAuthProtection, cancellationToken);

    private async ValueTask<bool> SecondFactorSessionAsync(AuthenticatedSession? session, CancellationToken cancellationToken)
    {
        if (session is null || !session.UsedSecondFactor || !await _signIn.ValidateSessionAsync(session, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        var user = await _users.FindByIdAsync(session.UserId, cancellationToken).ConfigureAwait(false);
        return user is { IsActive: true, TwoFactor.IsEnabled: true };
    }
}
