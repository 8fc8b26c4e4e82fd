namespace AccountSecurity.Crypto;

/// <summary>
/// Authenticated encryption of small secrets (TOTP secrets) for storage, bound to a context such as the user id so a
/// protected value copied to another user's row does not decrypt.
/// </summary>
/// <remarks>Implementations never log, throw with, or put in a <c>ToString()</c> a plaintext or a key.</remarks>
public interface ISecretProtector
{
    /// <summary>Encrypts <paramref name="secret"/> under the current key, bound to <paramref name="context"/>.</summary>
    /// <param name="secret">The plaintext, 1 to 1024 bytes.</param>
    /// <param name="context">What the secret belongs to, e.g. <c>"totp:" + userId</c>; the same value must be given
    /// to <see cref="Unprotect"/>. Not secret, not stored.</param>
    /// <returns>A printable value to store (for the default protector: <c>v1.{keyId}.{base64url(nonce|ciphertext|tag)}</c>).</returns>
    /// <exception cref="ArgumentException">The secret is empty or longer than 1024 bytes, or the context is null (caller bugs).</exception>
    string Protect(ReadOnlySpan<byte> secret, string context);

    /// <summary>Decrypts a value from <see cref="Protect"/> with whichever configured key it names.</summary>
    /// <param name="protectedSecret">The stored value; null, empty, malformed or hostile input gives a failure, never an exception.</param>
    /// <param name="context">The context given to <see cref="Protect"/>.</param>
    /// <returns>The plaintext (dispose the result to zero it) and whether to re-protect it under the current key; or
    /// a failure: <see cref="SecretUnprotectStatus.Malformed"/>, <see cref="SecretUnprotectStatus.UnknownKey"/> or
    /// <see cref="SecretUnprotectStatus.AuthenticationFailed"/> (altered, or another context).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is null (a caller bug).</exception>
    SecretUnprotectResult Unprotect(string? protectedSecret, string context);
}
