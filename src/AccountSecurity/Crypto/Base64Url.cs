namespace AccountSecurity.Crypto;

/// <summary>Base64url without padding (RFC 4648 section 5), for tokens that travel in URLs.</summary>
internal static class Base64Url
{
    public static string Encode(ReadOnlySpan<byte> bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);

    public static bool TryDecode(string? text, Span<byte> destination, out int written)
    {
        written = 0;
        return text is not null && System.Buffers.Text.Base64Url.TryDecodeFromChars(text, destination, out written);
    }
}
