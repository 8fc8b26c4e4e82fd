using AccountSecurity.EntityFrameworkCore;
using AccountSecurity.EntityFrameworkCore.Model;

// In EF Core's namespace so ApplyAccountSecurityModel() is found in OnModelCreating without an extra using.
namespace Microsoft.EntityFrameworkCore;

/// <summary>Adds AccountSecurity's tables to a host's EF Core model.</summary>
public static class AccountSecurityModelBuilderExtensions
{
    /// <summary>The most characters of a user or contract id the tables hold.</summary>
    public const int MaxIdLength = 256;

    /// <summary>The most characters of an e-mail address (stored and normalised) the tables hold.</summary>
    public const int MaxEmailLength = 320;

    /// <summary>The most characters of a password or support-PIN hash (with its scheme marker) the tables hold.</summary>
    public const int MaxHashLength = 256;

    /// <summary>
    /// The most characters of a user's culture (a BCP 47 tag) the tables hold: the library refuses longer ones
    /// (<c>culture_invalid</c>), so a stored one always fits.
    /// </summary>
    public const int MaxCultureLength = 84;

    /// <summary>
    /// The most characters of a passkey credential id the tables hold: base64url of WebAuthn's largest credential id
    /// (1023 bytes).
    /// </summary>
    public const int MaxPasskeyCredentialIdLength = 1364;

    /// <summary>The most characters of a protected (encrypted) TOTP secret the tables hold.</summary>
    public const int MaxProtectedSecretLength = 512;

