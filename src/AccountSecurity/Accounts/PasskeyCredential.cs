using System.Collections.Immutable;

namespace AccountSecurity.Accounts;

/// <summary>
/// One registered passkey (a WebAuthn public-key credential) of a user. Only public material is kept: the credential
/// id and the COSE public key are not secrets, and no private key ever reaches the server. <see cref="ToString"/>
/// prints neither the key nor the id.
/// </summary>
public sealed record PasskeyCredential
{
    /// <summary>
    /// The credential id the authenticator chose, base64url without padding; unique among the user's passkeys. Every
    /// look-up of a credential is scoped to one user (by id, or by the user handle the authenticator returns).
    /// </summary>
    public required string CredentialId { get; init; }

    /// <summary>The credential's COSE-encoded public key, base64url without padding.</summary>
    public required string PublicKey { get; init; }

    /// <summary>
    /// The signature counter last seen. An assertion whose counter does not move forward is refused as a possible
    /// cloned authenticator, unless both counters are zero (synced passkeys do not count).
    /// </summary>
    public uint SignatureCounter { get; init; }

    /// <summary>How the client can reach the authenticator (<c>usb</c>, <c>nfc</c>, <c>ble</c>, <c>internal</c>, <c>hybrid</c>), as reported at registration.</summary>
    public ImmutableArray<string> Transports { get; init; } = [];

    /// <summary>The authenticator model's AAGUID (all zeros when the authenticator does not say, as with attestation <c>none</c>).</summary>
    public Guid Aaguid { get; init; }

    /// <summary>Whether the credential may be backed up (synced) to other devices: a synced passkey (<c>swk</c>) rather than a device-bound one (<c>hwk</c>).</summary>
    public bool IsBackupEligible { get; init; }

    /// <summary>Whether the credential was backed up when last used.</summary>
    public bool IsBackedUp { get; init; }

    /// <summary>The name the user gave it (for example "Work laptop"); never used for any decision.</summary>
    public required string Name { get; init; }

    /// <summary>When it was registered.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last completed a sign-in; <see langword="null"/> when never.</summary>
    public DateTimeOffset? LastUsedAt { get; init; }

    /// <summary>
    /// Value equality over every field, <see cref="Transports"/> by its items: a record's generated equality would compare
    /// the array by reference, and a store that reads fresh records (EF Core) builds a new one on every read, so two
    /// reads of an unchanged passkey would never compare equal (the second factor's refund rule depends on it).
    /// </summary>
    public bool Equals(PasskeyCredential? other) =>
        other is not null
        && CredentialId == other.CredentialId
        && PublicKey == other.PublicKey
        && SignatureCounter == other.SignatureCounter
        && Transports.AsSpan().SequenceEqual(other.Transports.AsSpan())
        && Aaguid == other.Aaguid
        && IsBackupEligible == other.IsBackupEligible
        && IsBackedUp == other.IsBackedUp
        && Name == other.Name
        && CreatedAt == other.CreatedAt
        && LastUsedAt == other.LastUsedAt;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(CredentialId, SignatureCounter, LastUsedAt);

    /// <inheritdoc />
    public override string ToString() =>
        $"PasskeyCredential {{ Name = {Name}, Synced = {IsBackupEligible}, CreatedAt = {CreatedAt:O}, LastUsedAt = {LastUsedAt:O} }}";
}

/// <summary>
/// A passkey ceremony waiting for the authenticator's answer: the options sent to the browser (with their single-use
/// challenge), kept in the store so that any instance sharing the database can complete it, and only once.
/// </summary>
/// <param name="OptionsJson">The WebAuthn options as sent (not secret: the challenge is public, but single-use).</param>
/// <param name="ExpiresAt">When the ceremony stops being accepted.</param>
public sealed record PendingPasskeyCeremony(string OptionsJson, DateTimeOffset ExpiresAt)
{
    /// <inheritdoc />
    public override string ToString() => $"PendingPasskeyCeremony {{ ExpiresAt = {ExpiresAt:O} }}";
}

/// <summary>
/// A passkey assertion challenge already accepted for this user (its SHA-256, hex), kept until the challenge would have
/// expired anyway, so that the same signed assertion is refused if presented again — to this or any other instance.
/// </summary>
/// <param name="ChallengeHash">SHA-256 of the challenge (hex).</param>
/// <param name="ExpiresAt">When the challenge would have expired; the entry is dropped after it.</param>
public sealed record SpentPasskeyChallenge(string ChallengeHash, DateTimeOffset ExpiresAt);
