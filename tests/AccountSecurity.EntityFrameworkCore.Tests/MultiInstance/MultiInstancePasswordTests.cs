using AccountSecurity.Accounts;
using AccountSecurity.EntityFrameworkCore.Tests.Infrastructure;
using AccountSecurity.Passwords;
using AccountSecurity.Passwords.Change;
using AccountSecurity.Passwords.Reset;
using AccountSecurity.Results;
using AccountSecurity.Stores;
using Microsoft.Extensions.DependencyInjection;

namespace AccountSecurity.EntityFrameworkCore.Tests.MultiInstance;

/// <summary>Two app instances sharing one database behave as one: password changes, resets and lockout counting.</summary>
[TestFixture(TestDatabase.Sqlite)]
[TestFixture(TestDatabase.PostgreSql)]
public sealed class MultiInstancePasswordTests(string provider)
{
    private const string Email = "owner@example.com";
    private const string InitialPassword = "Initial pass phrase 4 tests";
    private const int MaxFailedAttempts = 8;

    private TwoInstances? _instances;
    private string _userId = null!;

    [SetUp]
    public async Task StartInstancesAsync()
    {
        _instances = await TwoInstances.StartAsync(provider, o => o.Lockout.Password.MaxFailedAttempts = MaxFailedAttempts);
        var owner = await Instances.A.RunAsync(sp => sp.GetRequiredService<AccountProvisioningService>()
            .CreateContractAsync("contract-1", "Contract One", "owner-1", Email, InitialPassword));
        owner.Succeeded.Should().BeTrue(owner.ToString());
        _userId = owner.Value.Id;
    }

    // Runs after an ignored SetUp too (PostgreSQL not configured), when nothing was started.
    [TearDown]
    public async Task StopInstancesAsync()
    {
        if (_instances is not null)
        {
            await Instances.DisposeAsync();
            _instances = null;
        }
    }

    private TwoInstances Instances => _instances ?? throw new InvalidOperationException("Instances not started.");

    [Test]
    public async Task ChangePassword_OnInstanceA_IsThePasswordInstanceBAccepts()
    {
        var changed = await ChangeAsync(Instances.A, InitialPassword, "Second pass phrase 4 tests");
        changed.Succeeded.Should().BeTrue(changed.ToString());

        var withOld = await ChangeAsync(Instances.B, InitialPassword, "Third pass phrase 4 tests");
        var withNew = await ChangeAsync(Instances.B, "Second pass phrase 4 tests", "Third pass phrase 4 tests");

        withOld.HasError(PasswordErrorCodes.WrongCurrent).Should().BeTrue(withOld.ToString());
        withNew.Succeeded.Should().BeTrue(withNew.ToString());
        var stored = await FindAsync(Instances.A);
        stored.SecurityStamp.Should().Be(withNew.Value.SecurityStamp, "instance A sees the stamp instance B wrote");
    }

    [Test]
    public async Task ResetToken_RequestedOnA_WorksExactlyOnceWhenSubmittedConcurrentlyThroughBoth()
    {
        const int Submissions = 8;
        (await Instances.A.RunAsync(sp => sp.GetRequiredService<PasswordResetService>().RequestResetAsync(Email)))
            .Succeeded.Should().BeTrue();
        var token = Instances.A.ResetTokens.Messages.Should().ContainSingle().Subject.Token;

        var results = await Task.WhenAll(Enumerable.Range(0, Submissions).Select(i => Task.Run(() =>
            Instances[i].RunAsync(sp => sp.GetRequiredService<PasswordResetService>()
                .ResetPasswordAsync(Email, token, NewPassword(i), NewPassword(i))))));

        results.Count(r => r.Succeeded).Should().Be(1, string.Join("; ", results.Select(r => r.ToString())));
        results.Where(r => !r.Succeeded).Should().OnlyContain(r => r.HasError(PasswordErrorCodes.ResetTokenInvalid));
        var winner = Array.FindIndex(results, r => r.Succeeded);
        var proof = await ChangeAsync(Instances[winner + 1], NewPassword(winner), "Fourth pass phrase 4 tests");
        proof.Succeeded.Should().BeTrue("the winning reset's password works on the other instance: " + proof);
        (await FindAsync(Instances.B)).PasswordResetTokens.Should().BeEmpty();
    }

    [Test]
    public async Task WrongCurrentPasswords_ConcurrentlyThroughBoth_AreCountedExactlyAndLockAtTheLimit()
    {
        const int Below = 5;
        var first = await WrongAttemptsAsync(Below);

        first.Should().OnlyContain(r => r.HasError(PasswordErrorCodes.WrongCurrent));
        (await FindAsync(Instances.B)).PasswordLockout.Should().Be(new FactorLockoutState(Below, null, 0), "no attempt is lost or counted twice");

        const int Flood = 12;
        var second = await WrongAttemptsAsync(Flood);

        var all = first.Concat(second).ToList();
        all.Should().NotContain(r => r.HasError(SecurityErrorCodes.ConcurrencyConflict));
        all.Count(r => r.HasError(PasswordErrorCodes.WrongCurrent)).Should().Be(MaxFailedAttempts - 1, "the attempt that reaches the limit answers locked_out");
        all.Count(r => r.HasError(SecurityErrorCodes.LockedOut)).Should().Be(Below + Flood - (MaxFailedAttempts - 1));
        var stored = await FindAsync(Instances.A);
        stored.PasswordLockout.FailedCount.Should().Be(MaxFailedAttempts);
        stored.PasswordLockout.LockoutCount.Should().Be(1);
        stored.PasswordLockout.IsLockedAt(Instances.Time.GetUtcNow()).Should().BeTrue();

        var right = await ChangeAsync(Instances.B, InitialPassword, "Fifth pass phrase 4 tests");
        right.HasError(SecurityErrorCodes.LockedOut).Should().BeTrue("the lock holds on the other instance, even for the right password");
    }

    private async Task<SecurityResult<PasswordChanged>[]> WrongAttemptsAsync(int count) =>
        await Task.WhenAll(Enumerable.Range(0, count).Select(i => Task.Run(() =>
            ChangeAsync(Instances[i], "Wrong pass phrase number " + i, "Sixth pass phrase 4 tests"))));

    private Task<SecurityResult<PasswordChanged>> ChangeAsync(AppInstance instance, string current, string next) =>
        instance.RunAsync(sp => sp.GetRequiredService<PasswordChangeService>().ChangePasswordAsync(_userId, current, next, next));

    private async Task<UserAccount> FindAsync(AppInstance instance) =>
        (await instance.RunAsync(sp => sp.GetRequiredService<IUserStore>().FindByIdAsync(_userId, CancellationToken.None)))!;

    private static string NewPassword(int i) => "Reset pass phrase number " + i;
}
