using System.Globalization;
using System.Security.Cryptography;
using AccountSecurity.Accounts;
using Microsoft.Data.Sqlite;

namespace AccountSecurity.WebSample;

/// <summary>A group of a contract's users: its members and the resources it is granted (ids).</summary>
/// <param name="Id">The group's id (random, never shown).</param>
/// <param name="Name">The name the owner or an administrator chose (user input: encoded wherever it is shown).</param>
/// <param name="Members">The user ids of its members.</param>
/// <param name="Grants">The ids of the resources (data centers, snapshots) it is granted.</param>
public sealed record ConsoleGroup(string Id, string Name, IReadOnlyList<string> Members, IReadOnlyList<string> Grants);

/// <summary>The answer of a change to the groups.</summary>
public enum GroupChange
{
    /// <summary>Done.</summary>
    Done,

    /// <summary>The name is empty, too long or holds a control character.</summary>
    InvalidName,

    /// <summary>Another group of the contract has that name (compared ignoring case).</summary>
    DuplicateName,

    /// <summary>The group is not (or no longer) one of the contract's.</summary>
    NotFound,
}

/// <summary>
/// The host's own authorization model: groups of a contract's users, granted data centers and snapshots. Kept in three
/// tables of the sample's SQLite file beside the <see cref="ResourceCatalog"/>, so groups survive a restart like the
/// catalog does. The rule (<see cref="MaySee"/>): a resource granted to no group is visible to every user of the
/// contract; a resource granted to one or more groups is visible to their members, and always to the owner and the
/// administrators. The library is asked afterwards and only ever removes more (secAuthProtection without a second factor).
/// </summary>
public sealed class GroupStore(SampleStorage storage)
{
    /// <summary>The longest group name.</summary>
    public const int MaxNameLength = 60;

