using System.Diagnostics;
using System.Runtime;

namespace AccountSecurity.LoadTest;

/// <summary>
/// Waits, with the machine otherwise idle, until the runtime has stopped compiling methods: the end of a warm-up. The
/// runtime compiles a method again at its optimised tier in the background once the method is hot; during a warm-up
/// under full load that compiler shares the cores with bcrypt and falls behind, so this gives it the idle cores it
/// needs before the measured run starts.
/// </summary>
internal static class JitSettling
{
    /// <summary>A warm-up round that compiled fewer methods than this (load and pause) leaves the host warm.</summary>
    public const long SettledRound = 20;

    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// A host measured is a host that has been up for a while. The same load runs first, unmeasured, in rounds of
    /// <see cref="LoadSettings.WarmUp"/> (<paramref name="round"/> drives it for the length it is given): each round
    /// calls every path often enough for the runtime to compile it again at its optimised tier, then pauses while the
    /// background compiler does so on idle cores (with bcrypt on every core it falls behind, and without the warm-up it
    /// compiles through the measured run: over HTTP it took a fifth of the CPU, counted as a cost of the library). The
    /// warm-up ends when a round leaves next to nothing to compile, or after <see cref="LoadSettings.WarmUpRounds"/>.
    /// </summary>
    public static async Task WarmUpAsync(Func<TimeSpan, Task> round, LoadSettings settings)
    {
        for (var i = 0; i < settings.WarmUpRounds; i++)
        {
            var before = JitInfo.GetCompiledMethodCount();
            await round(settings.WarmUp);
            await WaitAsync(settings.WarmUp * 2);
            var compiled = JitInfo.GetCompiledMethodCount() - before;
            Console.WriteLine($"  warm-up round {i + 1}: {compiled} methods compiled");
            if (compiled < SettledRound)
            {
                return;
            }
        }
    }

    /// <summary>Returns once no method was compiled for half a second, or after <paramref name="atMost"/>.</summary>
    public static async Task WaitAsync(TimeSpan atMost)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(atMost.TotalSeconds * Stopwatch.Frequency);
        var compiled = JitInfo.GetCompiledMethodCount();
        while (Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(Quiet);
            var now = JitInfo.GetCompiledMethodCount();
            if (now == compiled)
            {
                return;
            }

            compiled = now;
        }
    }
}
