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