    /// <summary>
    /// Maps AccountSecurity's tables, <see cref="AccountSecurityTables.Users"/>,
    /// <see cref="AccountSecurityTables.Contracts"/>, <see cref="AccountSecurityTables.Sessions"/>,
    /// <see cref="AccountSecurityTables.PasskeyCredentials"/>, <see cref="AccountSecurityTables.AuditRecords"/> and
    /// <see cref="AccountSecurityTables.AuditChains"/>, into <paramref name="modelBuilder"/>. Call it from the host
    /// context's <c>OnModelCreating</c>; the tables then take part in the host's own migrations, or can be created
    /// with <see cref="AccountSecurityDatabase.EnsureCreatedAsync"/>.
    /// </summary>
    /// <remarks>
    /// The users table has a unique index on the normalised e-mail (<see cref="AccountSecurity.Accounts.EmailAddress.Normalize"/>), an
    /// index on the contract id, and <c>Version</c> as the optimistic-concurrency token every update checks.
    /// Password history, recovery-code hashes, reset-token hashes and the lockout state of every factor (keyed by factor, so a
    /// new factor adds no column) are JSON text columns without a length limit. The contracts table keeps a contract's
    /// session policy in the nullable JSON column <c>SessionPolicy</c>. The sessions table is keyed by the session id,
    /// has indexes on the user id (listing and ending a user's sessions) and on the absolute expiry and the end (clean-up), and
    /// keeps its instants as UTC ticks and the idle timeout as ticks, in 64-bit integer columns. The passkey credentials
    /// table is keyed by the credential id (so the database refuses a second holder of one) and indexed on the user id;
    /// the user store keeps it in step with the users table's passkeys in the same transaction as each write.
    /// </remarks>
    /// <param name="modelBuilder">The host's model builder.</param>
    /// <param name="schema">The database schema for the tables; <see langword="null"/> for the provider's default (SQLite has none).</param>
    /// <returns><paramref name="modelBuilder"/>, for chaining.</returns>
    public static ModelBuilder ApplyAccountSecurityModel(this ModelBuilder modelBuilder, string? schema = null)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);

        modelBuilder.Entity<UserEntity>(b =>
        {
            b.ToTable(AccountSecurityTables.Users, schema);
            b.HasKey(u => u.Id);
            b.Property(u => u.Id).HasMaxLength(MaxIdLength);
            b.Property(u => u.ContractId).HasMaxLength(MaxIdLength).IsRequired();
            b.Property(u => u.Email).HasMaxLength(MaxEmailLength).IsRequired();
            b.Property(u => u.NormalizedEmail).HasMaxLength(MaxEmailLength).IsRequired();
            b.Property(u => u.Culture).HasMaxLength(MaxCultureLength);
            b.Property(u => u.PasswordHash).HasMaxLength(MaxHashLength);
            b.Property(u => u.PasswordHistory).IsRequired();
            b.Property(u => u.SecurityStamp).HasMaxLength(128).IsRequired();
            b.Property(u => u.TotpProtectedSecret).HasMaxLength(MaxProtectedSecretLength);
            b.Property(u => u.TotpPendingProtectedSecret).HasMaxLength(MaxProtectedSecretLength);
            b.Property(u => u.RecoveryCodeHashes).IsRequired();
            b.Property(u => u.SupportPinHash).HasMaxLength(MaxHashLength);
            b.Property(u => u.PasswordResetTokens).IsRequired();
            b.Property(u => u.Lockouts).IsRequired();
            b.Property(u => u.Passkeys).IsRequired();
            b.Property(u => u.PasskeyUserHandle).HasMaxLength(128);
            b.Property(u => u.PasskeyCeremonies).IsRequired();
            b.Property(u => u.PendingSignIns).IsRequired();
            b.Property(u => u.TrustedDevices).IsRequired();
            b.Property(u => u.Version).IsConcurrencyToken();
            b.HasIndex(u => u.NormalizedEmail).IsUnique().HasDatabaseName("IX_" + AccountSecurityTables.Users + "_NormalizedEmail");
            b.HasIndex(u => u.ContractId).HasDatabaseName("IX_" + AccountSecurityTables.Users + "_ContractId");
            b.HasIndex(u => u.PasskeyUserHandle).IsUnique().HasDatabaseName("IX_" + AccountSecurityTables.Users + "_PasskeyUserHandle");
        });

        modelBuilder.Entity<ContractEntity>(b =>
        {
            b.ToTable(AccountSecurityTables.Contracts, schema);
            b.HasKey(c => c.Id);
            b.Property(c => c.Id).HasMaxLength(MaxIdLength);
            b.Property(c => c.Name).HasMaxLength(512).IsRequired();
            b.Property(c => c.OwnerUserId).HasMaxLength(MaxIdLength).IsRequired();
            b.Property(c => c.Version).IsConcurrencyToken();
        });

        modelBuilder.Entity<SessionEntity>(b =>
        {
            b.ToTable(AccountSecurityTables.Sessions, schema);
            b.HasKey(s => s.Id);
            b.Property(s => s.Id).HasMaxLength(64);
            b.Property(s => s.SecretHash).HasMaxLength(128).IsRequired();
            b.Property(s => s.UserId).HasMaxLength(MaxIdLength).IsRequired();
            b.Property(s => s.ContractId).HasMaxLength(MaxIdLength).IsRequired();
            b.Property(s => s.SecurityStamp).HasMaxLength(128).IsRequired();
            b.Property(s => s.Methods).IsRequired();
            b.Property(s => s.DeviceLabel).HasMaxLength(128);
            b.Property(s => s.ClientAddress).HasMaxLength(128);
            b.Property(s => s.EndReason).HasMaxLength(64);
            b.HasIndex(s => s.UserId).HasDatabaseName("IX_" + AccountSecurityTables.Sessions + "_UserId");
            b.HasIndex(s => s.ExpiresAt).HasDatabaseName("IX_" + AccountSecurityTables.Sessions + "_ExpiresAt");
            b.HasIndex(s => s.EndedAt).HasDatabaseName("IX_" + AccountSecurityTables.Sessions + "_EndedAt");
        });

        modelBuilder.Entity<PasskeyCredentialEntity>(b =>
        {
            b.ToTable(AccountSecurityTables.PasskeyCredentials, schema);
            b.HasKey(c => c.CredentialId);
            b.Property(c => c.CredentialId).HasMaxLength(MaxPasskeyCredentialIdLength);
            b.Property(c => c.UserId).HasMaxLength(MaxIdLength).IsRequired();
            b.HasIndex(c => c.UserId).HasDatabaseName("IX_" + AccountSecurityTables.PasskeyCredentials + "_UserId");
        });

        // The audit trail: records keyed by (contract, sequence), with an index per query the trail answers (by user,
        // by event type, by time; each ends in the sequence so a page newest first is one backward index range), and
        // one head row per contract that serialises appends.
        modelBuilder.Entity<AuditRecordEntity>(b =>
        {
            b.ToTable(AccountSecurityTables.AuditRecords, schema);
            b.HasKey(r => new { r.ContractId, r.Sequence });
            b.Property(r => r.ContractId).HasMaxLength(MaxIdLength);
            b.Property(r => r.UserId).HasMaxLength(MaxIdLength);
            b.Property(r => r.ActorId).HasMaxLength(MaxIdLength);
            b.Property(r => r.Outcome).HasMaxLength(AccountSecurity.Auditing.AuditRecord.MaxOutcomeLength);
            b.Property(r => r.SessionId).HasMaxLength(MaxIdLength);
            b.Property(r => r.DeviceLabel).HasMaxLength(AccountSecurity.Auditing.AuditRecord.MaxDeviceLabelLength);
            b.Property(r => r.ClientAddress).HasMaxLength(AccountSecurity.Auditing.AuditRecord.MaxClientAddressLength);
            b.Property(r => r.CorrelationId).HasMaxLength(32);
            b.Property(r => r.PreviousHash).HasMaxLength(64).IsRequired();
            b.Property(r => r.Hash).HasMaxLength(64).IsRequired();
            b.HasIndex(r => new { r.ContractId, r.UserId, r.Sequence }).HasDatabaseName("IX_" + AccountSecurityTables.AuditRecords + "_ContractId_UserId_Sequence");
            b.HasIndex(r => new { r.ContractId, r.EventType, r.Sequence }).HasDatabaseName("IX_" + AccountSecurityTables.AuditRecords + "_ContractId_EventType_Sequence");
            b.HasIndex(r => new { r.ContractId, r.OccurredAt }).HasDatabaseName("IX_" + AccountSecurityTables.AuditRecords + "_ContractId_OccurredAt");
        });

        modelBuilder.Entity<AuditChainEntity>(b =>
        {
            b.ToTable(AccountSecurityTables.AuditChains, schema);
            b.HasKey(c => c.ContractId);
            b.Property(c => c.ContractId).HasMaxLength(MaxIdLength);
            b.Property(c => c.LastHash).HasMaxLength(64).IsRequired();
            b.Property(c => c.AnchorHash).HasMaxLength(64).IsRequired();
            b.Property(c => c.Version).IsConcurrencyToken();
        });

        return modelBuilder;
    }
}
