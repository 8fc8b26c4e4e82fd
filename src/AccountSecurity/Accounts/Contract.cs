using AccountSecurity.Passwords.Policy;

namespace AccountSecurity.Accounts;

/// <summary>
/// A customer account (tenant). It has exactly one owner and may carry a contract-wide password policy.
/// Immutable: change it with a <c>with</c> expression and write it back through <see cref="Stores.IContractStore"/>.
/// </summary>
public sealed record Contract
{
    /// <summary>The contract's id, chosen by the host.</summary>
    public required string Id { get; init; }

    /// <summary>A display name.</summary>
    public required string Name { get; init; }

    /// <summary>The id of the contract owner (a user of this contract with <see cref="UserRole.ContractOwner"/>).</summary>
    public required string OwnerUserId { get; init; }

    /// <summary>The contract-wide password policy set by the owner; <see langword="null"/> means the documented default applies.</summary>
    public PasswordPolicySettings? PasswordPolicy { get; init; }

    /// <summary>
    /// Whether users of this contract may sign in with a passkey alone (discoverable, user-verified), without a
    /// password: the owner's switch, off by default. Such a session counts as signed in with a second factor.
    /// </summary>
    public bool PasskeySignInAllowed { get; init; }

    /// <summary>The contract's session policy (idle timeout, lifetime, parallel sessions); <see langword="null"/>: the host's defaults (<see cref="Sessions.SessionOptions"/>).</summary>
    public Sessions.SessionPolicySettings? SessionPolicy { get; init; }

    /// <summary>The concurrency version the store assigned; an update must state the version it read.</summary>
    public long Version { get; init; }
}
