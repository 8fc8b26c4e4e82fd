using AccountSecurity.Accounts;
using AccountSecurity.EntityFrameworkCore;
using AccountSecurity.SignIn;
using AccountSecurity.Stores;
using AccountSecurity.TwoFactor;
using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AccountSecurity.Benchmarks;

/// <summary>
/// The per-request session check the ASP.NET Core package runs on every request with a session cookie
/// (<see cref="ISignInService.GetSessionStatusAsync"/>: the stamp compared with the stored user's, and whether a forced
/// user still has to set up two-factor authentication; <see cref="ISignInService.ValidateSessionAsync"/> is the same
/// check answering a bool), on the in-memory
/// store and on EF Core SQLite, each call in its own service scope as a request has. A counting decorator around the
/// <see cref="IUserStore"/> proves the check costs at most one store read: <see cref="Setup"/> throws when it does not,
/// and <see cref="Cleanup"/> checks it again over every call the benchmark made.
/// </summary>
[MemoryDiagnoser]
public class SessionValidationBenchmarks
{
    private const string Password = "correct horse battery staple";
    private readonly StoreReads _reads = new();
    private ServiceProvider _provider = null!;
    private SqliteConnection? _keepAlive;
    private AuthenticatedSession _session = null!;
    private long _calls;

    [Params("in-memory", "SQLite")]
    public string Store { get; set; } = "in-memory";

    [GlobalSetup]
    public void Setup()
    {
        var services = new ServiceCollection();
        var builder = services.AddAccountSecurity(o =>
        {
            // Hashing runs only in the set-up (provisioning and the one sign-in that yields the session).
            o.Hashing.WorkFactor = 4;
            o.Hashing.AllowInsecureWorkFactorForTesting = true;
            o.Totp.Issuer = "Benchmark";
            o.SecretProtection.AddKey("bench", System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        });
        if (Store == "SQLite")
        {
            // A named in-memory database lives as long as one connection to it is open.
            _keepAlive = new SqliteConnection($"Data Source=file:session-bench-{Guid.NewGuid():N}?mode=memory&cache=shared");
            _keepAlive.Open();
            builder.UseEntityFrameworkCore(db => db.UseSqlite(_keepAlive.ConnectionString));
        }

        CountingUserStore.Decorate(services, _reads);
        _provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        _session = Run(async sp =>
        {
            if (Store == "SQLite")
            {
                await AccountSecurityDatabase.EnsureCreatedAsync(sp.GetRequiredService<AccountSecurityDbContext>());
            }

            var created = await sp.GetRequiredService<IAccountProvisioningService>().CreateContractAsync(new NewContract { ContractId = "bench", ContractName = "Benchmark", OwnerUserId = "bench-owner", OwnerEmail = "bench@example.com", OwnerPassword = Password });
            if (!created.Succeeded)
            {
                throw new InvalidOperationException("Could not create the benchmark's contract.");
            }

            var signIn = await sp.GetRequiredService<ISignInService>().PasswordSignInAsync("bench@example.com", Password);
            return signIn.Session ?? throw new InvalidOperationException($"The benchmark's sign-in answered {signIn.Status}.");
        });

        // The target, asserted before anything is timed: a valid session and a stale one (changed stamp) each cost at
        // most one store read, and so does telling a forced user without a second factor (another user, so the timed
        // session stays a plain one).
        Check(_session, expected: true);
        Check(_session with { SecurityStamp = "stale" }, expected: false);
        CheckStatus(_session, SessionStatus.Valid);
        CheckStatus(_session with { SecurityStamp = "stale" }, SessionStatus.Invalid);
        CheckStatus(Run(async sp =>
        {
            var provisioning = sp.GetRequiredService<IAccountProvisioningService>();
            var owner = (await sp.GetRequiredService<IUserStore>().FindByIdAsync("bench-owner", default))!;
            // The owner acts with a session signed in just now: forcing 2FA asks for a recent sign-in.
            var ownerSession = new AuthenticatedSession(owner.Id, owner.ContractId, owner.SecurityStamp, [AuthenticationMethods.Password], TimeProvider.System.GetUtcNow());
            if (!(await provisioning.CreateUserAsync("bench-owner", new NewUser { UserId = "bench-forced", Email = "forced@example.com", Role = UserRole.User, InitialPassword = Password })).Succeeded
                || !(await sp.GetRequiredService<ITwoFactorAdministrationService>().SetForcedAsync(ownerSession, "bench-forced", forced: true)).Succeeded)
            {
                throw new InvalidOperationException("Could not create the benchmark's forced user.");
            }

            return _session with { UserId = "bench-forced", SecurityStamp = (await sp.GetRequiredService<IUserStore>().FindByIdAsync("bench-forced", default))!.SecurityStamp };
        }), SessionStatus.TwoFactorSetupRequired);
        _reads.Reset();
        _calls = 0;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        var reads = _reads.Total;
        var calls = _calls;
        _provider.Dispose();
        _keepAlive?.Dispose();
        Console.WriteLine($"// session validation on {Store}: {reads} store reads over {calls} validations");
        if (calls > 0 && reads > calls)
        {
            throw new InvalidOperationException($"Session validation on {Store} read the store {reads} times in {calls} validations: more than one read each.");
        }
    }

    [Benchmark(Description = "ValidateSessionAsync in a request's scope")]
    public async Task<bool> ValidateSession()
    {
        _calls++;
        await using var scope = _provider.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISignInService>().ValidateSessionAsync(_session);
    }

    [Benchmark(Description = "GetSessionStatusAsync in a request's scope (what the session scheme runs)")]
    public async Task<SessionStatus> GetSessionStatus()
    {
        _calls++;
        await using var scope = _provider.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISignInService>().GetSessionStatusAsync(_session);
    }

    private void CheckStatus(AuthenticatedSession session, SessionStatus expected)
    {
        _reads.Reset();
        var status = Run(sp => sp.GetRequiredService<ISignInService>().GetSessionStatusAsync(session).AsTask());
        if (status != expected || _reads.Total > 1)
        {
            throw new InvalidOperationException($"Session status on {Store}: answered {status} (expected {expected}) after {_reads.Total} store reads (at most 1 allowed).");
        }
    }

    private void Check(AuthenticatedSession session, bool expected)
    {
        _reads.Reset();
        var valid = Run(sp => sp.GetRequiredService<ISignInService>().ValidateSessionAsync(session).AsTask());
        if (valid != expected || _reads.Total > 1)
        {
            throw new InvalidOperationException($"Session validation on {Store}: answered {valid} (expected {expected}) after {_reads.Total} store reads (at most 1 allowed).");
        }
    }

    private T Run<T>(Func<IServiceProvider, Task<T>> operation)
    {
        using var scope = _provider.CreateScope();
        return operation(scope.ServiceProvider).GetAwaiter().GetResult();
    }
}

/// <summary>Counts the reads of a user store (by id, by e-mail, by contract).</summary>
internal sealed class StoreReads
{
    private long _total;

