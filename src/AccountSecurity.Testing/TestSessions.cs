using AccountSecurity.Accounts;
using AccountSecurity.SignIn;
using AccountSecurity.Stores;
using Microsoft.Extensions.DependencyInjection;

namespace AccountSecurity.Testing;

/// <summary>
/// Sessions for tests that call the SDK's services directly, the way a host passes the session of the request: the
/// sensitive operations (<see cref="Reauthentication.SensitiveOperation"/>) take the acting session, and without a
/// password inline they ask it to have re-authenticated recently.
/// </summary>
/// <remarks>
/// Never for production: a host's sessions come from a sign-in (<see cref="ISignInService"/>) and are checked on every
/// request. These build one from the store, which only a test may do.
/// </remarks>
public static class TestSessions
{
    /// <summary>
    /// A session that names <paramref name="userId"/> and proves nothing: not current (no stamp), never re-authenticated.
    /// For calls that give their proof inline (the current password) or that must be refused before any proof is asked
    /// (an unknown or unauthorized actor, a hostile id). Sensitive operations without proof inline refuse it.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="userId"/> is <see langword="null"/>.</exception>
    public static AuthenticatedSession Of(string userId)
    {
        ArgumentNullException.ThrowIfNull(userId);
        return new AuthenticatedSession(userId, string.Empty, string.Empty, [], DateTimeOffset.MinValue);
    }

    /// <summary>
    /// A session of <paramref name="user"/> as its stored state stands, signed in with a password (and a second factor,
    /// when <paramref name="withSecondFactor"/>) at <paramref name="signedInAt"/>: current, and re-authenticated for
    /// sensitive operations for the window after that time. Kept in the host's token (no server-side record).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="user"/> is <see langword="null"/>.</exception>
    public static AuthenticatedSession SignedIn(UserAccount user, DateTimeOffset signedInAt, bool withSecondFactor = false)
    {
        ArgumentNullException.ThrowIfNull(user);
        IReadOnlyList<string> methods = withSecondFactor
            ? [AuthenticationMethods.Password, AuthenticationMethods.Otp, AuthenticationMethods.MultiFactor]
            : [AuthenticationMethods.Password];
        return new AuthenticatedSession(user.Id, user.ContractId, user.SecurityStamp, methods, signedInAt);
    }

    /// <summary>
    /// A current session of <paramref name="userId"/> read from the container's user store, signed in (so re-authenticated)
    /// just now by its <see cref="TimeProvider"/>: what a sensitive operation without proof inline accepts. For an id no
    /// account has, <see cref="Of"/>.
    /// </summary>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static async ValueTask<AuthenticatedSession> FreshAsync(IServiceProvider services, string userId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(userId);
        await using var scope = services.CreateAsyncScope();
        var user = userId.Length is > 0 and <= 256 && !userId.Any(c => char.IsControl(c) || char.IsSurrogate(c))
            ? await scope.ServiceProvider.GetRequiredService<IUserStore>().FindByIdAsync(userId, cancellationToken).ConfigureAwait(false)
            : null;
        if (user is null)
        {
            return Of(userId);
        }

        var now = scope.ServiceProvider.GetService<TimeProvider>()?.GetUtcNow() ?? TimeProvider.System.GetUtcNow();
        return SignedIn(user, now, withSecondFactor: SecondFactors.Any(user));
    }
}
