using AccountSecurity.Accounts;
using AccountSecurity.Stores;

namespace AccountSecurity.SupportPin;

/// <summary>The account a support agent wants to verify a caller for: ids and role only, never secret material.</summary>
/// <param name="UserId">The account's user id.</param>
/// <param name="ContractId">The contract the account belongs to.</param>
/// <param name="Role">The account's role in its contract.</param>
public sealed record SupportPinTarget(string UserId, string ContractId, UserRole Role);

/// <summary>
/// Decides who may verify support PINs, and for which accounts. The default, <see cref="ContractSupportAgentAuthorizer"/>,
/// lets an active owner or administrator verify the accounts of their own contract. A host whose support staff are not
/// users of the contracts (a cloud provider's own support desk, say) registers its own implementation in DI before
/// calling <c>AddAccountSecurity()</c>, which then keeps it.
/// </summary>
/// <remarks>
/// <see cref="ISupportPinService"/> asks <see cref="IsSupportAgentAsync"/> first, before it looks the account up, so
/// an id that is no support agent at all gets a distinct "agent not authorized" answer that says nothing about any
/// account. Only then is <see cref="MayVerifyAsync"/> asked for an existing, active account; a refusal there is
/// answered exactly as an unknown account is (after the same work), so an agent learns nothing about accounts outside
/// their reach. Neither refusal counts toward the account's PIN lockout. Implementations receive ids only, never a
/// PIN; they should not throw for an unknown id (answer <see langword="false"/>).
/// </remarks>
public interface ISupportAgentAuthorizer
{
    /// <summary>Whether <paramref name="agentId"/> names active support staff at all (whatever the account).</summary>
    ValueTask<bool> IsSupportAgentAsync(string agentId, CancellationToken cancellationToken);

    /// <summary>Whether <paramref name="agentId"/> may verify callers for <paramref name="target"/>.</summary>
    ValueTask<bool> MayVerifyAsync(string agentId, SupportPinTarget target, CancellationToken cancellationToken);
}

/// <summary>
/// The default <see cref="ISupportAgentAuthorizer"/>: support agents are the active contract owners and administrators,
/// and each may verify the accounts of their own contract only (the owner's included).
/// </summary>
public sealed class ContractSupportAgentAuthorizer : ISupportAgentAuthorizer
{
    private readonly IUserStore _users;

    /// <summary>Creates the authorizer on the user store.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="users"/> is <see langword="null"/>.</exception>
    public ContractSupportAgentAuthorizer(IUserStore users)
    {
        ArgumentNullException.ThrowIfNull(users);
        _users = users;
    }

    /// <inheritdoc />
    /// <remarks>True for an active user with the role <see cref="UserRole.ContractOwner"/> or <see cref="UserRole.Administrator"/>; false otherwise, also for a malformed or unknown id.</remarks>
    public async ValueTask<bool> IsSupportAgentAsync(string agentId, CancellationToken cancellationToken) =>
        await AgentAsync(agentId, cancellationToken).ConfigureAwait(false) is not null;

    /// <inheritdoc />
    /// <remarks>True when the agent is active staff (see <see cref="IsSupportAgentAsync"/>) of <paramref name="target"/>'s own contract.</remarks>
    public async ValueTask<bool> MayVerifyAsync(string agentId, SupportPinTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var agent = await AgentAsync(agentId, cancellationToken).ConfigureAwait(false);
        return agent is not null && string.Equals(agent.ContractId, target.ContractId, StringComparison.Ordinal);
    }

    private async ValueTask<UserAccount?> AgentAsync(string agentId, CancellationToken cancellationToken)
    {
        if (!InputText.IsId(agentId))
        {
            return null;
        }

        var agent = await _users.FindByIdAsync(agentId, cancellationToken).ConfigureAwait(false);
        return agent is { IsActive: true, Role: UserRole.ContractOwner or UserRole.Administrator } ? agent : null;
    }
}
