using System.Runtime.InteropServices;

namespace AccountSecurity.Passwords.Hashing;

/// <summary>
/// Lowers the scheduling priority of the calling thread (a hashing thread, at its start), so that any other runnable
/// thread of the host takes a core before bcrypt does. A hint to the operating system: when it cannot be applied,
/// nothing fails and the thread keeps its priority.
/// </summary>
/// <remarks>
/// Why not <see cref="Thread.Priority"/> alone: on Linux .NET keeps the value but the scheduler never sees it (the
/// default policy ignores static priorities; dotnet/runtime#91165). What Linux's scheduler does weigh is the thread's
/// nice value, which <c>setpriority(PRIO_PROCESS, 0, n)</c> sets for the calling thread only (per thread on Linux,
/// unlike POSIX's per-process rule, setpriority(2)), and which any process may raise without privileges.
/// </remarks>
internal static partial class HashingThreadPriority
{
    /// <summary>
    /// The nice value the hashing threads run at on Linux: a weight of about a tenth of a default thread's, so a request
    /// thread woken beside two bcrypt threads gets a core at once, while bcrypt still has every core no one else wants.
    /// </summary>
    internal const int LinuxNice = 10;

    private const int PrioProcess = 0;

    /// <summary>Lowers the calling thread's priority; returns whether the operating system took it.</summary>
    public static bool TryLowerCurrentThread()
    {
        if (OperatingSystem.IsLinux())
        {
            try
            {
                return SetPriority(PrioProcess, 0, LinuxNice) == 0;
            }
            catch (Exception exception) when (exception is DllNotFoundException or EntryPointNotFoundException)
            {
                return false;
            }
        }

        // Windows (and any platform whose runtime maps it): the thread priority the scheduler uses there.
        Thread.CurrentThread.Priority = ThreadPriority.BelowNormal;
        return OperatingSystem.IsWindows();
    }

    // "libc" is mapped by the runtime to the C library's real file name (libc.so.6 on glibc).
    [DllImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SetPriority(int which, int who, int priority);
}
