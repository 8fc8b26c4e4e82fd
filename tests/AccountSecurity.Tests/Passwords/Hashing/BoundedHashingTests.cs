using AccountSecurity.DependencyInjection;
using AccountSecurity.Lockout;
using AccountSecurity.Passwords.Hashing;
using AccountSecurity.Results;
using AccountSecurity.SignIn;
using AccountSecurity.SupportPin;
using AccountSecurity.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AccountSecurity.Tests.Passwords.Hashing;

/// <summary>
/// Bounded hashing seen from the services (issue 11): with one computation at a time and a queue of one, the third
/// concurrent request is answered busy at once, with a retry-after, for any account alike, and nothing is counted
/// against anyone. Not timed: the first computation blocks on a gate the test opens.
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

        var change = await host.Change.ChangePasswordAsync(TestHost.UserId, TestHost.InitialPassword, TestHost.SecondPassword, TestHost.SecondPassword);

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

        result.Code.Should().Be(SecurityErrorCodes.Busy);
        result.IsVerified.Should().BeFalse();
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
        var change = await host.Change.ChangePasswordAsync(TestHost.UserId, password, password + "-new", password + "-new");
        var pinCheck = await host.Get<ISupportPinService>().VerifyByUserIdAsync(TestHost.OwnerId, TestHost.UserId, pin);

        signIn.Status.Should().Be(SignInStatus.Busy);
        change.Errors.Should().ContainSingle().Which.Code.Should().Be(SecurityErrorCodes.Busy);
        pinCheck.Code.Should().Be(SecurityErrorCodes.Busy);
        var shown = new[] { signIn.ToString(), change.Errors[0].Message, change.Errors[0].ToString(), pinCheck.Message, pinCheck.ToString() };
        foreach (var text in shown)
        {
            text.Should().NotContainAny(password, pin, TestHost.UserEmail, TestHost.InitialPassword);
        }

        change.Errors[0].Message.Should().Contain("again", "a busy answer tells the caller what to do next");
        bcrypt.Release();
        await first;
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
        (await host.Get<ISupportPinService>().SetPinAsync(TestHost.UserId, TestHost.InitialPassword, "480213", "480213")).Succeeded.Should().BeTrue();
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

    /// <summary>Real bcrypt, except that once armed, the first verification waits for <see cref="Release"/>.</summary>
    private sealed class GatedBcrypt : IBcryptPrimitive
    {
        private readonly ManualResetEventSlim _gate = new(initialState: true);
        private readonly TaskCompletionSource _blocked = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _armed;

        public void Arm()
        {
            _gate.Reset();
            Volatile.Write(ref _armed, 1);
        }

        public void Release() => _gate.Set();

        public Task WaitUntilBlockedAsync() => _blocked.Task.WaitAsync(TimeSpan.FromSeconds(30));

        public string HashPassword(string input, int workFactor) => BcryptNetPrimitive.Instance.HashPassword(input, workFactor);

        public bool Verify(string input, string bcryptHash)
        {
            if (Interlocked.Exchange(ref _armed, 0) == 1)
            {
                _blocked.TrySetResult();
                _gate.Wait(TimeSpan.FromSeconds(30));
            }

            return BcryptNetPrimitive.Instance.Verify(input, bcryptHash);
        }
    }
}
