using System.Diagnostics;
using System.Diagnostics.Metrics;
using AccountSecurity.Auditing;
using AccountSecurity.Events;
using AccountSecurity.Sessions;
using AccountSecurity.SignIn;
using AccountSecurity.Stores;
using AccountSecurity.Tests.TestSupport;
using AccountSecurity.TwoFactor;
using Microsoft.Extensions.DependencyInjection;

namespace AccountSecurity.Tests.Auditing;

/// <summary>The write path: events from real operations end up as linked records with their session's device, and nothing is lost silently.</summary>
public sealed class AuditTrailWriterTests
{
    [Test]
    public async Task ForcedTwoFactor_ByAnAdministrator_IsKeptWithActorTargetAndTheAdministratorsDevice()
    {
        await using var host = TestHost.Create();
        await host.SeedContractAsync();
        var admin = await host.UserAsync(TestHost.AdminId);
        var signedIn = new AuthenticatedSession(admin.Id, admin.ContractId, admin.SecurityStamp, [AuthenticationMethods.Password], host.Time.GetUtcNow());
        var started = await host.Get<ISessionService>().StartAsync(signedIn, new SessionDevice("Firefox on Windows", "203.0.113.7"));
        started.Succeeded.Should().BeTrue();

        using (var activity = new Activity("test").SetIdFormat(ActivityIdFormat.W3C).Start())
        {
            (await host.Get<ITwoFactorAdministrationService>().SetForcedAsync(started.Value.Session, TestHost.UserId, forced: true)).Succeeded.Should().BeTrue();
        }

        await host.Get<AuditTrailWriter>().FlushAsync();
        var own = await host.Get<IAuditTrailService>().QueryOwnAsync(await SessionOfAsync(host, TestHost.UserId), new AuditQuery());
        var forced = own.Value.Records.Should().ContainSingle(r => r.EventType == SecurityEventType.TwoFactorForced).Subject;
        forced.ActorId.Should().Be(TestHost.AdminId);
        forced.ContractId.Should().Be(TestHost.ContractId);
        forced.SessionId.Should().Be(started.Value.Session.SessionId);
        forced.DeviceLabel.Should().Be("Firefox on Windows");
        forced.ClientAddress.Should().Be("203.0.113.7");
        forced.CorrelationId.Should().MatchRegex("^[0-9a-f]{32}$");
        AuditActivityText.Describe(forced).Should().Be("Two-factor authentication required by an administrator, Firefox on Windows, 09:00");

        var sessionStart = (await host.Get<IAuditStore>().QueryAsync(new AuditStoreQuery { ContractId = TestHost.ContractId, EventTypes = [SecurityEventType.SessionStarted], Limit = 10 }, default)).Single();
        sessionStart.SignInMethods.Should().Be(AuditSignInMethods.Password);
        AuditActivityText.Describe(sessionStart).Should().Be("Signed in with password, Firefox on Windows, 09:00");
        (await AuditChain.VerifyAsync(host.Get<IAuditStore>(), TestHost.ContractId)).IsIntact.Should().BeTrue();
    }

    [Test]
    public async Task FullQueue_DropsCountsAndLogs_NeverWaits()
    {
        var gate = new BlockingAuditStore();
        await using var host = TestHost.Create(o => o.Audit.QueueCapacity = 2, s => s.AddSingleton<IAuditStore>(gate));
        var writer = host.Get<AuditTrailWriter>();
        var measurements = Listen(writer.Meter);

        // The reader takes the first and blocks in the store; two more fill the queue; the rest are refused at once.
        writer.TryEnqueue(Event()).Should().BeTrue();
        await gate.Entered.Task.WaitAsync(TimeSpan.FromMinutes(1));
        writer.TryEnqueue(Event()).Should().BeTrue();
        writer.TryEnqueue(Event()).Should().BeTrue();
        writer.TryEnqueue(Event()).Should().BeFalse();
        writer.TryEnqueue(Event()).Should().BeFalse();

        writer.Dropped.Should().Be(2);
        gate.Release.SetResult();
        await writer.FlushAsync().WaitAsync(TimeSpan.FromMinutes(1));
        gate.Appended.Should().Be(3);
        measurements.Where(m => m.Outcome == "dropped_queue_full").Sum(m => m.Value).Should().Be(2);
        measurements.Where(m => m.Outcome == "written").Sum(m => m.Value).Should().Be(3);
        host.Logs.Entries.Should().ContainSingle(e => e.EventId.Id == 700, "one line a minute at most, with the count");
    }

