using AccountSecurity.Accounts;
using AccountSecurity.EntityFrameworkCore.Tests.Infrastructure;
using AccountSecurity.Stores;
using AccountSecurity.SupportPin;
using Microsoft.Extensions.DependencyInjection;

namespace AccountSecurity.EntityFrameworkCore.Tests.MultiInstance;

/// <summary>Support-PIN verification through two app instances over one database counts and locks as one.</summary>
[TestFixture(TestDatabase.Sqlite)]
[TestFixture(TestDatabase.PostgreSql)]
public sealed class MultiInstanceSupportPinTests(string provider)
{
    private const string Email = "owner@example.com";
    private const string Password = "Initial pass phrase 4 tests";
    private const string Pin = "40718293";
    private const int MaxFailedAttempts = 5;

    private TwoInstances? _instances;
    private string _userId = null!;

    private TwoInstances Instances => _instances ?? throw new InvalidOperationException("Instances not started.");

    [SetUp]
    public async Task StartInstancesWithPinAsync()
    {
        _instances = await TwoInstances.StartAsync(provider, o =>
        {
            o.Lockout.SupportPin.MaxFailedAttempts = MaxFailedAttempts;
            o.SupportPin.WorkFactor = 4;
            o.Stores.MaxConcurrencyRetries = 1_000;
        });
        var owner = await Instances.A.RunAsync(sp => sp.GetRequiredService<AccountProvisioningService>()
            .CreateContractAsync("contract-1", "Contract One", "owner-1", Email, Password));
        owner.Succeeded.Should().BeTrue(owner.ToString());
        _userId = owner.Value.Id;
        var set = await Instances.A.RunAsync(sp => sp.GetRequiredService<ISupportPinService>().SetPinAsync(_userId, Password, Pin, Pin));
        set.Succeeded.Should().BeTrue(set.ToString());
    }

    [TearDown]
    public async Task StopInstancesAsync()
    {
        if (_instances is not null)
        {
            await _instances.DisposeAsync();
            _instances = null;
        }
    }

    [Test]
    public async Task PinSetOnOneInstance_VerifiesOnTheOther()
    {
        var verified = await VerifyAsync(Instances.B, Pin);

        verified.IsVerified.Should().BeTrue(verified.ToString());
    }

    [Test]
    public async Task WrongPins_ConcurrentlyThroughBothInstances_CompareAtMostTheLimit_AndLockOnBoth()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() => VerifyAsync(Instances[i], "9" + i.ToString("D7", System.Globalization.CultureInfo.InvariantCulture)))));

        results.Should().NotContain(r => r.IsVerified);
        results.Count(r => r.Outcome == SupportPinVerificationOutcome.WrongPin).Should().BeLessThanOrEqualTo(MaxFailedAttempts, "only reserved attempts are compared");
        results.Count(r => r.Outcome == SupportPinVerificationOutcome.LockedOut).Should().BeGreaterThanOrEqualTo(40 - MaxFailedAttempts);
        var stored = await FindAsync(Instances.A);
        stored.SupportPinLockout.FailedCount.Should().Be(MaxFailedAttempts);
        stored.SupportPinLockout.IsLockedAt(Instances.Time.GetUtcNow()).Should().BeTrue();

        var rightWhileLocked = await VerifyAsync(Instances.B, Pin);
        rightWhileLocked.Outcome.Should().Be(SupportPinVerificationOutcome.LockedOut, "the lock holds on the other instance, even for the right PIN");

        Instances.Time.Advance(stored.SupportPinLockout.LockoutEnd!.Value - Instances.Time.GetUtcNow() + TimeSpan.FromSeconds(1));
        var afterLock = await VerifyAsync(Instances.A, Pin);
        afterLock.IsVerified.Should().BeTrue(afterLock.ToString());
        (await FindAsync(Instances.B)).SupportPinLockout.FailedCount.Should().Be(0, "a correct PIN resets the count");
    }

    private Task<SupportPinVerificationResult> VerifyAsync(AppInstance instance, string pin) =>
        instance.RunAsync(sp => sp.GetRequiredService<ISupportPinService>().VerifyByUserIdAsync("agent-7", _userId, pin));

    private async Task<UserAccount> FindAsync(AppInstance instance) =>
        (await instance.RunAsync(sp => sp.GetRequiredService<IUserStore>().FindByIdAsync(_userId, CancellationToken.None)))!;
}
