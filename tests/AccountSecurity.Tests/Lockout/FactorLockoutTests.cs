using AccountSecurity.Accounts;
using AccountSecurity.DependencyInjection;
using AccountSecurity.Lockout;

namespace AccountSecurity.Tests.Lockout;

public sealed class FactorLockoutTests
{
    private static readonly DateTimeOffset Now = new(2030, 1, 1, 9, 0, 0, TimeSpan.Zero);

    private static readonly FactorLockoutOptions Options = new()
    {
        MaxFailedAttempts = 3,
        BaseLockoutDuration = TimeSpan.FromMinutes(5),
        GrowthFactor = 2,
        MaxLockoutDuration = TimeSpan.FromMinutes(30),
    };

    private static FactorLockoutState Reserve(FactorLockoutState state, DateTimeOffset now, out bool locksIfFails)
    {
        FactorLockout.TryReserve(state, now, Options, out var reserved, out _, out locksIfFails).Should().BeTrue();
        return reserved;
    }

    [Test]
    public void TryReserve_BelowMaximum_CountsWithoutLocking()
    {
        var first = Reserve(FactorLockoutState.Clear, Now, out var firstLocks);
        var second = Reserve(first, Now, out var secondLocks);

        first.Should().Be(new FactorLockoutState(1, null, 0));
        second.Should().Be(new FactorLockoutState(2, null, 0));
        firstLocks.Should().BeFalse();
        secondLocks.Should().BeFalse();
    }

    [Test]
    public void TryReserve_AtMaximum_LocksForBaseDuration()
    {
        var state = new FactorLockoutState(2, null, 0);

        var reserved = Reserve(state, Now, out var locksIfFails);

        locksIfFails.Should().BeTrue();
        reserved.Should().Be(new FactorLockoutState(3, Now + TimeSpan.FromMinutes(5), 1));
        reserved.IsLockedAt(Now).Should().BeTrue();
    }

    [Test]
    public void TryReserve_WhileLocked_RefusesAndReportsLockEnd()
    {
        var locked = new FactorLockoutState(3, Now + TimeSpan.FromMinutes(5), 1);

        var allowed = FactorLockout.TryReserve(locked, Now + TimeSpan.FromMinutes(4), Options, out var reserved, out var until, out var locksIfFails);

        allowed.Should().BeFalse();
        until.Should().Be(Now + TimeSpan.FromMinutes(5));
        reserved.Should().Be(locked);
        locksIfFails.Should().BeFalse();
    }

    [Test]
    public void TryReserve_AfterLockExpires_StartsFreshCountButRemembersLockCount()
    {
        var expired = new FactorLockoutState(3, Now, 1);

        var reserved = Reserve(expired, Now, out var locksIfFails);

        reserved.Should().Be(new FactorLockoutState(1, null, 1));
        locksIfFails.Should().BeFalse();
    }

    [Test]
    public void TryReserve_SuccessiveLocks_GrowAndAreCapped()
    {
        var state = FactorLockoutState.Clear;
        var now = Now;
        var durations = new List<TimeSpan>();
        for (var lockNumber = 0; lockNumber < 5; lockNumber++)
        {
            for (var attempt = 0; attempt < Options.MaxFailedAttempts; attempt++)
            {
                state = Reserve(state, now, out _);
            }

            durations.Add(state.LockoutEnd!.Value - now);
            now = state.LockoutEnd!.Value;
        }

        durations.Should().Equal(
            TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(20), TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(30));
    }

    [Test]
    public void DurationOfLock_HugeLockNumber_IsCappedWithoutOverflow()
    {
        var options = new FactorLockoutOptions();

        options.DurationOfLock(10_000).Should().Be(TimeSpan.FromHours(24));
        options.DurationOfLock(1).Should().Be(TimeSpan.FromMinutes(5));
        options.DurationOfLock(2).Should().Be(TimeSpan.FromMinutes(10));
    }

    [Test]
    public void GetAndWith_KeepFactorsApart()
    {
        var user = new UserAccount { Id = "u", ContractId = "c", Email = "u@example.com", SecurityStamp = "s" };
        var locked = new FactorLockoutState(3, Now, 1);

        var changed = FactorLockout.With(user, AuthenticationFactor.SecondFactor, locked);

        FactorLockout.Get(changed, AuthenticationFactor.SecondFactor).Should().Be(locked);
        FactorLockout.Get(changed, AuthenticationFactor.Password).Should().Be(FactorLockoutState.Clear);
        FactorLockout.Get(changed, AuthenticationFactor.SupportPin).Should().Be(FactorLockoutState.Clear);
    }

    [TestCase(0, false)]
    [TestCase(1, true)]
    [TestCase(100, true)]
    [TestCase(101, false)]
    public void OptionsValidation_MaxFailedAttempts_MustBeBetween1And100(int maxFailedAttempts, bool valid)
    {
        var options = RequiredOnly();
        options.Lockout.Password.MaxFailedAttempts = maxFailedAttempts;

        new AccountSecurityOptionsValidator().Validate(null, options).Succeeded.Should().Be(valid);
    }

    [Test]
    public void OptionsValidation_EveryFactor_IsChecked()
    {
        foreach (var factor in Enum.GetValues<AuthenticationFactor>())
        {
            var options = RequiredOnly();
            options.Lockout.For(factor).MaxFailedAttempts = 101;

            var result = new AccountSecurityOptionsValidator().Validate(null, options);

            result.Failed.Should().BeTrue(factor.ToString());
            result.FailureMessage.Should().Contain($"Lockout.{factor}.MaxFailedAttempts");
        }
    }

    [Test]
    public void OptionsValidation_BadDurationsAndGrowth_AreRefused()
    {
        var options = RequiredOnly();
        options.Lockout.Password.BaseLockoutDuration = TimeSpan.Zero;
        options.Lockout.SecondFactor.GrowthFactor = 0.5;
        options.Lockout.SupportPin.MaxLockoutDuration = TimeSpan.FromSeconds(1);

        var result = new AccountSecurityOptionsValidator().Validate(null, options);

        result.Failures.Should().HaveCount(3);
    }

    /// <summary>Library defaults plus the two settings every host must supply (TOTP issuer, secret-protection key).</summary>
    private static AccountSecurityOptions RequiredOnly()
    {
        var options = new AccountSecurityOptions();
        options.Totp.Issuer = "Tests";
        options.SecretProtection.AddKey("k1", System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        return options;
    }
}
