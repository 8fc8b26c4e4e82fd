using System.Security.Cryptography;

namespace AccountSecurity.Crypto;

/// <summary>
/// The keys that encrypt secrets at rest (TOTP secrets). Configure at least one key and name the current one;
/// a missing or invalid key fails the host's start. To rotate, add a new key, make it <see cref="CurrentKeyId"/>,
/// and keep the old ones configured: secrets protected under them stay readable and report that they should be
/// re-protected under the current key.
/// </summary>
/// <example>
/// <code>
/// // Once, offline: var key = SecretProtectionOptions.GenerateKey(); store it in your secret store.
/// options.SecretProtection.Keys["2025-01"] = configuration["AccountSecurity:Keys:2025-01"];
/// options.SecretProtection.CurrentKeyId = "2025-01";
/// </code>
/// </example>
public sealed class SecretProtectionOptions
{
    /// <summary>The size of every key: 32 bytes (AES-256).</summary>
    public const int KeySizeBytes = 32;

    /// <summary>The longest key id accepted.</summary>
    public const int MaximumKeyIdLength = 32;

    /// <summary>
    /// The keys by key id. A key id is 1 to <see cref="MaximumKeyIdLength"/> characters of <c>A-Z a-z 0-9 _ -</c> and
    /// is stored beside each protected secret; a key is the standard Base64 of exactly <see cref="KeySizeBytes"/>
    /// random bytes (see <see cref="GenerateKey"/>). Keep keys in a secret store, never in source control.
    /// </summary>
    /// <value>Empty by default: the host must add at least one key.</value>
    public IDictionary<string, string> Keys { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The id of the key new secrets are protected with; it must be one of <see cref="Keys"/>.</summary>
    /// <value>No default: the host must set it (or use <see cref="AddKey"/>).</value>
    public string? CurrentKeyId { get; set; }

    /// <summary>
    /// Adds a key and, when <paramref name="makeCurrent"/>, makes it the current key. For hosts that hold keys as
    /// bytes, and for tests (<c>options.SecretProtection.AddKey("test", RandomNumberGenerator.GetBytes(32))</c>).
    /// A key that is not <see cref="KeySizeBytes"/> bytes is kept and reported by the start-up validation (an
    /// <see cref="Microsoft.Extensions.Options.OptionsValidationException"/> that lists it with every other problem of
    /// the configuration, as a wrong key from configuration is), never thrown from inside the host's configure delegate.
    /// </summary>
    /// <returns>These options, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="keyId"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The key id is malformed or already present. The message never contains key material.</exception>
    public SecretProtectionOptions AddKey(string keyId, ReadOnlySpan<byte> key, bool makeCurrent = true)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        if (!IsValidKeyId(keyId))
        {
            throw new ArgumentException($"A key id is 1 to {MaximumKeyIdLength} characters of A-Z, a-z, 0-9, '_' and '-'.", nameof(keyId));
        }

        // A wrong length is left to Validate(): its message is the same whichever way the key came in.
        if (!Keys.TryAdd(keyId, Convert.ToBase64String(key)))
        {
            throw new ArgumentException($"Key id '{keyId}' is already configured.", nameof(keyId));
        }

        if (makeCurrent)
        {
            CurrentKeyId = keyId;
        }

        return this;
    }

    /// <summary>
    /// Generates a new random key (32 bytes from a cryptographically secure generator) as the Base64 string
    /// <see cref="Keys"/> expects. Store it in your secret store; it is never logged.
    /// </summary>
    public static string GenerateKey()
    {
        Span<byte> key = stackalloc byte[KeySizeBytes];
        RandomNumberGenerator.Fill(key);
        var text = Convert.ToBase64String(key);
        CryptographicOperations.ZeroMemory(key);
        return text;
    }

    internal static bool IsValidKeyId(string? keyId) =>
        !string.IsNullOrEmpty(keyId)
        && keyId.Length <= MaximumKeyIdLength
        && keyId.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');

    /// <summary>Decodes a configured key; <see langword="null"/> when it is not the Base64 of exactly 32 bytes.</summary>
    internal static byte[]? TryDecodeKey(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > 64)
        {
            return null;
        }

        var buffer = new byte[48];
        if (!Convert.TryFromBase64String(text.Trim(), buffer, out var written) || written != KeySizeBytes)
        {
            CryptographicOperations.ZeroMemory(buffer);
            return null;
        }

        var key = buffer[..KeySizeBytes];
        CryptographicOperations.ZeroMemory(buffer);
        return key;
    }

    // Messages name key ids and sizes only, never key material.
    internal IEnumerable<string> Validate()
    {
        if (Keys.Count == 0)
        {
            // CurrentKeyId is not asked for separately: AddKey sets it, and a configuration names it beside the keys.
            yield return "SecretProtection.Keys is empty: add at least one key of 32 bytes (AES-256), generated once with SecretProtectionOptions.GenerateKey() "
                + "and kept in a secret store. In code: options.SecretProtection.AddKey(\"k1\", keyBytes) (it also makes the key current). "
                + "From configuration: SecretProtection:Keys:k1 = the key's Base64, and SecretProtection:CurrentKeyId = k1.";
            yield break;
        }

        foreach (var (keyId, value) in Keys)
        {
            if (!IsValidKeyId(keyId))
            {
                yield return $"SecretProtection.Keys: a key id must be 1 to {MaximumKeyIdLength} characters of A-Z, a-z, 0-9, '_' and '-'.";
                continue;
            }

            if (KeyProblem(value) is { } problem)
            {
                yield return $"SecretProtection.Keys['{keyId}'] must be {KeySizeBytes} bytes (AES-256); {problem}. Generate one with SecretProtectionOptions.GenerateKey().";
            }
        }

        var ids = string.Join(", ", Keys.Keys.Where(IsValidKeyId).Order(StringComparer.Ordinal).Select(id => $"'{id}'"));
        if (string.IsNullOrEmpty(CurrentKeyId))
        {
            yield return $"SecretProtection.CurrentKeyId is required: name the key new secrets are protected with, one of {ids} "
                + "(AddKey sets it unless makeCurrent is false; from configuration, set SecretProtection:CurrentKeyId).";
        }
        else if (!Keys.ContainsKey(CurrentKeyId))
        {
            var named = IsValidKeyId(CurrentKeyId) ? $" ('{CurrentKeyId}')" : string.Empty;
            yield return $"SecretProtection.CurrentKeyId{named} names a key that is not in SecretProtection.Keys: name one of {ids}.";
        }
    }

    /// <summary>What is wrong with a configured key (its decoded length, never its content), or <see langword="null"/> when it is 32 bytes of Base64.</summary>
    private static string? KeyProblem(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "it is empty";
        }

        var key = TryDecodeKey(text);
        if (key is not null)
        {
            CryptographicOperations.ZeroMemory(key);
            return null;
        }

        // Long enough for any plausible mistake (a 256-byte key); the length is all that is reported.
        const int longestMeasured = 4096;
        if (text.Length > longestMeasured)
        {
            return "it is far longer";
        }

        var buffer = new byte[text.Length];
        var decoded = Convert.TryFromBase64String(text.Trim(), buffer, out var written);
        CryptographicOperations.ZeroMemory(buffer);
        return decoded ? $"it is {written} bytes" : "it is not standard Base64";
    }
}
