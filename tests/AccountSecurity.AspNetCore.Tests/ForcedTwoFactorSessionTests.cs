using System.Net;
using System.Text.Json;
using AccountSecurity.AspNetCore.Tests.TestSupport;
using AccountSecurity.Passkeys.Tests.TestSupport;
using static AccountSecurity.AspNetCore.Tests.TestSupport.Flows;

namespace AccountSecurity.AspNetCore.Tests;

/// <summary>
/// Issue 23, finding 3: forcing 2FA on a user who has no second factor sends the user's open password-only sessions to
/// the setup at their next request, without ending them: the setup, sign-out and what setup needs stay reachable.
/// </summary>
public sealed class ForcedTwoFactorSessionTests
{
    [Test]
    public async Task ForcingTwoFactor_SendsAnOpenPasswordSessionToSetup_WhichItCompletesInTheSameSession()
    {
        await using var host = await ApiHost.StartAsync();
        using var alice = host.CreateClient();
        await PasswordAsync(alice, ApiHost.AliceEmail);
        (await alice.GetAsync("/resources")).StatusCode.Should().Be(HttpStatusCode.OK);

        await ForceAliceAsync(host);
        var refused = await alice.GetAsync("/resources");

        refused.StatusCode.Should().Be(HttpStatusCode.Forbidden, "the open session must set up the forced second factor first");
        (await CodeOfAsync(refused)).Should().Be("two_factor_setup_required");
        (await alice.GetAsync("/resources/vault")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await alice.GetAsync("/protected")).StatusCode.Should().Be(HttpStatusCode.Forbidden);

        // The session is not ended: what setup needs is reachable with it.
        var session = await alice.GetAsync("/account/session");
        session.StatusCode.Should().Be(HttpStatusCode.OK, "the session stands");
        var standing = await JsonAsync(session);
        standing.GetProperty("amr").EnumerateArray().Select(a => a.GetString()).Should().Equal("pwd");
        standing.GetProperty("twoFactorSetupRequired").GetBoolean().Should().BeTrue("the client learns where to go without a 403");
        standing.GetProperty("passwordChangeRequired").GetBoolean().Should().BeFalse();
        var status = await alice.GetAsync("/account/two-factor");
        status.StatusCode.Should().Be(HttpStatusCode.OK);
        (await JsonAsync(status)).GetProperty("isForced").GetBoolean().Should().BeTrue();
        var authenticator = await EnableTwoFactorAsync(host, alice);

        // Set up in this session: it works again, still as the password-only session it was (as any in-session
        // enablement), so secAuthProtection resources open only at a sign-in with the second factor.
        var list = await alice.GetAsync("/resources");
        list.StatusCode.Should().Be(HttpStatusCode.OK, await list.Content.ReadAsStringAsync());
        (await list.Content.ReadAsStringAsync()).Should().Be("[\"open\"]");
        (await alice.GetAsync("/resources/vault")).StatusCode.Should().Be(HttpStatusCode.Forbidden, "the session was not completed with the second factor");
        using var twoFactor = await SignInWithSecondFactorAsync(host, authenticator, ApiHost.AliceEmail);
        (await twoFactor.GetAsync("/resources/vault")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Test]
    public async Task SessionThatMustSetUp_CanSignOut_AndAddAPasskeyInstead()
    {
        await using var host = await ApiHost.StartAsync();
        using var phone = host.CreateClient();
        using var laptop = host.CreateClient();
        await PasswordAsync(phone, ApiHost.AliceEmail);
        await PasswordAsync(laptop, ApiHost.AliceEmail);
        await ForceAliceAsync(host);

        (await phone.PostAsync("/account/signout")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await phone.GetAsync("/account/session")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        using var authenticator = new SoftwareAuthenticator("http://localhost");
        var options = await laptop.PostAsync("/account/passkeys/options", new { currentPassword = ApiHost.Password });
        options.StatusCode.Should().Be(HttpStatusCode.OK, await options.Content.ReadAsStringAsync());
        var creation = (await JsonAsync(options)).GetProperty("options").GetRawText();
        var registered = await laptop.PostAsync("/account/passkeys", new { credential = JsonDocument.Parse(authenticator.CreateAttestationJson(creation)).RootElement, name = "Laptop" });
        registered.StatusCode.Should().Be(HttpStatusCode.OK, await registered.Content.ReadAsStringAsync());
        (await laptop.GetAsync("/resources")).StatusCode.Should().Be(HttpStatusCode.OK, "a passkey satisfies forced 2FA");
    }

    [Test]
    public async Task BrowserPage_OfASessionThatMustSetUp_IsRedirectedToTheSetupPath_AndAnXhrGetsTheProblem()
    {
        await using var host = await ApiHost.StartAsync(o => o.Cookies.TwoFactorSetupPath = "/setup");
        using var alice = host.CreateClient();
        await PasswordAsync(alice, ApiHost.AliceEmail);
        (await PageAsync(alice)).StatusCode.Should().Be(HttpStatusCode.OK);
        await ForceAliceAsync(host);

        var page = await PageAsync(alice);
        var api = await XhrPageAsync(alice);

        page.StatusCode.Should().Be(HttpStatusCode.Redirect);
        page.Headers.Location!.OriginalString.Should().Be("/setup");
        api.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await CodeOfAsync(api)).Should().Be("two_factor_setup_required");
        (await alice.GetAsync("/account/session")).StatusCode.Should().Be(HttpStatusCode.OK, "the session was not ended");
    }

    [Test]
    public async Task UserWithASecondFactor_IsNotSentToSetup_WhenForced()
    {
        await using var host = await ApiHost.StartAsync(o => o.Cookies.TwoFactorSetupPath = "/setup");
        using var alice = host.CreateClient();
        await PasswordAsync(alice, ApiHost.AliceEmail);
        await EnableTwoFactorAsync(host, alice);

        await ForceAliceAsync(host);

        (await alice.GetAsync("/resources")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await PageAsync(alice)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    private static async Task ForceAliceAsync(ApiHost host)
    {
        using var owner = host.CreateClient();
        await PasswordAsync(owner, ApiHost.OwnerEmail);
        (await owner.PostAsync("/account/admin/users/alice/two-factor/force", new { forced = true })).StatusCode.Should().Be(HttpStatusCode.NoContent);
    }
}
