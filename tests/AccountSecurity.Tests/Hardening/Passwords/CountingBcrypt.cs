using System.Collections.Concurrent;
using System.Globalization;
using AccountSecurity.DependencyInjection;
using AccountSecurity.Passwords.Hashing;
using AccountSecurity.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AccountSecurity.Tests.Hardening.Passwords;

/// <summary>One bcrypt computation the hasher asked for: which, at what cost, and whether BCrypt.Net refused it.</summary>
internal sealed record BcryptCall(bool IsVerify, int Cost, bool Threw);

/// <summary>
/// Counts the bcrypt computations behind the password hasher instead of timing them. Computations up to
/// <see cref="HighestCostComputed"/> run for real (through BCrypt.Net); costlier ones are only recorded and answer
/// "no match", because a stored <c>$2b$31$</c> hash would take days: a test sees that it was asked for, not wait for it.
/// </summary>
internal sealed class CountingBcrypt : IBcryptPrimitive
{
    public const int HighestCostComputed = 12;

    private readonly ConcurrentQueue<BcryptCall> _calls = new();

    public IReadOnlyList<BcryptCall> Calls => [.. _calls];

    public IReadOnlyList<BcryptCall> Verifications => [.. _calls.Where(c => c.IsVerify)];

    /// <summary>A host whose password hasher counts through <paramref name="counter"/>.</summary>
    public static TestHost Host(CountingBcrypt counter, Action<AccountSecurityOptions>? configure = null) =>
        TestHost.Create(configure, services => services.AddSingleton<IPasswordHasher>(sp =>
            new BcryptPasswordHasher(sp.GetRequiredService<IOptions<AccountSecurityOptions>>(), counter)));

    public static BcryptPasswordHasher Hasher(CountingBcrypt counter, int workFactor = 4, int maximumWorkFactor = 16)
    {
        var options = new AccountSecurityOptions();
        options.Hashing.WorkFactor = workFactor;
        options.Hashing.MaximumWorkFactor = maximumWorkFactor;
        options.Hashing.AllowInsecureWorkFactorForTesting = true;
        return new BcryptPasswordHasher(Options.Create(options), counter);
    }

    public void Clear() => _calls.Clear();

    public string HashPassword(string input, int workFactor)
    {
        _calls.Enqueue(new BcryptCall(IsVerify: false, workFactor, Threw: false));
        return BcryptNetPrimitive.Instance.HashPassword(input, workFactor);
    }

    public bool Verify(string input, string bcryptHash)
    {
        var cost = bcryptHash.Length >= 6 && int.TryParse(bcryptHash.AsSpan(4, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : -1;
        if (cost > HighestCostComputed)
        {
            _calls.Enqueue(new BcryptCall(IsVerify: true, cost, Threw: false));
            return false;
        }

        try
        {
            var result = BcryptNetPrimitive.Instance.Verify(input, bcryptHash);
            _calls.Enqueue(new BcryptCall(IsVerify: true, cost, Threw: false));
            return result;
        }
        catch (Exception)
        {
            _calls.Enqueue(new BcryptCall(IsVerify: true, cost, Threw: true));
            throw;
        }
    }
}
