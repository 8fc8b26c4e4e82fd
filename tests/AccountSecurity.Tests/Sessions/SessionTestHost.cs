using AccountSecurity.DependencyInjection;
using AccountSecurity.Sessions;
using AccountSecurity.SignIn;
using AccountSecurity.Stores;
using AccountSecurity.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace AccountSecurity.Tests.Sessions;

/// <summary>
/// A seeded <see cref="TestHost"/> (owner, administrator, user of <see cref="TestHost.ContractId"/>) whose session store is
/// the library's own default registration wrapped in a <see cref="CountingSessionStore"/>, so tests see every store call
/// the services make.
/// </summary>
internal sealed class SessionTestHost : IAsyncDisposable
{
    private SessionTestHost(TestHost host)
    {
        Host = host;
        Store = (CountingSessionStore)host.Get<ISessionStore>();
    }

    public TestHost Host { get; }

    /// <summary>The counting wrapper over the default store.</summary>
    public CountingSessionStore Store { get; }

    public ISessionService Sessions => Host.Get<ISessionService>();

    public static async Task<SessionTestHost> CreateAsync(Action<AccountSecurityOptions>? configure = null)
    {
        // The audit trail off: its writer reads a new session once in the background (for the device), which the counts of
        // the services' store calls would take in, at a moment no test controls.
        var host = TestHost.Create(o => { o.Audit.Enabled = false; configure?.Invoke(o); }, services =>
        {
            // Decorate whatever AddAccountSecurity registered, keeping its wiring (the guarded user store).
            var original = services.Single(d => d.ServiceType == typeof(ISessionStore));
            services.Remove(original);
            services.AddSingleton<ISessionStore>(sp => new CountingSessionStore((ISessionStore)original.ImplementationFactory!(sp)));
        });
        await host.SeedContractAsync();
        return new SessionTestHost(host);
    }

    /// <summary>A completed sign-in of <paramref name="userId"/> as it stands now (its stamp), as the sign-in service returns it.</summary>
    public async Task<AuthenticatedSession> SignedInAsync(string userId = TestHost.UserId, params string[] methods)
    {
        var user = await Host.UserAsync(userId);
        return new AuthenticatedSession(user.Id, user.ContractId, user.SecurityStamp, methods.Length == 0 ? [AuthenticationMethods.Password] : methods, Host.Time.GetUtcNow());
    }

    /// <summary>Starts a session of <paramref name="userId"/>, failing the test if it cannot.</summary>
    public async Task<StartedSession> StartAsync(string userId = TestHost.UserId, SessionDevice? device = null)
    {
        var started = await Sessions.StartAsync(await SignedInAsync(userId), device);
        started.Succeeded.Should().BeTrue(started.ToString());
        return started.Value;
    }

    /// <summary>The stored record of <paramref name="sessionId"/> (read past the counter); <see langword="null"/> once deleted.</summary>
    public async Task<SessionRecord?> RecordAsync(string sessionId) =>
        (await Store.Inner.FindForValidationAsync(sessionId, CancellationToken.None))?.Session;

    public async Task<SessionStatus> StatusAsync(StartedSession session) => (await Sessions.ValidateAsync(session.Reference)).Status;

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}

/// <summary>Counts the calls the services make to the store (and the touches that wrote) before passing them on.</summary>
internal sealed class CountingSessionStore(ISessionStore inner) : ISessionStore
{
    private int _finds;
    private int _touchCalls;
    private int _touchWrites;
    private int _deleteCalls;

    public ISessionStore Inner => inner;

    public int Finds => Volatile.Read(ref _finds);

    public int TouchCalls => Volatile.Read(ref _touchCalls);

    public int TouchWrites => Volatile.Read(ref _touchWrites);

    public int DeleteCalls => Volatile.Read(ref _deleteCalls);

    public void Reset()
    {
        Interlocked.Exchange(ref _finds, 0);
        Interlocked.Exchange(ref _touchCalls, 0);
        Interlocked.Exchange(ref _touchWrites, 0);
        Interlocked.Exchange(ref _deleteCalls, 0);
    }

    public ValueTask<StoreWriteResult> CreateAsync(SessionRecord session, CancellationToken cancellationToken) => inner.CreateAsync(session, cancellationToken);

    public ValueTask<SessionValidationState?> FindForValidationAsync(string sessionId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _finds);
        return inner.FindForValidationAsync(sessionId, cancellationToken);
    }

    public ValueTask<IReadOnlyList<SessionRecord>> ListByUserAsync(string userId, CancellationToken cancellationToken) => inner.ListByUserAsync(userId, cancellationToken);

    public async ValueTask<bool> TouchAsync(string sessionId, DateTimeOffset seenAt, DateTimeOffset notSeenSince, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _touchCalls);
        var wrote = await inner.TouchAsync(sessionId, seenAt, notSeenSince, cancellationToken);
        if (wrote)
        {
            Interlocked.Increment(ref _touchWrites);
        }

        return wrote;
    }

    public ValueTask<bool> EndAsync(string userId, string sessionId, DateTimeOffset endedAt, string reason, CancellationToken cancellationToken) => inner.EndAsync(userId, sessionId, endedAt, reason, cancellationToken);

    public ValueTask<int> EndAllAsync(string userId, string? exceptSessionId, DateTimeOffset endedAt, string reason, CancellationToken cancellationToken) => inner.EndAllAsync(userId, exceptSessionId, endedAt, reason, cancellationToken);

    public ValueTask<bool> MarkReauthenticatedAsync(string userId, string sessionId, DateTimeOffset reauthenticatedAt, CancellationToken cancellationToken) => inner.MarkReauthenticatedAsync(userId, sessionId, reauthenticatedAt, cancellationToken);

    public ValueTask<bool> RenewStampAsync(string userId, string sessionId, string securityStamp, CancellationToken cancellationToken) => inner.RenewStampAsync(userId, sessionId, securityStamp, cancellationToken);

    public ValueTask<int> DeleteEndedAsync(DateTimeOffset before, int batchSize, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _deleteCalls);
        return inner.DeleteEndedAsync(before, batchSize, cancellationToken);
    }
}
