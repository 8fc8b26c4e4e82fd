using System.Buffers;

namespace AccountSecurity.BreachedPasswords.Sources;

/// <summary>Reads a stream to its end into a pooled buffer, but never more than a cap: a larger stream is refused after cap + 1 bytes.</summary>
internal sealed class BoundedRead : IDisposable
{
    private byte[]? _buffer;

    private BoundedRead(byte[] buffer, int length, bool oversized)
    {
        _buffer = buffer;
        Length = length;
        Oversized = oversized;
    }

    public int Length { get; }

    /// <summary>Whether the stream had more than the cap (then <see cref="Span"/> holds only the first bytes).</summary>
    public bool Oversized { get; }

    public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, Length);

    public static async ValueTask<BoundedRead> ReadAsync(Stream stream, int cap, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(cap + 1, 64 * 1024));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > cap)
                    {
                        return new BoundedRead(buffer, length, oversized: true);
                    }

                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(cap + 1, buffer.Length * 2));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await stream.ReadAsync(buffer.AsMemory(length, Math.Min(buffer.Length, cap + 1) - length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return new BoundedRead(buffer, length, oversized: false);
                }

                length += read;
                if (length > cap)
                {
                    return new BoundedRead(buffer, length, oversized: true);
                }
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    public void Dispose()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