    public long Total => Interlocked.Read(ref _total);

    public void Add() => Interlocked.Increment(ref _total);

    public void Reset() => Interlocked.Exchange(ref _total, 0);
}

/// <summary>An <see cref="IUserStore"/> decorator that counts every read and passes everything through.</summary>
internal sealed class CountingUserStore(IUserStore inner, StoreReads reads) : IUserStore
{
    /// <summary>Wraps the registered <see cref="IUserStore"/> (in-memory or EF Core) with the same lifetime.</summary>
    public static void Decorate(IServiceCollection services, StoreReads reads)
    {
        var registered = services.Last(d => d.ServiceType == typeof(IUserStore));
        services.Remove(registered);
        services.Add(new ServiceDescriptor(typeof(IUserStore), sp => new CountingUserStore(Inner(sp, registered), reads), registered.Lifetime));
    }

    public ValueTask<UserAccount?> FindByIdAsync(string userId, CancellationToken cancellationToken)
    {
        reads.Add();
        return inner.FindByIdAsync(userId, cancellationToken);
    }

    public ValueTask<UserAccount?> FindByPasskeyUserHandleAsync(string userHandle, CancellationToken cancellationToken)
    {
        reads.Add();
        return inner.FindByPasskeyUserHandleAsync(userHandle, cancellationToken);
    }

    public ValueTask<UserAccount?> FindByEmailAsync(string email, CancellationToken cancellationToken)
    {
        reads.Add();
        return inner.FindByEmailAsync(email, cancellationToken);
    }

    public ValueTask<IReadOnlyList<UserAccount>> ListByContractAsync(string contractId, CancellationToken cancellationToken)
    {
        reads.Add();
        return inner.ListByContractAsync(contractId, cancellationToken);
    }

    public ValueTask<StoreWriteResult> CreateAsync(UserAccount user, CancellationToken cancellationToken) => inner.CreateAsync(user, cancellationToken);

    public ValueTask<StoreWriteResult> UpdateAsync(UserAccount user, CancellationToken cancellationToken) => inner.UpdateAsync(user, cancellationToken);

    private static IUserStore Inner(IServiceProvider services, ServiceDescriptor registered) =>
        registered.ImplementationFactory is { } factory ? (IUserStore)factory(services)
        : registered.ImplementationInstance is IUserStore instance ? instance
        : (IUserStore)ActivatorUtilities.CreateInstance(services, registered.ImplementationType!);
}
