using System.Buffers.Binary;
using System.Buffers.Text;
using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AccountSecurity.Passkeys.Tests.TestSupport;

/// <summary>
/// A test-only WebAuthn authenticator and client in one: it answers the options JSON a relying party sends
/// (<c>CredentialCreateOptions.ToJson()</c>, <c>AssertionOptions.ToJson()</c>) with the JSON a browser would post back,
/// signed with a real ES256 (P-256, COSE alg -7) key, so tests can drive the Fido2 library without a browser.
/// </summary>
/// <remarks>
/// It produces test vectors only: the attestation object and COSE key are written with the platform's
/// <see cref="CborWriter"/>; nothing here parses CBOR or verifies a signature. Attestation format is "none" with an
/// all-zero AAGUID. The key never leaves the instance.
/// </remarks>
internal sealed class SoftwareAuthenticator : IDisposable
{
    private const byte FlagUserPresent = 0x01;
    private const byte FlagUserVerified = 0x04;
    private const byte FlagBackupEligible = 0x08;
    private const byte FlagBackedUp = 0x10;
    private const byte FlagAttestedCredentialData = 0x40;
    private const int CoseAlgEs256 = -7;

    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly string _origin;
    private readonly bool _backupEligible;

    /// <param name="origin">The origin the client reports in clientDataJSON unless a behaviour overrides it, e.g. "http://localhost:5080".</param>
    /// <param name="userHandle">The user handle returned with assertions; replaced by the options' user.id on attestation. Random 32 bytes when null.</param>
    /// <param name="backupEligible">Whether the credential is backup eligible (BE flag) unless a behaviour overrides it.</param>
    /// <param name="initialCounter">The signature counter before the first ceremony; reported as is by the attestation.</param>
    public SoftwareAuthenticator(string origin, byte[]? userHandle = null, bool backupEligible = false, uint initialCounter = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(origin);
        _origin = origin;
        _backupEligible = backupEligible;
        UserHandle = userHandle?.ToArray() ?? RandomNumberGenerator.GetBytes(32);
        Counter = initialCounter;
        CredentialId = RandomNumberGenerator.GetBytes(RandomNumberGenerator.GetInt32(16, 33));
    }

    /// <summary>The credential id (16 to 32 random bytes).</summary>
    public byte[] CredentialId { get; }

    /// <summary>The credential id, base64url without padding (the JSON "id").</summary>
    public string CredentialIdBase64Url => Base64Url.EncodeToString(CredentialId);

    /// <summary>The user handle returned in assertions (the options' user.id after an attestation).</summary>
    public byte[] UserHandle { get; private set; }

    /// <summary>The signature counter last reported.</summary>
    public uint Counter { get; private set; }

    /// <summary>The credential public key as a COSE_Key (what a relying party stores after registration).</summary>
    public byte[] CosePublicKey => WriteCosePublicKey();

    /// <summary>
    /// Answers <c>navigator.credentials.create()</c>: returns the JSON of an <c>AuthenticatorAttestationRawResponse</c>
    /// for <paramref name="creationOptionsJson"/> (as written by <c>CredentialCreateOptions.ToJson()</c>). Takes the user
    /// handle from the options' user.id. Reports the current counter without advancing it (unless the behaviour sets one).
    /// </summary>
    public string CreateAttestationJson(string creationOptionsJson, AuthenticatorBehaviour? behaviour = null)
    {
        ArgumentNullException.ThrowIfNull(creationOptionsJson);
        behaviour ??= new AuthenticatorBehaviour();

        using var options = JsonDocument.Parse(creationOptionsJson);
        var root = options.RootElement;
        var challenge = behaviour.Challenge ?? Base64Url.DecodeFromChars(root.GetProperty("challenge").GetString());
        var rpId = behaviour.RpId ?? root.GetProperty("rp").GetProperty("id").GetString()
            ?? throw new ArgumentException("The creation options carry no rp.id.", nameof(creationOptionsJson));
        UserHandle = Base64Url.DecodeFromChars(root.GetProperty("user").GetProperty("id").GetString());

        if (behaviour.Counter is { } counter)
        {
            Counter = counter;
        }

        var clientDataJson = ClientDataJson("webauthn.create", challenge, behaviour.Origin ?? _origin);
        var authenticatorData = AuthenticatorData(rpId, (byte)(Flags(behaviour) | FlagAttestedCredentialData), Counter, AttestedCredentialData());

        var writer = new CborWriter(CborConformanceMode.Ctap2Canonical);
        writer.WriteStartMap(3);
        writer.WriteTextString("fmt");
        writer.WriteTextString("none");
        writer.WriteTextString("attStmt");
        writer.WriteStartMap(0);
        writer.WriteEndMap();
        writer.WriteTextString("authData");
        writer.WriteByteString(authenticatorData);
        writer.WriteEndMap();

        var response = new JsonObject
        {
            ["id"] = CredentialIdBase64Url,
            ["rawId"] = CredentialIdBase64Url,
            ["type"] = "public-key",
            ["response"] = new JsonObject
            {
                ["attestationObject"] = Base64Url.EncodeToString(writer.Encode()),
                ["clientDataJSON"] = Base64Url.EncodeToString(clientDataJson),
                ["transports"] = new JsonArray("internal"),
            },
            ["clientExtensionResults"] = new JsonObject(),
        };
        return response.ToJsonString();
    }

