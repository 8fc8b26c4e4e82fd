using AccountSecurity.Accounts;
using AccountSecurity.Events;
using AccountSecurity.SignIn;
using AccountSecurity.Stores;
using AccountSecurity.Testing;
using AccountSecurity.Testing.Stores;
using AccountSecurity.TwoFactor;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace AccountSecurity.PackageExamples;

// snippet:begin testing-nunit
/// <summary>Runs the whole IUserStore contract (optimistic concurrency, lookups, round-trips) against a store.</summary>
[TestFixture]
public sealed class MyUserStoreConformanceTests : UserStoreConformanceTests
{
    private InMemoryUserStore _store = new();

    protected override Task InitializeStorageAsync()   // fresh, empty storage per test: for yours, a clean database
    {
        _store = new InMemoryUserStore();
        return Task.CompletedTask;
    }

    // Called once per concurrent worker: every store returned during a test must see the same data.
    protected override IUserStore CreateStore() => _store;
}
// snippet:end

// snippet:begin testing
/// <summary>A flow test: fake clock, fast bcrypt, collected events, and a stand-in for the user's authenticator app.</summary>
[TestFixture]
public sealed class TwoFactorFlowTests
{
    [Test]
    public async Task SignIn_WithTheAuthenticatorsNextCode_CompletesWithTheSecondFactor()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 9, 0, 0, TimeSpan.Zero));
        var events = new CollectingSecurityEventSink();
        var services = new ServiceCollection().AddSingleton<TimeProvider>(time);
        services.AddAccountSecurity(o => AccountSecurityTestOptions.ApplyFastTestDefaults(o)).AddEventSink(events);
        await using var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        await sp.GetRequiredService<IAccountProvisioningService>()
            .CreateContractAsync(new NewContract
            {
                ContractId = "c-1",
                ContractName = "Contract",
                OwnerUserId = "alice",
                OwnerEmail = "alice@example.com",
                OwnerPassword = "tangerine submarine orchestra",
            });

        var twoFactor = sp.GetRequiredService<ITwoFactorService>();
        var setup = await twoFactor.BeginSetupAsync(TestSessions.Of("alice"), "tangerine submarine orchestra");   // the password proves it inline
        var authenticator = TotpCodeGenerator.FromSetup(setup.Value, time);   // "scans" the QR code's otpauth URI
        await twoFactor.ConfirmSetupAsync("alice", authenticator.CurrentCode());
        time.Advance(TimeSpan.FromSeconds(30));                              // a code is accepted once: wait for the next

        var signIn = sp.GetRequiredService<ISignInService>();
        var first = await signIn.PasswordSignInAsync("alice@example.com", "tangerine submarine orchestra");
        var second = await signIn.SecondFactorSignInAsync(first.Ticket, authenticator.CurrentCode());

        Assert.That(second.Session?.UsedSecondFactor, Is.True);
        Assert.That(events.OfType(SecurityEventType.TwoFactorEnabled), Has.Count.EqualTo(1));
    }
}
// snippet:end