    [Test]
    public async Task FailingStore_DropsAfterTheAttempts_CountedAndLogged()
    {
        await using var host = TestHost.Create(o => o.Audit.WriteAttempts = 1, s => s.AddSingleton<IAuditStore>(new ThrowingAuditStore()));
        var writer = host.Get<AuditTrailWriter>();

        writer.TryEnqueue(Event()).Should().BeTrue();
        await writer.FlushAsync().WaitAsync(TimeSpan.FromMinutes(1));

        writer.Dropped.Should().Be(1);
        host.Logs.Entries.Should().Contain(e => e.EventId.Id == 702);
        host.Logs.AllText().Should().NotContain(t => t.Contains("secret-message", StringComparison.Ordinal), "an exception's message is never logged");
    }

    [Test]
    public async Task Disposal_WritesWhatIsQueued()
    {
        var store = new InMemoryAuditStore();
        var host = TestHost.Create(services: s => s.AddSingleton<IAuditStore>(store));
        var writer = host.Get<AuditTrailWriter>();
        writer.TryEnqueue(Event());
        for (var i = 1; i < 500; i++)
        {
            writer.TryEnqueue(Event());
        }

        await host.DisposeAsync();

        (await store.FindChainAsync("c1", default))!.LastSequence.Should().Be(500);
        writer.TryEnqueue(Event()).Should().BeFalse("after shutdown nothing is taken");
        writer.Dropped.Should().Be(1);
    }

    [Test]
    public async Task Disposal_RightAfterTheFirstEvents_WritesThemThroughAScopedStore([Range(1, 20)] int round)
    {
        // A durable store is scoped, and a container being disposed makes no new scope: a reader that had not written
        // before the host stopped once lost everything it was given (two app instances lost 5,000 of 10,000 events).
        var store = new InMemoryAuditStore();
        var host = TestHost.Create(services: s => s.AddScoped<IAuditStore>(_ => new ScopedAuditStore(store)));
        var writer = host.Get<AuditTrailWriter>();
        for (var i = 0; i < 10 * round; i++)
        {
            writer.TryEnqueue(Event()).Should().BeTrue();
        }

        await host.DisposeAsync();

        writer.Dropped.Should().Be(0);
        (await store.FindChainAsync("c1", default))!.LastSequence.Should().Be(10 * round);
    }

    [Test]
    public async Task Disabled_KeepsNothing()
    {
        var store = new InMemoryAuditStore();
        await using var host = TestHost.Create(o => o.Audit.Enabled = false, s => s.AddSingleton<IAuditStore>(store));
        await host.SeedContractAsync();

        (await store.ListChainsAsync(null, 10, default)).Should().BeEmpty();
    }

    [Test]
    public void RecordOf_KeepsOnlyCodesAndIds()
    {
        var record = AuditTrailWriter.RecordOf(Event() with { Outcome = "My password is Hunter2!", UserId = "bad\nid", ContractId = null, SessionId = new string('s', 500) });

        record.Outcome.Should().Be("other");
        record.UserId.Should().BeNull();
        record.ContractId.Should().Be(AuditRecord.NoContract);
        record.SessionId.Should().BeNull();
        AuditTrailWriter.RecordOf(Event() with { Type = SecurityEventType.SignInSucceeded, Outcome = "pwd+otp+mfa" }).SignInMethods
            .Should().Be(AuditSignInMethods.Password | AuditSignInMethods.AuthenticatorApp | AuditSignInMethods.MultiFactor);
    }

