using System.Security.Cryptography;
using AccountSecurity.DependencyInjection;
using AccountSecurity.TwoFactor.Totp;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Options;

namespace AccountSecurity.Benchmarks;

/// <summary>
/// Verifying a correct TOTP code with a ±1 step window: ours against Otp.NET's (the baseline) and against the floor of
/// the platform primitive it uses (three one-shot HMAC-SHA-1 computations), which our verify must stay close to; and
/// the platform's keyed-once alternative (IncrementalHash), which saves the re-keying but allocates.
/// </summary>
[MemoryDiagnoser]
public class TotpVerifyBenchmarks
{
    private readonly byte[] _secret = RandomNumberGenerator.GetBytes(20);
    private readonly byte[] _counter = new byte[8];
    private readonly byte[] _mac = new byte[20];
    private TotpProvider _provider = null!;
    private string _code = null!;
    private DateTime _now;

    [GlobalSetup]
    public void Setup()
    {
        var options = new AccountSecurityOptions();
        options.Totp.Issuer = "Benchmark";
        options.SecretProtection.AddKey("bench", RandomNumberGenerator.GetBytes(32));
        _now = DateTime.UtcNow;
        _provider = new TotpProvider(Options.Create(options), new FixedTimeProvider(new DateTimeOffset(_now)));
        _code = new OtpNet.Totp(_secret).ComputeTotp(_now);
    }

    [Benchmark(Baseline = true, Description = "Otp.NET new Totp(secret).VerifyTotp, window ±1")]
    public bool OtpNetVerify() =>
        new OtpNet.Totp(_secret).VerifyTotp(_now, _code, out _, OtpNet.VerificationWindow.RfcSpecifiedNetworkDelay);

    [Benchmark(Description = "TotpProvider.Verify, window ±1")]
    public bool AccountSecurityVerify() => _provider.Verify(_secret, _code, null).Succeeded;

    [Benchmark(Description = "floor: platform one-shot, 3 x HMACSHA1.HashData on 8 bytes (what Verify uses)")]
    public byte PlatformOneShot()
    {
        HMACSHA1.HashData(_secret, _counter, _mac);
        HMACSHA1.HashData(_secret, _counter, _mac);
        HMACSHA1.HashData(_secret, _counter, _mac);
        return _mac[0];
    }

    [Benchmark(Description = "alternative: platform IncrementalHash keyed once, 3 steps")]
    public byte IncrementalHashKeyedOnce()
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, _secret);
        for (var i = 0; i < 3; i++)
        {
            hmac.AppendData(_counter);
            hmac.GetHashAndReset(_mac);
        }

        return _mac[0];
    }

    // A frozen clock, so the code stays valid however long the run takes and both sides do the same work.
    private sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
