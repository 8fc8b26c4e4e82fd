using Microsoft.Data.Sqlite;

namespace AccountSecurity.LoadTest;

/// <summary>
/// The durable stores the package-default modes measure on: a SQLite file in the temp directory (deleted afterwards,
/// with its journal files), and a PostgreSQL database of the mode's own on the server <c>ACCOUNTSECURITY_POSTGRES</c>
/// names (re-created by the host that uses it).
/// </summary>
internal static class DurableStores
{
    /// <summary>A SQLite file path no other run or host uses.</summary>
    public static string NewSqliteFile(string purpose) =>
        Path.Combine(Path.GetTempPath(), $"accountsecurity-{purpose}-{Environment.ProcessId}-{Guid.NewGuid():N}.db");

    /// <summary>Closes the pooled connections and deletes the file with its journal files.</summary>
    public static void DeleteSqliteFile(string path)
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { path, path + "-wal", path + "-shm", path + "-journal" })
        {
            File.Delete(file);
        }
    }

    /// <summary>The connection string of <paramref name="database"/> on the server <paramref name="server"/> names.</summary>
    public static string PostgresDatabase(string server, string database) =>
        new Npgsql.NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString;
}
