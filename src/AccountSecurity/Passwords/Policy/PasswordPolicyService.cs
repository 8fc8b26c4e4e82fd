using AccountSecurity.Accounts;
using AccountSecurity.DependencyInjection;
using AccountSecurity.Events;
using AccountSecurity.Localization;
using AccountSecurity.Reauthentication;
using AccountSecurity.Results;
using AccountSecurity.SignIn;
using AccountSecurity.Stores;
using Microsoft.Extensions.Options;

namespace AccountSecurity.Passwords.Policy;

/// <summary>The default <see cref="IPasswordPolicyService"/>.</summary>
internal sealed class PasswordPolicyService : IPasswordPolicyService
{
    private readonly IContractStore _contracts;
    private readonly ContractUpdater _updater;
    private readonly IUserStore _users;
    private readonly PasswordPolicySettings _default;
    private readonly SecurityEventPublisher _events;
    private readonly ReauthenticationGate _reauthentication;

    internal PasswordPolicyService(IContractStore contracts, ContractUpdater updater, IUserStore users, IOptions<AccountSecurityOptions> options, SecurityEventPublisher events, ReauthenticationGate reauthentication)
    {
        _reauthentication = reauthentication;
        _contracts = contracts;
        _updater = updater;
        _users = users;
        _default = options.Value.DefaultPasswordPolicy;
        _events = events;
    }

    /// <inheritdoc />
    public async ValueTask<PasswordPolicySettings> GetEffectivePolicyAsync(string contractId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contractId);
        var contract = await _contracts.FindByIdAsync(contractId, cancellationToken).ConfigureAwait(false);
        return contract?.PasswordPolicy ?? _default;
    }

    /// <summary>The policy in force for <paramref name="contractId"/> and the contract's name (a context word), or <see langword="null"/> for an unknown contract.</summary>
    internal async ValueTask<(PasswordPolicySettings Policy, string? ContractName)> GetEffectivePolicyAndNameAsync(string contractId, CancellationToken cancellationToken)
    {
        var contract = await _contracts.FindByIdAsync(contractId, cancellationToken).ConfigureAwait(false);
        return (contract?.PasswordPolicy ?? _default, contract?.Name);
    }

    /// <inheritdoc />
    public async ValueTask<SecurityResult> SetPolicyAsync(AuthenticatedSession actingSession, PasswordPolicySettings? settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actingSession);
        using var context = SecurityEventContext.For(actingSession);
        var actingUserId = actingSession.UserId;
        if (settings is not null && settings.Validate() is { Count: > 0 } problems)
        {
            return SecurityResult.Failed(problems);
        }

        var actor = await _users.FindByIdAsync(actingUserId, cancellationToken).ConfigureAwait(false);
        if (actor is { IsActive: true, Role: UserRole.ContractOwner }
            && await _reauthentication.RequireAsync(actingSession, SensitiveOperation.ChangePasswordPolicy, cancellationToken).ConfigureAwait(false) is { } stale)
        {
            return SecurityResult.Failed(stale);
        }

        var outcome = actor is null || !actor.IsActive || actor.Role != UserRole.ContractOwner
            ? PolicyWrite.Refused
            : await _updater.UpdateAsync(
                actor.ContractId,
                // Ownership is checked on the contract being written, so a concurrent transfer of ownership is honoured.
                contract => contract is null || contract.OwnerUserId != actor.Id
                    ? ContractChange.Keep(PolicyWrite.Refused)
                    : ContractChange.Save(contract with { PasswordPolicy = settings }, PolicyWrite.Written),
                () => PolicyWrite.Busy,
                cancellationToken).ConfigureAwait(false);

        switch (outcome)
        {
            case PolicyWrite.Written:
                await _events.PublishAsync(SecurityEventType.PasswordPolicyChanged, actor!.Id, actor.ContractId, cancellationToken, outcome: settings is null ? "cleared" : "set", actorId: actor.Id).ConfigureAwait(false);
                return SecurityResult.Success();
            case PolicyWrite.Refused:
                await _events.PublishAsync(SecurityEventType.AuthorizationRefused, actor?.Id, actor?.ContractId, cancellationToken, outcome: "set_password_policy", actorId: actingUserId).ConfigureAwait(false);
                return SecurityResult.Failed(new SecurityError(SecurityErrorCodes.NotAuthorized, UserMessages.PasswordPolicyOwnerOnly));
            default:
                return SecurityResult.Failed(PasswordVerifier.Busy());
        }
    }

    private enum PolicyWrite
    {
        Written,
        Refused,
        Busy,
    }
}
