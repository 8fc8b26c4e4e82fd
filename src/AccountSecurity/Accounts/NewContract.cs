namespace AccountSecurity.Accounts;

/// <summary>
/// What <see cref="IAccountProvisioningService.CreateContractAsync"/> needs to create a contract and its owner, named
/// rather than positional, so two ids or an id and a name cannot be swapped unnoticed. Nothing is checked here: the
/// service validates every value and answers a bad one with a result. <see cref="ToString"/> never prints the
/// password or the e-mail address.
/// </summary>
public sealed class NewContract
{
    /// <summary>The new contract's id, chosen by the host.</summary>
    public required string ContractId { get; init; }

    /// <summary>The contract's display name.</summary>
    public required string ContractName { get; init; }

    /// <summary>The id of the owner the contract is created with.</summary>
    public required string OwnerUserId { get; init; }

    /// <summary>The owner's e-mail address.</summary>
    public required string? OwnerEmail { get; init; }

    /// <summary>The owner's initial password, checked under the default password policy; never printed.</summary>
    public required string? OwnerPassword { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"NewContract {{ ContractId = {ContractId}, OwnerUserId = {OwnerUserId} }}";
}
