using OtpNet;

namespace AccountSecurity.TwoFactor.Totp;

/// <summary>
/// A freshly generated TOTP shared secret. Dispose it as soon as it has been protected and shown: disposing zeroes
/// the bytes. <see cref="ToString"/> never prints the secret.
/// </summary>
public sealed class TotpSecret : IDisposable
{
    private byte[]? _bytes;

    internal TotpSecret(byte[] bytes) => _bytes = bytes;

    /// <summary>The raw secret, to encrypt with an <c>ISecretProtector</c> and to verify codes against.</summary>
    /// <exception cref="ObjectDisposedException">The secret was disposed.</exception>
    public ReadOnlySpan<byte> Bytes => _bytes ?? throw new ObjectDisposedException(nameof(TotpSecret));

    /// <summary>The secret's length in bytes (0 once disposed).</summary>
    public int Length => _bytes?.Length ?? 0;

    /// <summary>
    /// The secret in RFC 4648 Base32 without padding, as authenticator apps and the otpauth URI expect it. The
    /// returned string cannot be wiped from memory; create it only to show the user and to build the URI.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The secret was disposed.</exception>
    public string ToBase32() =>
        Base32Encoding.ToString(_bytes ?? throw new ObjectDisposedException(nameof(TotpSecret))).TrimEnd('=');

    /// <summary>Zeroes the secret's bytes. Safe to call more than once.</summary>
    public void Dispose()
    {
        var bytes = Interlocked.Exchange(ref _bytes, null);
        if (bytes is not null)
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>Describes the secret without revealing it.</summary>
    public override string ToString() => $"TotpSecret {{ Length = {Length} bytes }}";
}
