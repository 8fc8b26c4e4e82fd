using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;

namespace AccountSecurity.Crypto;

/// <summary>
/// HMAC-SHA-1 for many short messages under one key, keyed once: the key's inner and outer pad blocks are compressed
/// a single time into two SHA-1 states, after which each 8-byte TOTP counter costs exactly two compressions, on the
/// stack, with no allocation and no per-message key processing (which is what one-shot <see cref="HMACSHA1.HashData(ReadOnlySpan{byte}, ReadOnlySpan{byte}, Span{byte})"/> repeats).
/// </summary>
/// <remarks>
/// SHA-1's compression has no data-dependent branches or table look-ups, so this runs in time independent of the key
/// and message. Correctness is pinned by the RFC 6238 vectors and a cross-check against the platform HMAC in the tests.
/// Call <see cref="Clear"/> when done: the pad states are key material.
/// </remarks>
internal ref struct HmacSha1KeyedOnce
{
    public const int MacSize = 20;
    private const int BlockSize = 64;

    private Sha1State _inner;
    private Sha1State _outer;

    public HmacSha1KeyedOnce(ReadOnlySpan<byte> key)
    {
        Span<byte> block = stackalloc byte[BlockSize];
        block.Clear();
        if (key.Length > BlockSize)
        {
            SHA1.HashData(key, block); // RFC 2104: long keys are hashed first
        }
        else
        {
            key.CopyTo(block);
        }

        Span<byte> pad = stackalloc byte[BlockSize];
        for (var i = 0; i < BlockSize; i++)
        {
            pad[i] = (byte)(block[i] ^ 0x36);
        }

        _inner = Sha1State.Initial;
        _inner.Compress(pad);
        for (var i = 0; i < BlockSize; i++)
        {
            pad[i] = (byte)(block[i] ^ 0x5C);
        }

        _outer = Sha1State.Initial;
        _outer.Compress(pad);
        CryptographicOperations.ZeroMemory(pad);
        CryptographicOperations.ZeroMemory(block);
    }

    /// <summary>Writes HMAC-SHA-1(key, <paramref name="message"/>) for a message of at most 55 bytes (one final block).</summary>
    public readonly void Compute(ReadOnlySpan<byte> message, Span<byte> mac)
    {
        if (message.Length > 55 || mac.Length < MacSize)
        {
            throw new ArgumentException("HmacSha1KeyedOnce handles messages of at most 55 bytes into a 20-byte buffer.");
        }

        Span<byte> block = stackalloc byte[BlockSize];
        var inner = _inner;
        inner.Compress(FinalBlock(message, block));
        inner.WriteTo(mac);

        var outer = _outer;
        outer.Compress(FinalBlock(mac[..MacSize], block));
        outer.WriteTo(mac);
        CryptographicOperations.ZeroMemory(block);
    }

    public void Clear()
    {
        _inner = default;
        _outer = default;
    }

    /// <summary>The last (and only) block after a 64-byte pad block: message, 0x80, zeros, total bit length.</summary>
    private static ReadOnlySpan<byte> FinalBlock(ReadOnlySpan<byte> message, Span<byte> block)
    {
        block.Clear();
        message.CopyTo(block);
        block[message.Length] = 0x80;
        BinaryPrimitives.WriteUInt64BigEndian(block[56..], (ulong)(BlockSize + message.Length) * 8);
        return block;
    }

    private struct Sha1State
    {
        private uint _h0, _h1, _h2, _h3, _h4;

        public static Sha1State Initial => new() { _h0 = 0x67452301, _h1 = 0xEFCDAB89, _h2 = 0x98BADCFE, _h3 = 0x10325476, _h4 = 0xC3D2E1F0 };

        public void Compress(ReadOnlySpan<byte> block)
        {
            Span<uint> w = stackalloc uint[80];
            for (var i = 0; i < 16; i++)
            {
                w[i] = BinaryPrimitives.ReadUInt32BigEndian(block[(i * 4)..]);
            }

            for (var i = 16; i < 80; i++)
            {
                w[i] = BitOperations.RotateLeft(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
            }

            uint a = _h0, b = _h1, c = _h2, d = _h3, e = _h4;

            // Four loops, one per round function, so the hot loop has no branch on the round number.
            for (var i = 0; i < 20; i++)
            {
                Round(ref a, ref b, ref c, ref d, ref e, ((b & c) | (~b & d)) + 0x5A827999 + w[i]);
            }

            for (var i = 20; i < 40; i++)
            {
                Round(ref a, ref b, ref c, ref d, ref e, (b ^ c ^ d) + 0x6ED9EBA1 + w[i]);
            }

            for (var i = 40; i < 60; i++)
            {
                Round(ref a, ref b, ref c, ref d, ref e, ((b & c) | (b & d) | (c & d)) + 0x8F1BBCDC + w[i]);
            }

            for (var i = 60; i < 80; i++)
            {
                Round(ref a, ref b, ref c, ref d, ref e, (b ^ c ^ d) + 0xCA62C1D6 + w[i]);
            }

            _h0 += a;
            _h1 += b;
            _h2 += c;
            _h3 += d;
            _h4 += e;
            w.Clear();
        }

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        private static void Round(ref uint a, ref uint b, ref uint c, ref uint d, ref uint e, uint fkw)
        {
            var temp = BitOperations.RotateLeft(a, 5) + fkw + e;
            e = d;
            d = c;
            c = BitOperations.RotateLeft(b, 30);
            b = a;
            a = temp;
        }

        public readonly void WriteTo(Span<byte> destination)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination, _h0);
            BinaryPrimitives.WriteUInt32BigEndian(destination[4..], _h1);
            BinaryPrimitives.WriteUInt32BigEndian(destination[8..], _h2);
            BinaryPrimitives.WriteUInt32BigEndian(destination[12..], _h3);
            BinaryPrimitives.WriteUInt32BigEndian(destination[16..], _h4);
        }
    }
}
