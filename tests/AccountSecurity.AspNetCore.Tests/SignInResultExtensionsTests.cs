using AccountSecurity.AspNetCore.DependencyInjection;
using AccountSecurity.AspNetCore.SignIn;
using AccountSecurity.Results;
using AccountSecurity.SignIn;

namespace AccountSecurity.AspNetCore.Tests;

public sealed class SignInResultExtensionsTests
{
    private static readonly SignInResult Locked = SignInResult.LockedOut(DateTimeOffset.UnixEpoch);

    [Test]
    public void ForDisplay_HidesALock_BehindTheStepsWrongSecretAnswer_UnlessTheHostRevealsLocks()
    {
        var hidden = Locked.ForDisplay(new AccountSecurityAspNetCoreOptions());
        var atTheCode = Locked.ForDisplay(new AccountSecurityAspNetCoreOptions(), SecurityErrorCodes.InvalidCode);
        var revealed = Locked.ForDisplay(new AccountSecurityAspNetCoreOptions { RevealLockout = true });

        hidden.Status.Should().Be(SignInStatus.Failed);
        hidden.ErrorCode.Should().Be(SecurityErrorCodes.InvalidCredentials);
        hidden.LockedOutUntil.Should().BeNull();
        atTheCode.ErrorCode.Should().Be(SecurityErrorCodes.InvalidCode);
        atTheCode.LockedOutUntil.Should().BeNull();
        revealed.Should().BeSameAs(Locked);
    }

    [Test]
    public void ForDisplay_LeavesEveryOtherResultAsItIs()
    {
        var failed = SignInResult.Failed(SecurityErrorCodes.CodeReplayed);
        var busy = SignInResult.Busy(new SecurityError(SecurityErrorCodes.Busy, "busy") { RetryAfter = TimeSpan.FromSeconds(1) });

        failed.ForDisplay(new AccountSecurityAspNetCoreOptions(), SecurityErrorCodes.InvalidCode).Should().BeSameAs(failed);
        busy.ForDisplay(new AccountSecurityAspNetCoreOptions()).Should().BeSameAs(busy);
    }
}
