using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using AccountSecurity.Accounts;
using AccountSecurity.Lockout;
using AccountSecurity.Passwords.Policy;
using AccountSecurity.Sessions;

namespace AccountSecurity.EntityFrameworkCore.Model;

/// <summary>Maps the immutable domain records to persistence entities and back. Instants are stored in UTC.</summary>
internal static class EntityMapping
{
    public static UserEntity ToEntity(UserAccount user, long version) => new()
    {
        Id = user.Id,
        ContractId = user.ContractId,
        Email = user.Email,
        NormalizedEmail = EmailAddress.Normalize(user.Email),
        Role = (int)user.Role,
        Culture = user.Culture,
        IsActive = user.IsActive,
        PasswordHash = user.PasswordHash,
        PasswordChangedAt = Utc(user.PasswordChangedAt),
        PasswordHistory = WriteStrings(user.PasswordHistory),
        SecurityStamp = user.SecurityStamp,
        TwoFactorEnabled = user.TwoFactor.IsEnabled,
        TwoFactorForced = user.IsTwoFactorForced,
        PasswordChangeRequired = user.PasswordChangeRequired,
        TotpProtectedSecret = user.TwoFactor.ProtectedSecret,
        TotpPendingProtectedSecret = user.TwoFactor.PendingProtectedSecret,
        TotpPendingCreatedAt = Utc(user.TwoFactor.PendingCreatedAt),
        TotpLastAcceptedTimeStep = user.TwoFactor.LastAcceptedTimeStep,
        RecoveryCodeHashes = WriteStrings(user.TwoFactor.RecoveryCodeHashes),
        TwoFactorEnabledAt = Utc(user.TwoFactor.EnabledAt),
        SupportPinHash = user.SupportPinHash,
        SupportPinSetAt = Utc(user.SupportPinSetAt),
        Lockouts = WriteLockouts(user.Lockouts),
        PasswordResetTokens = WriteTokens(user.PasswordResetTokens),
        Passkeys = WritePasskeys(user.Passkeys),
        PasskeyUserHandle = user.PasskeyUserHandle,
        PasskeyCeremonies = WriteCeremonies(user.PendingPasskeyRegistration, user.SpentPasskeyChallenges),
        PendingSignIns = WritePendingSignIns(user.PendingSignIns),
        TrustedDevices = WriteTrustedDevices(user.TrustedDevices),
        Version = version,
    };

    public static UserAccount ToDomain(UserEntity entity)
    {
        var (pendingRegistration, spentChallenges) = ReadCeremonies(entity.PasskeyCeremonies);
        return new()
        {
            Id = entity.Id,
            ContractId = entity.ContractId,
            Email = entity.Email,
            Role = (UserRole)entity.Role,
            Culture = entity.Culture,
            IsActive = entity.IsActive,
            PasswordHash = entity.PasswordHash,
            PasswordChangedAt = Utc(entity.PasswordChangedAt),
            PasswordHistory = ReadStrings(entity.PasswordHistory),
            SecurityStamp = entity.SecurityStamp,
            IsTwoFactorForced = entity.TwoFactorForced,
            PasswordChangeRequired = entity.PasswordChangeRequired,
            TwoFactor = new TwoFactorState
            {
                IsEnabled = entity.TwoFactorEnabled,
                ProtectedSecret = entity.TotpProtectedSecret,
                PendingProtectedSecret = entity.TotpPendingProtectedSecret,
                PendingCreatedAt = Utc(entity.TotpPendingCreatedAt),
                LastAcceptedTimeStep = entity.TotpLastAcceptedTimeStep,
                RecoveryCodeHashes = ReadStrings(entity.RecoveryCodeHashes),
                EnabledAt = Utc(entity.TwoFactorEnabledAt),
            },
            SupportPinHash = entity.SupportPinHash,
            SupportPinSetAt = Utc(entity.SupportPinSetAt),
            Lockouts = ReadLockouts(entity.Lockouts),
            PasswordResetTokens = ReadTokens(entity.PasswordResetTokens),
            Passkeys = ReadPasskeys(entity.Passkeys),
            PasskeyUserHandle = entity.PasskeyUserHandle,
            PendingPasskeyRegistration = pendingRegistration,
            SpentPasskeyChallenges = spentChallenges,
            PendingSignIns = ReadPendingSignIns(entity.PendingSignIns),
            TrustedDevices = ReadTrustedDevices(entity.TrustedDevices),
            Version = entity.Version,
        };
    }

