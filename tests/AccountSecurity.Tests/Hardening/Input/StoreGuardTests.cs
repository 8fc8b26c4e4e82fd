using System.Collections.Concurrent;
using System.Reflection;
using System.Text;
using AccountSecurity.Accounts;
using AccountSecurity.Resources;
using AccountSecurity.SignIn;
using AccountSecurity.Stores;
using AccountSecurity.SupportPin;
using AccountSecurity.Testing;
using AccountSecurity.Testing.Hardening;
using AccountSecurity.Tests.TestSupport;
using AccountSecurity.TwoFactor;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AccountSecurity.Tests.Hardening.Input;

/// <summary>
/// Issue 8, item 5: one input check for every id, ticket and name before any store sees it. Services reach the host's
/// stores only through the guards, a ticket's id part is validated when the ticket is parsed, and a hostile id gets the
/// answer an unknown id gets.
/// </summary>
public sealed class StoreGuardTests
{
    [Test]
    public async Task EveryService_ReachesTheStoresOnlyThroughTheGuards()
    {
        await using var host = TestHost.Create();
        // The services hosts resolve are the public interfaces; the walk starts at what the container hands out for each.
        var serviceTypes = typeof(IAccountProvisioningService).Assembly.GetExportedTypes()
            .Where(t => t.IsInterface && t.Name.EndsWith("Service", StringComparison.Ordinal) || t == typeof(IProtectedResourceAccess))
            .ToList();
        serviceTypes.Should().HaveCountGreaterThan(9);

        var unguarded = new List<string>();
        foreach (var type in serviceTypes)
        {
            Walk(host.Services.GetRequiredService(type), type.Name, unguarded, new HashSet<object>(ReferenceEqualityComparer.Instance));
        }

        unguarded.Should().BeEmpty("a service holding the raw store could send it an id nobody checked");
    }

    [Test]
    public void TicketParsing_IdPartThatCannotBeAnId_IsMalformed()
    {
        SignInTickets.TryParse("AA.abcdef", out var userId, out _).Should().BeFalse("AA decodes to a NUL");
        userId.Should().BeEmpty();
        // Lone surrogates cannot travel in a ticket: UTF-8 turns them into U+FFFD, a valid id of nobody.
        foreach (var hostile in HostileInputs.Strings.Where(s => s.Value!.Length < 1000 && Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(s.Value)) == s.Value))
        {
            SignInTickets.TryParse(HostileInputs.MadeUpTicket(hostile.Value!), out _, out _).Should().BeFalse(hostile.Name);
        }

