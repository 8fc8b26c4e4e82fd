using System.Text.Json;
using Fido2NetLib.Exceptions;

namespace AccountSecurity.Passkeys.Verification;

/// <summary>
/// The browser's responses, read defensively: bounded in size, parsed as JSON by System.Text.Json (the CBOR inside is
/// left to Fido2), and the client data's type, origin and challenge checked first so each of those refusals has its
/// own stable code (Fido2 reports some of them only as a message). Nothing here verifies a signature.
/// </summary>
internal static class PasskeyResponses
{
    public static AuthenticatorAttestationRawResponse? ParseAttestation(string? json, int maxLength) =>
        Parse(json, maxLength, static j => JsonSerializer.Deserialize<AuthenticatorAttestationRawResponse>(j)) is { RawId.Length: > 0, Response: { AttestationObject: not null, ClientDataJson: not null } } parsed
            ? parsed
            : null;

    public static AuthenticatorAssertionRawResponse? ParseAssertion(string? json, int maxLength) =>
        Parse(json, maxLength, static j => JsonSerializer.Deserialize<AuthenticatorAssertionRawResponse>(j)) is { RawId.Length: > 0, Response: { AuthenticatorData: not null, Signature: not null, ClientDataJson: not null } } parsed
            ? parsed
            : null;

    /// <summary>
    /// The code for a client data that was not made for this ceremony: another type, an origin not configured, or another
    /// challenge; <see langword="null"/> when it matches (Fido2 then checks it again, with the rest).
    /// </summary>
    public static string? CheckClientData(byte[] clientDataJson, string expectedType, ISet<string> origins, ReadOnlySpan<byte> challenge)
    {
        try
        {
            using var document = JsonDocument.Parse(clientDataJson);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("origin", out var origin) || origin.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("challenge", out var sent) || sent.ValueKind != JsonValueKind.String)
            {
                return SecurityErrorCodes.PasskeyResponseMalformed;
            }

            if (!string.Equals(type.GetString(), expectedType, StringComparison.Ordinal))
            {
                return SecurityErrorCodes.PasskeyResponseInvalid;
            }

            // A ceremony run inside another site's frame reports crossOrigin: true; this library's pages are never framed.
            if (!origins.Contains(origin.GetString()!)
                || (root.TryGetProperty("crossOrigin", out var crossOrigin) && crossOrigin.ValueKind == JsonValueKind.True))
            {
                return SecurityErrorCodes.PasskeyOriginMismatch;
            }

            return Ceremonies.Base64UrlText.TryDecode(sent.GetString(), out var sentChallenge)
                && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(sentChallenge, challenge)
                ? null
                : SecurityErrorCodes.PasskeyChallengeMismatch;
        }
        catch (JsonException)
        {
            return SecurityErrorCodes.PasskeyResponseMalformed;
        }
    }

    /// <summary>The stable code for a refusal from Fido2. Its messages are never passed on (they may quote the response).</summary>
    public static string CodeOf(Fido2VerificationException exception) => exception.Code switch
    {
        Fido2ErrorCode.InvalidRpidHash => SecurityErrorCodes.PasskeyRelyingPartyMismatch,
        Fido2ErrorCode.InvalidAuthenticatorResponseOrigin => SecurityErrorCodes.PasskeyOriginMismatch,
        Fido2ErrorCode.InvalidAuthenticatorResponseChallenge or Fido2ErrorCode.MissingAuthenticatorResponseChallenge => SecurityErrorCodes.PasskeyChallengeMismatch,
        Fido2ErrorCode.UserVerificationRequirementNotMet => SecurityErrorCodes.PasskeyUserVerificationRequired,
        Fido2ErrorCode.InvalidSignCount => SecurityErrorCodes.PasskeyCounterRegressed,
        Fido2ErrorCode.NonUniqueCredentialId => SecurityErrorCodes.PasskeyAlreadyRegistered,
        _ => SecurityErrorCodes.PasskeyResponseInvalid,
    };

    private static T? Parse<T>(string? json, int maxLength, Func<string, T?> deserialize)
        where T : class
    {
        if (string.IsNullOrWhiteSpace(json) || json.Length > maxLength)
        {
            return null;
        }

        try
        {
            return deserialize(json);
        }
        catch (Exception exception) when (exception is JsonException or NotSupportedException or FormatException or ArgumentException or InvalidOperationException)
        {
            // Hostile JSON (wrong shapes, bad base64url, unknown enum values): a malformed response, never an exception.
            return null;
        }
    }
}
