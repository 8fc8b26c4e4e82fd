using System.Security.Cryptography;
using System.Text;
using AccountSecurity.DependencyInjection;
using AccountSecurity.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AccountSecurity.Crypto;

/// <summary>
/// The default <see cref="ISecretProtector"/>: AES-256-GCM with a random 96-bit nonce and a 128-bit tag under the
/// keys of <see cref="AccountSecurityOptions.SecretProtection"/>, stored as
/// <c>v1.{keyId}.{base64url(nonce|ciphertext|tag)}</c>.
/// </summary>
/// <remarks>
/// The associated data binds the format version, the key id and the caller's context (the user), so neither the
/// header nor the owner of a protected value can be changed without failing authentication. Random 96-bit nonces
/// are safe for far more than the number of secrets a user base produces (NIST SP 800-38D's 2^32 per key).
/// </remarks>
public sealed class AesGcmSecretProtector : ISecretProtector, IDisposable
{
    private const string Version = "v1";
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int MaximumSecretSize = 1024;
    private const int MaximumProtectedLength = 4096;
    private static readonly byte[] AssociatedDataPrefix = "AccountSecurity/secret/"u8.ToArray();

    private readonly Dictionary<string, byte[]> _keys;
    private readonly string _currentKeyId;
    private readonly ILogger _logger;
    private readonly SampledLog _sampled;
    private readonly SampledLog? _ownedSampled;

    /// <summary>Creates the protector with the validated keys of <see cref="AccountSecurityOptions.SecretProtection"/>.</summary>
    /// <exception cref="OptionsValidationException">No key, an invalid key or no current key is configured.</exception>
    public AesGcmSecretProtector(IOptions<AccountSecurityOptions> options, ILogger<AesGcmSecretProtector>? logger = null)
        : this(options, logger, null)
    {
    }

    /// <summary>The protector with the service provider's <see cref="SampledLog"/> (one per process: its counts and windows are shared).</summary>
    internal AesGcmSecretProtector(IOptions<AccountSecurityOptions> options, ILogger<AesGcmSecretProtector>? logger, SampledLog? sampled)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value.SecretProtection;
        var problems = settings.Validate().ToList();
        if (problems.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(AccountSecurityOptions), problems);
        }

        _keys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (keyId, value) in settings.Keys)
        {
            _keys[keyId] = SecretProtectionOptions.TryDecodeKey(value)!;
        }

        _currentKeyId = settings.CurrentKeyId!;
        _logger = logger ?? NullLogger<AesGcmSecretProtector>.Instance;
        _sampled = sampled ?? (_ownedSampled = new SampledLog(TimeProvider.System));
    }

    /// <inheritdoc />
    public string Protect(ReadOnlySpan<byte> secret, string context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (secret.IsEmpty || secret.Length > MaximumSecretSize)
        {
            throw new ArgumentException($"A secret to protect is 1 to {MaximumSecretSize} bytes.", nameof(secret));
        }

        var payload = new byte[NonceSize + secret.Length + TagSize];
        var nonce = payload.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using (var aes = new AesGcm(_keys[_currentKeyId], TagSize))
        {
            aes.Encrypt(nonce, secret, payload.AsSpan(NonceSize, secret.Length), payload.AsSpan(NonceSize + secret.Length), AssociatedData(_currentKeyId, context));
        }

        return $"{Version}.{_currentKeyId}.{Base64Url.Encode(payload)}";
    }

    /// <inheritdoc />
    public SecretUnprotectResult Unprotect(string? protectedSecret, string context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (protectedSecret is null || protectedSecret.Length > MaximumProtectedLength
            || !protectedSecret.StartsWith(Version + ".", StringComparison.Ordinal))
        {
            return SecretUnprotectResult.Failure(SecretUnprotectStatus.Malformed);
        }

        var rest = protectedSecret.AsSpan(Version.Length + 1);
        var dot = rest.IndexOf('.');
        if (dot <= 0)
        {
            return SecretUnprotectResult.Failure(SecretUnprotectStatus.Malformed);
        }

        var keyId = rest[..dot].ToString();
        if (!SecretProtectionOptions.IsValidKeyId(keyId))
        {
            return SecretUnprotectResult.Failure(SecretUnprotectStatus.Malformed);
        }

        if (!_keys.TryGetValue(keyId, out var key))
        {
            if (_sampled.ShouldLog(ForgedStateKind.ProtectedSecretUnknownKey, out var suppressed))
            {
                Log.ProtectedSecretUnknownKey(_logger, keyId, suppressed);
            }

            return SecretUnprotectResult.Failure(SecretUnprotectStatus.UnknownKey, keyId);
        }

        var encoded = rest[(dot + 1)..].ToString();
        var payload = new byte[(encoded.Length * 3 / 4) + 3];
        if (!Base64Url.TryDecode(encoded, payload, out var written) || written <= NonceSize + TagSize)
        {
            return SecretUnprotectResult.Failure(SecretUnprotectStatus.Malformed, keyId);
        }

        var plaintext = new byte[written - NonceSize - TagSize];
        try
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(
                payload.AsSpan(0, NonceSize),
                payload.AsSpan(NonceSize, plaintext.Length),
                payload.AsSpan(NonceSize + plaintext.Length, TagSize),
                plaintext,
                AssociatedData(keyId, context));
        }
        catch (CryptographicException)
        {
            // AuthenticationTagMismatchException derives from it; the plaintext buffer may hold garbage, wipe it anyway.
            CryptographicOperations.ZeroMemory(plaintext);
            if (_sampled.ShouldLog(ForgedStateKind.ProtectedSecretTampered, out var suppressed))
            {
                Log.ProtectedSecretAuthenticationFailed(_logger, keyId, suppressed);
            }

            return SecretUnprotectResult.Failure(SecretUnprotectStatus.AuthenticationFailed, keyId);
        }

        return SecretUnprotectResult.Success(plaintext, keyId, shouldReprotect: keyId != _currentKeyId);
    }

    /// <summary>Zeroes the keys held in memory.</summary>
    public void Dispose()
    {
        foreach (var key in _keys.Values)
        {
            CryptographicOperations.ZeroMemory(key);
        }

        _ownedSampled?.Dispose();
    }

    // "AccountSecurity/secret/" + "v1." + keyId + "." + context: the key id has no '.', so the encoding is unambiguous.
    private static byte[] AssociatedData(string keyId, string context)
    {
        var header = $"{Version}.{keyId}.";
        var data = new byte[AssociatedDataPrefix.Length + Encoding.UTF8.GetByteCount(header) + Encoding.UTF8.GetByteCount(context)];
        AssociatedDataPrefix.CopyTo(data, 0);
        var offset = AssociatedDataPrefix.Length;
        offset += Encoding.UTF8.GetBytes(header, data.AsSpan(offset));
        Encoding.UTF8.GetBytes(context, data.AsSpan(offset));
        return data;
    }
}
