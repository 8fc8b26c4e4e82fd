using System.Diagnostics;

namespace AccountSecurity.LoadTest;

/// <summary>
/// The physical limit of this machine: bcrypt verifications per second at the run's work factor with every core busy
/// (one dedicated thread per core, calling BCrypt.Net-Next directly). Measured in the same run as the scenarios, so
/// their throughput is read as a ratio of it.
/// </summary>
internal static class RawBcryptRate
{
    public static double Measure(int workFactor, TimeSpan duration)
    {
        const string password = "raw bcrypt rate probe";
        var hash = BCrypt.Net.BCrypt.HashPassword(password, workFactor);
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var count = 0L;
        var started = Stopwatch.GetTimestamp();
        var threads = Enumerable.Range(0, Environment.ProcessorCount).Select(_ => new Thread(() =>
        {
            while (Stopwatch.GetTimestamp() < deadline)
            {
                if (!BCrypt.Net.BCrypt.Verify(password, hash))
                {
                    throw new InvalidOperationException("bcrypt refused its own hash.");
                }

                Interlocked.Increment(ref count);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        return count / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }
}