    public static ContractEntity ToEntity(Contract contract, long version)
    {
        var policy = contract.PasswordPolicy;
        return new ContractEntity
        {
            Id = contract.Id,
            Name = contract.Name,
            OwnerUserId = contract.OwnerUserId,
            PolicyMinimumLength = policy?.MinimumLength,
            PolicyMaximumLength = policy?.MaximumLength,
            PolicyMinimumDigits = policy?.MinimumDigits,
            PolicyMinimumUppercase = policy?.MinimumUppercase,
            PolicyMinimumLowercase = policy?.MinimumLowercase,
            PolicyMinimumSpecial = policy?.MinimumSpecial,
            PolicyBlockCommonPasswords = policy?.BlockCommonPasswords,
            PolicyRejectEmail = policy?.RejectEmail,
            PolicyRejectPredictablePatterns = policy?.RejectPredictablePatterns,
            PolicyHistoryDepth = policy?.HistoryDepth,
            PasskeySignInAllowed = contract.PasskeySignInAllowed,
            SessionPolicy = WriteSessionPolicy(contract.SessionPolicy),
            Version = version,
        };
    }

    public static Contract ToDomain(ContractEntity entity) => new()
    {
        Id = entity.Id,
        Name = entity.Name,
        OwnerUserId = entity.OwnerUserId,
        PasswordPolicy = entity.PolicyMinimumLength is null
            ? null
            : new PasswordPolicySettings
            {
                MinimumLength = entity.PolicyMinimumLength.Value,
                MaximumLength = entity.PolicyMaximumLength ?? PasswordPolicySettings.Default.MaximumLength,
                MinimumDigits = entity.PolicyMinimumDigits ?? 0,
                MinimumUppercase = entity.PolicyMinimumUppercase ?? 0,
                MinimumLowercase = entity.PolicyMinimumLowercase ?? 0,
                MinimumSpecial = entity.PolicyMinimumSpecial ?? 0,
                BlockCommonPasswords = entity.PolicyBlockCommonPasswords ?? PasswordPolicySettings.Default.BlockCommonPasswords,
                RejectEmail = entity.PolicyRejectEmail ?? PasswordPolicySettings.Default.RejectEmail,
                RejectPredictablePatterns = entity.PolicyRejectPredictablePatterns ?? PasswordPolicySettings.Default.RejectPredictablePatterns,
                HistoryDepth = entity.PolicyHistoryDepth ?? PasswordPolicySettings.Default.HistoryDepth,
            },
        PasskeySignInAllowed = entity.PasskeySignInAllowed,
        SessionPolicy = ReadSessionPolicy(entity.SessionPolicy),
        Version = entity.Version,
    };

    public static SessionEntity ToEntity(SessionRecord session) => new()
    {
        Id = session.Id,
        SecretHash = session.SecretHash,
        UserId = session.UserId,
        ContractId = session.ContractId,
        SecurityStamp = session.SecurityStamp,
        Methods = JsonSerializer.Serialize(session.Methods?.ToArray() ?? [], StoreJsonContext.Default.StringArray),
        CreatedAt = Ticks(session.CreatedAt),
        LastSeenAt = Ticks(session.LastSeenAt),
        IdleTimeoutTicks = session.IdleTimeout.Ticks,
        ExpiresAt = Ticks(session.ExpiresAt),
        DeviceLabel = session.DeviceLabel,
        ClientAddress = session.ClientAddress,
        ReauthenticatedAt = session.ReauthenticatedAt is { } reauthenticated ? Ticks(reauthenticated) : null,
        EndedAt = session.EndedAt is { } ended ? Ticks(ended) : null,
        EndReason = session.EndReason,
    };

