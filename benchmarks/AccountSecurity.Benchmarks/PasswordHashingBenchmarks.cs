using AccountSecurity.DependencyInjection;
using AccountSecurity.Passwords.Hashing;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Options;
using BCryptNet = BCrypt.Net.BCrypt;

namespace AccountSecurity.Benchmarks;

/// <summary>bcrypt at work factor 10: our versioned, pre-hashed scheme against raw BCrypt.Net-Next.</summary>
[MemoryDiagnoser]
public class PasswordHashingBenchmarks
{
    private const string Password = "correct horse battery staple";
    private const int WorkFactor = 10;
    private BcryptPasswordHasher _hasher = null!;
    private string _ourHash = null!;
    private string _rawHash = null!;

    [GlobalSetup]
    public void Setup()
    {
        var options = new AccountSecurityOptions();
        options.Hashing.WorkFactor = WorkFactor;
        _hasher = new BcryptPasswordHasher(Options.Create(options));
        _ourHash = _hasher.Hash(Password).Value;
        _rawHash = BCryptNet.HashPassword(Password, WorkFactor);
    }

    [Benchmark(Baseline = true, Description = "BCrypt.Net HashPassword")]
    public string RawHash() => BCryptNet.HashPassword(Password, WorkFactor);

    [Benchmark(Description = "BcryptPasswordHasher.Hash")]
    public string OurHash() => _hasher.Hash(Password).Value;

    [Benchmark(Description = "BCrypt.Net Verify")]
    public bool RawVerify() => BCryptNet.Verify(Password, _rawHash);

    [Benchmark(Description = "BcryptPasswordHasher.Verify")]
    public bool OurVerify() => _hasher.Verify(_ourHash, Password) == PasswordVerificationResult.Success;
}
