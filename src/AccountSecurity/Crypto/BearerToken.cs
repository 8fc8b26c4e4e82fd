using System.Security.Cryptography;

namespace AccountSecurity.Crypto;

/// <summary>
/// The one shape of a random bearer token that names a stored record: <c>base64url(128-bit id).base64url(256-bit
/// secret)</c>. The id finds the record (it may be shown, listed and logged); only the secret's <see cref="SecretHash"/>
/// is stored, so neither a database reader nor a log line can make a token. Used by device tokens and session references.
/// </summary>
internal readonly record struct BearerToken(string Id, string SecretHash)
{
    /// <summary>Longer than any token this shape makes; anything longer is refused unread.</summary>
    public const int MaxLength = 200;

    /// <summary>A new token for <paramref name="id"/> (a new random id when <see langword="null"/>): the text to hand out once, and what to store.</summary>
    public static (string Token, BearerToken Stored) Issue(string? id = null)
    {
        id ??= Base64Url.Encode(RandomNumberGenerator.GetBytes(16));
        var secret = Base64Url.Encode(RandomNumberGenerator.GetBytes(32));
        return (id + "." + secret, new BearerToken(id, Crypto.SecretHash.Of(secret)));
    }

    /// <summary>
    /// The id and the secret's hash of <paramref name="token"/>; <see langword="null"/> for anything else (absent,
    /// malformed, oversized, not base64url). Never throws.
    /// </summary>
    public static BearerToken? Parse(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > MaxLength)
        {
            return null;
        }

        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot == token.Length - 1 || token.IndexOf('.', dot + 1) >= 0)
        {
            return null;
        }

        var id = token[..dot];
        var secret = token[(dot + 1)..];
        return IsBase64Url(id) && IsBase64Url(secret) ? new BearerToken(id, Crypto.SecretHash.Of(secret)) : null;
    }

    /// <summary>Whether <paramref name="text"/> is non-empty unpadded base64url.</summary>
    public static bool IsBase64Url(string text)
    {
        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return false;
            }
        }

        return text.Length > 0;
    }

    /// <inheritdoc />
    public override string ToString() => $"BearerToken {{ Id = {Id} }}";
}