    /// <summary>
    /// Answers <c>navigator.credentials.get()</c>: returns the JSON of an <c>AuthenticatorAssertionRawResponse</c> for
    /// <paramref name="requestOptionsJson"/> (as written by <c>AssertionOptions.ToJson()</c>), signed over
    /// authenticatorData | SHA-256(clientDataJSON). Advances the counter by one unless the behaviour sets it.
    /// </summary>
    public string CreateAssertionJson(string requestOptionsJson, AuthenticatorBehaviour? behaviour = null)
    {
        ArgumentNullException.ThrowIfNull(requestOptionsJson);
        behaviour ??= new AuthenticatorBehaviour();

        using var options = JsonDocument.Parse(requestOptionsJson);
        var root = options.RootElement;
        var challenge = behaviour.Challenge ?? Base64Url.DecodeFromChars(root.GetProperty("challenge").GetString());
        var rpId = behaviour.RpId
            ?? (root.TryGetProperty("rpId", out var rpIdElement) ? rpIdElement.GetString() : null)
            ?? throw new ArgumentException("The request options carry no rpId and the behaviour sets none.", nameof(requestOptionsJson));

        Counter = behaviour.Counter ?? checked(Counter + 1);

        var clientDataJson = ClientDataJson("webauthn.get", challenge, behaviour.Origin ?? _origin);
        var authenticatorData = AuthenticatorData(rpId, Flags(behaviour), Counter, attestedCredentialData: null);

        var signedData = new byte[authenticatorData.Length + SHA256.HashSizeInBytes];
        authenticatorData.CopyTo(signedData, 0);
        SHA256.HashData(clientDataJson, signedData.AsSpan(authenticatorData.Length));
        var signature = _key.SignData(signedData, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        if (behaviour.TamperSignature)
        {
            // A byte inside the DER integers (past the SEQUENCE and INTEGER headers), so the signature still parses but no longer verifies.
            signature[^1] ^= 0x01;
        }

        var assertion = new JsonObject
        {
            ["authenticatorData"] = Base64Url.EncodeToString(authenticatorData),
            ["clientDataJSON"] = Base64Url.EncodeToString(clientDataJson),
            ["signature"] = Base64Url.EncodeToString(signature),
        };
        if (behaviour.IncludeUserHandle)
        {
            assertion["userHandle"] = Base64Url.EncodeToString(UserHandle);
        }

        var response = new JsonObject
        {
            ["id"] = CredentialIdBase64Url,
            ["rawId"] = CredentialIdBase64Url,
            ["type"] = "public-key",
            ["response"] = assertion,
            ["clientExtensionResults"] = new JsonObject(),
        };
        return response.ToJsonString();
    }

    public void Dispose() => _key.Dispose();

    private byte Flags(AuthenticatorBehaviour behaviour)
    {
        byte flags = 0;
        if (behaviour.UserPresent)
        {
            flags |= FlagUserPresent;
        }

        if (behaviour.UserVerified)
        {
            flags |= FlagUserVerified;
        }

        if (behaviour.BackupEligible ?? _backupEligible)
        {
            flags |= FlagBackupEligible;
        }

        if (behaviour.BackedUp)
        {
            flags |= FlagBackedUp;
        }

        return flags;
    }

    private static byte[] ClientDataJson(string type, byte[] challenge, string origin)
    {
        // Member order as browsers write it; Fido2 reads it as JSON, so order is cosmetic.
        var clientData = new JsonObject
        {
            ["type"] = type,
            ["challenge"] = Base64Url.EncodeToString(challenge),
            ["origin"] = origin,
            ["crossOrigin"] = false,
        };
        return Encoding.UTF8.GetBytes(clientData.ToJsonString());
    }

    private static byte[] AuthenticatorData(string rpId, byte flags, uint counter, byte[]? attestedCredentialData)
    {
        // rpIdHash (32) | flags (1) | signCount (4, big-endian) | attestedCredentialData (attestation only).
        var data = new byte[32 + 1 + 4 + (attestedCredentialData?.Length ?? 0)];
        SHA256.HashData(Encoding.UTF8.GetBytes(rpId), data.AsSpan(0, 32));
        data[32] = flags;
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(33, 4), counter);
        attestedCredentialData?.CopyTo(data, 37);
        return data;
    }

