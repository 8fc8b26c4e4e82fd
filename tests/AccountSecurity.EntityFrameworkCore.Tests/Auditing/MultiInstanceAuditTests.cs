using AccountSecurity.Auditing;
using AccountSecurity.EntityFrameworkCore.Model;
using AccountSecurity.EntityFrameworkCore.Stores;
using AccountSecurity.EntityFrameworkCore.Tests.Infrastructure;
using AccountSecurity.Events;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AccountSecurity.EntityFrameworkCore.Tests.Auditing;

/// <summary>The audit trail of two app instances over one database: no event lost, every contract's chain gapless and linked.</summary>
[TestFixture(TestDatabase.PostgreSql)]
[TestFixture(TestDatabase.Sqlite)]
public sealed class MultiInstanceAuditTests(string provider)
{
    private const int Events = 10_000;
    private const int Concurrency = 200;
    private static readonly string[] Contracts = ["contract-a", "contract-b", "contract-c", "contract-d"];

    [Test]
    public async Task TenThousandEvents_From200ConcurrentRequestsOnTwoInstances_AreAllKeptInIntactChains()
    {
        await using var instances = await TwoInstances.StartAsync(provider, o => o.Audit.QueueCapacity = Events);
        var start = instances.Time.GetUtcNow();

        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(request => Task.Run(() => instances[request].RunAsync(async sp =>
        {
            // Through the event sink pipeline, as the services raise them: every registered sink, the audit trail's among them.
            var sinks = sp.GetServices<ISecurityEventSink>().ToList();
            for (var i = 0; i < Events / Concurrency; i++)
            {
                var securityEvent = new SecurityEvent
                {
                    Type = SecurityEventType.SignInFailed,
                    OccurredAt = start.AddTicks((request * 1000) + i),
                    UserId = $"user-{request}",
                    ContractId = Contracts[(request + i) % Contracts.Length],
                    Outcome = "wrong_password",
                };
                foreach (var sink in sinks)
                {
                    await sink.OnEventAsync(securityEvent, CancellationToken.None);
                }
            }

            return true;
        }))));

        // Stopping an instance writes everything it queued.
        await instances.A.DisposeAsync();
        await instances.B.DisposeAsync();

        await using var context = instances.Database.CreateContext();
        var store = new EntityFrameworkCoreAuditStore<AccountSecurityDbContext>(context);
        (await context.Set<AuditRecordEntity>().CountAsync()).Should().Be(Events, "no event is lost");
        var kept = 0L;
        foreach (var contract in Contracts)
        {
            var head = await store.FindChainAsync(contract, CancellationToken.None);
            var verification = await AuditChain.VerifyAsync(store, contract);
            verification.IsIntact.Should().BeTrue(verification.ToString());
            verification.RecordsChecked.Should().Be(head!.LastSequence);
            kept += head.LastSequence;
        }

        kept.Should().Be(Events);
        var perUser = await context.Set<AuditRecordEntity>().GroupBy(r => r.UserId).Select(g => g.Count()).ToListAsync();
        perUser.Should().HaveCount(Concurrency).And.OnlyContain(n => n == Events / Concurrency);
    }
}
