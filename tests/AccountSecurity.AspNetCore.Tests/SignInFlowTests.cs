using System.Net;
using AccountSecurity.AspNetCore.Tests.TestSupport;
using static AccountSecurity.AspNetCore.Tests.TestSupport.Flows;

namespace AccountSecurity.AspNetCore.Tests;

public sealed class SignInFlowTests
{
    [Test]
    public async Task PasswordThenSecondFactor_ReachesTheSecondFactorEndpoint_WhichAPasswordOnlySessionCannot()
    {
        await using var host = await ApiHost.StartAsync();
        using var setupClient = host.CreateClient();
        (await PasswordAsync(setupClient, ApiHost.AliceEmail)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await setupClient.GetAsync("/protected")).StatusCode.Should().Be(HttpStatusCode.Forbidden, "a password-only session has no second factor");
        var authenticator = await EnableTwoFactorAsync(host, setupClient);

        using var client = host.CreateClient();
        var password = await PasswordAsync(client, ApiHost.AliceEmail);
        (await JsonAsync(password)).GetProperty("status").GetString().Should().Be("second_factor_required");
        (await client.GetAsync("/protected")).StatusCode.Should().Be(HttpStatusCode.Unauthorized, "the pending cookie is no session");
        var second = await client.PostAsync("/account/signin/second-factor", new { code = NextCode(host, authenticator) });

        second.StatusCode.Should().Be(HttpStatusCode.OK);
        var page = await client.GetAsync("/protected");
        page.StatusCode.Should().Be(HttpStatusCode.OK);
        (await page.Content.ReadAsStringAsync()).Should().Be("secret area");
        var session = await JsonAsync(await client.GetAsync("/account/session"));
        session.GetProperty("amr").EnumerateArray().Select(a => a.GetString()).Should().BeEquivalentTo(["pwd", "otp", "mfa"]);
        session.GetProperty("userId").GetString().Should().Be("alice");
    }

