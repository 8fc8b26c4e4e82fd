using AccountSecurity.Accounts;
using AccountSecurity.SignIn;
using AccountSecurity.Stores;
using AccountSecurity.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace AccountSecurity.Passkeys.Tests.TestSupport;

/// <summary>
/// The core with the passkeys package on in-memory stores, a fake clock and every event and log line captured. Seeds
/// contract c1 with its owner and a plain user, alice. Each service call runs in a fresh scope, as each request would.
/// </summary>
internal sealed class PasskeyHost : IAsyncDisposable
{
    public const string Origin = "http://localhost:5080";
    public const string Password = "violet-Harbor-lantern-93";
    public const string OwnerId = "owner1";
    public const string OwnerEmail = "owner1@example.com";
    public const string AliceId = "alice";
    public const string AliceEmail = "alice@example.com";

    private readonly ServiceProvider _provider;

    private PasskeyHost(ServiceProvider provider, FakeTimeProvider time, CollectingSecurityEventSink events, CollectingLoggerProvider logs)
    {
        _provider = provider;
        Time = time;
        Events = events;
        Logs = logs;
    }

    public FakeTimeProvider Time { get; }

    public CollectingSecurityEventSink Events { get; }

    public CollectingLoggerProvider Logs { get; }

    public IUserStore Users => _provider.GetRequiredService<IUserStore>();

    public static async Task<PasskeyHost> StartAsync(Action<IServiceCollection>? services = null, Func<IServiceProvider, Task>? beforeSeed = null)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 9, 0, 0, TimeSpan.Zero));
        var events = new CollectingSecurityEventSink();
        var logs = new CollectingLoggerProvider();
        var collection = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs))
            .AddSingleton<TimeProvider>(time);
        collection.AddAccountSecurity(o => AccountSecurityTestOptions.ApplyFastTestDefaults(o))
            .AddEventSink(events)
            .AddPasskeys(o =>
            {
                o.RelyingPartyId = "localhost";
                o.RelyingPartyName = "Console";
                o.Origins.Add(Origin);
            });
        services?.Invoke(collection);
        var host = new PasskeyHost(collection.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true }), time, events, logs);
        if (beforeSeed is not null)
        {
            // A durable store's schema, created before the seed writes to it.
            await using var scope = host._provider.CreateAsyncScope();
            await beforeSeed(scope.ServiceProvider);
        }

        var owner = await host.Call<IAccountProvisioningService, SecurityResultProbe>(async p => new((await p.CreateContractAsync(new NewContract { ContractId = "c1", ContractName = "Contract One", OwnerUserId = OwnerId, OwnerEmail = OwnerEmail, OwnerPassword = Password })).Succeeded));
        owner.Succeeded.Should().BeTrue();
        var alice = await host.Call<IAccountProvisioningService, SecurityResultProbe>(async p => new((await p.CreateUserAsync(OwnerId, new NewUser { UserId = AliceId, Email = AliceEmail, Role = UserRole.User, InitialPassword = Password })).Succeeded));
        alice.Succeeded.Should().BeTrue();
        return host;
    }

    /// <summary>Runs <paramref name="call"/> on <typeparamref name="TService"/> in a scope of its own.</summary>
    public async Task<TResult> Call<TService, TResult>(Func<TService, ValueTask<TResult>> call)
        where TService : notnull
    {
        await using var scope = _provider.CreateAsyncScope();
        return await call(scope.ServiceProvider.GetRequiredService<TService>());
    }

    public Task<TResult> Passkeys<TResult>(Func<IPasskeyService, ValueTask<TResult>> call) => Call(call);

    public Task<TResult> SignIn<TResult>(Func<ISignInService, ValueTask<TResult>> call) => Call(call);

    /// <summary>The stored account, read in a scope of its own (a durable store is scoped).</summary>
    public async Task<UserAccount> UserAsync(string id) => (await Call<IUserStore, UserAccount?>(s => s.FindByIdAsync(id, CancellationToken.None)))!;

    /// <summary>A password-only session of <paramref name="email"/> (asserts the sign-in completed without a second step).</summary>
    public async Task<AuthenticatedSession> PasswordSessionAsync(string email)
    {
        var result = await SignIn(s => s.PasswordSignInAsync(email, Password));
        result.Status.Should().Be(SignInStatus.Succeeded, result.ErrorCode);
        return result.Session!;
    }

    /// <summary>Registers a passkey of <paramref name="authenticator"/> for the session's user; returns the session re-issued with the new stamp.</summary>
    public async Task<AuthenticatedSession> RegisterAsync(AuthenticatedSession session, SoftwareAuthenticator authenticator, string name = "Laptop")
    {
        var begun = await Passkeys(p => p.BeginRegistrationAsync(session, Password));
        begun.Succeeded.Should().BeTrue(begun.ToString());
        var completed = await Passkeys(p => p.CompleteRegistrationAsync(session, authenticator.CreateAttestationJson(begun.Value!.OptionsJson), name));
        completed.Succeeded.Should().BeTrue(completed.ToString());
        return session with { SecurityStamp = completed.Value!.SecurityStamp };
    }

    /// <summary>A password step that must ask for the second factor; returns its ticket.</summary>
    public async Task<string> TicketAsync(string email)
    {
        var result = await SignIn(s => s.PasswordSignInAsync(email, Password));
        result.Status.Should().Be(SignInStatus.SecondFactorRequired, result.ErrorCode);
        return result.Ticket!;
    }

    /// <summary>A current session of <paramref name="userId"/> signed in just now (by <see cref="Time"/>): what administrator operations ask.</summary>
    public ValueTask<AuthenticatedSession> FreshAsync(string userId) => TestSessions.FreshAsync(_provider, userId);

    public async Task AllowPasswordlessAsync()
    {
        var owner = await FreshAsync(OwnerId);
        var allowed = await Passkeys(p => p.SetPasswordlessSignInAllowedAsync(owner, true));
        allowed.Succeeded.Should().BeTrue(allowed.ToString());
    }

    public ValueTask DisposeAsync() => _provider.DisposeAsync();

    internal sealed record SecurityResultProbe(bool Succeeded);
}
