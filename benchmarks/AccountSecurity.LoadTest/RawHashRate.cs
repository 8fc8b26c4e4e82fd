using System.Diagnostics;

namespace AccountSecurity.LoadTest;

/// <summary>
/// A password hash's physical limit on this machine: verifications per second with every core busy (one dedicated
/// thread per core, calling the hash directly). Measured in the same run as the scenarios, so their throughput is read
/// as a ratio of it.
/// </summary>
internal static class RawHashRate
{
    /// <summary>Calls <paramref name="verify"/> on every core for <paramref name="duration"/>; throws if it ever answers <see langword="false"/>.</summary>
    public static double OnEveryCore(Func<bool> verify, TimeSpan duration)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var count = 0L;
        var started = Stopwatch.GetTimestamp();
        var threads = Enumerable.Range(0, Environment.ProcessorCount).Select(_ => new Thread(() =>
        {
            while (Stopwatch.GetTimestamp() < deadline)
            {
                if (!verify())
                {
                    throw new InvalidOperationException("A hash refused the password it was made from.");
                }

                Interlocked.Increment(ref count);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        return count / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    /// <summary>The median time of <paramref name="times"/> verifications on one thread, after one unmeasured.</summary>
    public static TimeSpan OneVerify(Func<bool> verify, int times)
    {
        verify();
        var samples = new TimeSpan[times];
        for (var i = 0; i < times; i++)
        {
            var started = Stopwatch.GetTimestamp();
            if (!verify())
            {
                throw new InvalidOperationException("A hash refused the password it was made from.");
            }

            samples[i] = Stopwatch.GetElapsedTime(started);
        }

        Array.Sort(samples);
        return samples[times / 2];
    }
}