    private static SecurityEvent Event() => new() { Type = SecurityEventType.SignInFailed, OccurredAt = TestHost.Start, UserId = "u1", ContractId = "c1", Outcome = "wrong_password" };

    private static async Task<AuthenticatedSession> SessionOfAsync(TestHost host, string userId)
    {
        var user = await host.UserAsync(userId);
        return new AuthenticatedSession(user.Id, user.ContractId, user.SecurityStamp, [AuthenticationMethods.Password], host.Time.GetUtcNow());
    }

    private static List<(long Value, string? Outcome)> Listen(Meter meter)
    {
        var measurements = new List<(long, string?)>();
        var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, meter) && instrument.Name == AuditTrailWriter.CounterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            lock (measurements)
            {
                measurements.Add((value, tags.ToArray().FirstOrDefault(t => t.Key == "outcome").Value?.ToString()));
            }
        });
        listener.Start();
        return measurements;
    }

    /// <summary>A store over another that blocks every append until released: a reader busy in the store.</summary>
    private sealed class BlockingAuditStore() : ForwardingAuditStore(new InMemoryAuditStore())
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Appended { get; private set; }

        public override async ValueTask<IReadOnlyList<AuditRecord>> AppendAsync(string contractId, IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken)
        {
            Entered.TrySetResult();
            await Release.Task;
            Appended += records.Count;
            return await base.AppendAsync(contractId, records, cancellationToken);
        }
    }

    /// <summary>A store over a shared one, registered scoped, as an EF Core store is scoped over one database.</summary>
    private sealed class ScopedAuditStore(IAuditStore inner) : ForwardingAuditStore(inner);

    /// <summary>Everything to <c>inner</c>; the stores above change one thing each.</summary>
    private abstract class ForwardingAuditStore(IAuditStore inner) : IAuditStore
    {
        public virtual ValueTask<IReadOnlyList<AuditRecord>> AppendAsync(string contractId, IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken) => inner.AppendAsync(contractId, records, cancellationToken);

        public ValueTask<IReadOnlyList<AuditRecord>> QueryAsync(AuditStoreQuery query, CancellationToken cancellationToken) => inner.QueryAsync(query, cancellationToken);

        public ValueTask<IReadOnlyList<AuditRecord>> ReadChainAsync(string contractId, long afterSequence, int count, CancellationToken cancellationToken) => inner.ReadChainAsync(contractId, afterSequence, count, cancellationToken);

        public ValueTask<AuditChainHead?> FindChainAsync(string contractId, CancellationToken cancellationToken) => inner.FindChainAsync(contractId, cancellationToken);

        public ValueTask<IReadOnlyList<AuditChainHead>> ListChainsAsync(string? afterContractId, int count, CancellationToken cancellationToken) => inner.ListChainsAsync(afterContractId, count, cancellationToken);

        public ValueTask<StoreWriteResult> SetRetentionAsync(string contractId, int? retentionDays, CancellationToken cancellationToken) => inner.SetRetentionAsync(contractId, retentionDays, cancellationToken);

        public ValueTask<int> DeleteExpiredAsync(string contractId, DateTimeOffset before, int batchSize, CancellationToken cancellationToken) => inner.DeleteExpiredAsync(contractId, before, batchSize, cancellationToken);
    }

    private sealed class ThrowingAuditStore : IAuditStore
    {
        public ValueTask<IReadOnlyList<AuditRecord>> AppendAsync(string contractId, IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("secret-message");

        public ValueTask<IReadOnlyList<AuditRecord>> QueryAsync(AuditStoreQuery query, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask<IReadOnlyList<AuditRecord>> ReadChainAsync(string contractId, long afterSequence, int count, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask<AuditChainHead?> FindChainAsync(string contractId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask<IReadOnlyList<AuditChainHead>> ListChainsAsync(string? afterContractId, int count, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask<StoreWriteResult> SetRetentionAsync(string contractId, int? retentionDays, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask<int> DeleteExpiredAsync(string contractId, DateTimeOffset before, int batchSize, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