    public static SessionRecord ToDomain(SessionEntity entity) => new()
    {
        Id = entity.Id,
        SecretHash = entity.SecretHash,
        UserId = entity.UserId,
        ContractId = entity.ContractId,
        SecurityStamp = entity.SecurityStamp,
        Methods = JsonSerializer.Deserialize(entity.Methods, StoreJsonContext.Default.StringArray) ?? [],
        CreatedAt = Instant(entity.CreatedAt),
        LastSeenAt = Instant(entity.LastSeenAt),
        IdleTimeout = TimeSpan.FromTicks(entity.IdleTimeoutTicks),
        ExpiresAt = Instant(entity.ExpiresAt),
        DeviceLabel = entity.DeviceLabel,
        ClientAddress = entity.ClientAddress,
        ReauthenticatedAt = entity.ReauthenticatedAt is { } reauthenticated ? Instant(reauthenticated) : null,
        EndedAt = entity.EndedAt is { } ended ? Instant(ended) : null,
        EndReason = entity.EndReason,
    };

    /// <summary>An instant as the sessions table stores it: UTC ticks, so SQL compares instants as integers.</summary>
    public static long Ticks(DateTimeOffset instant) => instant.UtcTicks;

    /// <summary>An instant the sessions table stored, in UTC.</summary>
    public static DateTimeOffset Instant(long utcTicks) => new(utcTicks, TimeSpan.Zero);

    // JSON rather than three columns: a policy whose every member is the host's default stays a policy (not null).
    private static string? WriteSessionPolicy(SessionPolicySettings? policy) =>
        policy is null
            ? null
            : JsonSerializer.Serialize(
                new StoredSessionPolicy(policy.IdleTimeout?.Ticks, policy.AbsoluteLifetime?.Ticks, policy.MaxSessionsPerUser),
                StoreJsonContext.Default.StoredSessionPolicy);

    private static SessionPolicySettings? ReadSessionPolicy(string? json) =>
        json is null || JsonSerializer.Deserialize(json, StoreJsonContext.Default.StoredSessionPolicy) is not { } stored
            ? null
            : new SessionPolicySettings(
                stored.IdleTimeoutTicks is { } idle ? TimeSpan.FromTicks(idle) : null,
                stored.AbsoluteLifetimeTicks is { } lifetime ? TimeSpan.FromTicks(lifetime) : null,
                stored.MaxSessionsPerUser);

    // PostgreSQL's timestamptz accepts only UTC offsets; every provider then reads back what was written.
    private static DateTimeOffset? Utc(DateTimeOffset? value) => value?.ToUniversalTime();

    private static string WriteStrings(ImmutableArray<string> values) =>
        JsonSerializer.Serialize(values.IsDefault ? [] : values.ToArray(), StoreJsonContext.Default.StringArray);

    private static ImmutableArray<string> ReadStrings(string json) =>
        [.. JsonSerializer.Deserialize(json, StoreJsonContext.Default.StringArray) ?? []];

    private static string WriteLockouts(FactorLockouts lockouts) =>
        JsonSerializer.Serialize(ToStored(lockouts), StoreJsonContext.Default.StoredLockoutArray);

    private static FactorLockouts ReadLockouts(string json) =>
        FromStored(JsonSerializer.Deserialize(json, StoreJsonContext.Default.StoredLockoutArray));

    private static StoredLockout[] ToStored(FactorLockouts lockouts) =>
        [.. (lockouts ?? FactorLockouts.None).Select(l => new StoredLockout((int)l.Key, l.Value.FailedCount, Utc(l.Value.LockoutEnd), l.Value.LockoutCount))];

    private static FactorLockouts FromStored(StoredLockout[]? stored) =>
        FactorLockouts.From((stored ?? [])
            .Select(l => new KeyValuePair<AuthenticationFactor, FactorLockoutState>((AuthenticationFactor)l.Factor, new FactorLockoutState(l.FailedCount, l.LockoutEnd, l.LockoutCount))));

    private static string WritePendingSignIns(ImmutableArray<PendingSignIn> pending) =>
        JsonSerializer.Serialize(
            pending.IsDefault ? [] : pending.Select(p => new StoredPendingSignIn(p.TicketHash, (int)p.Purpose, p.SecurityStamp, p.ExpiresAt.ToUniversalTime(), p.DeviceId)).ToArray(),
            StoreJsonContext.Default.StoredPendingSignInArray);

