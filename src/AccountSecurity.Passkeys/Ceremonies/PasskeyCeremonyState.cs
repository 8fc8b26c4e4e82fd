using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using AccountSecurity.Crypto;

namespace AccountSecurity.Passkeys.Ceremonies;

/// <summary>What an assertion ceremony is for; a state sealed for one purpose is refused for the other.</summary>
internal enum PasskeyCeremonyPurpose
{
    SecondFactor = 1,
    Passwordless = 2,
    Reauthentication = 3,
}

/// <summary>
/// The state of an assertion ceremony, handed to the browser sealed (authenticated encryption by the host's
/// <see cref="ISecretProtector"/>, so it cannot be forged or altered) and checked when the assertion comes back.
/// Nothing of it lives in process memory, so any instance sharing the database completes the ceremony; its challenge is
/// accepted once because the success write records it on the user (<see cref="Accounts.UserAccount.SpentPasskeyChallenges"/>).
/// A second-factor state is bound to the sign-in ticket it was started for (by the ticket's hash); a re-authentication
/// state to the session it was started for (by the hash of its user and session ids).
/// </summary>
internal sealed record PasskeyCeremonyState(
    [property: JsonPropertyName("p")] PasskeyCeremonyPurpose Purpose,
    [property: JsonPropertyName("c")] string Challenge,
    [property: JsonPropertyName("e")] DateTimeOffset ExpiresAt,
    [property: JsonPropertyName("t")] string? TicketHash)
{
    private const string Context = "passkey-ceremony:v1";

    /// <summary>The challenge's bytes (base64url-decoded).</summary>
    public byte[] ChallengeBytes => Base64UrlText.Decode(Challenge);

    /// <summary>SHA-256 of the challenge (hex), the form kept among the spent challenges.</summary>
    public string ChallengeHash => Convert.ToHexString(SHA256.HashData(ChallengeBytes));

    public string Seal(ISecretProtector protector) =>
        protector.Protect(JsonSerializer.SerializeToUtf8Bytes(this, PasskeyJsonContext.Default.PasskeyCeremonyState), Context);

    /// <summary>Opens a sealed state; <see langword="null"/> for anything altered, foreign, malformed or expired — never an exception.</summary>
    public static PasskeyCeremonyState? Open(ISecretProtector protector, string? sealedState, PasskeyCeremonyPurpose purpose, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(sealedState) || sealedState.Length > 4096)
        {
            return null;
        }

        using var opened = protector.Unprotect(sealedState, Context);
        if (!opened.Succeeded)
        {
            return null;
        }

        PasskeyCeremonyState? state;
        try
        {
            state = JsonSerializer.Deserialize(opened.Secret, PasskeyJsonContext.Default.PasskeyCeremonyState);
        }
        catch (JsonException)
        {
            return null;
        }

        return state is not null && state.Purpose == purpose && state.ExpiresAt > now && Base64UrlText.TryDecode(state.Challenge, out _) ? state : null;
    }
}

/// <summary>Every JSON shape of the package, source-generated (no reflection): the sealed ceremony state and the endpoints' bodies.</summary>
[JsonSerializable(typeof(PasskeyCeremonyState))]
[JsonSerializable(typeof(AspNetCore.PasskeyCredentialRequest))]
[JsonSerializable(typeof(AspNetCore.PasskeyPasswordRequest))]
[JsonSerializable(typeof(AspNetCore.PasskeyChangeRequest))]
[JsonSerializable(typeof(AspNetCore.PasswordlessPolicyRequest))]
[JsonSerializable(typeof(AspNetCore.PasskeyCeremonyResponse))]
[JsonSerializable(typeof(AspNetCore.PasskeyItem))]
[JsonSerializable(typeof(AspNetCore.PasskeyListResponse))]
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
internal sealed partial class PasskeyJsonContext : JsonSerializerContext;
