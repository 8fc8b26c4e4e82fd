namespace AccountSecurity.Crypto;

/// <summary>Base64url without padding (RFC 4648 section 5), for tokens that travel in URLs.</summary>
internal static class Base64Url
{
    public static string Encode(ReadOnlySpan<byte> bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);

    /// <summary>
    /// Decodes <paramref name="text"/>; <see langword="false"/> for null, malformed input or a too-small destination.
    /// Never throws: <c>Base64Url.TryDecodeFromChars</c> throws <see cref="FormatException"/> on characters outside the
    /// alphabet (its "try" only covers the destination size), so the input is validated first.
    /// </summary>
    public static bool TryDecode(string? text, Span<byte> destination, out int written)
    {
        written = 0;
        return text is not null
            && System.Buffers.Text.Base64Url.IsValid(text, out var length)
            && length <= destination.Length
            && System.Buffers.Text.Base64Url.TryDecodeFromChars(text, destination, out written);
    }
}
