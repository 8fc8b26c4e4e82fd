using AccountSecurity.Administration;

namespace AccountSecurity.Accounts.Administration;

/// <summary>
/// Who may act on whom inside a contract, for account administration. Lowering another person's access (deactivating
/// them, changing their e-mail address, and so where their mail goes) follows the one peer rule,
/// <see cref="PeerRules.CanLowerSecurityOf"/> (the owner for anyone in the contract, an administrator only for plain
/// users, nobody across contracts), and is never done to oneself here. The rule is a pure function of the two stored
/// records, so services re-check it on the state they write.
/// </summary>
internal static class PeerRule
{
    /// <summary>Whether <paramref name="actor"/> may lower <paramref name="target"/>'s access (never their own).</summary>
    public static bool MayLower(UserAccount actor, UserAccount target) =>
        actor.Id != target.Id && PeerRules.CanLowerSecurityOf(SecurityPeer.Of(actor), SecurityPeer.Of(target));

    /// <summary>Whether <paramref name="actor"/> may read <paramref name="target"/>: themselves, or anyone of their contract when they manage it.</summary>
    public static bool MayRead(UserAccount actor, UserAccount target) =>
        actor.IsActive
        && string.Equals(actor.ContractId, target.ContractId, StringComparison.Ordinal)
        && (actor.Id == target.Id || Manages(actor));

    /// <summary>Whether <paramref name="actor"/> manages their contract's users (owner or administrator).</summary>
    public static bool Manages(UserAccount actor) => actor is { IsActive: true, Role: UserRole.ContractOwner or UserRole.Administrator };
}
