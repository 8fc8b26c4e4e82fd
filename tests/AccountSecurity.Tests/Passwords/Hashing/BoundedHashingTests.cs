using AccountSecurity.DependencyInjection;
using AccountSecurity.Lockout;
using AccountSecurity.Passwords.Hashing;
using AccountSecurity.Results;
using AccountSecurity.SignIn;
using AccountSecurity.SupportPin;
using AccountSecurity.Testing;
using AccountSecurity.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AccountSecurity.Tests.Passwords.Hashing;

/// <summary>
/// Bounded hashing seen from the services (issue 11): with one computation at a time and a queue of one, the third
/// concurrent request is answered busy at once, with a retry-after, for any account alike, and nothing is counted
/// against anyone. And one account never holds more than one place (issue 23): a second concurrent check for the same
/// account (or the same typed e-mail address, known or not) is busy at once while other accounts proceed. Not timed:
/// the first computation blocks on a gate the test opens.
/// </summary>
public sealed class BoundedHashingTests
{
    [Test]
    public async Task ThirdConcurrentSignIn_IsBusyAtOnce_WithARetryAfter_AndIsNotCountedAsAFailedAttempt()
    {
        var (host, bcrypt) = await HostAsync();
        await using var _ = host;
        var (first, second) = await SaturateAsync(host, bcrypt);

        var third = host.Get<SignInService>().PasswordSignInAsync(TestHost.UserEmail, "a wrong password, under load");

        third.IsCompleted.Should().BeTrue("a full queue is answered without waiting");
        var refused = await third;
        refused.Status.Should().Be(SignInStatus.Busy);
        refused.ErrorCode.Should().Be(SecurityErrorCodes.Busy);
        refused.RetryAfter.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1));
        refused.Session.Should().BeNull();
        (await host.UserAsync(TestHost.UserId)).Lockouts[AuthenticationFactor.Password].FailedCount.Should().Be(0, "busy is not a failed attempt");
        host.Events.Events.Should().NotContain(e => e.Type == AccountSecurity.Events.SecurityEventType.SignInFailed && e.UserId == TestHost.UserId);

        bcrypt.Release();
        (await first).Status.Should().Be(SignInStatus.Succeeded);
        (await second).Status.Should().Be(SignInStatus.Succeeded);
    }

    [Test]
    public async Task AtCapacity_AnUnknownEmailGetsTheSameBusyAnswer_AsAKnownOne()
    {
        var (host, bcrypt) = await HostAsync();
        await using var _ = host;
        var (first, second) = await SaturateAsync(host, bcrypt);

        var known = await host.Get<SignInService>().PasswordSignInAsync(TestHost.UserEmail, "guess");
        var unknown = await host.Get<SignInService>().PasswordSignInAsync("nobody@example.com", "guess");

        unknown.Should().BeEquivalentTo(known, "load must not tell which accounts exist");
        bcrypt.Release();
        await Task.WhenAll(first, second);
    }

    [Test]
    public async Task ACancelledSignInWaitingForItsTurn_LeavesTheQueue_AndCountsNothing()
    {
        var (host, bcrypt) = await HostAsync();
        await using var _ = host;
        var first = Task.Run(() => host.Get<SignInService>().PasswordSignInAsync(TestHost.OwnerEmail, TestHost.InitialPassword).AsTask());
        await bcrypt.WaitUntilBlockedAsync();
        using var cancel = new CancellationTokenSource();
        var waiting = Task.Run(() => host.Get<SignInService>().PasswordSignInAsync(TestHost.UserEmail, "a wrong password", cancel.Token).AsTask());
        await WaitUntilQueuedAsync(host, 1);

        await cancel.CancelAsync();

        await waiting.Invoking(w => w).Should().ThrowAsync<OperationCanceledException>();
        host.Get<HashingLimiter>().QueuedCount.Should().Be(0);
        (await host.UserAsync(TestHost.UserId)).Lockouts[AuthenticationFactor.Password].FailedCount.Should().Be(0);
        bcrypt.Release();
        (await first).Status.Should().Be(SignInStatus.Succeeded);
    }

    [Test]
    public async Task AtCapacity_APasswordChangeAnswersBusy_AndChangesNothing()
    {
        var (host, bcrypt) = await HostAsync(concurrency: 1, queue: 0);
        await using var _ = host;
        var before = await host.UserAsync(TestHost.UserId);
        var first = Task.Run(() => host.Get<SignInService>().PasswordSignInAsync(TestHost.OwnerEmail, TestHost.InitialPassword).AsTask());
        await bcrypt.WaitUntilBlockedAsync();

        var change = await host.Change.ChangePasswordAsync(TestSessions.Of(TestHost.UserId), TestHost.InitialPassword, TestHost.SecondPassword, TestHost.SecondPassword);

        change.Succeeded.Should().BeFalse();
        change.Errors.Should().ContainSingle().Which.Code.Should().Be(SecurityErrorCodes.Busy);
        change.Errors[0].RetryAfter.Should().NotBeNull();
        var after = await host.UserAsync(TestHost.UserId);
        after.PasswordHash.Should().Be(before.PasswordHash);
        after.Lockouts[AuthenticationFactor.Password].FailedCount.Should().Be(0);
        bcrypt.Release();
        await first;
    }

    [Test]
    public async Task AtCapacity_ASupportPinVerificationAnswersBusy_AndCountsNothing()
    {
        var (host, bcrypt) = await HostAsync(concurrency: 1, queue: 0);
        await using var _ = host;
        var first = Task.Run(() => host.Get<SignInService>().PasswordSignInAsync(TestHost.OwnerEmail, TestHost.InitialPassword).AsTask());
        await bcrypt.WaitUntilBlockedAsync();

        var result = await host.Get<ISupportPinService>().VerifyByUserIdAsync(TestHost.OwnerId, TestHost.UserId, "480213");

        result.ErrorCode.Should().Be(SecurityErrorCodes.Busy);
        result.Succeeded.Should().BeFalse();
        result.RetryAfter.Should().NotBeNull();
        (await host.UserAsync(TestHost.UserId)).Lockouts[AuthenticationFactor.SupportPin].FailedCount.Should().Be(0);
        bcrypt.Release();
        await first;
    }

    [Test]
    public async Task BusyAnswers_CarryNoSecretOfTheRequest_InTheirMessageOrToString()
    {
        const string password = "Busy-Secret-Password-7731";
        const string pin = "917355";
        var (host, bcrypt) = await HostAsync(concurrency: 1, queue: 0);
        await using var _ = host;
        var first = Task.Run(() => host.Get<SignInService>().PasswordSignInAsync(TestHost.OwnerEmail, TestHost.InitialPassword).AsTask());
        await bcrypt.WaitUntilBlockedAsync();

        var signIn = await host.Get<SignInService>().PasswordSignInAsync(TestHost.UserEmail, password);
        var change = await host.Change.ChangePasswordAsync(TestSessions.Of(TestHost.UserId), password, password + "-new", password + "-new");
        var pinCheck = await host.Get<ISupportPinService>().VerifyByUserIdAsync(TestHost.OwnerId, TestHost.UserId, pin);

        signIn.Status.Should().Be(SignInStatus.Busy);
        change.Errors.Should().ContainSingle().Which.Code.Should().Be(SecurityErrorCodes.Busy);
        pinCheck.ErrorCode.Should().Be(SecurityErrorCodes.Busy);
        var shown = new[] { signIn.ToString(), change.Errors[0].Message, change.Errors[0].ToString(), pinCheck.Errors[0].Message, pinCheck.ToString() };
        foreach (var text in shown)
        {
            text.Should().NotContainAny(password, pin, TestHost.UserEmail, TestHost.InitialPassword);
        }

        change.Errors[0].Message.Should().Contain("again", "a busy answer tells the caller what to do next");
        bcrypt.Release();
        await first;
    }

    [Test]
    public async Task TwoConcurrentSignInsForOneAccount_TheSecondIsBusyAtOnce_AndNotCounted_WhileAnotherAccountProceeds()
    {
        var (host, bcrypt) = await HostAsync(concurrency: 2, queue: 10);
        await using var _ = host;
        var first = Task.Run(() => host.Get<SignInService>().PasswordSignInAsync(TestHost.UserEmail, "first wrong guess").AsTask());
        await bcrypt.WaitUntilBlockedAsync();

        var second = host.Get<SignInService>().PasswordSignInAsync(TestHost.UserEmail, "second wrong guess");
        var other = await host.Get<SignInService>().PasswordSignInAsync(TestHost.OwnerEmail, TestHost.InitialPassword);

        second.IsCompleted.Should().BeTrue("the account's one place is taken: answered without waiting");
        var refused = await second;
        refused.Status.Should().Be(SignInStatus.Busy);
        refused.ErrorCode.Should().Be(SecurityErrorCodes.Busy);
        refused.RetryAfter.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1));
        other.Status.Should().Be(SignInStatus.Succeeded, "a free place is still there for another account");
        bcrypt.Release();
        (await first).ErrorCode.Should().Be(SecurityErrorCodes.InvalidCredentials);
        (await host.UserAsync(TestHost.UserId)).Lockouts[AuthenticationFactor.Password].FailedCount.Should().Be(1, "only the first guess was counted");
        host.Events.Events.Count(e => e.Type == AccountSecurity.Events.SecurityEventType.SignInFailed && e.UserId == TestHost.UserId).Should().Be(1);
        host.Get<HashingLimiter>().AccountsInFlight.Should().Be(0, "every account's place is given back when its check ends");
    }

    [Test]
    public async Task TwoConcurrentSignInsForOneUnknownEmail_AreAnsweredExactlyAsForAKnownOne()
    {
        var (host, bcrypt) = await HostAsync(concurrency: 2, queue: 10);
        await using var _ = host;
        var knownFirst = Task.Run(() => host.Get<SignInService>().PasswordSignInAsync(TestHost.UserEmail, "guess").AsTask());
        await bcrypt.WaitUntilBlockedAsync();
        var knownSecond = await host.Get<SignInService>().PasswordSignInAsync(TestHost.UserEmail.ToUpperInvariant(), "guess");
        bcrypt.Release();
        await knownFirst;
        bcrypt.Arm();
        var unknownFirst = Task.Run(() => host.Get<SignInService>().PasswordSignInAsync("nobody@example.com", "guess").AsTask());
        await bcrypt.WaitUntilBlockedAsync();

        var unknownSecond = await host.Get<SignInService>().PasswordSignInAsync(" NOBODY@example.com", "guess");

        knownSecond.Status.Should().Be(SignInStatus.Busy, "one account (however its address is spelled) holds one place");
        unknownSecond.Should().BeEquivalentTo(knownSecond, "concurrency must not tell which accounts exist");
        bcrypt.Release();
        (await unknownFirst).ErrorCode.Should().Be(SecurityErrorCodes.InvalidCredentials);
    }

    [Test]
    public async Task WhileAPasswordCheckOfAnAccountIsInFlight_ItsPasswordChangeAndSupportPinCheckAreBusy_AndCountNothing()
    {
        var (host, bcrypt) = await HostAsync(concurrency: 2, queue: 10);
        await using var _ = host;
        var before = await host.UserAsync(TestHost.UserId);
        var first = Task.Run(() => host.Get<SignInService>().PasswordSignInAsync(TestHost.UserEmail, TestHost.InitialPassword).AsTask());
        await bcrypt.WaitUntilBlockedAsync();

        var change = await host.Change.ChangePasswordAsync(TestSessions.Of(TestHost.UserId), "a wrong current password", TestHost.SecondPassword, TestHost.SecondPassword);
        var pin = await host.Get<ISupportPinService>().VerifyByUserIdAsync(TestHost.OwnerId, TestHost.UserId, "000000");

        change.Errors.Should().ContainSingle().Which.Code.Should().Be(SecurityErrorCodes.Busy);
        pin.ErrorCode.Should().Be(SecurityErrorCodes.Busy);
        pin.RetryAfter.Should().NotBeNull();
        bcrypt.Release();
        (await first).Status.Should().Be(SignInStatus.Succeeded);
        var after = await host.UserAsync(TestHost.UserId);
        after.PasswordHash.Should().Be(before.PasswordHash);
        after.Lockouts[AuthenticationFactor.SupportPin].FailedCount.Should().Be(0);
        after.Lockouts[AuthenticationFactor.Password].FailedCount.Should().Be(0);
    }

    private static async Task<(TestHost Host, GatedBcrypt Bcrypt)> HostAsync(int concurrency = 1, int queue = 1)
    {
        var bcrypt = new GatedBcrypt();
        var host = TestHost.Create(
            o =>
            {
                o.Hashing.MaxConcurrentComputations = concurrency;
                o.Hashing.QueueLimit = queue;
            },
            services => services.AddSingleton<IPasswordHasher>(sp => new BcryptPasswordHasher(sp.GetRequiredService<IOptions<AccountSecurityOptions>>(), bcrypt)));
        await host.SeedContractAsync();
        (await host.Get<ISupportPinService>().SetPinAsync(TestSessions.Of(TestHost.UserId), TestHost.InitialPassword, "480213", "480213")).Succeeded.Should().BeTrue();
        bcrypt.Arm();
        return (host, bcrypt);
    }

    /// <summary>Fills the limiter of one turn and a queue of one: a sign-in blocked in bcrypt, and one waiting behind it.</summary>
    private static async Task<(Task<SignInResult> Running, Task<SignInResult> Queued)> SaturateAsync(TestHost host, GatedBcrypt bcrypt)
    {
        var running = Task.Run(() => host.Get<SignInService>().PasswordSignInAsync(TestHost.OwnerEmail, TestHost.InitialPassword).AsTask());
        await bcrypt.WaitUntilBlockedAsync();
        var queued = Task.Run(() => host.Get<SignInService>().PasswordSignInAsync(TestHost.AdminEmail, TestHost.InitialPassword).AsTask());
        await WaitUntilQueuedAsync(host, 1);
        return (running, queued);
    }

    private static async Task WaitUntilQueuedAsync(TestHost host, int count)
    {
        var limiter = host.Get<HashingLimiter>();
        for (var i = 0; i < 2000 && limiter.QueuedCount < count; i++)
        {
            await Task.Delay(5);
        }

        limiter.QueuedCount.Should().Be(count);
    }

    /// <summary>Real bcrypt, except that once armed (again after each release), the first verification waits for <see cref="Release"/>.</summary>
    private sealed class GatedBcrypt : IBcryptPrimitive
    {
        private readonly ManualResetEventSlim _gate = new(initialState: true);
        private TaskCompletionSource _blocked = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _armed;

        public void Arm()
        {
            _gate.Reset();
            Volatile.Write(ref _blocked, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            Volatile.Write(ref _armed, 1);
        }

        public void Release() => _gate.Set();

        public Task WaitUntilBlockedAsync() => Volatile.Read(ref _blocked).Task.WaitAsync(TimeSpan.FromSeconds(30));

        public string HashPassword(string input, int workFactor) => BcryptNetPrimitive.Instance.HashPassword(input, workFactor);

        public bool Verify(string input, string bcryptHash)
        {
            if (Interlocked.Exchange(ref _armed, 0) == 1)
            {
                Volatile.Read(ref _blocked).TrySetResult();
                _gate.Wait(TimeSpan.FromSeconds(30));
            }

            return BcryptNetPrimitive.Instance.Verify(input, bcryptHash);
        }
    }
}