    private static ImmutableArray<PendingSignIn> ReadPendingSignIns(string json) =>
        [.. (JsonSerializer.Deserialize(json, StoreJsonContext.Default.StoredPendingSignInArray) ?? [])
            .Select(p => new PendingSignIn(p.Hash, (SignInTicketPurpose)p.Purpose, p.Stamp, p.ExpiresAt, p.DeviceId))];

    private static string WriteTrustedDevices(ImmutableArray<TrustedDevice> devices) =>
        JsonSerializer.Serialize(
            devices.IsDefault ? [] : devices.Select(d => new StoredTrustedDevice(d.Id, d.SecretHash, d.CreatedAt.ToUniversalTime(), d.LastSignInAt.ToUniversalTime(), ToStored(d.Lockouts))).ToArray(),
            StoreJsonContext.Default.StoredTrustedDeviceArray);

    private static ImmutableArray<TrustedDevice> ReadTrustedDevices(string json) =>
        [.. (JsonSerializer.Deserialize(json, StoreJsonContext.Default.StoredTrustedDeviceArray) ?? [])
            .Select(d => new TrustedDevice(d.Id, d.Hash, d.CreatedAt, d.LastSignInAt, FromStored(d.Lockouts)))];

    private static string WriteTokens(ImmutableArray<PasswordResetTokenRecord> tokens) =>
        JsonSerializer.Serialize(
            tokens.IsDefault ? [] : tokens.Select(t => new StoredResetToken(t.TokenHash, t.ExpiresAt.ToUniversalTime())).ToArray(),
            StoreJsonContext.Default.StoredResetTokenArray);

    private static ImmutableArray<PasswordResetTokenRecord> ReadTokens(string json) =>
        [.. (JsonSerializer.Deserialize(json, StoreJsonContext.Default.StoredResetTokenArray) ?? []).Select(t => new PasswordResetTokenRecord(t.Hash, t.ExpiresAt))];

    private static string WritePasskeys(ImmutableArray<PasskeyCredential> passkeys) =>
        JsonSerializer.Serialize(
            passkeys.IsDefault ? [] : passkeys.Select(p => new StoredPasskey(
                p.CredentialId, p.PublicKey, p.SignatureCounter, p.Transports.IsDefault ? [] : [.. p.Transports], p.Aaguid,
                p.IsBackupEligible, p.IsBackedUp, p.Name, p.CreatedAt.ToUniversalTime(), Utc(p.LastUsedAt))).ToArray(),
            StoreJsonContext.Default.StoredPasskeyArray);

    private static ImmutableArray<PasskeyCredential> ReadPasskeys(string json) =>
        [.. (JsonSerializer.Deserialize(json, StoreJsonContext.Default.StoredPasskeyArray) ?? []).Select(p => new PasskeyCredential
        {
            CredentialId = p.CredentialId,
            PublicKey = p.PublicKey,
            SignatureCounter = p.SignatureCounter,
            Transports = [.. p.Transports ?? []],
            Aaguid = p.Aaguid,
            IsBackupEligible = p.IsBackupEligible,
            IsBackedUp = p.IsBackedUp,
            Name = p.Name,
            CreatedAt = p.CreatedAt,
            LastUsedAt = p.LastUsedAt,
        })];

    private static string WriteCeremonies(PendingPasskeyCeremony? registration, ImmutableArray<SpentPasskeyChallenge> spent) =>
        JsonSerializer.Serialize(
            new StoredPasskeyCeremonies(
                registration?.OptionsJson,
                Utc(registration?.ExpiresAt),
                spent.IsDefault ? [] : spent.Select(c => new StoredSpentChallenge(c.ChallengeHash, c.ExpiresAt.ToUniversalTime())).ToArray()),
            StoreJsonContext.Default.StoredPasskeyCeremonies);

    private static (PendingPasskeyCeremony? Registration, ImmutableArray<SpentPasskeyChallenge> Spent) ReadCeremonies(string json)
    {
        var stored = JsonSerializer.Deserialize(json, StoreJsonContext.Default.StoredPasskeyCeremonies);
        var registration = stored?.RegistrationOptions is { } options && stored.RegistrationExpiresAt is { } expires ? new PendingPasskeyCeremony(options, expires) : null;
        return (registration, [.. (stored?.Spent ?? []).Select(c => new SpentPasskeyChallenge(c.Hash, c.ExpiresAt))]);
    }
}

