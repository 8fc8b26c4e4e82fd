using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using AccountSecurity.Accounts;
using AccountSecurity.Lockout;
using AccountSecurity.Passwords.Policy;
using AccountSecurity.Sessions;

namespace AccountSecurity.Testing.Stores;

/// <summary>
/// Sample data for store tests: a user, a contract and a session with every field set to a non-default value, so a store that
/// drops or mangles any field fails the round-trip tests. The values are shaped like what the library really
/// stores (bcrypt hashes with a scheme marker, AES-GCM protected secrets, SHA-256 hex token hashes).
/// </summary>
public static class StoreConformanceData
{
    /// <summary>A fixed UTC instant with sub-second (microsecond) precision that every durable store must keep.</summary>
    public static DateTimeOffset Instant { get; } = new DateTimeOffset(2031, 5, 17, 9, 41, 27, TimeSpan.Zero).AddTicks(1_234_560);

    /// <summary>
    /// A factor no version of the library defines yet: a store keeps lockout state for any factor value, so a new
    /// factor needs no store change (<see cref="FullyPopulatedUser"/> carries state for it).
    /// </summary>
    public static AuthenticationFactor UnlistedFactor { get; } = (AuthenticationFactor)57;

    /// <summary>A minimal valid user: only the required fields set, everything else at its default.</summary>
    public static UserAccount MinimalUser(string id, string contractId, string email) => new()
    {
        Id = id,
        ContractId = contractId,
        Email = email,
        SecurityStamp = SecurityStamp.New(),
    };

    /// <summary>
    /// A user with every field of <see cref="UserAccount"/> (and its nested records) set to a value different from the
    /// default, sized like the largest values the library stores. Never contains a real secret.
    /// </summary>
    public static UserAccount FullyPopulatedUser(string id, string contractId, string email) => new()
    {
        Id = id,
        ContractId = contractId,
        Email = email,
        Role = UserRole.Administrator,
        Culture = "de-CH",
        IsActive = false,
        PasswordHash = BcryptLike('a'),
        PasswordChangedAt = Instant.AddDays(-3),
        PasswordHistory = [BcryptLike('b'), BcryptLike('c'), BcryptLike('d'), BcryptLike('e'), BcryptLike('f')],
        SecurityStamp = SecurityStamp.New(),
        IsTwoFactorForced = true,
        TwoFactor = new TwoFactorState
        {
            IsEnabled = true,
            ProtectedSecret = ProtectedSecretLike('s'),
            PendingProtectedSecret = ProtectedSecretLike('p'),
            PendingCreatedAt = Instant.AddMinutes(-7),
            LastAcceptedTimeStep = 67_712_345,
            RecoveryCodeHashes = [.. Enumerable.Range(0, 12).Select(i => HexHash((char)('0' + (i % 10))))],
            EnabledAt = Instant.AddDays(-30),
        },
        SupportPinHash = BcryptLike('g'),
        SupportPinSetAt = Instant.AddDays(-2),
        Lockouts = FactorLockouts.None
            .With(AuthenticationFactor.Password, new FactorLockoutState(3, Instant.AddMinutes(5), 1))
            .With(AuthenticationFactor.SecondFactor, new FactorLockoutState(4, Instant.AddMinutes(10), 2))
            .With(AuthenticationFactor.SupportPin, new FactorLockoutState(5, Instant.AddHours(-1), 3))
            .With(UnlistedFactor, new FactorLockoutState(6, Instant.AddMinutes(20), 4)),
        PasswordResetTokens =
        [
            new PasswordResetTokenRecord(HexHash('a'), Instant.AddMinutes(30)),
            new PasswordResetTokenRecord(HexHash('b'), Instant.AddMinutes(45)),
        ],
        Passkeys = [SyncedPasskey(id), DeviceBoundPasskey(id)],
        PasskeyUserHandle = PasskeyUserHandleFor(id),
        PendingPasskeyRegistration = new PendingPasskeyCeremony(PasskeyOptionsJsonLike(id), Instant.AddMinutes(5).ToOffset(TimeSpan.FromHours(-7))),
        SpentPasskeyChallenges =
        [
            new SpentPasskeyChallenge(HexHash('d'), Instant.AddMinutes(3).ToOffset(TimeSpan.FromHours(9))),
            new SpentPasskeyChallenge(HexHash('e'), Instant.AddMinutes(4).ToOffset(TimeSpan.FromMinutes(-210))),
        ],
        PendingSignIns =
        [
            new PendingSignIn(HexHash('c'), SignInTicketPurpose.TwoFactorSetup, "stamp-at-ticket-issue-0123456789", Instant.AddMinutes(4)),
            new PendingSignIn(HexHash('f'), SignInTicketPurpose.SecondFactor, "stamp-at-ticket-issue-0123456789", Instant.AddMinutes(3).ToOffset(TimeSpan.FromHours(2)), "Device-Id_Mixed-Case-01"),
        ],
        TrustedDevices =
        [
            new TrustedDevice("Device-Id_Mixed-Case-01", HexHash('9'), Instant.AddDays(-40).ToOffset(TimeSpan.FromHours(-5)), Instant.AddDays(-1), FactorLockouts.None
                .With(AuthenticationFactor.Password, new FactorLockoutState(2, Instant.AddMinutes(7).ToOffset(TimeSpan.FromHours(3)), 1))
                .With(AuthenticationFactor.SecondFactor, new FactorLockoutState(1, null, 0))),
            new TrustedDevice("device-id_mixed-case-01", HexHash('8'), Instant.AddDays(-3), Instant.AddHours(-2), FactorLockouts.None),
        ],
        Version = 0,
    };

