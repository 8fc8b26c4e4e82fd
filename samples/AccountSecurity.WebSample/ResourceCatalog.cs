using System.Globalization;
using AccountSecurity.Resources;
using Microsoft.Data.Sqlite;

namespace AccountSecurity.WebSample;

/// <summary>What kind of resource a row of the catalog is.</summary>
public enum ResourceKind
{
    /// <summary>A data center.</summary>
    DataCenter,

    /// <summary>A snapshot (of a server's disk, in a data center).</summary>
    Snapshot,
}

/// <summary>A resource of the host (a data center or a snapshot); the library only reads its secAuthProtection flag.</summary>
public sealed record ConsoleResource(string Id, ResourceKind Kind, string Name, string Location, bool SecAuthProtection) : ISecAuthProtectedResource;

/// <summary>One line of the sample's audit list: who switched secAuthProtection of which resource, and the answer.</summary>
public sealed record AuditEntry(DateTimeOffset At, string ActorId, string ResourceId, string Action, string Outcome);

/// <summary>
/// The host's own data: its data centers and snapshots with their <c>secAuthProtection</c> flag, and the audit list of
/// changes to that flag. Kept in two tables of the sample's SQLite file (beside the library's tables), so a switch
/// survives a restart like every account setting does. The library has no say in what a resource is; it only decides
/// who may see a protected one (<see cref="IProtectedResourceAccess"/>).
/// </summary>
public sealed class ResourceCatalog(SampleStorage storage, TimeProvider time)
{
    /// <summary>Creates the tables when missing and the demo resources when there are none.</summary>
    public async Task EnsureCreatedAsync(IEnumerable<ConsoleResource> seed, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await ExecuteAsync(connection, """
            CREATE TABLE IF NOT EXISTS sample_resources (
              id TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, location TEXT NOT NULL, sec_auth_protection INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS sample_audit (
              seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, actor_id TEXT NOT NULL, resource_id TEXT NOT NULL, action TEXT NOT NULL, outcome TEXT NOT NULL);
            """, cancellationToken);
        foreach (var resource in seed)
        {
            await using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT OR IGNORE INTO sample_resources (id, kind, name, location, sec_auth_protection) VALUES ($id, $kind, $name, $location, $protected)";
            insert.Parameters.AddWithValue("$id", resource.Id);
            insert.Parameters.AddWithValue("$kind", resource.Kind.ToString());
            insert.Parameters.AddWithValue("$name", resource.Name);
            insert.Parameters.AddWithValue("$location", resource.Location);
            insert.Parameters.AddWithValue("$protected", resource.SecAuthProtection ? 1 : 0);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>The resources of <paramref name="kind"/>, in a stable order.</summary>
    public async Task<IReadOnlyList<ConsoleResource>> ListAsync(ResourceKind kind, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, name, location, sec_auth_protection FROM sample_resources WHERE kind = $kind ORDER BY id";
        command.Parameters.AddWithValue("$kind", kind.ToString());
        var list = new List<ConsoleResource>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new ConsoleResource(reader.GetString(0), kind, reader.GetString(1), reader.GetString(2), reader.GetInt64(3) != 0));
        }

        return list;
    }

    /// <summary>One resource, or <see langword="null"/>.</summary>
    public async Task<ConsoleResource?> FindAsync(string id, CancellationToken cancellationToken)
    {
        foreach (var kind in Enum.GetValues<ResourceKind>())
        {
            if ((await ListAsync(kind, cancellationToken)).FirstOrDefault(r => r.Id == id) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    /// <summary>Sets the flag; returns whether the resource exists.</summary>
    public async Task<bool> SetProtectionAsync(string id, bool secAuthProtection, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE sample_resources SET sec_auth_protection = $protected WHERE id = $id";
        command.Parameters.AddWithValue("$protected", secAuthProtection ? 1 : 0);
        command.Parameters.AddWithValue("$id", id);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Adds a line to the audit list (ids and fixed words only: nothing secret).</summary>
    public async Task AuditAsync(string actorId, string resourceId, string action, string outcome, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO sample_audit (at, actor_id, resource_id, action, outcome) VALUES ($at, $actor, $resource, $action, $outcome)";
        command.Parameters.AddWithValue("$at", time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$actor", actorId);
        command.Parameters.AddWithValue("$resource", resourceId);
        command.Parameters.AddWithValue("$action", action);
        command.Parameters.AddWithValue("$outcome", outcome);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The newest audit lines first.</summary>
    public async Task<IReadOnlyList<AuditEntry>> RecentAuditAsync(int count, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT at, actor_id, resource_id, action, outcome FROM sample_audit ORDER BY seq DESC LIMIT $count";
        command.Parameters.AddWithValue("$count", count);
        var list = new List<AuditEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new AuditEntry(DateTimeOffset.Parse(reader.GetString(0), CultureInfo.InvariantCulture), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4)));
        }

        return list;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(storage.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