    private byte[] AttestedCredentialData()
    {
        // AAGUID (16, zero: "none" attestation) | credentialIdLength (2, big-endian) | credentialId | COSE_Key.
        var coseKey = WriteCosePublicKey();
        var data = new byte[16 + 2 + CredentialId.Length + coseKey.Length];
        BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(16, 2), (ushort)CredentialId.Length);
        CredentialId.CopyTo(data, 18);
        coseKey.CopyTo(data, 18 + CredentialId.Length);
        return data;
    }

    private byte[] WriteCosePublicKey()
    {
        var point = _key.ExportParameters(includePrivateParameters: false).Q;
        var writer = new CborWriter(CborConformanceMode.Ctap2Canonical);
        writer.WriteStartMap(5);
        writer.WriteInt32(1); // kty
        writer.WriteInt32(2); // EC2
        writer.WriteInt32(3); // alg
        writer.WriteInt32(CoseAlgEs256);
        writer.WriteInt32(-1); // crv
        writer.WriteInt32(1); // P-256
        writer.WriteInt32(-2); // x
        writer.WriteByteString(point.X!);
        writer.WriteInt32(-3); // y
        writer.WriteByteString(point.Y!);
        writer.WriteEndMap();
        return writer.Encode();
    }
}

/// <summary>
/// How a <see cref="SoftwareAuthenticator"/> answers one ceremony. Every default is an honest authenticator; each knob
/// makes exactly one thing wrong (or different) so a test can watch the relying party refuse it.
/// </summary>
internal sealed record AuthenticatorBehaviour
{
    /// <summary>The origin written into clientDataJSON; null: the one given to the authenticator's constructor.</summary>
    public string? Origin { get; init; }

    /// <summary>The RP id hashed into authenticatorData; null: rp.id (creation) or rpId (request) from the options.</summary>
    public string? RpId { get; init; }

    /// <summary>The challenge written into clientDataJSON; null: the options' challenge.</summary>
    public byte[]? Challenge { get; init; }

    /// <summary>The UV flag. Default true.</summary>
    public bool UserVerified { get; init; } = true;

    /// <summary>The UP flag. Default true.</summary>
    public bool UserPresent { get; init; } = true;

    /// <summary>The BE flag; null: the authenticator's constructor setting (default false).</summary>
    public bool? BackupEligible { get; init; }

    /// <summary>The BS flag. Default false.</summary>
    public bool BackedUp { get; init; }

    /// <summary>The signature counter to report (and keep); null: unchanged on attestation, +1 on assertion.</summary>
    public uint? Counter { get; init; }

    /// <summary>Whether the assertion carries userHandle. Default true. Ignored on attestation.</summary>
    public bool IncludeUserHandle { get; init; } = true;

    /// <summary>Flips a byte of the assertion signature. Default false. Ignored on attestation ("none" carries no signature).</summary>
    public bool TamperSignature { get; init; }
}
