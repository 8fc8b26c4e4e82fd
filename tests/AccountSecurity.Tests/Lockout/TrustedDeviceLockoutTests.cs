using AccountSecurity.Accounts;
using AccountSecurity.Events;
using AccountSecurity.Lockout;
using AccountSecurity.SignIn;
using AccountSecurity.Tests.SignIn;
using AccountSecurity.Tests.TestSupport;

namespace AccountSecurity.Tests.Lockout;

/// <summary>
/// Lockout an attacker cannot aim at the owner (issue 23, finding 1): strangers' failures lock the account's untrusted
/// budget; a device that completed a sign-in before presents its device token and is counted in its own budget.
/// </summary>
public sealed class TrustedDeviceLockoutTests
{
    private const string Alice = "alice";
    private const string WrongPassword = "Not-The-Password-123";
    private static readonly string AliceEmail = TwoFactorTestHost.EmailOf(Alice);

    [Test]
    public async Task StrangersLockTheAccount_TheOwnersKnownDevice_SignsInOnTheFirstTry()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync(Alice);
        var token = await DeviceTokenAsync(host);

        for (var i = 0; i < 25; i++)
        {
            await host.SignIn.PasswordSignInAsync(AliceEmail, WrongPassword);
        }

        (await host.SignIn.PasswordSignInAsync(AliceEmail, TwoFactorTestHost.UserPassword)).Status
            .Should().Be(SignInStatus.LockedOut, "a stranger (no device token) with the right password is locked like the attackers");
        var owner = await host.SignIn.PasswordSignInAsync(AliceEmail, TwoFactorTestHost.UserPassword, token);
        owner.Status.Should().Be(SignInStatus.Succeeded, "the owner's known device has its own budget");
        owner.DeviceToken.Should().NotBeNullOrEmpty().And.NotBe(token, "the token is rotated at every completed sign-in");
        (await host.GetUserAsync(Alice)).Lockouts[AuthenticationFactor.Password].IsLockedAt(host.Time.GetUtcNow())
            .Should().BeTrue("the device's success does not lift the lock strangers caused");
    }

    [Test]
    public async Task UntrustedBudgetLocks_RaisesLockedOut_ForTheOwnerToBeTold()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync(Alice);
        await DeviceTokenAsync(host);
        host.Events.Clear();

        for (var i = 0; i < 10; i++)
        {
            await host.SignIn.PasswordSignInAsync(AliceEmail, WrongPassword);
        }

        var locked = host.Events.OfType(SecurityEventType.LockedOut).Should().ContainSingle().Subject;
        locked.UserId.Should().Be(Alice);
        locked.Factor.Should().Be(AuthenticationFactor.Password);
        host.Events.OfType(SecurityEventType.TrustedDeviceLockedOut).Should().BeEmpty();
    }

    [Test]
    public async Task FailuresFromAKnownDevice_LockOnlyThatDevice()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync(Alice);
        var token = await DeviceTokenAsync(host);
        var other = await DeviceTokenAsync(host);
        host.Events.Clear();

        for (var i = 0; i < 5; i++)
        {
            await host.SignIn.PasswordSignInAsync(AliceEmail, WrongPassword, token);
        }

        (await host.SignIn.PasswordSignInAsync(AliceEmail, TwoFactorTestHost.UserPassword, token)).Status.Should().Be(SignInStatus.LockedOut, "the device's own budget (5) is spent");
        host.Events.OfType(SecurityEventType.TrustedDeviceLockedOut).Should().ContainSingle().Which.UserId.Should().Be(Alice);
        host.Events.OfType(SecurityEventType.LockedOut).Should().BeEmpty("the untrusted budget was not touched");
        var stored = await host.GetUserAsync(Alice);
        stored.Lockouts[AuthenticationFactor.Password].Should().Be(FactorLockoutState.Clear);
        (await host.SignIn.PasswordSignInAsync(AliceEmail, TwoFactorTestHost.UserPassword, other)).Status.Should().Be(SignInStatus.Succeeded, "another known device is unaffected");
        (await host.SignIn.PasswordSignInAsync(AliceEmail, TwoFactorTestHost.UserPassword)).Status.Should().Be(SignInStatus.Succeeded, "and so is the untrusted budget");
    }

    [Test]
    public async Task ParallelWrongAttemptsFromAKnownDevice_CountOnlyInItsBudget_AndCompareAtMostIt()
    {
        using var host = await TwoFactorTestHost.CreateAsync(o => o.Stores.MaxConcurrencyRetries = 10_000);
        await host.CreateUserAsync(Alice);
        var token = await DeviceTokenAsync(host);
        using var start = new ManualResetEventSlim();

        var attempts = Enumerable.Range(0, 60).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            return await host.SignIn.PasswordSignInAsync(AliceEmail, WrongPassword, token);
        })).ToArray();
        start.Set();
        var results = await Task.WhenAll(attempts);

        var stored = await host.GetUserAsync(Alice);
        var device = stored.TrustedDevices.Should().ContainSingle().Subject.Lockouts[AuthenticationFactor.Password];
        device.FailedCount.Should().BeLessThanOrEqualTo(5, "at most the device's budget is counted, whatever races");
        results.Count(r => r.Status == SignInStatus.Failed).Should().BeLessThanOrEqualTo(5, "no more guesses are compared than the budget allows");
        stored.Lockouts[AuthenticationFactor.Password].Should().Be(FactorLockoutState.Clear, "none of them counted in the untrusted budget");
        results.Should().OnlyContain(r => r.Status == SignInStatus.Failed || r.Status == SignInStatus.LockedOut || r.Status == SignInStatus.Busy);
        results.Count(r => r.Status == SignInStatus.Failed).Should().Be(device.FailedCount, "every compared guess stands in the device's count");
    }

    [Test]
    public async Task ForgedForeignTamperedOrExpiredTokens_CountInTheUntrustedBudget()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync(Alice);
        await host.CreateUserAsync("bob");
        var alices = await DeviceTokenAsync(host);
        var bobs = (await host.SignIn.PasswordSignInAsync(TwoFactorTestHost.EmailOf("bob"), TwoFactorTestHost.UserPassword)).DeviceToken!;
        var id = alices[..alices.IndexOf('.', StringComparison.Ordinal)];
        string?[] untrusted =
        [
            bobs, // another account's device
            id + ".AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", // the right id with a made-up secret
            alices + "x", // tampered
            "not-a-token", string.Empty, new string('a', 10_000), id + ".\u0000", "\uD800.\uDC00",
        ];

        var expected = 0;
        foreach (var token in untrusted)
        {
            (await host.SignIn.PasswordSignInAsync(AliceEmail, WrongPassword, token)).Status.Should().Be(SignInStatus.Failed);
            expected++;
            (await host.GetUserAsync(Alice)).Lockouts[AuthenticationFactor.Password].FailedCount.Should().Be(expected, $"token #{expected} is untrusted");
        }

        host.Time.Advance(TimeSpan.FromDays(91));
        await host.SignIn.PasswordSignInAsync(AliceEmail, WrongPassword, alices);
        (await host.GetUserAsync(Alice)).Lockouts[AuthenticationFactor.Password].FailedCount.Should().Be(expected + 1, "a device unused for longer than the lifetime is no longer trusted");
    }

    [Test]
    public async Task ARotatedToken_IsNoLongerTrusted()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync(Alice);
        var first = await DeviceTokenAsync(host);
        var second = (await host.SignIn.PasswordSignInAsync(AliceEmail, TwoFactorTestHost.UserPassword, first)).DeviceToken!;

        await host.SignIn.PasswordSignInAsync(AliceEmail, WrongPassword, first);

        var stored = await host.GetUserAsync(Alice);
        stored.TrustedDevices.Should().ContainSingle("the same device was renewed, not added");
        stored.Lockouts[AuthenticationFactor.Password].FailedCount.Should().Be(1, "the old token counts as a stranger");
        second.Should().StartWith(first[..first.IndexOf('.', StringComparison.Ordinal)], "the device keeps its id");
    }

    [Test]
    public async Task SecondFactorStep_FromAKnownDevice_CountsInTheDevicesBudget()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync(Alice);
        var enrolled = await host.EnableTwoFactorAsync(Alice);
        var token = await DeviceTokenAsync(host, enrolled);
        await host.UpdateUserAsync(Alice, u => u with
        {
            Lockouts = u.Lockouts.With(AuthenticationFactor.SecondFactor, new FactorLockoutState(5, host.Time.GetUtcNow().AddHours(1), 1)),
        });

        var stranger = await host.SignIn.PasswordSignInAsync(AliceEmail, TwoFactorTestHost.UserPassword);
        (await host.SignIn.SecondFactorSignInAsync(stranger.Ticket, host.CodeFor(enrolled.Secret))).Status.Should().Be(SignInStatus.LockedOut);

        var step = await host.SignIn.PasswordSignInAsync(AliceEmail, TwoFactorTestHost.UserPassword, token);
        (await host.SignIn.SecondFactorSignInAsync(step.Ticket, host.WrongCodeFor(enrolled.Secret))).Status.Should().Be(SignInStatus.Failed);
        var device = (await host.GetUserAsync(Alice)).TrustedDevices.Should().ContainSingle().Subject;
        device.Lockouts[AuthenticationFactor.SecondFactor].FailedCount.Should().Be(1, "the wrong code counted in the device's budget");

        var done = await host.SignIn.SecondFactorSignInAsync(step.Ticket, host.CodeFor(enrolled.Secret));
        done.Status.Should().Be(SignInStatus.Succeeded, "the owner's device passes the lock that strangers' guesses caused");
        done.DeviceToken.Should().NotBeNullOrEmpty();
        var stored = await host.GetUserAsync(Alice);
        stored.TrustedDevices.Single().Lockouts[AuthenticationFactor.SecondFactor].Should().Be(FactorLockoutState.Clear);
        stored.Lockouts[AuthenticationFactor.SecondFactor].FailedCount.Should().Be(5, "the untrusted budget stands");
    }

    [Test]
    public async Task ANewDevice_IsForgottenLeastRecentlyUsedFirst_BeyondTheMaximum()
    {
        using var host = await TwoFactorTestHost.CreateAsync(o => o.Lockout.TrustedDevices.MaxDevicesPerUser = 3);
        await host.CreateUserAsync(Alice);
        var tokens = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            tokens.Add(await DeviceTokenAsync(host));
            host.Time.Advance(TimeSpan.FromMinutes(1));
        }

        var stored = await host.GetUserAsync(Alice);
        stored.TrustedDevices.Should().HaveCount(3);
        await host.SignIn.PasswordSignInAsync(AliceEmail, WrongPassword, tokens[0]);
        (await host.GetUserAsync(Alice)).Lockouts[AuthenticationFactor.Password].FailedCount.Should().Be(1, "the oldest device gave way");
    }

    [Test]
    public async Task DeviceTokensOff_EveryAttemptCountsInTheAccountsBudget_AndNoTokenIsIssued()
    {
        using var host = await TwoFactorTestHost.CreateAsync(o => o.Lockout.TrustedDevices.Enabled = false);
        await host.CreateUserAsync(Alice);

        var result = await host.SignIn.PasswordSignInAsync(AliceEmail, TwoFactorTestHost.UserPassword);

        result.DeviceToken.Should().BeNull();
        (await host.GetUserAsync(Alice)).TrustedDevices.Should().BeEmpty();
    }

    [Test]
    public async Task TheDeviceToken_NeverReachesALogLineAnEventOrToString()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync(Alice);
        var result = await host.SignIn.PasswordSignInAsync(AliceEmail, TwoFactorTestHost.UserPassword);
        var token = result.DeviceToken!;
        var secret = token[(token.IndexOf('.', StringComparison.Ordinal) + 1)..];
        await host.SignIn.PasswordSignInAsync(AliceEmail, WrongPassword, token);

        var stored = await host.GetUserAsync(Alice);
        string[] texts = [result.ToString(), stored.ToString(), .. stored.TrustedDevices.Select(d => d.ToString()), .. host.Events.AllText(), .. host.Logs.AllText()];
        texts.Should().NotContain(t => t.Contains(secret, StringComparison.Ordinal));
        stored.TrustedDevices.Should().NotContain(d => d.SecretHash.Contains(secret, StringComparison.Ordinal), "only the hash is stored");
        texts.Should().NotContain(t => t.Contains(stored.TrustedDevices[0].SecretHash, StringComparison.Ordinal));
    }

    [Test]
    public async Task PasswordReset_LiftsTheUntrustedLock_AndForgetsEveryDevice()
    {
        await using var host = TestHost.Create(o => o.PasswordReset.MinimumIntervalBetweenTokens = TimeSpan.Zero);
        await host.SeedContractAsync();
        var signIn = host.Get<ISignInService>();
        var token = (await signIn.PasswordSignInAsync(TestHost.UserEmail, TestHost.InitialPassword)).DeviceToken!;
        for (var i = 0; i < 10; i++)
        {
            await signIn.PasswordSignInAsync(TestHost.UserEmail, WrongPassword);
        }

        (await signIn.PasswordSignInAsync(TestHost.UserEmail, TestHost.InitialPassword)).Status.Should().Be(SignInStatus.LockedOut, "the owner's new device is locked like a stranger");
        (await host.Reset.RequestResetAsync(TestHost.UserEmail)).Succeeded.Should().BeTrue();
        await host.WaitForResetWorkAsync();
        (await host.Reset.ResetPasswordAsync(TestHost.UserEmail, host.Sender.Last.Token, TestHost.SecondPassword, TestHost.SecondPassword)).Succeeded.Should().BeTrue();

        (await host.UserAsync()).TrustedDevices.Should().BeEmpty();
        (await signIn.PasswordSignInAsync(TestHost.UserEmail, TestHost.SecondPassword)).Status.Should().Be(SignInStatus.Succeeded, "the reset is the way back in from a new device");
        await signIn.PasswordSignInAsync(TestHost.UserEmail, WrongPassword, token);
        (await host.UserAsync()).Lockouts[AuthenticationFactor.Password].FailedCount.Should().Be(1, "the forgotten device's token is a stranger's now");
    }

    private static async Task<string> DeviceTokenAsync(TwoFactorTestHost host, Enrolled? enrolled = null)
    {
        var step = await host.SignIn.PasswordSignInAsync(AliceEmail, TwoFactorTestHost.UserPassword);
        if (enrolled is not null)
        {
            step = await host.SignIn.SecondFactorSignInAsync(step.Ticket, host.CodeFor(enrolled.Secret));
            host.NextStep();
        }

        step.Status.Should().Be(SignInStatus.Succeeded, step.ToString());
        return step.DeviceToken!;
    }
}
