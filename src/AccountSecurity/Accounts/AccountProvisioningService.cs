using AccountSecurity.Events;
using AccountSecurity.Localization;
using AccountSecurity.Passwords.Hashing;
using AccountSecurity.Results;
using AccountSecurity.Stores;

namespace AccountSecurity.Accounts;

/// <summary>The default <see cref="IAccountProvisioningService"/>.</summary>
internal sealed class AccountProvisioningService : IAccountProvisioningService
{
    private readonly IContractStore _contracts;
    private readonly IUserStore _users;
    private readonly Passwords.NewPasswordRules _rules;
    private readonly IPasswordHasher _hasher;
    private readonly HashingLimiter _hashing;
    private readonly SecurityEventPublisher _events;
    private readonly TimeProvider _time;

    internal AccountProvisioningService(IContractStore contracts, IUserStore users, Passwords.NewPasswordRules rules, IPasswordHasher hasher, SecurityEventPublisher events, TimeProvider time, HashingLimiter hashing)
    {
        _hashing = hashing;
        _contracts = contracts;
        _users = users;
        _rules = rules;
        _hasher = hasher;
        _events = events;
        _time = time;
    }

    /// <inheritdoc />
    public async ValueTask<SecurityResult<UserSummary>> CreateContractAsync(NewContract contract, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contract);
        var (contractId, contractName, ownerUserId, ownerEmail, ownerPassword) = (contract.ContractId, contract.ContractName, contract.OwnerUserId, contract.OwnerEmail, contract.OwnerPassword);
        if (!InputText.IsId(contractId) || !InputText.IsId(ownerUserId) || !InputText.IsName(contractName))
        {
            return SecurityResult<UserSummary>.Failed(new SecurityError(SecurityErrorCodes.InvalidInput, UserMessages.ProvisioningInputInvalid));
        }

        var owner = await NewUserAsync(contractId, ownerUserId, ownerEmail, UserRole.ContractOwner, ownerPassword, cancellationToken, contractName: contractName.Trim()).ConfigureAwait(false);
        if (!owner.Succeeded)
        {
            return SecurityResult<UserSummary>.From(owner);
        }

        // The contract is written before its owner (an owner without its contract would be a ContractOwner-role user
        // attached to whichever contract later takes that id). So refuse a taken owner id or e-mail up front: otherwise
        // the owner's write fails after the contract exists, leaving a contract with no owner that blocks its own id.
        if (await _users.FindByIdAsync(ownerUserId, cancellationToken).ConfigureAwait(false) is not null
            || await _users.FindByEmailAsync(owner.Value.Email, cancellationToken).ConfigureAwait(false) is not null)
        {
            return SecurityResult<UserSummary>.Failed(new SecurityError(SecurityErrorCodes.Duplicate, UserMessages.UserAlreadyExists));
        }

        if (await _contracts.CreateAsync(new Contract { Id = contractId, Name = contractName.Trim(), OwnerUserId = ownerUserId }, cancellationToken).ConfigureAwait(false) != StoreWriteResult.Success)
        {
            return SecurityResult<UserSummary>.Failed(new SecurityError(SecurityErrorCodes.Duplicate, UserMessages.ContractAlreadyExists));
        }

        return await StoreAsync(owner.Value, null, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<SecurityResult<UserSummary>> CreateUserAsync(string actingUserId, NewUser user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actingUserId);
        ArgumentNullException.ThrowIfNull(user);
        var (userId, email, role, initialPassword) = (user.UserId, user.Email, user.Role, user.InitialPassword);
        var actor = await _users.FindByIdAsync(actingUserId, cancellationToken).ConfigureAwait(false);
        if (actor is null || !actor.IsActive || actor.Role == UserRole.User || role == UserRole.ContractOwner || !Enum.IsDefined(role))
        {
            await _events.PublishAsync(SecurityEventType.AuthorizationRefused, null, actor?.ContractId, cancellationToken, outcome: "create_user", actorId: actingUserId).ConfigureAwait(false);
            return SecurityResult<UserSummary>.Failed(new SecurityError(SecurityErrorCodes.NotAuthorized, UserMessages.AddUserNotAuthorized));
        }

        if (!CultureName.TryNormalize(user.Culture, out var culture))
        {
            return SecurityResult<UserSummary>.Failed(CultureName.Invalid());
        }

        var created = await NewUserAsync(actor.ContractId, userId, email, role, initialPassword, cancellationToken, refuseConfusable: true).ConfigureAwait(false);
        return created.Succeeded ? await StoreAsync(created.Value with { Culture = culture }, actor.Id, cancellationToken).ConfigureAwait(false) : SecurityResult<UserSummary>.From(created);
    }

    private async ValueTask<SecurityResult<UserAccount>> NewUserAsync(string contractId, string userId, string? email, UserRole role, string? password, CancellationToken cancellationToken, bool refuseConfusable = false, string? contractName = null)
    {
        if (!InputText.IsId(userId) || !EmailAddress.IsPlausible(email))
        {
            return SecurityResult<UserAccount>.Failed(new SecurityError(SecurityErrorCodes.InvalidInput, UserMessages.UserInputInvalid));
        }

        // Before the (slow) hash. A new contract has no users yet, so only additions to an existing one are compared.
        if (refuseConfusable && await EmailUniqueness.LooksLikeAnotherUserAsync(_users, contractId, email!, null, cancellationToken).ConfigureAwait(false))
        {
            return SecurityResult<UserAccount>.Failed(EmailUniqueness.Confusable());
        }

        var violations = await _rules.CheckNewAccountAsync(contractId, contractName, email, password, cancellationToken).ConfigureAwait(false);
        if (violations.Count > 0)
        {
            return SecurityResult<UserAccount>.Failed(violations);
        }

        var hash = await _hashing.HashAsync(() => _hasher.Hash(password), cancellationToken).ConfigureAwait(false);
        if (!hash.Succeeded)
        {
            return SecurityResult<UserAccount>.From(hash);
        }

        return SecurityResult<UserAccount>.Success(new UserAccount
        {
            Id = userId,
            ContractId = contractId,
            Email = email!.Trim(),
            Role = role,
            PasswordHash = hash.Value,
            PasswordChangedAt = _time.GetUtcNow(),
            SecurityStamp = SecurityStamp.New(),
        });
    }

    private async ValueTask<SecurityResult<UserSummary>> StoreAsync(UserAccount user, string? actorId, CancellationToken cancellationToken)
    {
        if (await _users.CreateAsync(user, cancellationToken).ConfigureAwait(false) != StoreWriteResult.Success)
        {
            return SecurityResult<UserSummary>.Failed(new SecurityError(SecurityErrorCodes.Duplicate, UserMessages.UserAlreadyExists));
        }

        await _events.PublishAsync(SecurityEventType.UserCreated, user.Id, user.ContractId, cancellationToken, outcome: user.Role.ToString(), actorId: actorId).ConfigureAwait(false);
        return SecurityResult<UserSummary>.Success(UserSummary.From(user, _time.GetUtcNow()));
    }

}
