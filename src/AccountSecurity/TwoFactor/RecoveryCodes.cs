using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;

namespace AccountSecurity.TwoFactor;

/// <summary>
/// One-time recovery codes: 80 random bits each (the requirement is at least 50), shown once as
/// <c>XXXX-XXXX-XXXX-XXXX</c> (Crockford-free Base32 alphabet), stored as SHA-256. With 80 bits an offline search of
/// a leaked hash is out of reach, so a fast hash is enough and a sign-in checks all codes in constant time.
/// </summary>
internal static class RecoveryCodes
{
    private const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"; // 32 symbols, no 0/O/1/I look-alikes
    private const int Symbols = 16; // 16 × 5 bits = 80 bits
    private const int MaxInputLength = 64;

    public static (IReadOnlyList<string> Codes, ImmutableArray<string> Hashes) Generate(int count)
    {
        var codes = new string[count];
        var hashes = ImmutableArray.CreateBuilder<string>(count);
        for (var i = 0; i < count; i++)
        {
            var chars = new char[Symbols];
            for (var j = 0; j < Symbols; j++)
            {
                chars[j] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
            }

            var plain = new string(chars);
            codes[i] = string.Join('-', plain.Chunk(4).Select(c => new string(c)));
            hashes.Add(Hash(plain));
        }

        return (codes, hashes.MoveToImmutable());
    }

    /// <summary>The index of the stored hash <paramref name="input"/> matches, or -1. Compares against every hash.</summary>
    public static int Find(ImmutableArray<string> hashes, string? input)
    {
        if (!TryNormalize(input, out var normalized))
        {
            return -1;
        }

        var candidate = Encoding.ASCII.GetBytes(Hash(normalized));
        var found = -1;
        for (var i = 0; i < hashes.Length; i++)
        {
            if (CryptographicOperations.FixedTimeEquals(candidate, Encoding.ASCII.GetBytes(hashes[i])) && found < 0)
            {
                found = i;
            }
        }

        return found;
    }

    /// <summary>Whether <paramref name="input"/> has the shape of a recovery code (16 symbols of its alphabet, dashes and spaces aside); TOTP codes never do.</summary>
    public static bool IsWellFormed(string? input) => TryNormalize(input, out _);

    private static bool TryNormalize(string? input, out string normalized)
    {
        normalized = string.Empty;
        if (string.IsNullOrEmpty(input) || input.Length > MaxInputLength)
        {
            return false;
        }

        var builder = new StringBuilder(Symbols);
        foreach (var c in input)
        {
            if (c is '-' or ' ')
            {
                continue;
            }

            var upper = char.ToUpperInvariant(c);
            if (!Alphabet.Contains(upper, StringComparison.Ordinal))
            {
                return false;
            }

            builder.Append(upper);
        }

        normalized = builder.ToString();
        return normalized.Length == Symbols;
    }

    private static string Hash(string normalized) => Convert.ToHexString(SHA256.HashData(Encoding.ASCII.GetBytes(normalized)));
}
