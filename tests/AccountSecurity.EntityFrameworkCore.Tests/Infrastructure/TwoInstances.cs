using System.Security.Cryptography;
using AccountSecurity.DependencyInjection;
using AccountSecurity.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AccountSecurity.EntityFrameworkCore.Tests.Infrastructure;

/// <summary>
/// Two independent "app instances" (service providers, each with its own DbContexts) over one fresh database, as
/// two web servers behind a load balancer would be. Multi-instance tests of every capability build on it:
/// <see cref="AppInstance.RunAsync{T}"/> runs one request (one DI scope) on an instance. Like a real deployment's
/// instances, both share one clock and one secret-protection key (so a TOTP secret protected by A decrypts on B),
/// and nothing else: each has its own DbContexts, reset-token outbox and event sink.
/// </summary>
internal sealed class TwoInstances : IAsyncDisposable
{
    private TwoInstances(TestDatabase database, FakeTimeProvider time, AppInstance a, AppInstance b)
    {
        Database = database;
        Time = time;
        A = a;
        B = b;
    }

    public TestDatabase Database { get; }

    /// <summary>The clock both instances share (as servers synchronised by NTP would).</summary>
    public FakeTimeProvider Time { get; }

    public AppInstance A { get; }

    public AppInstance B { get; }

    /// <summary>Both instances, for spreading concurrent requests: index <c>i % 2</c>.</summary>
    public AppInstance this[int index] => index % 2 == 0 ? A : B;

    public static async Task<TwoInstances> StartAsync(string provider, Action<AccountSecurityOptions>? configure = null, Action<IServiceCollection>? configureServices = null)
    {
        var database = await TestDatabase.CreateAsync(provider);
        // A few seconds into a 30-second TOTP step, so codes computed "now" stay in their step while a test runs.
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 15, 8, 0, 5, TimeSpan.Zero));
        var key = RandomNumberGenerator.GetBytes(32);
        return new TwoInstances(database, time, new AppInstance("A", database, time, key, configure, configureServices), new AppInstance("B", database, time, key, configure, configureServices));
    }

    /// <summary>
    /// Runs <paramref name="count"/> requests as one tight race, request <c>i</c> on instance <c>i % 2</c>: each
    /// resolves <typeparamref name="TService"/> in its own scope and opens its own database connection, and only when
    /// all are ready do they all call <paramref name="request"/> at once. Without the start line most requests would
    /// arrive after the first had finished (a scope's first connection is slow), and the race would not be one.
    /// </summary>
    public async Task<T[]> RaceAsync<TService, T>(int count, Func<TService, int, ValueTask<T>> request)
        where TService : notnull
    {
        // SQLite's "async" calls block their thread: give every racer one, so they really run side by side.
        ThreadPool.GetMinThreads(out var workers, out var io);
        if (workers < count + 4)
        {
            ThreadPool.SetMinThreads(count + 4, io);
        }

        var ready = 0;
        var allReady = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var racers = Enumerable.Range(0, count).Select(i => Task.Run(() => this[i].RunAsync(async sp =>
        {
            TService service;
            try
            {
                service = sp.GetRequiredService<TService>();
                await sp.GetRequiredService<AccountSecurityDbContext>().Database.OpenConnectionAsync();
            }
            catch (Exception e)
            {
                allReady.TrySetException(e); // release the others rather than leave them waiting for ever
                throw;
            }

            if (Interlocked.Increment(ref ready) == count)
            {
                allReady.TrySetResult();
            }

            await allReady.Task;
            return await request(service, i);
        }))).ToList();
        return await Task.WhenAll(racers);
    }

    /// <summary>
    /// Sends <paramref name="request"/> again while it is answered busy for load (<paramref name="isBusy"/>), as a client
    /// honouring the retry-after would (without its wait). An instance gives an account one hashing place at a time
    /// (issue 23): of one instance's concurrent checks of one account, all but one are answered busy, uncounted, while
    /// the two instances still race each other.
    /// </summary>
    public static async ValueTask<T> UntilNotBusyAsync<T>(Func<ValueTask<T>> request, Func<T, bool> isBusy)
    {
        for (var attempt = 0; attempt < 2_000; attempt++)
        {
            var answer = await request();
            if (!isBusy(answer))
            {
                return answer;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(5));
        }

        throw new TimeoutException("The request was still answered busy after 2,000 tries.");
    }

    public async ValueTask DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
        await Database.DisposeAsync();
    }
}

/// <summary>One app instance: its own service provider, DbContexts, reset-token outbox and event sink.</summary>
internal sealed class AppInstance : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public AppInstance(string name, TestDatabase database, FakeTimeProvider time, byte[] secretProtectionKey, Action<AccountSecurityOptions>? configure, Action<IServiceCollection>? configureServices = null)
    {
        Name = name;
        _services = TestServices.Build(database, time, ResetTokens, Events, secretProtectionKey, configure, configureServices);
    }

    public string Name { get; }

    public CapturingResetTokenSender ResetTokens { get; } = new();

    /// <summary>The security events this instance raised (and only those).</summary>
    public CollectingSecurityEventSink Events { get; } = new();

    /// <summary>Runs one request on this instance, in its own DI scope (so its own DbContext).</summary>
    public async Task<T> RunAsync<T>(Func<IServiceProvider, ValueTask<T>> request)
    {
        await using var scope = _services.CreateAsyncScope();
        return await request(scope.ServiceProvider);
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();

    public override string ToString() => "instance " + Name;
}
