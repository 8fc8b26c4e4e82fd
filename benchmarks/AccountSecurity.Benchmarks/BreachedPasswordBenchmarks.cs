using System.Security.Cryptography;
using System.Text;
using AccountSecurity.Passwords.Policy;
using AccountSecurity.Results;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;

namespace AccountSecurity.Benchmarks;

/// <summary>
/// What the breached-password check adds to a password change (issue 29): the rule as the core runs it last, with its
/// range cached (the target: under 50 µs), against the local policy every new password already passes (the baseline),
/// and a lookup that misses the cache and reads and parses a padded-size range file from a local mirror, for scale.
/// Each range holds 1,000 suffixes, the size of a padded answer.
/// </summary>
[MemoryDiagnoser]
public class BreachedPasswordBenchmarks
{
    private const string Breached = "Granite!Meadow-8841";
    private const string Clean = "Saffron^Tundra-5512";
    private const string Email = "bench@example.com";

    private string _folder = null!;
    private ServiceProvider _cached = null!;
    private ServiceProvider _uncached = null!;
    private IAsyncPasswordRule _cachedRule = null!;
    private IAsyncPasswordRule _uncachedRule = null!;
    private IPasswordPolicy _policy = null!;

    [GlobalSetup]
    public void Setup()
    {
        _folder = Directory.CreateTempSubdirectory("breach-bench-").FullName;
        foreach (var (password, count) in new[] { (Breached, 12), (Clean, 0) })
        {
            WritePaddedRange(password, count);
        }

        _cached = Build(cacheSize: 4096);
        _uncached = Build(cacheSize: 0);
        _cachedRule = _cached.GetRequiredService<IEnumerable<IAsyncPasswordRule>>().Single();
        _uncachedRule = _uncached.GetRequiredService<IEnumerable<IAsyncPasswordRule>>().Single();
        _policy = _cached.GetRequiredService<IPasswordPolicy>();

        // Warm the cache, and refuse to time anything unless the verdicts are right.
        if (CachedBreached().Result?.Code != SecurityErrorCodes.PasswordBreached || CachedClean().Result is not null
            || UncachedClean().Result is not null || LocalPolicy().Count != 0)
        {
            throw new InvalidOperationException("The breached-password benchmark's set-up gives wrong verdicts.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _cached.Dispose();
        _uncached.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark(Baseline = true, Description = "local policy: IPasswordPolicy.Validate (what every new password already costs)")]
    public IReadOnlyList<SecurityError> LocalPolicy() => _policy.Validate(Clean, new PasswordContext(Email, "Benchmark", "Benchmark"), PasswordPolicySettings.Default);

    [Benchmark(Description = "breach rule, range cached, not breached")]
    public ValueTask<SecurityError?> CachedClean() => _cachedRule.ValidateAsync(Clean, CancellationToken.None);

    [Benchmark(Description = "breach rule, range cached, breached")]
    public ValueTask<SecurityError?> CachedBreached() => _cachedRule.ValidateAsync(Breached, CancellationToken.None);

    [Benchmark(Description = "breach rule, no cache: mirror file read and parsed (1,000 lines)")]
    public ValueTask<SecurityError?> UncachedClean() => _uncachedRule.ValidateAsync(Clean, CancellationToken.None);

    private ServiceProvider Build(int cacheSize)
    {
        var services = new ServiceCollection();
        services.AddAccountSecurity(o =>
            {
                o.Hashing.WorkFactor = 4;
                o.Hashing.AllowInsecureWorkFactorForTesting = true;
                o.Totp.Issuer = "Benchmark";
                o.SecretProtection.AddKey("bench", RandomNumberGenerator.GetBytes(32));
            })
            .AddBreachedPasswordCheck(o =>
            {
                o.MirrorDirectory = _folder;
                o.PartialMirror = true;
                o.CacheSize = cacheSize;
            });
        return services.BuildServiceProvider();
    }

    /// <summary>The range of <paramref name="password"/> with 999 random suffixes beside it (count 0 leaves it out).</summary>
    private void WritePaddedRange(string password, int count)
    {
        var hex = Convert.ToHexString(SHA1.HashData(Encoding.UTF8.GetBytes(password)));
        var lines = Enumerable.Range(0, 999).Select(_ => Convert.ToHexString(RandomNumberGenerator.GetBytes(18))[..35] + ":" + RandomNumberGenerator.GetInt32(1, 5000)).ToList();
        if (count > 0)
        {
            lines.Add(hex[5..] + ":" + count);
        }

        lines.Sort(StringComparer.Ordinal);
        File.WriteAllText(Path.Combine(_folder, hex[..5] + ".txt"), string.Join("\r\n", lines) + "\r\n", Encoding.ASCII);
    }
}
