using AccountSecurity.DependencyInjection;
using AccountSecurity.Passwords.Hashing;
using Microsoft.Extensions.Options;

namespace AccountSecurity.Tests.Passwords.Hashing;

/// <summary>
/// The hashing threads yield the cores to the host's other threads: on Linux they run at nice
/// <see cref="HashingThreadPriority.LinuxNice"/>, read back from the kernel's own record of the thread the computation
/// ran on (<c>/proc/thread-self/stat</c>), and at the process's nice when <see cref="PasswordHashingOptions.RunBelowNormalPriority"/> is off.
/// </summary>
public sealed class HashingThreadPriorityTests
{
    [Test]
    public async Task ByDefault_BcryptRunsOnAThreadTheLinuxSchedulerWeighsBelowTheHostsThreads()
    {
        RequireLinux();
        using var limiter = Limiter(belowNormal: true);
        var callers = NiceOfCurrentThread();

        var seen = await limiter.RunAsync(NiceOfCurrentThread, default);

        seen.Ran.Should().BeTrue();
        seen.Value.Should().Be(HashingThreadPriority.LinuxNice);
        callers.Should().BeLessThan(HashingThreadPriority.LinuxNice, "otherwise the hashing threads were not lowered below the host's");
        NiceOfCurrentThread().Should().Be(callers, "only the hashing threads are lowered, never the caller's");
    }

    [Test]
    public async Task WithRunBelowNormalPriorityOff_BcryptKeepsTheDefaultPriority()
    {
        RequireLinux();
        using var limiter = Limiter(belowNormal: false);

        var seen = await limiter.RunAsync(NiceOfCurrentThread, default);

        seen.Ran.Should().BeTrue();
        seen.Value.Should().Be(NiceOfCurrentThread(), "a new thread inherits the process's nice, and nothing lowered it");
    }

    [Test]
    public void TheOptionDefaultsToOn()
    {
        new PasswordHashingOptions().RunBelowNormalPriority.Should().BeTrue();
    }

    private static void RequireLinux()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Ignore("The nice value is Linux's; elsewhere the threads use Thread.Priority, which this test cannot read back from the scheduler.");
        }
    }

    /// <summary>Field 19 of the thread's stat line: its nice value, as the scheduler holds it.</summary>
    private static int NiceOfCurrentThread()
    {
        var stat = File.ReadAllText("/proc/thread-self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[16], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static HashingLimiter Limiter(bool belowNormal)
    {
        var options = new AccountSecurityOptions();
        options.Hashing.MaxConcurrentComputations = 1;
        options.Hashing.RunBelowNormalPriority = belowNormal;
        return new HashingLimiter(Options.Create(options), TimeProvider.System);
    }
}
