using AccountSecurity.Accounts;
using AccountSecurity.EntityFrameworkCore.Model;
using AccountSecurity.Stores;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace AccountSecurity.EntityFrameworkCore.Stores;

/// <summary>
/// An <see cref="IUserStore"/> on EF Core over the host's <typeparamref name="TContext"/> (which must call
/// <see cref="AccountSecurityModelBuilderExtensions.ApplyAccountSecurityModel"/>) or
/// <see cref="AccountSecurityDbContext"/>. Safe for several app instances sharing one database: every update is a
/// single <c>UPDATE … WHERE Id = @id AND Version = @read</c>, so exactly one writer of a version wins; the passkey
/// credential ids the user holds are kept in their own table in the same transaction, keyed by the id, so the database
/// refuses a credential another user holds.
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
        var credentialIds = CredentialIds(user);
        if (credentialIds.Length != user.Passkeys.Length)
        {
            return StoreWriteResult.Duplicate; // one credential twice in one account: no table could hold it
        }

        // Providers that do not report SQLSTATE (SQLite): a failed insert whose id, e-mail, passkey user handle (each
        // under a unique index) or a passkey credential id (the credentials table's key) now exists collided.
        var id = entity.Id;
        var normalized = entity.NormalizedEmail;
        var handle = entity.PasskeyUserHandle;
        return await _table.InsertAsync(
            entity,
            async ct => await Users.AnyAsync(u => u.Id == id || u.NormalizedEmail == normalized || (handle != null && u.PasskeyUserHandle == handle), ct).ConfigureAwait(false)
                || (credentialIds.Length > 0 && await Credentials.AnyAsync(c => credentialIds.Contains(c.CredentialId), ct).ConfigureAwait(false)),
            cancellationToken,
            [.. credentialIds.Select(c => new PasskeyCredentialEntity { CredentialId = c, UserId = id })]).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The user's row and their rows in the passkey credentials table change in one transaction (the store's own, or a
    /// savepoint in the host's): the version-checked <c>UPDATE</c>, then the credential ids added or removed. A credential
    /// id another user holds is refused by the credentials table's key, so the database decides between two concurrent
    /// registrations of one credential: the loser's transaction rolls back whole and it answers
    /// <see cref="StoreWriteResult.Duplicate"/>.
    /// </remarks>
    public async ValueTask<StoreWriteResult> UpdateAsync(UserAccount user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var credentialIds = CredentialIds(user);
        if (credentialIds.Length != user.Passkeys.Length)
        {
            return StoreWriteResult.Duplicate;
        }

        var context = _table.Context;
        if (!WriteScope.WouldOwnTransaction(context))
        {
            return await UpdateInScopeAsync(user, credentialIds, cancellationToken).ConfigureAwait(false);
        }

        // A transaction of our own runs under the provider's execution strategy (a retrying one refuses user transactions otherwise).
        return await context.Database.CreateExecutionStrategy()
            .ExecuteAsync((user, credentialIds), (_, state, ct) => UpdateInScopeAsync(state.user, state.credentialIds, ct).AsTask(), null, cancellationToken)
            .ConfigureAwait(false);
    }

    private async ValueTask<StoreWriteResult> UpdateInScopeAsync(UserAccount user, string[] credentialIds, CancellationToken cancellationToken)
    {
        var scope = await WriteScope.BeginAsync(_table.Context, cancellationToken).ConfigureAwait(false);
        await using (scope.ConfigureAwait(false))
        {
            StoreWriteResult result;
            try
            {
                result = await UpdateRowAsync(user, cancellationToken).ConfigureAwait(false);
                if (result == StoreWriteResult.Success)
                {
                    result = await ReconcileCredentialsAsync(user.Id, credentialIds, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (StoreErrors.MayBeConstraintViolation(ex))
            {
                await scope.UndoAsync().ConfigureAwait(false);

                // PostgreSQL says so (SQLSTATE 23505). SQLite does not: after the rollback, a credential id another user
                // holds (a concurrent registration won the race) makes it a duplicate; anything else is a real failure.
                if (StoreErrors.IsUniqueViolation(ex) || await HeldByAnotherAsync(user.Id, credentialIds, cancellationToken).ConfigureAwait(false))
                {
                    return StoreWriteResult.Duplicate;
                }

                throw;
            }

            if (result == StoreWriteResult.Success)
            {
                await scope.CompleteAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await scope.UndoAsync().ConfigureAwait(false);
            }

            return result;
        }
    }

    private async ValueTask<StoreWriteResult> UpdateRowAsync(UserAccount user, CancellationToken cancellationToken)
    {
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
                        .SetProperty(u => u.Culture, e.Culture)
                        .SetProperty(u => u.IsActive, e.IsActive)
                        .SetProperty(u => u.PasswordHash, e.PasswordHash)
                        .SetProperty(u => u.PasswordChangedAt, e.PasswordChangedAt)
                        .SetProperty(u => u.PasswordHistory, e.PasswordHistory)
                        .SetProperty(u => u.SecurityStamp, e.SecurityStamp)
                        .SetProperty(u => u.TwoFactorForced, e.TwoFactorForced)
                        .SetProperty(u => u.PasswordChangeRequired, e.PasswordChangeRequired)
                        .SetProperty(u => u.TwoFactorEnabled, e.TwoFactorEnabled)
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

    /// <summary>
    /// Brings the user's rows in the credentials table in line with <paramref name="credentialIds"/>: one read of the
    /// rows held, then only the differences (none on the usual write, which changes no passkey). A credential id another
    /// user holds answers <see cref="StoreWriteResult.Duplicate"/> before any insert; one taken concurrently fails the
    /// insert on the table's key, which the caller turns into the same answer.
    /// </summary>
    private async ValueTask<StoreWriteResult> ReconcileCredentialsAsync(string userId, string[] credentialIds, CancellationToken cancellationToken)
    {
        var held = await Credentials.Where(c => c.UserId == userId).Select(c => c.CredentialId).ToListAsync(cancellationToken).ConfigureAwait(false);
        var removed = held.Except(credentialIds, StringComparer.Ordinal).ToArray();
        var added = credentialIds.Except(held, StringComparer.Ordinal).ToArray();
        if (removed.Length > 0)
        {
            await _table.Context.Set<PasskeyCredentialEntity>()
                .Where(c => c.UserId == userId && removed.Contains(c.CredentialId))
                .ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        }

        if (added.Length == 0)
        {
            return StoreWriteResult.Success;
        }

        if (await Credentials.AnyAsync(c => added.Contains(c.CredentialId), cancellationToken).ConfigureAwait(false))
        {
            return StoreWriteResult.Duplicate;
        }

        var insert = InsertCredentialSql();
        foreach (var credentialId in added)
        {
            await _table.Context.Database.ExecuteSqlRawAsync(insert, [credentialId, userId], cancellationToken).ConfigureAwait(false);
        }

        return StoreWriteResult.Success;
    }

    private Task<bool> HeldByAnotherAsync(string userId, string[] credentialIds, CancellationToken cancellationToken) =>
        credentialIds.Length == 0
            ? Task.FromResult(false)
            : Credentials.AnyAsync(c => c.UserId != userId && credentialIds.Contains(c.CredentialId), cancellationToken);

    // Raw SQL rather than the change tracker: an update never saves changes the host has pending on the context. The
    // names come from the model (the host's schema), quoted by the provider.
    private string InsertCredentialSql()
    {
        var entity = _table.Context.Model.FindEntityType(typeof(PasskeyCredentialEntity))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var sql = _table.Context.GetService<ISqlGenerationHelper>();
        var idColumn = sql.DelimitIdentifier(entity.FindProperty(nameof(PasskeyCredentialEntity.CredentialId))!.GetColumnName(table)!);
        var userColumn = sql.DelimitIdentifier(entity.FindProperty(nameof(PasskeyCredentialEntity.UserId))!.GetColumnName(table)!);
        return $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({idColumn}, {userColumn}) VALUES ({{0}}, {{1}})";
    }

    private IQueryable<PasskeyCredentialEntity> Credentials => _table.Context.Set<PasskeyCredentialEntity>().AsNoTracking();

    // Distinct, ordinal: a credential id is base64url, where case matters.
    private static string[] CredentialIds(UserAccount user) =>
        user.Passkeys.IsDefaultOrEmpty ? [] : [.. user.Passkeys.Select(p => p.CredentialId).Distinct(StringComparer.Ordinal)];
}
