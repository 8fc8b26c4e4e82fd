using AccountSecurity.Accounts;
using AccountSecurity.EntityFrameworkCore;
using AccountSecurity.Sessions;
using AccountSecurity.SignIn;
using AccountSecurity.Stores;
using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AccountSecurity.Benchmarks;

/// <summary>
/// The per-request check with the server-side session registry (issue 25): <see cref="ISessionService.ValidateAsync"/>
/// of a session reference, which reads the session row joined with the narrow part of its user in one query, against
/// today's check, <see cref="ISignInService.GetSessionStatusAsync"/>, which reads the whole user (the baseline), on EF
/// Core SQLite (an in-memory database) and on the in-memory stores, each call in its own service scope as a request has.
/// Counting decorators around <see cref="ISessionStore"/> and <see cref="IUserStore"/> hold the registry to one store
/// read and no user read: <see cref="Setup"/> throws when it takes more, <see cref="Cleanup"/> checks every call again.
/// </summary>
[MemoryDiagnoser]
public class SessionRegistryBenchmarks
{
    private const string Password = "correct horse battery staple";
    private readonly StoreReads _userReads = new();
    private readonly StoreReads _sessionReads = new();
    private ServiceProvider _provider = null!;
    private SqliteConnection? _keepAlive;
    private AuthenticatedSession _session = null!;
    private string _reference = null!;
    private long _registryCalls;

    [Params("in-memory", "SQLite")]
    public string Store { get; set; } = "SQLite";

    [GlobalSetup]
    public void Setup()
    {
        var services = new ServiceCollection();
        var builder = services.AddAccountSecurity(o =>
        {
            o.Hashing.WorkFactor = 4;
            o.Hashing.AllowInsecureWorkFactorForTesting = true;
            o.Totp.Issuer = "Benchmark";
            o.SecretProtection.AddKey("bench", System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

            // The audit trail off: its writer reads a new session once in the background (for the device), which the
            // counted reads of the validations would take in. Validation itself raises no event.
            o.Audit.Enabled = false;
        });
        if (Store == "SQLite")
        {
            _keepAlive = new SqliteConnection($"Data Source=file:session-registry-bench-{Guid.NewGuid():N}?mode=memory&cache=shared");
            _keepAlive.Open();
            builder.UseEntityFrameworkCore(db => db.UseSqlite(_keepAlive.ConnectionString));
        }

        CountingUserStore.Decorate(services, _userReads);
        CountingSessionStore.Decorate(services, _sessionReads);
        _provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        (_session, _reference) = Run(async sp =>
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
            var session = signIn.Session ?? throw new InvalidOperationException($"The benchmark's sign-in answered {signIn.Status}.");
            var started = await sp.GetRequiredService<ISessionService>().StartAsync(session, new SessionDevice("Firefox on Linux", "192.0.2.0"));
            return started.Succeeded ? (session, started.Value.Reference) : throw new InvalidOperationException("Could not start the benchmark's session.");
        });

        // The target, asserted before anything is timed: one session read for a valid reference and for a wrong one, and
        // on SQLite no user read (the one query joins the user; the in-memory store looks the user up in its dictionary).
        CheckRegistry(_reference, SessionStatus.Valid);
        CheckRegistry(_reference[..^2] + (_reference[^1] == 'A' ? "BB" : "AA"), SessionStatus.Invalid);
        _userReads.Reset();
        _sessionReads.Reset();
        _registryCalls = 0;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        var (sessionReads, userReads, calls) = (_sessionReads.Total, _userReads.Total, _registryCalls);
        _provider.Dispose();
        _keepAlive?.Dispose();
        Console.WriteLine($"// session registry on {Store}: {sessionReads} session reads, {userReads} user reads over {calls} registry validations");
        if (calls > 0 && (sessionReads != calls || userReads > (Store == "SQLite" ? 0 : calls)))
        {
            throw new InvalidOperationException($"The registry on {Store} read sessions {sessionReads} times and users {userReads} times in {calls} validations: not one read each.");
        }
    }

    [Benchmark(Baseline = true, Description = "today: ISignInService.GetSessionStatusAsync (the whole user)")]
    public async Task<SessionStatus> FullUserRead()
    {
        await using var scope = _provider.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISignInService>().GetSessionStatusAsync(_session);
    }

