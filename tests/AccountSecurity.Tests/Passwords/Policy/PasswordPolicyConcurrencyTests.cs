using AccountSecurity.Accounts;
using AccountSecurity.Events;
using AccountSecurity.Passwords.Policy;
using AccountSecurity.Results;
using AccountSecurity.Stores;
using AccountSecurity.Testing;
using AccountSecurity.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace AccountSecurity.Tests.Passwords.Policy;

/// <summary>Setting the policy is an optimistic read-modify-write of the contract: a conflict is decided again on fresh state.</summary>
public sealed class PasswordPolicyConcurrencyTests
{
    private static readonly PasswordPolicySettings Strict = PasswordPolicySettings.Default with { MinimumLength = 16 };

    [Test]
    public async Task SetPolicy_ContractChangedBetweenReadAndWrite_RetriesOnFreshStateAndKeepsTheOtherChange()
    {
        var store = new InterferingContractStore(new InMemoryContractStore());
        await using var host = TestHost.Create(services: s => s.AddSingleton<IContractStore>(store));
        await host.SeedContractAsync();

        store.BeforeNextUpdate = c => c with { Name = "Renamed meanwhile" };
        var result = await host.Policies.SetPolicyAsync(await TestSessions.FreshAsync(host.Services, TestHost.OwnerId), Strict);

        result.Succeeded.Should().BeTrue(result.ToString());
        store.Conflicts.Should().Be(1, "the first write lost to the concurrent rename");
        var stored = (await host.Contracts.FindByIdAsync(TestHost.ContractId, CancellationToken.None))!;
        stored.PasswordPolicy.Should().Be(Strict);
        stored.Name.Should().Be("Renamed meanwhile", "the retry decided on the fresh contract, not the stale one");
        host.Events.OfType(SecurityEventType.PasswordPolicyChanged).Should().ContainSingle();
    }

    [Test]
    public async Task SetPolicy_OwnershipMovedBetweenReadAndWrite_IsRefusedOnTheFreshContract()
    {
        var store = new InterferingContractStore(new InMemoryContractStore());
        await using var host = TestHost.Create(services: s => s.AddSingleton<IContractStore>(store));
        await host.SeedContractAsync();

        store.BeforeNextUpdate = c => c with { OwnerUserId = TestHost.AdminId };
        var result = await host.Policies.SetPolicyAsync(await TestSessions.FreshAsync(host.Services, TestHost.OwnerId), Strict);

        result.Errors.Select(e => e.Code).Should().Equal(SecurityErrorCodes.NotAuthorized);
        (await host.Contracts.FindByIdAsync(TestHost.ContractId, CancellationToken.None))!.PasswordPolicy.Should().BeNull();
        host.Events.OfType(SecurityEventType.PasswordPolicyChanged).Should().BeEmpty();
        host.Events.OfType(SecurityEventType.AuthorizationRefused).Should().ContainSingle();
    }

    [Test]
    public async Task SetPolicy_EveryWriteConflicts_GivesUpWithConcurrencyConflictAfterTheConfiguredAttempts()
    {
        var store = new InterferingContractStore(new InMemoryContractStore());
        await using var host = TestHost.Create(o => o.Stores.MaxConcurrencyRetries = 3, s => s.AddSingleton<IContractStore>(store));
        await host.SeedContractAsync();

        store.AlwaysConflict = true;
        var result = await host.Policies.SetPolicyAsync(await TestSessions.FreshAsync(host.Services, TestHost.OwnerId), Strict);

        result.Errors.Select(e => e.Code).Should().Equal(SecurityErrorCodes.ConcurrencyConflict);
        store.Conflicts.Should().Be(4, "one attempt plus three retries");
        host.Logs.Entries.Should().ContainSingle(e => e.Message.Contains("gave up after 4 concurrency conflicts", StringComparison.Ordinal));
        host.Events.OfType(SecurityEventType.PasswordPolicyChanged).Should().BeEmpty();
    }

    /// <summary>Plays a concurrent writer: lands a change just before the next update (which then conflicts), or conflicts always.</summary>
    private sealed class InterferingContractStore(IContractStore inner) : IContractStore
    {
        public Func<Contract, Contract>? BeforeNextUpdate { get; set; }

        public bool AlwaysConflict { get; set; }

        public int Conflicts { get; private set; }

        public ValueTask<Contract?> FindByIdAsync(string contractId, CancellationToken cancellationToken) => inner.FindByIdAsync(contractId, cancellationToken);

        public ValueTask<StoreWriteResult> CreateAsync(Contract contract, CancellationToken cancellationToken) => inner.CreateAsync(contract, cancellationToken);

        public async ValueTask<StoreWriteResult> UpdateAsync(Contract contract, CancellationToken cancellationToken)
        {
            if (BeforeNextUpdate is { } change)
            {
                BeforeNextUpdate = null;
                var stored = (await inner.FindByIdAsync(contract.Id, cancellationToken))!;
                (await inner.UpdateAsync(change(stored), cancellationToken)).Should().Be(StoreWriteResult.Success);
            }

            var written = AlwaysConflict ? StoreWriteResult.Conflict : await inner.UpdateAsync(contract, cancellationToken);
            Conflicts += written == StoreWriteResult.Conflict ? 1 : 0;
            return written;
        }
    }
}
