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

    /// <summary>
    /// The passkey credential ids, one row per registered passkey with the user holding it: the table's primary key makes
    /// a credential id unique across all users.
    /// </summary>
    public const string PasskeyCredentials = "AccountSecurityPasskeyCredentials";

    /// <summary>The audit records, one row per security event, keyed by contract and sequence (<see cref="AccountSecurity.Auditing.IAuditStore"/>).</summary>
    public const string AuditRecords = "AccountSecurityAuditRecords";

    /// <summary>The head of each contract's audit chain (last sequence and hash, retention anchor, retention policy).</summary>
    public const string AuditChains = "AccountSecurityAuditChains";
}