/// <summary>The JSON shape of a stored reset token: short names, the hash only (never the token).</summary>
internal sealed record StoredResetToken(
    [property: JsonPropertyName("h")] string Hash,
    [property: JsonPropertyName("e")] DateTimeOffset ExpiresAt);

/// <summary>
/// The JSON shape of one factor's lockout state: the factor's number (so a factor added later needs no column), the
/// count, the lock's end (UTC) and the number of locks in a row.
/// </summary>
internal sealed record StoredLockout(
    [property: JsonPropertyName("f")] int Factor,
    [property: JsonPropertyName("n")] int FailedCount,
    [property: JsonPropertyName("e")] DateTimeOffset? LockoutEnd,
    [property: JsonPropertyName("c")] int LockoutCount);

/// <summary>The JSON shape of one passkey: public material and metadata only (no private key ever reaches the server).</summary>
internal sealed record StoredPasskey(
    [property: JsonPropertyName("id")] string CredentialId,
    [property: JsonPropertyName("pk")] string PublicKey,
    [property: JsonPropertyName("sc")] uint SignatureCounter,
    [property: JsonPropertyName("tr")] string[]? Transports,
    [property: JsonPropertyName("aa")] Guid Aaguid,
    [property: JsonPropertyName("be")] bool IsBackupEligible,
    [property: JsonPropertyName("bs")] bool IsBackedUp,
    [property: JsonPropertyName("n")] string Name,
    [property: JsonPropertyName("c")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("u")] DateTimeOffset? LastUsedAt);

/// <summary>The JSON shape of a spent assertion challenge: its hash and when it would have expired.</summary>
internal sealed record StoredSpentChallenge(
    [property: JsonPropertyName("h")] string Hash,
    [property: JsonPropertyName("e")] DateTimeOffset ExpiresAt);

/// <summary>The JSON shape of the passkey ceremonies in flight: the pending registration's options and the spent challenges.</summary>
internal sealed record StoredPasskeyCeremonies(
    [property: JsonPropertyName("ro")] string? RegistrationOptions,
    [property: JsonPropertyName("re")] DateTimeOffset? RegistrationExpiresAt,
    [property: JsonPropertyName("s")] StoredSpentChallenge[]? Spent);

/// <summary>The JSON shape of a sign-in waiting for its second step: the ticket's hash (never the ticket), its purpose, stamp, end and device.</summary>
internal sealed record StoredPendingSignIn(
    [property: JsonPropertyName("h")] string Hash,
    [property: JsonPropertyName("p")] int Purpose,
    [property: JsonPropertyName("s")] string Stamp,
    [property: JsonPropertyName("e")] DateTimeOffset ExpiresAt,
    [property: JsonPropertyName("d")] string? DeviceId);

/// <summary>The JSON shape of a trusted device: its id, the hash of its token's secret (never the token), its dates and its own counts.</summary>
internal sealed record StoredTrustedDevice(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("h")] string Hash,
    [property: JsonPropertyName("c")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("u")] DateTimeOffset LastSignInAt,
    [property: JsonPropertyName("l")] StoredLockout[]? Lockouts);

/// <summary>The JSON shape of a contract's session policy: each member null when the host's default applies; timeouts in ticks.</summary>
internal sealed record StoredSessionPolicy(
    [property: JsonPropertyName("idle")] long? IdleTimeoutTicks,
    [property: JsonPropertyName("life")] long? AbsoluteLifetimeTicks,
    [property: JsonPropertyName("max")] int? MaxSessionsPerUser);

[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(StoredSessionPolicy))]
[JsonSerializable(typeof(StoredPendingSignIn[]))]
[JsonSerializable(typeof(StoredTrustedDevice[]))]
[JsonSerializable(typeof(StoredPasskey[]))]
[JsonSerializable(typeof(StoredPasskeyCeremonies))]
[JsonSerializable(typeof(StoredLockout[]))]
[JsonSerializable(typeof(StoredResetToken[]))]
internal sealed partial class StoreJsonContext : JsonSerializerContext;
