using AccountSecurity.Events;
using AccountSecurity.Localization;
using AccountSecurity.Passwords;
using AccountSecurity.Reauthentication;
using AccountSecurity.Results;
using AccountSecurity.SignIn;
using AccountSecurity.Stores;

namespace AccountSecurity.Accounts.Administration;

/// <summary>
/// Roles and ownership. The contract record's <see cref="Contract.OwnerUserId"/> is the one authority on who owns a
/// contract; the users' roles follow it.
/// </summary>
/// <remarks>
/// <para>
/// Handing over a contract touches three records that no store writes together: the contract, the old owner and the new
/// owner. The order makes every moment safe. First the contract is rewritten with the version read — the commit point:
/// two transfers racing cannot both land, so the contract names exactly one owner at every instant. Then the old owner is
/// demoted to <see cref="UserRole.Administrator"/>, and only then the new owner promoted: the roles never name two
/// owners, and in between they name none (the old owner has lost the owner's rights a moment before the new one gains
/// them — it fails closed). Owner-only operations require both the role and the contract record, so nobody holds the
/// owner's rights from the role alone or from the record alone.
/// </para>
/// <para>
/// When a role write cannot land (the user's record kept changing, or the store failed), the contract already names the
/// new owner and the call answers <c>ownership_transfer_incomplete</c>
/// (<see cref="SecurityErrorCodes.OwnershipTransferIncomplete"/>). Nothing is lost: every later
/// <see cref="ChangeRoleAsync"/> in the contract — by anyone, repeating the same request included — first brings the
/// roles in line with the contract record, and only then decides. Until then the contract has no owner by role (never
/// two). Should two transfers follow each other so fast that one call's promotion lands after the next transfer
/// committed, that call sees the contract moved on and aligns again, demoting the stale owner.
/// </para>
/// </remarks>
internal sealed partial class AccountAdministrationService
{
    private const int AlignmentRounds = 3;

