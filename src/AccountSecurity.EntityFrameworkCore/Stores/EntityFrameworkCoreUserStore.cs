using AccountSecurity.Accounts;
using AccountSecurity.EntityFrameworkCore.Model;
using AccountSecurity.Stores;
using Microsoft.EntityFrameworkCore;

namespace AccountSecurity.EntityFrameworkCore.Stores;

/// <summary>
/// An <see cref="IUserStore"/> on EF Core over the host's <typeparamref name="TContext"/> (which must call
/// <see cref="AccountSecurityModelBuilderExtensions.ApplyAccountSecurityModel"/>) or
/// <see cref="AccountSecurityDbContext"/>. Safe for several app instances sharing one database: every update is a
/// single <c>UPDATE … WHERE Id = @id AND Version = @read</c>, so exactly one writer of a version wins.
/// </summary>
/// <remarks>
/// Like the context it wraps, one instance serves one scope and is not safe for concurrent use; register it scoped
/// (<c>UseEntityFrameworkCore&lt;TContext&gt;()</c> does). Reads are untracked, one round trip each. Updates bypass
/// the change tracker (<c>ExecuteUpdate</c>), so they never save changes the host has pending on the same context;
/// <see cref="CreateAsync"/> saves through the context, as ASP.NET Core Identity's stores do, so changes the host
/// has pending on it are saved too. A failed write answers <see cref="StoreWriteResult"/> values, never a partial
/// write; database errors other than conflicts and duplicates propagate as exceptions.
/// </remarks>
/// <typeparam name="TContext">The context that maps AccountSecurity's tables.</typeparam>
public sealed class EntityFrameworkCoreUserStore<TContext> : IUserStore
    where TContext : DbContext
{
    private readonly EntityTable<UserEntity> _table;

    /// <summary>Creates the store over <paramref name="context"/>.</summary>
    /// <exception cref="InvalidOperationException">The context does not map AccountSecurity's tables, or the process cannot run dynamic code (Native AOT; the message says what to do instead).</exception>
    public EntityFrameworkCoreUserStore(TContext context) => _table = new EntityTable<UserEntity>(context);

    private IQueryable<UserEntity> Users => _table.Rows;

    /// <inheritdoc />
    public async ValueTask<UserAccount?> FindByIdAsync(string userId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userId);
        var entity = await Users.FirstOrDefaultAsync(u => u.Id == userId, cancellationToken).ConfigureAwait(false);
        return entity is null ? null : EntityMapping.ToDomain(entity);
    }

    /// <inheritdoc />
    public async ValueTask<UserAccount?> FindByEmailAsync(string email, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(email);
        var normalized = EmailAddress.Normalize(email);
        var entity = await Users.FirstOrDefaultAsync(u => u.NormalizedEmail == normalized, cancellationToken).ConfigureAwait(false);
        return entity is null ? null : EntityMapping.ToDomain(entity);
    }

    /// <inheritdoc />
    public async ValueTask<UserAccount?> FindByPasskeyUserHandleAsync(string userHandle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userHandle);
        var entity = await Users.FirstOrDefaultAsync(u => u.PasskeyUserHandle == userHandle, cancellationToken).ConfigureAwait(false);
        return entity is null ? null : EntityMapping.ToDomain(entity);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<UserAccount>> ListByContractAsync(string contractId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contractId);
        var entities = await Users.Where(u => u.ContractId == contractId).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. entities.Select(EntityMapping.ToDomain)];
    }

    /// <inheritdoc />
    public async ValueTask<StoreWriteResult> CreateAsync(UserAccount user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var entity = EntityMapping.ToEntity(user, version: 1);

        // Providers that do not report SQLSTATE (SQLite): a failed insert whose id, e-mail or passkey user handle
        // (each under a unique index) now exists collided.
        var id = entity.Id;
        var normalized = entity.NormalizedEmail;
        var handle = entity.PasskeyUserHandle;
        return await _table.InsertAsync(
            entity,
            ct => Users.AnyAsync(u => u.Id == id || u.NormalizedEmail == normalized || (handle != null && u.PasskeyUserHandle == handle), ct),
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<StoreWriteResult> UpdateAsync(UserAccount user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var read = user.Version;
        var e = EntityMapping.ToEntity(user, read + 1);
        int updated;
        try
        {
            // One statement: the version check and the write are atomic in the database, across app instances.
            updated = await _table.Set
                .Where(u => u.Id == e.Id && u.Version == read)
                .ExecuteUpdateAsync(
                    s => s
                        .SetProperty(u => u.ContractId, e.ContractId)
                        .SetProperty(u => u.Email, e.Email)
                        .SetProperty(u => u.NormalizedEmail, e.NormalizedEmail)
                        .SetProperty(u => u.Role, e.Role)
                        .SetProperty(u => u.IsActive, e.IsActive)
                        .SetProperty(u => u.PasswordHash, e.PasswordHash)
                        .SetProperty(u => u.PasswordChangedAt, e.PasswordChangedAt)
                        .SetProperty(u => u.PasswordHistory, e.PasswordHistory)
                        .SetProperty(u => u.SecurityStamp, e.SecurityStamp)
                        .SetProperty(u => u.TwoFactorEnabled, e.TwoFactorEnabled)
                        .SetProperty(u => u.TwoFactorForced, e.TwoFactorForced)
                        .SetProperty(u => u.TotpProtectedSecret, e.TotpProtectedSecret)
                        .SetProperty(u => u.TotpPendingProtectedSecret, e.TotpPendingProtectedSecret)
                        .SetProperty(u => u.TotpPendingCreatedAt, e.TotpPendingCreatedAt)
                        .SetProperty(u => u.TotpLastAcceptedTimeStep, e.TotpLastAcceptedTimeStep)
                        .SetProperty(u => u.RecoveryCodeHashes, e.RecoveryCodeHashes)
                        .SetProperty(u => u.TwoFactorEnabledAt, e.TwoFactorEnabledAt)
                        .SetProperty(u => u.SupportPinHash, e.SupportPinHash)
                        .SetProperty(u => u.SupportPinSetAt, e.SupportPinSetAt)
                        .SetProperty(u => u.Lockouts, e.Lockouts)
                        .SetProperty(u => u.PasswordResetTokens, e.PasswordResetTokens)
                        .SetProperty(u => u.Passkeys, e.Passkeys)
                        .SetProperty(u => u.PasskeyUserHandle, e.PasskeyUserHandle)
                        .SetProperty(u => u.PasskeyCeremonies, e.PasskeyCeremonies)
                        .SetProperty(u => u.PendingSignIns, e.PendingSignIns)
                        .SetProperty(u => u.TrustedDevices, e.TrustedDevices)
                        .SetProperty(u => u.Version, e.Version),
                    cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (StoreErrors.MayBeConstraintViolation(ex))
        {
            if (StoreErrors.IsUniqueViolation(ex))
            {
                return StoreWriteResult.Duplicate;
            }

            // Providers that do not report SQLSTATE (SQLite): the e-mail or the passkey user handle (both under a
            // unique index) is another user's.
            var id = e.Id;
            var normalized = e.NormalizedEmail;
            var handle = e.PasskeyUserHandle;
            if (await Users.AnyAsync(u => u.Id != id && (u.NormalizedEmail == normalized || (handle != null && u.PasskeyUserHandle == handle)), cancellationToken).ConfigureAwait(false))
            {
                return StoreWriteResult.Duplicate;
            }

            throw;
        }

        if (updated == 1)
        {
            return StoreWriteResult.Success;
        }

        var userId = e.Id;
        return await EntityTable<UserEntity>.MissedUpdateAsync(Users.AnyAsync(u => u.Id == userId, cancellationToken)).ConfigureAwait(false);
    }
}
