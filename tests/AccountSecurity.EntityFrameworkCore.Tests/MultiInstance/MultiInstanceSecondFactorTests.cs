using AccountSecurity.Accounts;
using AccountSecurity.EntityFrameworkCore.Tests.Infrastructure;
using AccountSecurity.Events;
using AccountSecurity.SignIn;
using AccountSecurity.Stores;
using AccountSecurity.Testing;
using AccountSecurity.TwoFactor;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;

namespace AccountSecurity.EntityFrameworkCore.Tests.MultiInstance;

/// <summary>
/// Two app instances sharing one database enforce the second factor as one: a TOTP code is accepted once, a recovery
/// code is spent once, and second-factor failures are counted exactly, whichever instance a request reaches.
/// </summary>
[TestFixture(TestDatabase.Sqlite)]
[TestFixture(TestDatabase.PostgreSql)]
public sealed class MultiInstanceSecondFactorTests(string provider)
{
    private const string Email = "owner@example.com";
    private const string Password = "Initial pass phrase 4 tests";
    private const int MaxFailedAttempts = 5;

    private readonly CollectingSecurityEventSink _events = new();
    private TwoInstances? _instances;
    private string _userId = null!;
    private byte[] _secret = null!;
    private IReadOnlyList<string> _recoveryCodes = null!;

    private TwoInstances Instances => _instances ?? throw new InvalidOperationException("Instances not started.");