    /// <summary>
    /// The WebAuthn user handle <see cref="FullyPopulatedUser"/> carries for <paramref name="userId"/>: base64url of 32
    /// bytes derived from the id, so users with different ids never share a handle, and mixed-case, so a store that
    /// compares handles case-insensitively fails.
    /// </summary>
    public static string PasskeyUserHandleFor(string userId)
    {
        ArgumentNullException.ThrowIfNull(userId);
        return Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes("passkey-user-handle:" + userId)));
    }

    // A synced passkey (backup eligible and backed up), two transports, a counter above int.MaxValue (the counter is
    // a uint), used once; instants at non-UTC offsets, so a store must keep the instant, not the offset's clock time.
    private static PasskeyCredential SyncedPasskey(string userId) => new()
    {
        CredentialId = CredentialIdLike(userId, 1),
        PublicKey = CosePublicKeyLike('k'),
        SignatureCounter = 3_000_000_001u,
        Transports = ["internal", "hybrid"],
        Aaguid = new Guid("fbfc3007-154e-4ecc-8c0b-6e020557d7bd"),
        IsBackupEligible = true,
        IsBackedUp = true,
        Name = "Phone (Ünïcödé, \"quoted\")",
        CreatedAt = Instant.AddDays(-20).ToOffset(TimeSpan.FromHours(5.5)),
        LastUsedAt = Instant.AddHours(-1).ToOffset(TimeSpan.FromHours(-5)),
    };

    // A device-bound security key: neither backup flag set (the synced one has both), so each flag is seen both ways.
    private static PasskeyCredential DeviceBoundPasskey(string userId) => new()
    {
        CredentialId = CredentialIdLike(userId, 2),
        PublicKey = CosePublicKeyLike('q'),
        SignatureCounter = 41,
        Transports = ["usb", "nfc", "ble"],
        Aaguid = new Guid("2fc0579f-8113-47ea-b116-bb5a8db9202a"),
        IsBackupEligible = false,
        IsBackedUp = false,
        Name = "Security key",
        CreatedAt = Instant.AddDays(-10).ToOffset(TimeSpan.FromHours(14)),
        LastUsedAt = Instant.AddMinutes(-30).ToOffset(TimeSpan.FromHours(-12)),
    };

    /// <summary>A contract with its own password and session policies, every policy field away from its default.</summary>
    public static Contract FullyPopulatedContract(string id, string ownerUserId) => new()
    {
        Id = id,
        Name = "Contract " + id + " (Ünïcödé, \"quoted\")",
        OwnerUserId = ownerUserId,
        PasskeySignInAllowed = true,
        PasswordPolicy = new PasswordPolicySettings
        {
            MinimumLength = 14,
            MaximumLength = 96,
            MinimumDigits = 1,
            MinimumUppercase = 2,
            MinimumLowercase = 3,
            MinimumSpecial = 4,
            BlockCommonPasswords = false,
            RejectEmail = false,
            RejectPredictablePatterns = false,
            HistoryDepth = 11,
        },
        SessionPolicy = new SessionPolicySettings(TimeSpan.FromMinutes(17).Add(TimeSpan.FromTicks(3)), TimeSpan.FromHours(9), 4),
    };

    /// <summary>
    /// A session with every field of <see cref="SessionRecord"/> set (device label and address included, not ended),
    /// begun at <see cref="Instant"/> with instants at non-UTC offsets, as the library stores one at sign-in.
    /// </summary>
    public static SessionRecord FullyPopulatedSession(string id, string userId, string contractId, string securityStamp) => new()
    {
        Id = id,
        SecretHash = HexHash('7'),
        UserId = userId,
        ContractId = contractId,
        SecurityStamp = securityStamp,
        Methods = ["pwd", "otp", "mfa"],
        CreatedAt = Instant.ToOffset(TimeSpan.FromHours(2)),
        LastSeenAt = Instant.AddMinutes(3).ToOffset(TimeSpan.FromHours(-5)),
        IdleTimeout = TimeSpan.FromMinutes(30).Add(TimeSpan.FromTicks(7)),
        ExpiresAt = Instant.AddHours(12),
        DeviceLabel = "Firefox on Windows (Ünïcödé)",
        ClientAddress = "2001:db8:85a3::",
        ReauthenticatedAt = Instant.AddMinutes(2).AddTicks(3).ToOffset(TimeSpan.FromHours(1)),
    };

    /// <summary>A session with only the required fields: no device label or address, password only, begun and last seen at <see cref="Instant"/>.</summary>
    public static SessionRecord MinimalSession(string id, string userId, string contractId, string securityStamp) => new()
    {
        Id = id,
        SecretHash = HexHash('6'),
        UserId = userId,
        ContractId = contractId,
        SecurityStamp = securityStamp,
        Methods = ["pwd"],
        CreatedAt = Instant,
        LastSeenAt = Instant,
        IdleTimeout = TimeSpan.FromMinutes(30),
        ExpiresAt = Instant.AddHours(12),
    };

    /// <summary>A contract without a policy of its own.</summary>
    public static Contract MinimalContract(string id, string ownerUserId) => new()
    {
        Id = id,
        Name = "Contract " + id,
        OwnerUserId = ownerUserId,
    };

    // Scheme marker + a 60-character modular-crypt bcrypt string, as BcryptPasswordHasher writes (65 characters).
    private static string BcryptLike(char fill) => "asv1:$2b$12$" + new string(fill, 53);

    // AES-GCM protected secrets are base64url of key id + nonce + ciphertext + tag: ~100 characters.
    private static string ProtectedSecretLike(char fill) => "v1." + new string(fill, 120);

    private static string HexHash(char fill) => new(fill, 64);

    // Credential ids are base64url of up to 1023 bytes; authenticators commonly choose 16 to 64. Unique per user and number.
    private static string CredentialIdLike(string userId, int number) =>
        Base64Url.EncodeToString(SHA512.HashData(Encoding.UTF8.GetBytes("credential:" + number + ":" + userId)));

    // An ES256 COSE_Key is 77 bytes; RS256 keys run past 270 bytes. base64url of 272 bytes: 363 characters.
    private static string CosePublicKeyLike(char fill) => new(fill, 363);

    // The registration options as sent to the browser: JSON with quotes and a challenge, ~1 KB with exclusions.
    private static string PasskeyOptionsJsonLike(string userId) =>
        "{\"rp\":{\"id\":\"example.com\",\"name\":\"Example\"},\"user\":{\"id\":\"" + PasskeyUserHandleFor(userId)
        + "\",\"name\":\"Ünïcödé\"},\"challenge\":\"" + new string('c', 43) + "\",\"excludeCredentials\":[{\"type\":\"public-key\",\"id\":\""
        + new string('x', 86) + "\"}],\"timeout\":300000}";
}
