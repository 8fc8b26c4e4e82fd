using System.Diagnostics.CodeAnalysis;
using AccountSecurity.Accounts;
using AccountSecurity.Events;
using AccountSecurity.Localization;
using AccountSecurity.Reauthentication;
using AccountSecurity.Results;
using AccountSecurity.SignIn;
using AccountSecurity.Stores;

namespace AccountSecurity.Administration;

/// <summary>
/// What the peer rules need to know about a user: who they are, which contract they belong to, their role, and whether
/// they are active. Carries no secret material, so a host may build it from any view of its users.
/// </summary>
/// <param name="UserId">The user's id.</param>
/// <param name="ContractId">The id of the user's contract.</param>
/// <param name="Role">The user's role in that contract.</param>
/// <param name="IsActive">Whether the user is active; a deactivated actor may act on nobody.</param>
public sealed record SecurityPeer(string UserId, string ContractId, UserRole Role, bool IsActive)
{
    internal static SecurityPeer Of(UserAccount user) => new(user.Id, user.ContractId, user.Role, user.IsActive);
}

/// <summary>
/// The peer rules: who may change someone else's security settings. The library's services enforce them (and audit a
/// refusal); hosts ask the same rules to decide which actions to offer, instead of copying them.
/// </summary>
/// <remarks>
/// <para>
/// Lowering a user's security — no longer forcing 2FA, resetting 2FA after a lost device, clearing a support-PIN
/// lockout — is allowed to the contract owner for anyone in the contract, and to an administrator only for plain users
/// (<see cref="UserRole.User"/>): never for another administrator, never for the owner. Raising it — forcing 2FA — is
/// allowed to an administrator or the owner for anyone in the contract but the owner (whom only the owner may force).
/// </para>
/// <para>Nobody acts across contracts, and a deactivated actor acts on nobody. Neither method ever throws.</para>
/// </remarks>
public static class PeerRules
{
    /// <summary>
    /// Whether <paramref name="actor"/> may lower <paramref name="target"/>'s security (unforce 2FA, reset 2FA, clear a
    /// support-PIN lockout). Returns <see langword="false"/> for a missing actor or target, across contracts, for a deactivated actor, for a plain
    /// user as actor, and for an administrator acting on anyone but a plain user (including themselves).
    /// </summary>
    public static bool CanLowerSecurityOf(SecurityPeer? actor, SecurityPeer? target) =>
        SameContractAndActive(actor, target)
        && (actor.Role == UserRole.ContractOwner || (actor.Role == UserRole.Administrator && target.Role == UserRole.User));

    /// <summary>
    /// Whether <paramref name="actor"/> may raise <paramref name="target"/>'s security (force 2FA). Returns
    /// <see langword="false"/> for a missing actor or target, across contracts, for a deactivated actor, for a plain user as actor, and for an
    /// administrator acting on the contract owner.
    /// </summary>
    public static bool CanRaiseSecurityOf(SecurityPeer? actor, SecurityPeer? target) =>
        SameContractAndActive(actor, target)
        && actor.Role is UserRole.Administrator or UserRole.ContractOwner
        && (target.Role != UserRole.ContractOwner || actor.Role == UserRole.ContractOwner);

    private static bool SameContractAndActive([NotNullWhen(true)] SecurityPeer? actor, [NotNullWhen(true)] SecurityPeer? target) =>
        actor is { IsActive: true } && target is not null
        && actor.ContractId is not null
        && string.Equals(actor.ContractId, target.ContractId, StringComparison.Ordinal);
}

/// <summary>Which way an administrative operation moves the target's security.</summary>
internal enum PeerChange
{
    /// <summary>Makes the target's account harder to get into (force 2FA).</summary>
    Raise,

    /// <summary>Makes it easier (unforce 2FA, reset 2FA, clear a PIN lockout).</summary>
    Lower,
}

/// <summary>
/// The one place services check <see cref="PeerRules"/> against the stored users and audit a refusal: a refused
/// operation answers <c>not_authorized</c> and raises <see cref="SecurityEventType.AuthorizationRefused"/> with the
/// operation's name as outcome and the actor's id.
/// </summary>
internal sealed class PeerAuthority
{
    private readonly IUserStore _users;
    private readonly SecurityEventPublisher _events;
    private readonly ReauthenticationGate _reauthentication;

    public PeerAuthority(IUserStore users, SecurityEventPublisher events, ReauthenticationGate reauthentication)
    {
        _users = users;
        _events = events;
        _reauthentication = reauthentication;
    }

    /// <summary>
    /// <see langword="null"/> when the user of <paramref name="actor"/> may make <paramref name="change"/> to
    /// <paramref name="targetUserId"/> (<see cref="AuthorizeAsync"/>) and <paramref name="actor"/> re-authenticated
    /// within the window for <paramref name="sensitive"/> (<see cref="ReauthenticationGate"/>); otherwise the refusal.
    /// Authorization is decided first, so a session that may not act at all is told <c>not_authorized</c>, never asked to
    /// prove itself for nothing.
    /// </summary>
    public async ValueTask<SecurityResult?> AuthorizeSensitiveAsync(
        AuthenticatedSession actor,
        string targetUserId,
        PeerChange change,
        string operation,
        SensitiveOperation sensitive,
        CancellationToken cancellationToken,
        bool selfAllowed = true)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (await AuthorizeAsync(actor.UserId, targetUserId, change, operation, cancellationToken, selfAllowed).ConfigureAwait(false) is { } refusal)
        {
            return refusal;
        }

        return await _reauthentication.RequireAsync(actor, sensitive, cancellationToken).ConfigureAwait(false) is { } stale
            ? SecurityResult.Failed(stale)
            : null;
    }

    /// <summary>
    /// <see langword="null"/> when <paramref name="actingUserId"/> may make <paramref name="change"/> to
    /// <paramref name="targetUserId"/> (and, unless <paramref name="selfAllowed"/>, is not acting on themselves);
    /// otherwise the audited <c>not_authorized</c> failure. An unknown actor or target is refused the same way.
    /// </summary>
    public async ValueTask<SecurityResult?> AuthorizeAsync(
        string actingUserId,
        string targetUserId,
        PeerChange change,
        string operation,
        CancellationToken cancellationToken,
        bool selfAllowed = true)
    {
        ArgumentNullException.ThrowIfNull(actingUserId);
        ArgumentNullException.ThrowIfNull(targetUserId);
        var actor = await _users.FindByIdAsync(actingUserId, cancellationToken).ConfigureAwait(false);
        var target = await _users.FindByIdAsync(targetUserId, cancellationToken).ConfigureAwait(false);
        var allowed = actor is not null && target is not null
            && (selfAllowed || actor.Id != target.Id)
            && (change == PeerChange.Raise
                ? PeerRules.CanRaiseSecurityOf(SecurityPeer.Of(actor), SecurityPeer.Of(target))
                : PeerRules.CanLowerSecurityOf(SecurityPeer.Of(actor), SecurityPeer.Of(target)));
        if (allowed)
        {
            return null;
        }

        await _events.PublishAsync(SecurityEventType.AuthorizationRefused, target?.Id, target?.ContractId, cancellationToken, outcome: operation, actorId: actingUserId).ConfigureAwait(false);
        return SecurityResult.Failed(new SecurityError(
            SecurityErrorCodes.NotAuthorized,
            change == PeerChange.Raise
                ? UserMessages.PeerRaiseNotAuthorized
                : UserMessages.PeerLowerNotAuthorized));
    }
}
