namespace AccountSecurity.EntityFrameworkCore;

/// <summary>The names of the tables AccountSecurity maps, prefixed so they do not collide with a host's own tables.</summary>
public static class AccountSecurityTables
{
    /// <summary>The users table.</summary>
    public const string Users = "AccountSecurityUsers";

    /// <summary>The contracts table.</summary>
    public const string Contracts = "AccountSecurityContracts";

    /// <summary>The server-side sessions table (one row per sign-in, beside the users it refers to).</summary>
    public const string Sessions = "AccountSecuritySessions";
}
