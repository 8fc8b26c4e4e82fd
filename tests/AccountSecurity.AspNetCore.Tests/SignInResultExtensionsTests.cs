using AccountSecurity.AspNetCore.DependencyInjection;
using AccountSecurity.AspNetCore.SignIn;
using AccountSecurity.SignIn;

namespace AccountSecurity.AspNetCore.Tests;

public sealed class SignInResultExtensionsTests
{
    private static readonly SignInResult Locked = new() { Status = SignInStatus.LockedOut, ErrorCode = "locked_out", LockedOutUntil = DateTimeOffset.UnixEpoch };

    [Test]
    public void ForDisplay_HidesALock_BehindTheStepsWrongSecretAnswer_UnlessTheHostRevealsLocks()
    {
        var hidden = Locked.ForDisplay(new AccountSecurityAspNetCoreOptions());
        var atTheCode = Locked.ForDisplay(new AccountSecurityAspNetCoreOptions(), SignInErrorCodes.InvalidCode);
        var revealed = Locked.ForDisplay(new AccountSecurityAspNetCoreOptions { RevealLockout = true });

        hidden.Should().BeEquivalentTo(new SignInResult { Status = SignInStatus.Failed, ErrorCode = SignInErrorCodes.InvalidCredentials });
        atTheCode.ErrorCode.Should().Be(SignInErrorCodes.InvalidCode);
        atTheCode.LockedOutUntil.Should().BeNull();
        revealed.Should().BeSameAs(Locked);
    }

    [Test]
    public void ForDisplay_LeavesEveryOtherResultAsItIs()
    {
        var failed = new SignInResult { Status = SignInStatus.Failed, ErrorCode = SignInErrorCodes.CodeReplayed };
        var busy = new SignInResult { Status = SignInStatus.Busy, RetryAfter = TimeSpan.FromSeconds(1) };

        failed.ForDisplay(new AccountSecurityAspNetCoreOptions(), SignInErrorCodes.InvalidCode).Should().BeSameAs(failed);
        busy.ForDisplay(new AccountSecurityAspNetCoreOptions()).Should().BeSameAs(busy);
    }
}
