using AccountSecurity.Passwords.Change;
using AccountSecurity.Testing;
using AccountSecurity.Tests.TestSupport;

namespace AccountSecurity.Tests.Passwords.Change;

public sealed class PasswordChangedTests
{
    [Test]
    public async Task ToString_AfterARealChange_NeverPrintsTheNewSecurityStamp()
    {
        await using var host = TestHost.Create();
        await host.SeedContractAsync();

        var changed = await host.Change.ChangePasswordAsync(TestSessions.Of(TestHost.UserId), TestHost.InitialPassword, TestHost.SecondPassword, TestHost.SecondPassword);

        changed.Succeeded.Should().BeTrue(changed.ToString());
        var stamp = changed.Value.SecurityStamp;
        stamp.Should().Be((await host.UserAsync()).SecurityStamp);
        changed.Value.ToString().Should().NotContain(stamp).And.Contain(TestHost.UserId);
    }

    [Test]
    public void ToString_PrintsIdAndTimeOnly()
    {
        var changed = new PasswordChanged("user-7", "STAMP-SECRET-VALUE", new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));

        changed.ToString().Should().Be("PasswordChanged { UserId = user-7, ChangedAt = 2030-01-02T03:04:05.0000000+00:00 }");
    }
}
