using AccountSecurity.Accounts;
using AccountSecurity.Passwords.Hashing;
using AccountSecurity.SignIn;
using AccountSecurity.Stores;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;

namespace AccountSecurity.Benchmarks;

/// <summary>
/// The password sign-in path end to end on the in-memory store (look-up, lockout reservation, bcrypt verify, success
/// write), beside its floor: the bcrypt verification alone. The difference is what the library adds to a sign-in.
/// Work factor 10 keeps the run short; the ratio is what matters.
/// </summary>
[MemoryDiagnoser]
public class SignInBenchmarks
{
    private const string Email = "bench@example.com";
    private const string Password = "correct horse battery staple";
    private ServiceProvider _provider = null!;
    private IServiceScope _scope = null!;
    private ISignInService _signIn = null!;
    private IPasswordHasher _hasher = null!;
    private string _storedHash = null!;

    [GlobalSetup]
    public void Setup()
    {
        _provider = new ServiceCollection()
            .AddAccountSecurity(o =>
            {
                o.Hashing.WorkFactor = 10;
                o.Totp.Issuer = "Benchmark";
                o.SecretProtection.AddKey("bench", System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
            })
            .Services.BuildServiceProvider();
        _scope = _provider.CreateScope();
        var provisioning = _scope.ServiceProvider.GetRequiredService<IAccountProvisioningService>();
        var owner = provisioning.CreateContractAsync(new NewContract { ContractId = "bench", ContractName = "Benchmark", OwnerUserId = "bench-owner", OwnerEmail = Email, OwnerPassword = Password }).AsTask().GetAwaiter().GetResult();
        // The stored hash is read from the store: provisioning answers with a summary that carries no hash.
        _storedHash = _scope.ServiceProvider.GetRequiredService<IUserStore>().FindByIdAsync(owner.Value.Id, default).AsTask().GetAwaiter().GetResult()!.PasswordHash!;
        _signIn = _scope.ServiceProvider.GetRequiredService<ISignInService>();
        _hasher = _scope.ServiceProvider.GetRequiredService<IPasswordHasher>();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _scope.Dispose();
        _provider.Dispose();
    }

    [Benchmark(Baseline = true, Description = "floor: IPasswordHasher.Verify alone")]
    public PasswordVerificationResult VerifyOnly() => _hasher.Verify(_storedHash, Password);

    [Benchmark(Description = "ISignInService.PasswordSignInAsync (in-memory store)")]
    public async Task<SignInStatus> PasswordSignIn() => (await _signIn.PasswordSignInAsync(Email, Password)).Status;

    [Benchmark(Description = "ISignInService.PasswordSignInAsync, unknown e-mail (dummy hash)")]
    public async Task<SignInStatus> UnknownEmail() => (await _signIn.PasswordSignInAsync("nobody@example.com", Password)).Status;
}
