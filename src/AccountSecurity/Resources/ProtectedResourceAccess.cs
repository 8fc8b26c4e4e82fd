using AccountSecurity.SignIn;
using AccountSecurity.Stores;

namespace AccountSecurity.Resources;

/// <summary>The default <see cref="IProtectedResourceAccess"/>.</summary>
internal sealed class ProtectedResourceAccess : IProtectedResourceAccess
{
    private readonly IUserStore _users;
    private readonly SignInService _signIn;

    internal ProtectedResourceAccess(IUserStore users, SignInService signIn)
    {
        _users = users;
        _signIn = signIn;
    }

    /// <inheritdoc />
    public async ValueTask<bool> CanSeeAsync(AuthenticatedSession? session, bool secAuthProtection, CancellationToken cancellationToken = default)
    {
        if (!secAuthProtection)
        {
            return true;
        }

        return await SecondFactorSessionAsync(session, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<bool> CanSeeAsync(AuthenticatedSession? session, ISecAuthProtectedResource resource, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return CanSeeAsync(session, resource.SecAuthProtection, cancellationToken);
    }

    /// <inheritdoc />
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

    /// <inheritdoc />
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
        return user is { IsActive: true } && Accounts.SecondFactors.Any(user);
    }
}
