namespace AccountSecurity.EntityFrameworkCore.Model;

/// <summary>
/// One row per registered passkey: its credential id (the key) and the user who holds it. The passkeys themselves stay
/// in the users table's JSON column; this table exists so the database, not a read before the write, enforces that a
/// credential id names one account (WebAuthn §7.1 step 22), across app instances and under concurrent registrations.
/// </summary>
internal sealed class PasskeyCredentialEntity
{
    /// <summary>The credential id, base64url as <see cref="Accounts.PasskeyCredential.CredentialId"/> holds it; the primary key.</summary>
    public string CredentialId { get; set; } = "";

    /// <summary>The user holding the credential (indexed: every write of the user reconciles their rows).</summary>
    public string UserId { get; set; } = "";
}
