using AccountSecurity.DependencyInjection;
using AccountSecurity.Passwords.Hashing;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Options;
using BCryptNet = BCrypt.Net.BCrypt;

namespace AccountSecurity.Benchmarks;

/// <summary>
/// Password hashing beside its baselines: raw BCrypt.Net-Next at the same work factor (10), and ASP.NET Core Identity's
/// <c>PasswordHasher&lt;TUser&gt;</c> (PBKDF2-HMAC-SHA512, 100,000 iterations in its v3 format) as the framework's equivalent.
/// </summary>
[MemoryDiagnoser]
public class PasswordHashingBenchmarks
{
    private const string Password = "correct horse battery staple";
    private const int WorkFactor = 10;
    private BcryptPasswordHasher _hasher = null!;
    private string _ourHash = null!;
    private string _rawHash = null!;
    private readonly Microsoft.AspNetCore.Identity.PasswordHasher<object> _identity = new();
    private string _identityHash = null!;

    [GlobalSetup]
    public void Setup()
    {
        var options = new AccountSecurityOptions();
        options.Hashing.WorkFactor = WorkFactor;
        _hasher = new BcryptPasswordHasher(Options.Create(options));
        _ourHash = _hasher.Hash(Password).Value;
        _rawHash = BCryptNet.HashPassword(Password, WorkFactor);
        _identityHash = _identity.HashPassword(this, Password);
    }

    [Benchmark(Baseline = true, Description = "BCrypt.Net HashPassword")]
    public string RawHash() => BCryptNet.HashPassword(Password, WorkFactor);

    [Benchmark(Description = "BcryptPasswordHasher.Hash")]
    public string OurHash() => _hasher.Hash(Password).Value;

    [Benchmark(Description = "BCrypt.Net Verify")]
    public bool RawVerify() => BCryptNet.Verify(Password, _rawHash);

    [Benchmark(Description = "ASP.NET Core Identity PasswordHasher.HashPassword")]
    public string IdentityHash() => _identity.HashPassword(this, Password);

    [Benchmark(Description = "ASP.NET Core Identity PasswordHasher.VerifyHashedPassword")]
    public Microsoft.AspNetCore.Identity.PasswordVerificationResult IdentityVerify() => _identity.VerifyHashedPassword(this, _identityHash, Password);

    [Benchmark(Description = "BcryptPasswordHasher.Verify")]
    public bool OurVerify() => _hasher.Verify(_ourHash, Password) == PasswordVerificationResult.Success;
}