    [Test]
    public async Task ReplayedCode_IsRefusedAtTheSecondStep()
    {
        await using var host = await ApiHost.StartAsync();
        using var first = host.CreateClient();
        await PasswordAsync(first, ApiHost.AliceEmail);
        var authenticator = await EnableTwoFactorAsync(host, first);
        var code = NextCode(host, authenticator);
        using var a = host.CreateClient();
        await PasswordAsync(a, ApiHost.AliceEmail);
        (await a.PostAsync("/account/signin/second-factor", new { code })).StatusCode.Should().Be(HttpStatusCode.OK);

        using var b = host.CreateClient();
        await PasswordAsync(b, ApiHost.AliceEmail);
        var replay = await b.PostAsync("/account/signin/second-factor", new { code });

        replay.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await CodeOfAsync(replay)).Should().Be("code_replayed");
        (await b.GetAsync("/account/session")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task PasswordChange_EndsAnotherSessionAtItsNextRequest_AndKeepsTheCallers()
    {
        await using var host = await ApiHost.StartAsync();
        using var laptop = host.CreateClient();
        using var phone = host.CreateClient();
        await PasswordAsync(laptop, ApiHost.AliceEmail);
        await PasswordAsync(phone, ApiHost.AliceEmail);
        (await phone.GetAsync("/account/session")).StatusCode.Should().Be(HttpStatusCode.OK);

        var change = await laptop.PostAsync("/account/password/change", new { currentPassword = ApiHost.Password, newPassword = "amber-Quarry-whistle-57", newPasswordRepeated = "amber-Quarry-whistle-57" });

        change.StatusCode.Should().Be(HttpStatusCode.NoContent, await change.Content.ReadAsStringAsync());
        (await phone.GetAsync("/account/session")).StatusCode.Should().Be(HttpStatusCode.Unauthorized, "the stamp changed");
        (await laptop.GetAsync("/account/session")).StatusCode.Should().Be(HttpStatusCode.OK, "the caller's session was re-issued with the new stamp");
    }

    [Test]
    public async Task ForcedSetup_GoesThroughThePendingScheme_AndCompletesTheSignInWithTheSecondFactor()
    {
        await using var host = await ApiHost.StartAsync();
        using var owner = host.CreateClient();
        await PasswordAsync(owner, ApiHost.OwnerEmail);
        (await owner.PostAsync("/account/admin/users/alice/two-factor/force", new { forced = true })).StatusCode.Should().Be(HttpStatusCode.NoContent);

        using var alice = host.CreateClient();
        var password = await PasswordAsync(alice, ApiHost.AliceEmail);
        (await JsonAsync(password)).GetProperty("status").GetString().Should().Be("two_factor_setup_required");
        (await alice.PostAsync("/account/signin/second-factor", new { code = "123456" })).StatusCode.Should().Be(HttpStatusCode.Unauthorized, "the pending cookie is for setup only");
        var setup = await alice.PostAsync("/account/signin/setup");
        setup.StatusCode.Should().Be(HttpStatusCode.OK, await setup.Content.ReadAsStringAsync());
        var authenticator = AccountSecurity.Testing.TotpCodeGenerator.FromOtpAuthUri((await JsonAsync(setup)).GetProperty("otpAuthUri").GetString()!, host.Time);
        var confirm = await alice.PostAsync("/account/signin/setup/confirm", new { code = authenticator.CurrentCode() });

        confirm.StatusCode.Should().Be(HttpStatusCode.OK, await confirm.Content.ReadAsStringAsync());
        var body = await JsonAsync(confirm);
        body.GetProperty("status").GetString().Should().Be("signed_in");
        body.GetProperty("recoveryCodes").GetArrayLength().Should().BePositive();
        (await alice.GetAsync("/protected")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Test]
    public async Task PendingCookie_ReusedAfterTheSignInCompleted_IsRefused()
    {
        await using var host = await ApiHost.StartAsync();
        using var first = host.CreateClient();
        await PasswordAsync(first, ApiHost.AliceEmail);
        var authenticator = await EnableTwoFactorAsync(host, first);
        using var client = host.CreateClient();
        await PasswordAsync(client, ApiHost.AliceEmail);
        var pending = client.Cookies.GetCookies(client.BaseAddress)[".AccountSecurity.TwoFactor"]!.Value;
        (await client.PostAsync("/account/signin/second-factor", new { code = NextCode(host, authenticator) })).StatusCode.Should().Be(HttpStatusCode.OK);

        using var attacker = host.CreateClient();
        attacker.Cookies.Add(attacker.BaseAddress, new Cookie(".AccountSecurity.TwoFactor", pending));
        var replay = await attacker.PostAsync("/account/signin/second-factor", new { code = NextCode(host, authenticator) });

        replay.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await CodeOfAsync(replay)).Should().Be("invalid_ticket");
        (await attacker.GetAsync("/account/session")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task PendingCookie_AfterTheTicketLifetime_IsRefused()
    {
        await using var host = await ApiHost.StartAsync(core: o => o.SignIn.TicketLifetime = TimeSpan.FromMinutes(5));
        using var first = host.CreateClient();
        await PasswordAsync(first, ApiHost.AliceEmail);
        var authenticator = await EnableTwoFactorAsync(host, first);
        using var client = host.CreateClient();
        await PasswordAsync(client, ApiHost.AliceEmail);

        host.Time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        var late = await client.PostAsync("/account/signin/second-factor", new { code = authenticator.CurrentCode() });

        late.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await CodeOfAsync(late)).Should().Be("invalid_ticket");
    }

    [Test]
    public async Task SignOut_WithoutAnAntiforgeryToken_IsRefused_AndTheSessionStays()
    {
        await using var host = await ApiHost.StartAsync();
        using var client = host.CreateClient();
        await PasswordAsync(client, ApiHost.AliceEmail);

        var refused = await client.PostAsync("/account/signout", antiforgery: false);

        refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await CodeOfAsync(refused)).Should().Be("antiforgery_invalid");
        (await client.GetAsync("/account/session")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.PostAsync("/account/signout")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await client.GetAsync("/account/session")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }
}
