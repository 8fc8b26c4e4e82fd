using System.Security.Cryptography;

namespace AccountSecurity.Verification;

/// <summary>
/// How long counting an attempt took lately (the reservation write of <see cref="FactorVerification"/>: one store
/// write before anything is compared), so that a password answer with nothing to count takes as long: an unknown
/// e-mail, a locked password, an account that vanished. Without it, a wrong password for an existing e-mail took one
/// store write longer than one for an unknown e-mail, and that difference tells which e-mails have accounts (issue 23,
/// finding 10). One per service provider, like the hashing limiter.
/// </summary>
/// <remarks>
/// <para>
/// The dummy check sleeps one of the last <see cref="Kept"/> measured counts, picked at random, so it follows the
/// host's store and load as the writes do (a SQLite file's flush, a PostgreSQL round trip, contention for SQLite's one
/// writer), tails included, not only on average. It sleeps on the hashing thread, inside the hashing turn, as a real
/// check holds its turn while its count is written: a system timer would not do, as it fires on the kernel's tick
/// (a 1 ms <c>Task.Delay</c> took 3–4 ms on the load driver's machine), while a thread's sleep keeps to the millisecond.
/// </para>
/// <para>
/// Why a measured wait and not the same store work: an unknown e-mail has no row to write, and an update that matches
/// no row costs something else. On a SQLite file it skips the commit's flush, most of what the write costs; on
/// PostgreSQL the EF Core store adds a second round trip to tell a missing row from a conflict (benchmarks/README.md
/// has both). It would also take SQLite's one write lock for every guessed address, and hand a made-up record to
/// the host's store. Sleeps are whole milliseconds, right on average, so counts of microseconds (the in-memory store)
/// almost never sleep. Nothing is slept before the first count of the process has been measured.
/// </para>
/// </remarks>
internal sealed class CountingTime
{
    /// <summary>How many recent counts are kept to pick from.</summary>
    internal const int Kept = 32;

    /// <summary>A count that took longer (a stalled store) is kept as this long: a sleep never outlasts it.</summary>
    internal static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(1);

    private readonly TimeProvider _time;
    private readonly Action<TimeSpan> _sleep;
    private readonly long[] _ticks = new long[Kept];
    private long _measured;

    /// <param name="time">The clock counts are measured on.</param>
    /// <param name="sleep">How the calling thread sleeps (tests record it instead); <see cref="Thread.Sleep(TimeSpan)"/> by default.</param>
    public CountingTime(TimeProvider time, Action<TimeSpan>? sleep = null)
    {
        _time = time;
        _sleep = sleep ?? Thread.Sleep;
    }

    /// <summary>A timestamp (of the <see cref="TimeProvider"/>) taken before counting.</summary>
    public long Start() => _time.GetTimestamp();

    /// <summary>Records a count, started at <paramref name="started"/>, that wrote and has just finished.</summary>
    public void Counted(long started)
    {
        var ticks = Math.Min(_time.GetElapsedTime(started).Ticks, MaxWait.Ticks);
        var slot = (int)((Interlocked.Increment(ref _measured) - 1) % Kept);
        Volatile.Write(ref _ticks[slot], ticks);
    }

    /// <summary>
    /// Blocks the calling thread as long as one recent count took (picked at random, in whole milliseconds that are
    /// right on average); not at all before a count was measured. Only for a hashing thread, in the turn of a dummy
    /// check: never on the thread pool.
    /// </summary>
    public void Spend()
    {
        if (Pick() is { } wait)
        {
            _sleep(wait);
        }
    }

    private TimeSpan? Pick()
    {
        var measured = (int)Math.Min(Volatile.Read(ref _measured), Kept);
        if (measured == 0)
        {
            return null;
        }

        // Whole milliseconds, what a thread's sleep keeps to: one more with the chance of the fraction, so on average
        // exactly the count's time whatever its spread (rounding would over-sleep counts of 0.5 to 1 ms every time).
        var picked = TimeSpan.FromTicks(Volatile.Read(ref _ticks[RandomNumberGenerator.GetInt32(measured)])).TotalMilliseconds;
        var milliseconds = Math.Floor(picked);
        if (RandomNumberGenerator.GetInt32(1_000) < (int)((picked - milliseconds) * 1_000))
        {
            milliseconds++;
        }

        return milliseconds < 1 ? null : TimeSpan.FromMilliseconds(milliseconds);
    }
}
