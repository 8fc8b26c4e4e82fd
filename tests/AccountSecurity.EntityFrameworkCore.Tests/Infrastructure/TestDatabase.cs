using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace AccountSecurity.EntityFrameworkCore.Tests.Infrastructure;

/// <summary>
/// A fresh, uniquely named database for one test (or fixture), created through
/// <see cref="AccountSecurityDatabase.EnsureCreatedAsync"/> and dropped on dispose.
/// </summary>
internal abstract class TestDatabase : IAsyncDisposable
{
    public const string Sqlite = "SQLite";
    public const string PostgreSql = "PostgreSQL";

    public abstract string Provider { get; }

    public abstract void Configure(DbContextOptionsBuilder options);

    public AccountSecurityDbContext CreateContext()
    {
        var options = new DbContextOptionsBuilder<AccountSecurityDbContext>();
        Configure(options);
        return new AccountSecurityDbContext(options.Options);
    }

    /// <summary>Creates a fresh database for <paramref name="provider"/>; ignores (or fails) the test when PostgreSQL is not configured.</summary>
    public static async Task<TestDatabase> CreateAsync(string provider)
    {
        TestDatabase database = provider switch
        {
            Sqlite => new SqliteTestDatabase(),
            PostgreSql => new PostgreSqlTestDatabase(RequiredServices.PostgreSqlConnectionString()),
            _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown provider."),
        };
        await using var context = database.CreateContext();
        await AccountSecurityDatabase.EnsureCreatedAsync(context);
        return database;
    }

    public abstract ValueTask DisposeAsync();

    private sealed class SqliteTestDatabase : TestDatabase
    {
        private readonly string _path = Path.Combine(Path.GetTempPath(), "accountsecurity-tests", Guid.NewGuid().ToString("N") + ".db");
        private readonly string _connectionString;

        public SqliteTestDatabase()
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
            // A file, not :memory:, so every context has its own connection, as separate app instances would.
            _connectionString = new SqliteConnectionStringBuilder { DataSource = _path, DefaultTimeout = 60 }.ToString();
        }

        public override string Provider => Sqlite;

        public override void Configure(DbContextOptionsBuilder options) => options.UseSqlite(_connectionString);

        public override ValueTask DisposeAsync()
        {
            SqliteConnection.ClearAllPools();
            foreach (var file in new[] { _path, _path + "-wal", _path + "-shm", _path + "-journal" })
            {
                File.Delete(file);
            }

            return ValueTask.CompletedTask;
        }
    }

    private sealed class PostgreSqlTestDatabase : TestDatabase
    {
        private readonly string _connectionString;
        private readonly string _adminConnectionString;
        private readonly string _name = "accountsecurity_test_" + Guid.NewGuid().ToString("N");

        public PostgreSqlTestDatabase(string configured)
        {
            var builder = new NpgsqlConnectionStringBuilder(configured) { Database = _name, MaxPoolSize = 50 };
            _connectionString = builder.ConnectionString;
            _adminConnectionString = new NpgsqlConnectionStringBuilder(configured) { Pooling = false }.ConnectionString;
        }

        public override string Provider => PostgreSql;

        public override void Configure(DbContextOptionsBuilder options) => options.UseNpgsql(_connectionString);

        public override async ValueTask DisposeAsync()
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(_adminConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }
    }
}
