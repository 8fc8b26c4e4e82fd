using AccountSecurity.Accounts;
using AccountSecurity.Administration;

namespace AccountSecurity.WebSample.Pages.Users;

/// <summary>
/// The actions Users &amp; Groups offers on one user: the owner may lower anyone's security or access, an administrator
/// only a plain user's; forcing 2FA is open to administrators for anyone but the owner. The services check again.
/// </summary>
/// <param name="IsSelf">The row of the signed-in manager (no actions).</param>
/// <param name="MayForce">Require (or stop requiring) 2FA.</param>
/// <param name="MayLower">Reset 2FA, clear the PIN lock, deactivate or reactivate.</param>
/// <param name="MayEndSessions">Sign out everywhere.</param>
public sealed record UserActions(bool IsSelf, bool MayForce, bool MayLower, bool MayEndSessions)
{
    /// <summary>Whether any action is offered.</summary>
    public bool Any => MayForce || MayLower || MayEndSessions;

    /// <summary>The actions <paramref name="acting"/> may take on <paramref name="user"/>.</summary>
    public static UserActions Of(UserSummary acting, UserSummary user)
    {
        if (user.Id == acting.Id)
        {
            return new UserActions(true, false, false, false);
        }

        var actor = UsersPages.Peer(acting);
        var target = UsersPages.Peer(user);
        var mayLower = PeerRules.CanLowerSecurityOf(actor, target);
        var mayForce = user.TwoFactorForced ? mayLower : PeerRules.CanRaiseSecurityOf(actor, target);
        return new UserActions(false, mayForce, mayLower, user.IsActive && PeerRules.CanRaiseSecurityOf(actor, target));
    }
}

/// <summary>One row of the users table (<c>_UserRow.cshtml</c>).</summary>
/// <param name="User">The user.</param>
/// <param name="Actions">What the reader may do.</param>
/// <param name="Stale">Whether the session must confirm first (the links to a confirmation page are then disabled buttons).</param>
public sealed record UserRow(UserSummary User, UserActions Actions, bool Stale);
