using AccountSecurity.Accounts;
using AccountSecurity.SignIn;
using AccountSecurity.Testing;
using AccountSecurity.Tests.SignIn;
using AccountSecurity.TwoFactor.Totp;
using static AccountSecurity.Tests.TwoFactor.Totp.TotpTestSetup;

namespace AccountSecurity.Tests.Hardening.Input;

/// <summary>
/// Issue 8, item 9: a ':' is legal in an e-mail address, and the otpauth label must still carry it in a form every
/// authenticator app splits correctly (Key Uri Format: apps percent-decode the label, then split issuer and account
/// at a colon, literal or <c>%3A</c>).
/// </summary>
public sealed class TotpLabelTests
{
    [TestCase("a:b@example.com")]
    [TestCase("\"odd:local:part\"@example.com")]
    [TestCase(":leading@example.com")]
    [TestCase("alice@example.com")]
    [TestCase("jürgen+tag@example.com")]
    public void BuildUri_AnyValidAddress_ParsesBackToIssuerAndTheSameAddress(string email)
    {
        var uri = Provider(At(1_700_000_000)).BuildUri(email, "JBSWY3DPEHPK3PXP");

        uri.Succeeded.Should().BeTrue(uri.ToString());
        var (issuer, account) = ParseLabelAsAnAppWould(uri.Value);
        issuer.Should().Be("Example Cloud");
        TotpProvider.AccountNameFromLabel(account).Should().Be(email);
    }

    [Test]
    public void BuildUri_AddressWithColon_LeavesExactlyOneColonInTheDecodedLabel()
    {
        var uri = Provider(At(1_700_000_000)).BuildUri("a:b@example.com", "JBSWY3DPEHPK3PXP").Value;

        var label = Uri.UnescapeDataString(new Uri(uri).AbsolutePath.TrimStart('/'));
        label.Count(c => c == ':').Should().Be(1, "apps split at every colon, so only the issuer separator may be one");
        label.Should().Be("Example Cloud:a\uA789b@example.com");
    }

    [Test]
    public async Task ForcedSetup_ForAnAddressWithColon_StartsAndCompletesTheSignIn()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        var created = await host.Provisioning.CreateUserAsync(TwoFactorTestHost.OwnerId, new NewUser { UserId = "colon-user", Email = "a:b@example.com", Role = UserRole.User, InitialPassword = TwoFactorTestHost.UserPassword });
        created.Succeeded.Should().BeTrue(created.ToString());
        (await host.Admin.SetForcedAsync(await TestSessions.FreshAsync(host.Services, TwoFactorTestHost.OwnerId), "colon-user", true)).Succeeded.Should().BeTrue();

        var signIn = await host.SignIn.PasswordSignInAsync("a:b@example.com", TwoFactorTestHost.UserPassword);
        signIn.Status.Should().Be(SignInStatus.TwoFactorSetupRequired);
        var setup = await host.SignIn.BeginTwoFactorSetupAsync(signIn.Ticket);

        setup.Succeeded.Should().BeTrue(setup.ToString());
        var completed = await host.SignIn.TwoFactorSetupSignInAsync(signIn.Ticket, host.CodeFor(TwoFactorTestHost.SecretOf(setup.Value)));
        completed.Status.Should().Be(SignInStatus.Succeeded);
    }

    /// <summary>What authenticator apps do with the label: percent-decode it, split at the first colon, drop leading spaces.</summary>
    private static (string Issuer, string Account) ParseLabelAsAnAppWould(string otpauthUri)
    {
        var label = Uri.UnescapeDataString(new Uri(otpauthUri).AbsolutePath.TrimStart('/'));
        var parts = label.Split(':');
        parts.Should().HaveCount(2, "apps that require exactly issuer:account must read it too");
        return (parts[0], parts[1].TrimStart(' '));
    }
}
