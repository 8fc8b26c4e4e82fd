namespace AccountSecurity.Accounts;

/// <summary>A user's role inside their contract.</summary>
public enum UserRole
{
    /// <summary>A plain user: manages only their own security settings.</summary>
    User = 0,

    /// <summary>Manages the contract's users: may force or reset two-factor authentication, never enable it.</summary>
    Administrator = 1,

    /// <summary>The one owner of a contract: everything an administrator may do, plus the contract's password policy.</summary>
    ContractOwner = 2,
}
