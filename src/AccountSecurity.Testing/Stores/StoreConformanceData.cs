using AccountSecurity.Accounts;
using AccountSecurity.Lockout;
using AccountSecurity.Passwords.Policy;

namespace AccountSecurity.Testing.Stores;

/// <summary>
/// Sample data for store tests: a user and a contract with every field set to a non-default value, so a store that
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
        IsActive = false,
        PasswordHash = BcryptLike('a'),
        PasswordChangedAt = Instant.AddDays(-3),
        PasswordHistory = [BcryptLike('b'), BcryptLike('c'), BcryptLike('d'), BcryptLike('e'), BcryptLike('f')],
        SecurityStamp = SecurityStamp.New(),
        TwoFactor = new TwoFactorState
        {
            IsEnabled = true,
            IsForced = true,
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
        PendingSignIn = new PendingSignIn(HexHash('c'), SignInTicketPurpose.TwoFactorSetup, "stamp-at-ticket-issue-0123456789", Instant.AddMinutes(4)),
        Version = 0,
    };

    /// <summary>A contract with its own password policy, every policy field away from its default.</summary>
    public static Contract FullyPopulatedContract(string id, string ownerUserId) => new()
    {
        Id = id,
        Name = "Contract " + id + " (Ünïcödé, \"quoted\")",
        OwnerUserId = ownerUserId,
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
            HistoryDepth = 11,
        },
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
}