        SignInTickets.TryParse(HostileInputs.MadeUpTicket("user-1"), out var valid, out _).Should().BeTrue();
        valid.Should().Be("user-1");
    }

    [Test]
    public async Task HostileIdsAndTickets_NeverReachTheStore()
    {
        var recording = new RecordingUserStore();
        await using var host = TestHost.Create(services: s => s.Replace(ServiceDescriptor.Singleton<IUserStore>(recording)));
        await host.SeedContractAsync();
        recording.Keys.Clear();

        foreach (var hostile in HostileInputs.Strings)
        {
            await host.Get<ISignInService>().SecondFactorSignInAsync(HostileInputs.MadeUpTicket(hostile.Value!.Length < 1000 ? hostile.Value : "x"), "123456");
            await host.Get<ISignInService>().BeginTwoFactorSetupAsync("AA.abcdef");
            await host.Get<ITwoFactorService>().GetStatusAsync(hostile.Value);
            await host.Get<ITwoFactorAdministrationService>().ResetAsync(TestSessions.Of(hostile.Value), TestHost.UserId);
            await host.Change.ChangePasswordAsync(TestSessions.Of(hostile.Value), TestHost.InitialPassword, TestHost.SecondPassword, TestHost.SecondPassword);
            await host.Policies.SetPolicyAsync(TestSessions.Of(hostile.Value), null);
            await host.Provisioning.CreateUserAsync(hostile.Value, new NewUser { UserId = "new-user", Email = "new-user@example.com", Role = UserRole.User, InitialPassword = TestHost.SecondPassword });
            await host.Get<ISupportPinService>().GetStatusAsync(hostile.Value);
        }

        recording.Keys.Should().NotBeEmpty().And.OnlyContain(k => InputText.IsId(k) || EmailAddress.IsPlausible(k), "no store may see a key no account can have");
    }

    [Test]
    public async Task GuardedStores_AnswerHostileKeysAsUnknownAndRefuseUnstorableRecords()
    {
        var users = new GuardedUserStore(new InMemoryUserStore());
        var contracts = new GuardedContractStore(new InMemoryContractStore());
        var user = new UserAccount { Id = "u\0", ContractId = "c", Email = "a@example.com", SecurityStamp = "s" };

        (await users.FindByIdAsync("\0", CancellationToken.None)).Should().BeNull();
        (await users.FindByEmailAsync("a\0@example.com", CancellationToken.None)).Should().BeNull();
        (await users.ListByContractAsync("c" + '\uD800', CancellationToken.None)).Should().BeEmpty();
        (await users.CreateAsync(user, CancellationToken.None)).Should().NotBe(StoreWriteResult.Success);
        (await users.UpdateAsync(user, CancellationToken.None)).Should().Be(StoreWriteResult.NotFound);
        (await contracts.FindByIdAsync(new string('c', 10_000), CancellationToken.None)).Should().BeNull();
        (await contracts.CreateAsync(new Contract { Id = "c", Name = "Name\0", OwnerUserId = "o" }, CancellationToken.None)).Should().NotBe(StoreWriteResult.Success);
        (await contracts.FindByIdAsync("c", CancellationToken.None)).Should().BeNull();
    }

    private static void Walk(object? instance, string path, List<string> unguarded, HashSet<object> seen)
    {
        if (instance is null || instance is GuardedUserStore or GuardedContractStore || !seen.Add(instance) || instance.GetType().Assembly != typeof(IAccountProvisioningService).Assembly)
        {
            return;
        }

        if (instance is IUserStore or IContractStore)
        {
            unguarded.Add(path);
            return;
        }

        foreach (var field in instance.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            Walk(field.GetValue(instance), path + "." + field.Name, unguarded, seen);
        }
    }

    private sealed class RecordingUserStore : IUserStore
    {
        private readonly InMemoryUserStore _inner = new();

        public ConcurrentBag<string> Keys { get; } = [];

        public ValueTask<UserAccount?> FindByIdAsync(string userId, CancellationToken cancellationToken)
        {
            Keys.Add(userId);
            return _inner.FindByIdAsync(userId, cancellationToken);
        }

        public ValueTask<UserAccount?> FindByPasskeyUserHandleAsync(string userHandle, CancellationToken cancellationToken)
        {
            Keys.Add(userHandle);
            return _inner.FindByPasskeyUserHandleAsync(userHandle, cancellationToken);
        }

        public ValueTask<UserAccount?> FindByEmailAsync(string email, CancellationToken cancellationToken)
        {
            Keys.Add(email);
            return _inner.FindByEmailAsync(email, cancellationToken);
        }

        public ValueTask<IReadOnlyList<UserAccount>> ListByContractAsync(string contractId, CancellationToken cancellationToken)
        {
            Keys.Add(contractId);
            return _inner.ListByContractAsync(contractId, cancellationToken);
        }

        public ValueTask<StoreWriteResult> CreateAsync(UserAccount user, CancellationToken cancellationToken)
        {
            Keys.Add(user.Id);
            return _inner.CreateAsync(user, cancellationToken);
        }

        public ValueTask<StoreWriteResult> UpdateAsync(UserAccount user, CancellationToken cancellationToken)
        {
            Keys.Add(user.Id);
            return _inner.UpdateAsync(user, cancellationToken);
        }
    }
}