    /// <inheritdoc />
    public async ValueTask<SecurityResult<AccountChanged>> ChangeRoleAsync(AuthenticatedSession actor, string userId, UserRole role, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        using var context = SecurityEventContext.For(actor);
        return await ChangeRoleCoreAsync(actor, userId, role, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<SecurityResult<AccountChanged>> ChangeRoleCoreAsync(AuthenticatedSession actorSession, string userId, UserRole role, CancellationToken cancellationToken)
    {
        var actingUserId = actorSession.UserId;
        ArgumentNullException.ThrowIfNull(userId);
        if (!Enum.IsDefined(role))
        {
            return SecurityResult<AccountChanged>.Failed(new SecurityError(SecurityErrorCodes.InvalidInput, UserMessages.RoleUnknown));
        }

        var actor = await _users.FindByIdAsync(actingUserId, cancellationToken).ConfigureAwait(false);
        if (actor is not null && !await AlignOwnerRolesAsync(actor.ContractId, cancellationToken).ConfigureAwait(false))
        {
            return SecurityResult<AccountChanged>.Failed(PasswordVerifier.Busy());
        }

        // Read again after the alignment: it may just have changed the actor's or the target's role.
        actor = actor is null ? null : await _users.FindByIdAsync(actingUserId, cancellationToken).ConfigureAwait(false);
        var contract = actor is null ? null : await _contracts.FindByIdAsync(actor.ContractId, cancellationToken).ConfigureAwait(false);
        var target = actor is null ? null : await _users.FindByIdAsync(userId, cancellationToken).ConfigureAwait(false);
        var sameContract = actor is not null && target is not null && target.ContractId == actor.ContractId;
        if (sameContract && role == UserRole.ContractOwner && PeerRule.Manages(actor!) && contract?.OwnerUserId == target!.Id && target.Role == UserRole.ContractOwner)
        {
            // A repeated transfer (or one an alignment just finished): what was asked for holds.
            return SecurityResult<AccountChanged>.Success(new AccountChanged(UserSummary.From(target, _time.GetUtcNow()), null));
        }

        if (actor is null || contract is null || target is null || !sameContract || !IsOwner(actor, contract) || actor.Id == target.Id)
        {
            await _events.PublishAsync(SecurityEventType.AuthorizationRefused, sameContract ? target!.Id : null, actor?.ContractId, cancellationToken, outcome: "change_role", actorId: actingUserId).ConfigureAwait(false);
            return SecurityResult<AccountChanged>.Failed(new SecurityError(SecurityErrorCodes.NotAuthorized, UserMessages.RoleChangeNotAuthorized));
        }

        if (await _reauthentication.RequireAsync(actorSession, role == UserRole.ContractOwner ? SensitiveOperation.TransferOwnership : SensitiveOperation.ChangeRole, cancellationToken).ConfigureAwait(false) is { } stale)
        {
            return SecurityResult<AccountChanged>.Failed(stale);
        }

        if (role == UserRole.ContractOwner)
        {
            return await TransferOwnershipAsync(actor, target, contract, cancellationToken).ConfigureAwait(false);
        }

        var (result, changed) = await _updater.UpdateAsync<(SecurityResult<AccountChanged>, bool)>(
            userId,
            current =>
            {
                if (current is null || current.ContractId != contract.Id || current.Role == UserRole.ContractOwner)
                {
                    // Gone, moved, or made the owner by a transfer meanwhile: the owner's role only changes by a transfer.
                    return UserChange.Keep((SecurityResult<AccountChanged>.Failed(PasswordVerifier.Busy()), false));
                }

                if (current.Role == role)
                {
                    return UserChange.Keep((SecurityResult<AccountChanged>.Success(new AccountChanged(UserSummary.From(current, _time.GetUtcNow()), null)), false));
                }

                var next = WithRole(current, role);
                return UserChange.Save(next, (SecurityResult<AccountChanged>.Success(new AccountChanged(UserSummary.From(next, _time.GetUtcNow()), null)), true));
            },
            () => (SecurityResult<AccountChanged>.Failed(PasswordVerifier.Busy()), false),
            cancellationToken).ConfigureAwait(false);

        if (changed)
        {
            await _events.PublishAsync(SecurityEventType.RoleChanged, target.Id, target.ContractId, cancellationToken, outcome: role.ToString(), actorId: actor.Id).ConfigureAwait(false);
        }

        return result;
    }

    private async ValueTask<SecurityResult<AccountChanged>> TransferOwnershipAsync(UserAccount owner, UserAccount target, Contract contract, CancellationToken cancellationToken)
    {
        if (!target.IsActive)
        {
            return SecurityResult<AccountChanged>.Failed(new SecurityError(SecurityErrorCodes.UserInactive, UserMessages.DeactivatedCannotBecomeOwner));
        }

        // The commit point (see the class remarks): one version-checked write names the new owner.
        if (await _contracts.UpdateAsync(contract with { OwnerUserId = target.Id }, cancellationToken).ConfigureAwait(false) != StoreWriteResult.Success)
        {
            return SecurityResult<AccountChanged>.Failed(new SecurityError(SecurityErrorCodes.ConcurrencyConflict, UserMessages.ContractChangedMeanwhile));
        }

        var aligned = await AlignOwnerRolesAsync(contract.Id, cancellationToken).ConfigureAwait(false);
        await _events.PublishAsync(SecurityEventType.ContractOwnershipTransferred, target.Id, contract.Id, cancellationToken, outcome: aligned ? null : SecurityErrorCodes.OwnershipTransferIncomplete, actorId: owner.Id).ConfigureAwait(false);
        var newOwner = await _users.FindByIdAsync(target.Id, cancellationToken).ConfigureAwait(false);
        var oldOwner = await _users.FindByIdAsync(owner.Id, cancellationToken).ConfigureAwait(false);
        if (!aligned || newOwner is null || oldOwner is null)
        {
            return SecurityResult<AccountChanged>.Failed(new SecurityError(SecurityErrorCodes.OwnershipTransferIncomplete,
                UserMessages.OwnershipTransferIncomplete));
        }

        return SecurityResult<AccountChanged>.Success(new AccountChanged(UserSummary.From(newOwner, _time.GetUtcNow()), oldOwner.SecurityStamp));
    }

    /// <summary>
    /// Brings the roles of the contract's users in line with the contract record: every other holder of the owner role is
    /// demoted to administrator first, then the recorded owner is promoted. Returns <see langword="false"/> when a write
    /// did not land or the record kept moving; a no-op (two reads) when the roles already agree.
    /// </summary>
    private async ValueTask<bool> AlignOwnerRolesAsync(string contractId, CancellationToken cancellationToken)
    {
        for (var round = 0; round < AlignmentRounds; round++)
        {
            var contract = await _contracts.FindByIdAsync(contractId, cancellationToken).ConfigureAwait(false);
            if (contract is null)
            {
                return true;
            }

            var users = await _users.ListByContractAsync(contractId, cancellationToken).ConfigureAwait(false);
            foreach (var stray in users.Where(u => u.Role == UserRole.ContractOwner && u.Id != contract.OwnerUserId))
            {
                if (!await SetRoleIfAsync(stray.Id, contractId, u => u.Role == UserRole.ContractOwner, UserRole.Administrator, cancellationToken).ConfigureAwait(false))
                {
                    return false;
                }
            }

            if (users.Any(u => u.Id == contract.OwnerUserId && u.Role != UserRole.ContractOwner)
                && !await SetRoleIfAsync(contract.OwnerUserId, contractId, u => u.Role != UserRole.ContractOwner, UserRole.ContractOwner, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            // A transfer that committed while we worked names someone else now: align again, so a promotion made on
            // the older record is undone before anyone is told the roles agree.
            var after = await _contracts.FindByIdAsync(contractId, cancellationToken).ConfigureAwait(false);
            if (after is null || after.OwnerUserId == contract.OwnerUserId)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Sets <paramref name="role"/> (with a new stamp) on a user of the contract while <paramref name="applies"/> holds on the stored state.</summary>
    private ValueTask<bool> SetRoleIfAsync(string userId, string contractId, Func<UserAccount, bool> applies, UserRole role, CancellationToken cancellationToken) =>
        _updater.UpdateAsync(
            userId,
            current => current is null || current.ContractId != contractId || !applies(current)
                ? UserChange.Keep(true)
                : UserChange.Save(WithRole(current, role), true),
            () => false,
            cancellationToken);

    /// <summary>A role change ends every session of the user: a session must not keep rights its user no longer has.</summary>
    private static UserAccount WithRole(UserAccount user, UserRole role) =>
        user with { Role = role, SecurityStamp = SecurityStamp.New(), PendingSignIns = [] };

    private static bool IsOwner(UserAccount actor, Contract contract) =>
        actor.IsActive && actor.Role == UserRole.ContractOwner && contract.OwnerUserId == actor.Id;
}
