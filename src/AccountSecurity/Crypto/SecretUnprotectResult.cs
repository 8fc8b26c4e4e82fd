using System.Security.Cryptography;
using AccountSecurity.Localization;
using AccountSecurity.Results;

namespace AccountSecurity.Crypto;

/// <summary>Why <see cref="ISecretProtector.Unprotect"/> succeeded or failed.</summary>
public enum SecretUnprotectStatus
{
    /// <summary>Not a result of an unprotect operation; never a success.</summary>
    None = 0,

    /// <summary>Decrypted and authenticated.</summary>
    Success = 1,

    /// <summary>The value is not in the expected format.</summary>
    Malformed = 2,

    /// <summary>The value names a key id that is not configured.</summary>
    UnknownKey = 3,

    /// <summary>Authentication failed: the value was altered or belongs to another context.</summary>
    AuthenticationFailed = 4,
}

/// <summary>
/// The outcome of <see cref="ISecretProtector.Unprotect"/>. On success it owns the plaintext: dispose it as soon as
/// the secret has been used, which zeroes the plaintext. <see cref="ToString"/> never prints the plaintext.
/// </summary>
public sealed class SecretUnprotectResult : IDisposable
{
    private byte[]? _secret;

    private SecretUnprotectResult(SecretUnprotectStatus status, byte[]? secret, string? keyId, bool shouldReprotect)
    {
        Status = status;
        _secret = secret;
        KeyId = keyId;
        ShouldReprotect = shouldReprotect;
    }

    /// <summary>The outcome.</summary>
    public SecretUnprotectStatus Status { get; }

    /// <summary>Whether the secret was decrypted and authenticated.</summary>
    public bool Succeeded => Status == SecretUnprotectStatus.Success;

    /// <summary>The key id the value named, when it could be read; not secret.</summary>
    public string? KeyId { get; }

    /// <summary>
    /// Whether the secret was protected under a key that is no longer the current one: the caller should protect it
    /// again and store the new value, so the old key can eventually be retired. Always false on failure.
    /// </summary>
    public bool ShouldReprotect { get; }

    /// <summary>The plaintext.</summary>
    /// <exception cref="InvalidOperationException">The operation failed.</exception>
    /// <exception cref="ObjectDisposedException">The result was disposed.</exception>
    public ReadOnlySpan<byte> Secret => Succeeded
        ? _secret ?? throw new ObjectDisposedException(nameof(SecretUnprotectResult))
        : throw new InvalidOperationException("The secret could not be unprotected; inspect Status instead of Secret.");

    /// <summary>The stable error code from <see cref="SecurityErrorCodes"/>; <see langword="null"/> on success.</summary>
    public string? ErrorCode => Status switch
    {
        SecretUnprotectStatus.Success => null,
        SecretUnprotectStatus.UnknownKey => SecurityErrorCodes.ProtectedSecretUnknownKey,
        SecretUnprotectStatus.AuthenticationFailed => SecurityErrorCodes.ProtectedSecretAuthenticationFailed,
        _ => SecurityErrorCodes.ProtectedSecretMalformed,
    };

    /// <summary>The failure as a <see cref="SecurityError"/>; <see langword="null"/> on success.</summary>
    public SecurityError? ToError() =>
        Succeeded ? null : new SecurityError(ErrorCode!, UserMessages.StoredSecretUnreadable);

    /// <summary>Zeroes the plaintext. Safe to call more than once.</summary>
    public void Dispose()
    {
        var secret = Interlocked.Exchange(ref _secret, null);
        if (secret is not null)
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    /// <summary>Describes the outcome without the plaintext.</summary>
    public override string ToString() =>
        Succeeded ? $"Succeeded (key {KeyId}, reprotect {ShouldReprotect})" : $"Failed: {ErrorCode} (key {KeyId ?? "-"})";

    internal static SecretUnprotectResult Success(byte[] secret, string keyId, bool shouldReprotect) =>
        new(SecretUnprotectStatus.Success, secret, keyId, shouldReprotect);

    internal static SecretUnprotectResult Failure(SecretUnprotectStatus status, string? keyId = null) =>
        new(status, null, keyId, false);
}