    [SetUp]
    public async Task StartInstancesWithTwoFactorUserAsync()
    {
        _events.Clear();
        _instances = await TwoInstances.StartAsync(provider, o =>
        {
            o.Lockout.SecondFactor.MaxFailedAttempts = MaxFailedAttempts;
            o.Stores.MaxConcurrencyRetries = 1_000;
        }, _events);
        var owner = await Instances.A.RunAsync(sp => sp.GetRequiredService<AccountProvisioningService>()
            .CreateContractAsync("contract-1", "Contract One", "owner-1", Email, Password));
        owner.Succeeded.Should().BeTrue(owner.ToString());
        _userId = owner.Value.Id;

        // Set up on A, confirm on B: the pending secret A protected is readable by B.
        var setup = await Instances.A.RunAsync(sp => sp.GetRequiredService<TwoFactorService>().BeginSetupAsync(_userId, Password));
        setup.Succeeded.Should().BeTrue(setup.ToString());
        _secret = SecretFrom(setup.Value.OtpAuthUri);
        var confirmed = await Instances.B.RunAsync(sp => sp.GetRequiredService<TwoFactorService>().ConfirmSetupAsync(_userId, CodeAt(Instances.Time.GetUtcNow())));
        confirmed.Succeeded.Should().BeTrue(confirmed.ToString());
        _recoveryCodes = confirmed.Value;

        // Later codes are in fresh time steps, never a replay of the confirmation's.
        Instances.Time.Advance(TimeSpan.FromSeconds(30));
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
    public async Task TwoFactorEnabledOnOneInstance_IsRequiredByTheOther()
    {
        var signIn = await PasswordStepAsync(Instances.A);

        signIn.Status.Should().Be(SignInStatus.SecondFactorRequired);
        (await PasswordStepAsync(Instances.B)).Status.Should().Be(SignInStatus.SecondFactorRequired);
    }

    [Test]
    public async Task OneValidCode_SubmittedConcurrentlyThroughBothInstances_SucceedsExactlyOnce()
    {
        var ticket = (await PasswordStepAsync(Instances.A)).Ticket;
        var code = CodeAt(Instances.Time.GetUtcNow());

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() =>
            Instances[i].RunAsync(sp => sp.GetRequiredService<SignInService>().SecondFactorSignInAsync(ticket, code)))));

        results.Count(r => r.Succeeded).Should().Be(1, string.Join("; ", results.Select(r => r.ToString())));
        var replay = await PasswordStepAsync(Instances.B);
        var again = await Instances.B.RunAsync(sp => sp.GetRequiredService<SignInService>().SecondFactorSignInAsync(replay.Ticket, code));
        again.Succeeded.Should().BeFalse("the accepted code is spent on every instance");
    }

    [Test]
    public async Task WrongCodes_ConcurrentlyThroughBothInstances_AreCountedExactlyAndLock()
    {
        var ticket = (await PasswordStepAsync(Instances.A)).Ticket;
        var right = CodeAt(Instances.Time.GetUtcNow());
        var wrong = right == "000000" ? "000001" : "000000";

        var results = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => Task.Run(() =>
            Instances[i].RunAsync(sp => sp.GetRequiredService<SignInService>().SecondFactorSignInAsync(ticket, wrong)))));

        results.Should().NotContain(r => r.Succeeded);
        results.Count(r => r.Status == SignInStatus.Failed).Should().BeLessThan(MaxFailedAttempts, "the attempt that reaches the limit answers locked");
        results.Count(r => r.Status == SignInStatus.LockedOut).Should().BeGreaterThanOrEqualTo(30 - MaxFailedAttempts);
        _events.Events.Count(e => e.Type == SecurityEventType.SecondFactorFailed && e.UserId == _userId).Should().BeLessThanOrEqualTo(MaxFailedAttempts);
        var stored = await FindAsync(Instances.B);
        stored.SecondFactorLockout.FailedCount.Should().Be(MaxFailedAttempts);
        stored.SecondFactorLockout.IsLockedAt(Instances.Time.GetUtcNow()).Should().BeTrue();

        var whileLocked = await Instances.B.RunAsync(sp => sp.GetRequiredService<SignInService>().SecondFactorSignInAsync(ticket, right));
        whileLocked.Status.Should().Be(SignInStatus.LockedOut, "the lock holds on the other instance, even for the right code");

        Instances.Time.Advance(stored.SecondFactorLockout.LockoutEnd!.Value - Instances.Time.GetUtcNow() + TimeSpan.FromSeconds(1));
        var fresh = await PasswordStepAsync(Instances.A);
        var afterLock = await Instances.B.RunAsync(sp => sp.GetRequiredService<SignInService>().SecondFactorSignInAsync(fresh.Ticket, CodeAt(Instances.Time.GetUtcNow())));
        afterLock.Succeeded.Should().BeTrue(afterLock.ToString());
        (await FindAsync(Instances.A)).SecondFactorLockout.FailedCount.Should().Be(0, "a success resets the count");
    }

    [Test]
    public async Task OneRecoveryCode_SubmittedConcurrentlyThroughBothInstances_IsSpentExactlyOnce()
    {
        var ticket = (await PasswordStepAsync(Instances.A)).Ticket;
        var recoveryCode = _recoveryCodes[0];

        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(() =>
            Instances[i].RunAsync(sp => sp.GetRequiredService<SignInService>().RecoveryCodeSignInAsync(ticket, recoveryCode)))));

        results.Count(r => r.Succeeded).Should().Be(1, string.Join("; ", results.Select(r => r.ToString())));
        foreach (var instance in new[] { Instances.A, Instances.B })
        {
            var next = await PasswordStepAsync(instance);
            var reuse = await instance.RunAsync(sp => sp.GetRequiredService<SignInService>().RecoveryCodeSignInAsync(next.Ticket, recoveryCode));
            reuse.Succeeded.Should().BeFalse($"the spent code is refused on {instance}");
        }

        (await FindAsync(Instances.A)).TwoFactor.RecoveryCodeHashes.Should().HaveCount(_recoveryCodes.Count - 1);
    }

    private Task<SignInResult> PasswordStepAsync(AppInstance instance) =>
        instance.RunAsync(sp => sp.GetRequiredService<SignInService>().PasswordSignInAsync(Email, Password));

    private async Task<UserAccount> FindAsync(AppInstance instance) =>
        (await instance.RunAsync(sp => sp.GetRequiredService<IUserStore>().FindByIdAsync(_userId, CancellationToken.None)))!;

    private string CodeAt(DateTimeOffset instant) => new Totp(_secret).ComputeTotp(instant.UtcDateTime);

    private static byte[] SecretFrom(string otpauthUri)
    {
        var query = new Uri(otpauthUri).Query.TrimStart('?').Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));
        return Base32Encoding.ToBytes(query["secret"]);
    }
}
