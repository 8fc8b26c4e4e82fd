namespace AccountSecurity.EntityFrameworkCore.Tests.Infrastructure;

/// <summary>
/// External services the tests need. On a bare machine the tests that need one are ignored with the reason; with
/// <c>ACCOUNTSECURITY_REQUIRE_SERVICES=1</c> (CI) they fail instead, so a missing service can never pass silently.
/// </summary>
internal static class RequiredServices
{
    public const string PostgreSqlVariable = "ACCOUNTSECURITY_POSTGRES";
    public const string RequireVariable = "ACCOUNTSECURITY_REQUIRE_SERVICES";

    /// <summary>The configured PostgreSQL connection string (its database is only used to connect; tests create their own).</summary>
    public static string PostgreSqlConnectionString()
    {
        var value = Environment.GetEnvironmentVariable(PostgreSqlVariable);
        if (string.IsNullOrWhiteSpace(value))
        {
            Unavailable(
                $"PostgreSQL not configured: set {PostgreSqlVariable} (e.g. Host=127.0.0.1;Port=5432;Username=postgres;Password=postgres;Database=accountsecurity_tests; " +
                "start a local server with .ci/postgres.sh). The user must be allowed to create databases.");
        }

        return value!;
    }

    private static void Unavailable(string reason)
    {
        if (Environment.GetEnvironmentVariable(RequireVariable) == "1")
        {
            Assert.Fail(reason + $" ({RequireVariable}=1, so this is a failure.)");
        }

        Assert.Ignore(reason);
    }
}
