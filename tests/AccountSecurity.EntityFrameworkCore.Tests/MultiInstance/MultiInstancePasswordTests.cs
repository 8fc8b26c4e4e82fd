using AccountSecurity.Accounts;
using AccountSecurity.EntityFrameworkCore.Tests.Infrastructure;
using AccountSecurity.Lockout;
using AccountSecurity.Passwords.Change;
using AccountSecurity.Passwords.Reset;
using AccountSecurity.Results;
using AccountSecurity.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AccountSecurity.EntityFrameworkCore.Tests.MultiInstance;

/// <summary>Two app instances sharing one database behave as one: password changes, resets and lockout counting.</summary>
[TestFixture(TestDatabase.Sqlite)]
[TestFixture(TestDatabase.PostgreSql)]
public sealed class MultiInstancePasswordTests(string provider) : MultiInstanceFixture(provider)
{
    private const int MaxFailedAttempts = 8;


    [SetUp]
    public Task StartInstancesAsync() => StartAsync(o => o.Lockout.Password.MaxFailedAttempts = MaxFailedAttempts);

    [Test]
    public async Task ChangePassword_OnInstanceA_IsThePasswordInstanceBAccepts()
    {
        var changed = await ChangeAsync(Instances.A, Password, "Second pass phrase 4 tests");
        changed.Succeeded.Should().BeTrue(changed.ToString());

        var withOld = await ChangeAsync(Instances.B, Password, "Third pass phrase 4 tests");
        var withNew = await ChangeAsync(Instances.B, "Second pass phrase 4 tests", "Third pass phrase 4 tests");

        withOld.HasError(SecurityErrorCodes.PasswordWrongCurrent).Should().BeTrue(withOld.ToString());
        withNew.Succeeded.Should().BeTrue(withNew.ToString());
        var stored = await FindAsync(Instances.A);
        stored.SecurityStamp.Should().Be(withNew.Value.SecurityStamp, "instance A sees the stamp instance B wrote");
    }

    [Test]
    public async Task ResetToken_RequestedOnA_WorksExactlyOnceWhenSubmittedConcurrentlyThroughBoth()
    {
        const int Submissions = 8;
        (await Instances.A.RunAsync(sp => sp.GetRequiredService<IPasswordResetService>().RequestResetAsync(Email)))
            .Succeeded.Should().BeTrue();
        await Instances.A.ResetTokens.WaitForMessagesAsync(1);
        var token = Instances.A.ResetTokens.Messages.Should().ContainSingle().Subject.Token;

        var results = await Task.WhenAll(Enumerable.Range(0, Submissions).Select(i => Task.Run(() =>
            Instances[i].RunAsync(sp => sp.GetRequiredService<IPasswordResetService>()
                .ResetPasswordAsync(Email, token, NewPassword(i), NewPassword(i))))));

        results.Count(r => r.Succeeded).Should().Be(1, string.Join("; ", results.Select(r => r.ToString())));
        results.Where(r => !r.Succeeded).Should().OnlyContain(r => r.HasError(SecurityErrorCodes.ResetTokenInvalid));
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

        first.Should().OnlyContain(r => r.HasError(SecurityErrorCodes.PasswordWrongCurrent));
        (await FindAsync(Instances.B)).Lockouts[AuthenticationFactor.Password].Should().Be(new FactorLockoutState(Below, null, 0), "no attempt is lost or counted twice");

        const int Flood = 12;
        var second = await WrongAttemptsAsync(Flood);

        var all = first.Concat(second).ToList();
        all.Should().NotContain(r => r.HasError(SecurityErrorCodes.ConcurrencyConflict));
        all.Count(r => r.HasError(SecurityErrorCodes.PasswordWrongCurrent)).Should().Be(MaxFailedAttempts - 1, "the attempt that reaches the limit answers locked_out");
        all.Count(r => r.HasError(SecurityErrorCodes.LockedOut)).Should().Be(Below + Flood - (MaxFailedAttempts - 1));
        var stored = await FindAsync(Instances.A);
        stored.Lockouts[AuthenticationFactor.Password].FailedCount.Should().Be(MaxFailedAttempts);
        stored.Lockouts[AuthenticationFactor.Password].LockoutCount.Should().Be(1);
        stored.Lockouts[AuthenticationFactor.Password].IsLockedAt(Instances.Time.GetUtcNow()).Should().BeTrue();

        var right = await ChangeAsync(Instances.B, Password, "Fifth pass phrase 4 tests");
        right.HasError(SecurityErrorCodes.LockedOut).Should().BeTrue("the lock holds on the other instance, even for the right password");
    }

    // Busy answers (one account, one hashing place per instance) are sent again: they counted nothing, so the counts
    // below stay exact, while the two instances still race each other.
    private async Task<SecurityResult<PasswordChanged>[]> WrongAttemptsAsync(int count) =>
        await Task.WhenAll(Enumerable.Range(0, count).Select(i => Task.Run(async () => await TwoInstances.UntilNotBusyAsync(
            () => new ValueTask<SecurityResult<PasswordChanged>>(ChangeAsync(Instances[i], "Wrong pass phrase number " + i, "Sixth pass phrase 4 tests")),
            r => r.HasError(SecurityErrorCodes.Busy)))));

    private Task<SecurityResult<PasswordChanged>> ChangeAsync(AppInstance instance, string current, string next) =>
        instance.RunAsync(sp => sp.GetRequiredService<IPasswordChangeService>().ChangePasswordAsync(TestSessions.Of(UserId), current, next, next));


    private static string NewPassword(int i) => "Reset pass phrase number " + i;
}
