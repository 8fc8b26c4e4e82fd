using System.Diagnostics;

namespace AccountSecurity.LoadTest;

/// <summary>
/// The latencies of one kind of operation during a run, from the moment the operation was due (not when a starved
/// thread pool got round to starting it), so a stalled scheduler shows up as latency instead of hiding as fewer samples.
/// Thread-safe; sorted once when read.
/// </summary>
internal sealed class Latencies
{
    private readonly List<double> _milliseconds = [];
    private readonly Lock _lock = new();

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _milliseconds.Count;
            }
        }
    }

    /// <summary>Records an operation that was due at <paramref name="dueTimestamp"/> (a <see cref="Stopwatch"/> timestamp) and has just finished.</summary>
    public void RecordSince(long dueTimestamp)
    {
        var elapsed = Stopwatch.GetElapsedTime(dueTimestamp).TotalMilliseconds;
        lock (_lock)
        {
            _milliseconds.Add(elapsed);
        }
    }

    /// <summary>The <paramref name="percentile"/> (0–100) by the nearest-rank method; <see langword="null"/> when nothing was recorded.</summary>
    public double? Percentile(double percentile)
    {
        lock (_lock)
        {
            if (_milliseconds.Count == 0)
            {
                return null;
            }

            _milliseconds.Sort();
            var rank = (int)Math.Ceiling(percentile / 100 * _milliseconds.Count);
            return _milliseconds[Math.Clamp(rank - 1, 0, _milliseconds.Count - 1)];
        }
    }

    public double? Max => Percentile(100);

    /// <summary>Adds every latency <paramref name="other"/> recorded (to summarise several instances together).</summary>
    public void AddFrom(Latencies other)
    {
        double[] copy;
        lock (other._lock)
        {
            copy = [.. other._milliseconds];
        }

        lock (_lock)
        {
            _milliseconds.AddRange(copy);
        }
    }
}
