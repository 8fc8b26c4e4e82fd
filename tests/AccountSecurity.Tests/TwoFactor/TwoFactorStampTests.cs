using AccountSecurity.Testing;
using AccountSecurity.Tests.SignIn;

namespace AccountSecurity.Tests.TwoFactor;

/// <summary>
/// Issue 9, part 5: the user's own 2FA changes that end other sessions hand back the new security stamp, so the HTTP
/// layer re-issues the caller's cookie from the answer and never reads the store for it.
/// </summary>
public sealed class TwoFactorStampTests
{
    [Test]
    public async Task ConfirmSetup_ReturnsTheStoredNewStamp_AndTheRecoveryCodes()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("alice");
        var before = (await host.GetUserAsync("alice")).SecurityStamp;
        var setup = await host.TwoFactor.BeginSetupAsync(TestSessions.Of("alice"), TwoFactorTestHost.UserPassword);

        var confirmed = await host.TwoFactor.ConfirmSetupAsync("alice", host.CodeFor(TwoFactorTestHost.SecretOf(setup.Value)));

        confirmed.Succeeded.Should().BeTrue(confirmed.ToString());
        var stored = await host.GetUserAsync("alice");
        confirmed.Value.SecurityStamp.Should().Be(stored.SecurityStamp).And.NotBe(before);
        confirmed.Value.RecoveryCodes.Should().HaveCount(stored.TwoFactor.RecoveryCodeHashes.Length).And.OnlyHaveUniqueItems();
    }

    [Test]
    public async Task Disable_ReturnsTheStoredNewStamp_AndNoRecoveryCodes()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("alice");
        var enrolled = await host.EnableTwoFactorAsync("alice");
        var before = (await host.GetUserAsync("alice")).SecurityStamp;

        var disabled = await host.TwoFactor.DisableAsync(TestSessions.Of("alice"), TwoFactorTestHost.UserPassword, host.CodeFor(enrolled.Secret));

        disabled.Succeeded.Should().BeTrue(disabled.ToString());
        var stored = await host.GetUserAsync("alice");
        disabled.Value.SecurityStamp.Should().Be(stored.SecurityStamp).And.NotBe(before);
        disabled.Value.RecoveryCodes.Should().BeEmpty();
    }

    [Test]
    public async Task Disable_WithARecoveryCode_ReturnsTheStoredNewStamp()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("alice");
        var enrolled = await host.EnableTwoFactorAsync("alice");

        var disabled = await host.TwoFactor.DisableAsync(TestSessions.Of("alice"), TwoFactorTestHost.UserPassword, enrolled.RecoveryCodes[0]);

        disabled.Succeeded.Should().BeTrue(disabled.ToString());
        disabled.Value.SecurityStamp.Should().Be((await host.GetUserAsync("alice")).SecurityStamp);
    }

    [Test]
    public async Task TwoFactorChanged_ToString_ShowsNeitherTheStampNorACode()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("alice");
        var setup = await host.TwoFactor.BeginSetupAsync(TestSessions.Of("alice"), TwoFactorTestHost.UserPassword);
        var confirmed = (await host.TwoFactor.ConfirmSetupAsync("alice", host.CodeFor(TwoFactorTestHost.SecretOf(setup.Value)))).Value;

        var text = confirmed.ToString();

        text.Should().NotContain(confirmed.SecurityStamp);
        foreach (var code in confirmed.RecoveryCodes)
        {
            text.Should().NotContain(code);
        }
    }
}
