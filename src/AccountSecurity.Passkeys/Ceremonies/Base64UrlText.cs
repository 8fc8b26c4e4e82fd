using System.Buffers.Text;

namespace AccountSecurity.Passkeys.Ceremonies;

/// <summary>WebAuthn's binary fields as text: base64url without padding, through the platform's codec.</summary>
internal static class Base64UrlText
{
    public static string Encode(ReadOnlySpan<byte> bytes) => Base64Url.EncodeToString(bytes);

    /// <summary>Decodes text known to be valid (written by us); throws for anything else, which would be a bug.</summary>
    public static byte[] Decode(string text) => Base64Url.DecodeFromChars(text);

    /// <summary>Decodes text from outside; <see langword="false"/> for null, empty, over-long or invalid text, never an exception.</summary>
    public static bool TryDecode(string? text, out byte[] bytes)
    {
        bytes = [];
        if (string.IsNullOrEmpty(text) || text.Length > 1024 || !Base64Url.IsValid(text))
        {
            return false;
        }

        bytes = Base64Url.DecodeFromChars(text);
        return true;
    }
}
