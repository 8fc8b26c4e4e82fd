using AccountSecurity.Stores;
using Microsoft.EntityFrameworkCore;

namespace AccountSecurity.EntityFrameworkCore.Stores;

/// <summary>
/// What both EF Core stores do the same way with their one table: untracked reads, an insert whose failure is told
/// apart as a duplicate or a real error, and the answer for a version-checked update that matched no row.
/// </summary>
internal sealed class EntityTable<TEntity>
    where TEntity : class
{
    private readonly DbContext _context;

    /// <exception cref="InvalidOperationException">The context does not map AccountSecurity's tables, or the process cannot run dynamic code (Native AOT).</exception>
    public EntityTable(DbContext context)
    {
        ArgumentNullException.ThrowIfNull(context);

        // Before the model is read: under Native AOT that read is where EF fails, with a message that does not help.
        DynamicCodeRequirement.EnsureSupported();
        StoreErrors.RequireModel<TEntity>(context);
        _context = context;
    }

    /// <summary>The context the table belongs to.</summary>
    public DbContext Context => _context;

    /// <summary>The table for single-statement updates (<c>ExecuteUpdate</c>), which bypass the change tracker.</summary>
    public DbSet<TEntity> Set => _context.Set<TEntity>();

    /// <summary>Untracked rows: a read never attaches an entity the host could save by accident.</summary>
    public IQueryable<TEntity> Rows => _context.Set<TEntity>().AsNoTracking();

    /// <summary>
    /// Inserts <paramref name="entity"/> through the context (saving what the host has pending on it, as ASP.NET Core
    /// Identity's stores do) and never leaves it tracked. A failure the provider calls a unique violation, or after
    /// which <paramref name="collided"/> finds the row's key taken (providers without SQLSTATE, like SQLite), is
    /// <see cref="StoreWriteResult.Duplicate"/>; any other error propagates. <paramref name="companions"/>, rows of other
    /// tables that belong to the entity, are inserted in the same save (one transaction) and never left tracked either.
    /// </summary>
    public async ValueTask<StoreWriteResult> InsertAsync(TEntity entity, Func<CancellationToken, Task<bool>> collided, CancellationToken cancellationToken, IReadOnlyList<object>? companions = null)
    {
        _context.Set<TEntity>().Add(entity);
        foreach (var companion in companions ?? [])
        {
            _context.Add(companion);
        }

        try
        {
            await _context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return StoreWriteResult.Success;
        }
        catch (Exception e) when (StoreErrors.MayBeConstraintViolation(e))
        {
            if (StoreErrors.IsUniqueViolation(e) || await collided(cancellationToken).ConfigureAwait(false))
            {
                return StoreWriteResult.Duplicate;
            }

            throw;
        }
        finally
        {
            StoreErrors.Detach(_context, entity);
            foreach (var companion in companions ?? [])
            {
                StoreErrors.Detach(_context, companion);
            }
        }
    }

    /// <summary>
    /// The answer for a version-checked update that matched no row: <see cref="StoreWriteResult.Conflict"/> when the row
    /// still <paramref name="exists"/> (its version moved on), <see cref="StoreWriteResult.NotFound"/> when it vanished.
    /// A second round trip, on the failure path only.
    /// </summary>
    public static async ValueTask<StoreWriteResult> MissedUpdateAsync(Task<bool> exists) =>
        await exists.ConfigureAwait(false) ? StoreWriteResult.Conflict : StoreWriteResult.NotFound;
}