    [Benchmark(Description = "registry: ISessionService.ValidateAsync (session + narrow user, one query)")]
    public async Task<SessionStatus> RegistryValidation()
    {
        _registryCalls++;
        await using var scope = _provider.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<ISessionService>().ValidateAsync(_reference)).Status;
    }

    private void CheckRegistry(string reference, SessionStatus expected)
    {
        _userReads.Reset();
        _sessionReads.Reset();
        var status = Run(async sp => (await sp.GetRequiredService<ISessionService>().ValidateAsync(reference)).Status);
        var userReadsAllowed = Store == "SQLite" ? 0 : 1;
        if (status != expected || _sessionReads.Total != 1 || _userReads.Total > userReadsAllowed)
        {
            throw new InvalidOperationException($"Registry validation on {Store}: answered {status} (expected {expected}) after {_sessionReads.Total} session reads and {_userReads.Total} user reads (1 and at most {userReadsAllowed} expected).");
        }
    }

    private T Run<T>(Func<IServiceProvider, Task<T>> operation)
    {
        using var scope = _provider.CreateScope();
        return operation(scope.ServiceProvider).GetAwaiter().GetResult();
    }
}

/// <summary>An <see cref="ISessionStore"/> decorator that counts the per-request read and passes everything through.</summary>
internal sealed class CountingSessionStore(ISessionStore inner, StoreReads reads) : ISessionStore
{
    /// <summary>Wraps the registered <see cref="ISessionStore"/> (in-memory or EF Core) with the same lifetime.</summary>
    public static void Decorate(IServiceCollection services, StoreReads reads)
    {
        var registered = services.Last(d => d.ServiceType == typeof(ISessionStore));
        services.Remove(registered);
        services.Add(new ServiceDescriptor(typeof(ISessionStore), sp => new CountingSessionStore(Inner(sp, registered), reads), registered.Lifetime));
    }

    public ValueTask<SessionValidationState?> FindForValidationAsync(string sessionId, CancellationToken cancellationToken)
    {
        reads.Add();
        return inner.FindForValidationAsync(sessionId, cancellationToken);
    }

    public ValueTask<IReadOnlyList<SessionRecord>> ListByUserAsync(string userId, CancellationToken cancellationToken)
    {
        reads.Add();
        return inner.ListByUserAsync(userId, cancellationToken);
    }

    public ValueTask<StoreWriteResult> CreateAsync(SessionRecord session, CancellationToken cancellationToken) => inner.CreateAsync(session, cancellationToken);

    public ValueTask<bool> TouchAsync(string sessionId, DateTimeOffset seenAt, DateTimeOffset notSeenSince, CancellationToken cancellationToken) =>
        inner.TouchAsync(sessionId, seenAt, notSeenSince, cancellationToken);

    public ValueTask<bool> EndAsync(string userId, string sessionId, DateTimeOffset endedAt, string reason, CancellationToken cancellationToken) =>
        inner.EndAsync(userId, sessionId, endedAt, reason, cancellationToken);

    public ValueTask<int> EndAllAsync(string userId, string? exceptSessionId, DateTimeOffset endedAt, string reason, CancellationToken cancellationToken) =>
        inner.EndAllAsync(userId, exceptSessionId, endedAt, reason, cancellationToken);

    public ValueTask<bool> MarkReauthenticatedAsync(string userId, string sessionId, DateTimeOffset reauthenticatedAt, CancellationToken cancellationToken) =>
        inner.MarkReauthenticatedAsync(userId, sessionId, reauthenticatedAt, cancellationToken);

    public ValueTask<bool> RenewStampAsync(string userId, string sessionId, string securityStamp, CancellationToken cancellationToken) =>
        inner.RenewStampAsync(userId, sessionId, securityStamp, cancellationToken);

    public ValueTask<int> DeleteEndedAsync(DateTimeOffset before, int batchSize, CancellationToken cancellationToken) =>
        inner.DeleteEndedAsync(before, batchSize, cancellationToken);

    private static ISessionStore Inner(IServiceProvider services, ServiceDescriptor registered) =>
        registered.ImplementationFactory is { } factory ? (ISessionStore)factory(services)
        : registered.ImplementationInstance is ISessionStore instance ? instance
        : (ISessionStore)ActivatorUtilities.CreateInstance(services, registered.ImplementationType!);
}
