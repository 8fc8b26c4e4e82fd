using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace AccountSecurity.EntityFrameworkCore.Stores;

/// <summary>
/// Makes several statements of one store write land together or not at all: a transaction of the store's own when the
/// host has none, a savepoint inside the host's transaction when it has one (so a refused write, such as a unique
/// violation that aborts a PostgreSQL transaction, undoes only the store's statements and leaves the host's transaction
/// usable), and nothing of its own under an ambient <see cref="System.Transactions.Transaction"/> (which then decides).
/// </summary>
internal sealed class WriteScope : IAsyncDisposable
{
    private const string Savepoint = "AccountSecurityWrite";

    private readonly IDbContextTransaction? _own;
    private readonly IDbContextTransaction? _host;

    private WriteScope(IDbContextTransaction? own, IDbContextTransaction? host)
    {
        _own = own;
        _host = host;
    }

    /// <summary>Whether the scope began a transaction of its own (the caller then runs it under the execution strategy).</summary>
    public static bool WouldOwnTransaction(DbContext context) =>
        context.Database.CurrentTransaction is null && System.Transactions.Transaction.Current is null;

    public static async Task<WriteScope> BeginAsync(DbContext context, CancellationToken cancellationToken)
    {
        if (context.Database.CurrentTransaction is { } host)
        {
            if (!host.SupportsSavepoints)
            {
                return new WriteScope(null, null);
            }

            await host.CreateSavepointAsync(Savepoint, cancellationToken).ConfigureAwait(false);
            return new WriteScope(null, host);
        }

        return System.Transactions.Transaction.Current is not null
            ? new WriteScope(null, null)
            : new WriteScope(await context.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false), null);
    }

    /// <summary>Keeps what the scope wrote (commits its own transaction; the host's commits with the host).</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        if (_own is not null)
        {
            await _own.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        else if (_host is not null)
        {
            await _host.ReleaseSavepointAsync(Savepoint, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Undoes what the scope wrote. Never throws for a connection the failure already broke.</summary>
    public async Task UndoAsync()
    {
        try
        {
            if (_own is not null)
            {
                await _own.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            }
            else if (_host is not null)
            {
                await _host.RollbackToSavepointAsync(Savepoint, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is DbException or InvalidOperationException)
        {
            // The original failure is what the caller reports; a rollback on a broken connection adds nothing.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_own is not null)
        {
            await _own.DisposeAsync().ConfigureAwait(false);
        }
    }
}
