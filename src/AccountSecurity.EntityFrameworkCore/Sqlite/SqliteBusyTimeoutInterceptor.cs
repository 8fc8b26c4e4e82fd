using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace AccountSecurity.EntityFrameworkCore.Sqlite;

/// <summary>
/// Sets SQLite's own busy timeout (<c>PRAGMA busy_timeout</c>) on every connection a context opens, to the connection's
/// command timeout, so that a write finding the database locked by another write waits for it in SQLite's busy
/// handler (a few milliseconds at a time) instead of in Microsoft.Data.Sqlite's retry loop, which sleeps 150 ms between
/// tries. Does nothing on any other provider. <c>UseEntityFrameworkCore(o =&gt; …)</c> adds it; a host that registers
/// its own context for <c>UseEntityFrameworkCore&lt;TContext&gt;()</c> adds it with
/// <c>options.AddInterceptors(new SqliteBusyTimeoutInterceptor())</c>.
/// </summary>
/// <remarks>
/// Why it matters here: a password check holds its hashing turn while it counts the attempt in the store (so that the
/// counted guess is the compared one). Measured on SQLite (benchmarks/README.md, issue 31), a count that met another
/// sign-in's write waited 150 ms or more, with a bcrypt thread idle, for a lock held about 10 ms; at the package's
/// defaults that cost about a third of the sign-in rate. With the busy timeout the same wait is 14–20 ms. It changes
/// nothing stored and no other setting of the database (the journal mode stays the host's choice; see
/// docs/getting-started.md, "Before production", for WAL). It never logs and never throws for a connection it leaves alone.
/// </remarks>
public sealed class SqliteBusyTimeoutInterceptor : DbConnectionInterceptor
{
    private const string SqliteProvider = "Microsoft.EntityFrameworkCore.Sqlite";

    /// <inheritdoc />
    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(eventData);
        if (IsSqlite(eventData))
        {
            using var command = BusyTimeoutCommand(connection);
            command.ExecuteNonQuery();
        }
    }

    /// <inheritdoc />
    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(eventData);
        if (IsSqlite(eventData))
        {
            var command = BusyTimeoutCommand(connection);
            await using (command.ConfigureAwait(false))
            {
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static bool IsSqlite(ConnectionEndEventData eventData) =>
        string.Equals(eventData.Context?.Database.ProviderName, SqliteProvider, StringComparison.Ordinal);

    private static DbCommand BusyTimeoutCommand(DbConnection connection)
    {
        var command = connection.CreateCommand();

        // The command timeout (the connection's "Default Timeout", 30 s unless the host set it) is how long Microsoft.Data.Sqlite
        // would have retried; 0 means no limit there, which SQLite's handler cannot express: the longest it can.
        var milliseconds = command.CommandTimeout <= 0 ? int.MaxValue : (int)Math.Min(int.MaxValue, command.CommandTimeout * 1000L);
#pragma warning disable CA2100 // The text is a fixed pragma and a number computed here, never input.
        command.CommandText = "PRAGMA busy_timeout = " + milliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture) + ";";
#pragma warning restore CA2100
        return command;
    }
}