    /// <summary>Creates the tables when missing.</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            CREATE TABLE IF NOT EXISTS sample_groups (
              id TEXT PRIMARY KEY, contract_id TEXT NOT NULL, name TEXT NOT NULL, name_key TEXT NOT NULL, UNIQUE (contract_id, name_key));
            CREATE TABLE IF NOT EXISTS sample_group_members (
              group_id TEXT NOT NULL REFERENCES sample_groups(id) ON DELETE CASCADE, user_id TEXT NOT NULL, PRIMARY KEY (group_id, user_id));
            CREATE TABLE IF NOT EXISTS sample_group_grants (
              group_id TEXT NOT NULL REFERENCES sample_groups(id) ON DELETE CASCADE, resource_id TEXT NOT NULL, PRIMARY KEY (group_id, resource_id));
            """;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The trimmed name when it is valid (1 to <see cref="MaxNameLength"/> characters, no control or format character), else <see langword="null"/>.</summary>
    public static string? ValidName(string? name)
    {
        var trimmed = name?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > MaxNameLength)
        {
            return null;
        }

        // No line breaks, tabs, NULs or invisible direction marks: a name is shown in lists and audit lines.
        return trimmed.Any(c => char.IsControl(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format)
            ? null
            : trimmed;
    }

    /// <summary>The contract's groups by name, with their members and grants.</summary>
    public async Task<IReadOnlyList<ConsoleGroup>> ListAsync(string contractId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var groups = new List<(string Id, string Name)>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT id, name FROM sample_groups WHERE contract_id = $contract ORDER BY name_key, id";
            command.Parameters.AddWithValue("$contract", contractId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                groups.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        var members = await PairsAsync(connection, "SELECT m.group_id, m.user_id FROM sample_group_members m JOIN sample_groups g ON g.id = m.group_id WHERE g.contract_id = $contract ORDER BY m.user_id", contractId, cancellationToken);
        var grants = await PairsAsync(connection, "SELECT r.group_id, r.resource_id FROM sample_group_grants r JOIN sample_groups g ON g.id = r.group_id WHERE g.contract_id = $contract ORDER BY r.resource_id", contractId, cancellationToken);
        return [.. groups.Select(g => new ConsoleGroup(g.Id, g.Name, [.. members[g.Id]], [.. grants[g.Id]]))];
    }

    /// <summary>Creates a group; its id is <paramref name="id"/> when given (the demo seed), else random.</summary>
    public async Task<GroupChange> CreateAsync(string contractId, string? name, CancellationToken cancellationToken, string? id = null)
    {
        if (ValidName(name) is not { } valid)
        {
            return GroupChange.InvalidName;
        }

        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT OR IGNORE INTO sample_groups (id, contract_id, name, name_key) VALUES ($id, $contract, $name, $key)";
        command.Parameters.AddWithValue("$id", id ?? "grp-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)));
        command.Parameters.AddWithValue("$contract", contractId);
        command.Parameters.AddWithValue("$name", valid);
        command.Parameters.AddWithValue("$key", valid.ToUpperInvariant());
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1 ? GroupChange.Done : GroupChange.DuplicateName;
    }

    /// <summary>Renames one of the contract's groups.</summary>
    public async Task<GroupChange> RenameAsync(string contractId, string groupId, string? name, CancellationToken cancellationToken)
    {
        if (ValidName(name) is not { } valid)
        {
            return GroupChange.InvalidName;
        }

        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE OR IGNORE sample_groups SET name = $name, name_key = $key WHERE id = $id AND contract_id = $contract";
        command.Parameters.AddWithValue("$id", groupId);
        command.Parameters.AddWithValue("$contract", contractId);
        command.Parameters.AddWithValue("$name", valid);
        command.Parameters.AddWithValue("$key", valid.ToUpperInvariant());
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 1)
        {
            return GroupChange.Done;
        }

        return await ExistsAsync(connection, contractId, groupId, cancellationToken) ? GroupChange.DuplicateName : GroupChange.NotFound;
    }

    /// <summary>Deletes one of the contract's groups with its memberships and grants.</summary>
    public Task<GroupChange> DeleteAsync(string contractId, string groupId, CancellationToken cancellationToken) =>
        ChangeAsync(contractId, groupId, "DELETE FROM sample_groups WHERE id = $group", null, cancellationToken);

    /// <summary>Adds a user (the caller checked they are one of the contract's) to a group; adding twice is no change.</summary>
    public Task<GroupChange> AddMemberAsync(string contractId, string groupId, string userId, CancellationToken cancellationToken) =>
        ChangeAsync(contractId, groupId, "INSERT OR IGNORE INTO sample_group_members (group_id, user_id) VALUES ($group, $value)", userId, cancellationToken);

    /// <summary>Removes a user from a group.</summary>
    public Task<GroupChange> RemoveMemberAsync(string contractId, string groupId, string userId, CancellationToken cancellationToken) =>
        ChangeAsync(contractId, groupId, "DELETE FROM sample_group_members WHERE group_id = $group AND user_id = $value", userId, cancellationToken);

    /// <summary>Grants a group a resource (the caller checked it exists).</summary>
    public Task<GroupChange> GrantAsync(string contractId, string groupId, string resourceId, CancellationToken cancellationToken) =>
        ChangeAsync(contractId, groupId, "INSERT OR IGNORE INTO sample_group_grants (group_id, resource_id) VALUES ($group, $value)", resourceId, cancellationToken);

    /// <summary>Takes a resource back from a group.</summary>
    public Task<GroupChange> RevokeAsync(string contractId, string groupId, string resourceId, CancellationToken cancellationToken) =>
        ChangeAsync(contractId, groupId, "DELETE FROM sample_group_grants WHERE group_id = $group AND resource_id = $value", resourceId, cancellationToken);

    /// <summary>
    /// The host's rule, in one place: a resource granted to no group of the contract is visible to every user of it;
    /// one granted to groups is visible to their members, and always to the owner and the administrators.
    /// </summary>
    public static bool MaySee(UserSummary user, IReadOnlyList<ConsoleGroup> groups, string resourceId)
    {
        var granted = groups.Where(g => g.Grants.Contains(resourceId, StringComparer.Ordinal)).ToList();
        return granted.Count == 0
            || user.Role is UserRole.ContractOwner or UserRole.Administrator
            || granted.Any(g => g.Members.Contains(user.Id, StringComparer.Ordinal));
    }

    /// <summary>The resources <paramref name="user"/> may see by the host's groups (<see cref="MaySee"/>), before the library's filter.</summary>
    public async Task<IReadOnlyList<ConsoleResource>> FilterAsync(UserSummary user, IReadOnlyList<ConsoleResource> resources, CancellationToken cancellationToken)
    {
        var groups = await ListAsync(user.ContractId, cancellationToken);
        return [.. resources.Where(r => MaySee(user, groups, r.Id))];
    }

    private async Task<GroupChange> ChangeAsync(string contractId, string groupId, string sql, string? value, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        if (!await ExistsAsync(connection, contractId, groupId, cancellationToken))
        {
            return GroupChange.NotFound;
        }

        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$group", groupId);
        if (value is not null)
        {
            command.Parameters.AddWithValue("$value", value);
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
        return GroupChange.Done;
    }

    private static async Task<bool> ExistsAsync(SqliteConnection connection, string contractId, string groupId, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM sample_groups WHERE id = $id AND contract_id = $contract";
        command.Parameters.AddWithValue("$id", groupId);
        command.Parameters.AddWithValue("$contract", contractId);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) == 1;
    }

    private static async Task<ILookup<string, string>> PairsAsync(SqliteConnection connection, string sql, string contractId, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$contract", contractId);
        var pairs = new List<(string Group, string Value)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            pairs.Add((reader.GetString(0), reader.GetString(1)));
        }

        return pairs.ToLookup(p => p.Group, p => p.Value, StringComparer.Ordinal);
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(storage.ConnectionString);
        await connection.OpenAsync(cancellationToken);

        // SQLite enforces the cascades (a deleted group takes its members and grants along) only when asked per connection.
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA foreign_keys = ON";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }
}
