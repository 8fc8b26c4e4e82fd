using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace AccountSecurity.EntityFrameworkCore.Stores;

/// <summary>Shared plumbing of the EF Core stores.</summary>
internal static class StoreErrors
{
    // SQLSTATE 23505 unique_violation (PostgreSQL and other SQL-standard providers).
    private const string UniqueViolationSqlState = "23505";

    /// <summary>Whether the provider said outright that a unique constraint was violated.</summary>
    public static bool IsUniqueViolation(Exception exception)
    {
        for (var e = (Exception?)exception; e is not null; e = e.InnerException)
        {
            if (e is DbException { SqlState: UniqueViolationSqlState })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether an exception may be a constraint violation worth classifying by re-reading (not cancellation, not a caller bug).</summary>
    public static bool MayBeConstraintViolation(Exception exception) =>
        exception is DbUpdateException or DbException;

    public static void RequireModel<T>(DbContext context)
        where T : class
    {
        if (context.Model.FindEntityType(typeof(T)) is null)
        {
            throw new InvalidOperationException(
                $"The context {context.GetType().Name} does not map AccountSecurity's tables: call modelBuilder.ApplyAccountSecurityModel() in its OnModelCreating.");
        }
    }

    public static void Detach(DbContext context, object entity) => context.Entry(entity).State = EntityState.Detached;
}
