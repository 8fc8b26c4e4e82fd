using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace AccountSecurity.BreachedPasswords;

/// <summary>
/// A password's place in the range protocol: the first 5 hex characters of its SHA-1 (the prefix, the only part that
/// is ever sent or logged) and the other 35 (the suffix, compared locally and never written anywhere).
/// </summary>
/// <remarks>
/// SHA-1 is the protocol's hash: the service indexes breached passwords by it, so it names the range to ask for. It
/// is never used to store or verify a password (that is bcrypt, in the core package), and a SHA-1 of a password is as
/// secret as the password: <see cref="ToString"/> prints the prefix only.
/// </remarks>
internal readonly struct PasswordHashRange
{
    /// <summary>Hex characters in the prefix.</summary>
    public const int PrefixLength = 5;

    /// <summary>Hex characters in the suffix.</summary>
    public const int SuffixLength = 35;

    private PasswordHashRange(string prefix, string suffix)
    {
        Prefix = prefix;
        Suffix = suffix;
    }

    /// <summary>The first 5 upper-case hex characters of the SHA-1.</summary>
    public string Prefix { get; }

    /// <summary>The other 35 upper-case hex characters. A secret.</summary>
    public string Suffix { get; }

    /// <summary>The range of <paramref name="password"/>, hashed as UTF-8 (as the service does).</summary>
    public static PasswordHashRange Of(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        var length = Encoding.UTF8.GetMaxByteCount(password.Length);
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var written = Encoding.UTF8.GetBytes(password, buffer);
            Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
            SHA1.HashData(buffer.AsSpan(0, written), hash);
            var hex = Convert.ToHexString(hash);
            CryptographicOperations.ZeroMemory(hash);
            return new PasswordHashRange(hex[..PrefixLength], hex[PrefixLength..]);
        }
        finally
        {
            // The password's bytes do not linger in a pooled array another caller gets next.
            CryptographicOperations.ZeroMemory(buffer.AsSpan(0, length));
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Whether <paramref name="prefix"/> is 5 upper-case hex characters (a range a request or file may name).</summary>
    public static bool IsPrefix(string? prefix) =>
        prefix is { Length: PrefixLength } && prefix.All(c => c is >= '0' and <= '9' or >= 'A' and <= 'F');

    /// <summary>The prefix only: the suffix never appears in a log line or a message.</summary>
    public override string ToString() => $"PasswordHashRange {{ Prefix = {Prefix} }}";
}
