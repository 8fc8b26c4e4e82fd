using System.Net;
using AccountSecurity.AspNetCore.Tests.TestSupport;
using static AccountSecurity.AspNetCore.Tests.TestSupport.Flows;

namespace AccountSecurity.AspNetCore.Tests;

public sealed class HttpLayerTests
{
    [Test]
    public async Task SecAuthProtectedResource_IsHiddenAnd403ForAPasswordOnlySession_AndVisibleAfterATwoFactorSignIn()
    {
        await using var host = await ApiHost.StartAsync();
        using var passwordOnly = host.CreateClient();
        await PasswordAsync(passwordOnly, ApiHost.AliceEmail);

        var list = await passwordOnly.GetAsync("/resources");
        list.StatusCode.Should().Be(HttpStatusCode.OK);
        (await list.Content.ReadAsStringAsync()).Should().Be("[\"open\"]");
        (await passwordOnly.GetAsync("/resources/vault")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await passwordOnly.GetAsync("/resources/open")).StatusCode.Should().Be(HttpStatusCode.OK);

        var authenticator = await EnableTwoFactorAsync(host, passwordOnly);
        (await passwordOnly.GetAsync("/resources/vault")).StatusCode.Should().Be(HttpStatusCode.Forbidden, "this session was not completed with the second factor");
        using var twoFactor = await SignInWithSecondFactorAsync(host, authenticator, ApiHost.AliceEmail);

        (await (await twoFactor.GetAsync("/resources")).Content.ReadAsStringAsync()).Should().Be("[\"open\",\"vault\"]");
        (await twoFactor.GetAsync("/resources/vault")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Test]
    public async Task SupportAgentPolicy_RefusesAUserAndAnAgentOfAnotherContract_AndLetsTheOwnContractsOwnerVerify()
    {
        await using var host = await ApiHost.StartAsync();
        using var alice = host.CreateClient();
        await PasswordAsync(alice, ApiHost.AliceEmail);
        var set = await alice.PostAsync("/account/support-pin", new { currentPassword = ApiHost.Password, pin = "582914", pinRepeated = "582914" });
        set.StatusCode.Should().Be(HttpStatusCode.OK, await set.Content.ReadAsStringAsync());

        var byUser = await alice.PostAsync("/account/support-pin/verify", new { email = ApiHost.OwnerEmail, pin = "582914" });
        using var otherOwner = host.CreateClient();
        await PasswordAsync(otherOwner, ApiHost.Owner2Email);
        var acrossContracts = await otherOwner.PostAsync("/account/support-pin/verify", new { email = ApiHost.AliceEmail, pin = "582914" });
        using var owner = host.CreateClient();
        await PasswordAsync(owner, ApiHost.OwnerEmail);
        var sameContract = await owner.PostAsync("/account/support-pin/verify", new { email = ApiHost.AliceEmail, pin = "582914" });

        byUser.StatusCode.Should().Be(HttpStatusCode.Forbidden, "a plain user is no support agent");
        acrossContracts.IsSuccessStatusCode.Should().BeFalse("an agent of another contract may not verify");
        (await JsonAsync(acrossContracts)).TryGetProperty("verified", out _).Should().BeFalse();
        sameContract.StatusCode.Should().Be(HttpStatusCode.OK);
        (await JsonAsync(sameContract)).GetProperty("userId").GetString().Should().Be("alice");
    }

    [Test]
    public async Task Errors_AreProblemDetailsCarryingTheLibrarysStableCodes()
    {
        await using var host = await ApiHost.StartAsync();
        using var client = host.CreateClient();
        var wrong = await PasswordAsync(client, ApiHost.AliceEmail, "not-the-password-at-all");
        await PasswordAsync(client, ApiHost.AliceEmail);
        var weak = await client.PostAsync("/account/password/change", new { currentPassword = ApiHost.Password, newPassword = "short", newPasswordRepeated = "short" });
        var notAdmin = await client.PostAsync("/account/admin/users/owner1/two-factor/reset");
        var malformed = await client.PostAsync("/account/password/change", "not an object");
        var mismatch = await client.PostAsync("/account/password/change", new { currentPassword = ApiHost.Password, newPassword = "correct horse battery staple 42", newPasswordRepeated = "correct horse battery staple 43" });
        var wrongType = await client.PostAsync("/account/password/change", new { currentPassword = ApiHost.Password, newPassword = 12345678, newPasswordRepeated = "x" });

        wrong.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        wrong.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await CodeOfAsync(wrong)).Should().Be("invalid_credentials");
        weak.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var weakBody = await JsonAsync(weak);
        weakBody.GetProperty("code").GetString().Should().Be("password_too_short");
        weakBody.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("code").GetString()).Should().Contain("password_too_short");
        weakBody.GetProperty("errors").EnumerateArray().Should().OnlyContain(e => e.GetProperty("field").GetString() == "newPassword", "a policy violation names the member it is about");
        notAdmin.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await CodeOfAsync(notAdmin)).Should().Be("not_authorized");
        malformed.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await CodeOfAsync(malformed)).Should().Be("invalid_input");
        var mismatchError = (await JsonAsync(mismatch)).GetProperty("errors").EnumerateArray().Single(e => e.GetProperty("code").GetString() == "password_mismatch");
        mismatchError.GetProperty("field").GetString().Should().Be("newPasswordRepeated");
        wrongType.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var wrongTypeBody = await JsonAsync(wrongType);
        wrongTypeBody.GetProperty("code").GetString().Should().Be("invalid_input");
        wrongTypeBody.GetProperty("errors")[0].GetProperty("field").GetString().Should().Be("newPassword", "a malformed body names the field it could not read");
        wrongTypeBody.GetRawText().Should().NotContain("12345678", "the problem names the field, never its value");
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task Cookies_AreHttpOnlyAndSameSiteStrict_AndSecureExactlyOverHttps(bool https)
    {
        await using var host = await ApiHost.StartAsync();
        using var first = host.CreateClient(https);
        await PasswordAsync(first, ApiHost.AliceEmail);
        await EnableTwoFactorAsync(host, first);
        using var client = host.CreateClient(https);

        var response = await PasswordAsync(client, ApiHost.AliceEmail);

        var pending = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AccountSecurity.TwoFactor=", StringComparison.Ordinal));
        var session = (await PasswordAsync(host.CreateClient(https), ApiHost.OwnerEmail)).Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AccountSecurity.Session=", StringComparison.Ordinal));
        foreach (var cookie in new[] { pending, session })
        {
            cookie.Should().ContainEquivalentOf("httponly").And.ContainEquivalentOf("samesite=strict");
            cookie.Contains("secure", StringComparison.OrdinalIgnoreCase).Should().Be(https, cookie);
        }
    }

    [Test]
    public async Task SignIn_BeyondThePerAccountLimit_Answers429WithRetryAfter()
    {
        await using var host = await ApiHost.StartAsync(o => o.RateLimits.SignInPerAccount = new(2, TimeSpan.FromMinutes(1)));
        using var client = host.CreateClient();
        await PasswordAsync(client, ApiHost.AliceEmail, "wrong-one-1");
        await PasswordAsync(client, ApiHost.AliceEmail, "wrong-one-2");

        var limited = await PasswordAsync(client, ApiHost.AliceEmail.ToUpperInvariant());
        var otherAccount = await PasswordAsync(client, ApiHost.OwnerEmail);

        limited.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        limited.Headers.RetryAfter!.Delta!.Value.TotalSeconds.Should().BeInRange(1, 60);
        (await CodeOfAsync(limited)).Should().Be("rate_limited");
        otherAccount.StatusCode.Should().Be(HttpStatusCode.OK, "the limit is per account");
    }

    [Test]
    public async Task UnknownAndKnownEmail_GetIdenticalAnswers_ForSignInAndResetRequest()
    {
        await using var host = await ApiHost.StartAsync();
        using var client = host.CreateClient();

        var known = await PasswordAsync(client, ApiHost.AliceEmail, "wrong-password-here");
        var unknown = await PasswordAsync(client, "nobody@example.com", "wrong-password-here");
        var knownReset = await client.PostAsync("/account/password/reset", new { email = ApiHost.AliceEmail }, antiforgery: false);
        var unknownReset = await client.PostAsync("/account/password/reset", new { email = "nobody@example.com" }, antiforgery: false);

        unknown.StatusCode.Should().Be(known.StatusCode);
        (await unknown.Content.ReadAsStringAsync()).Should().Be(await known.Content.ReadAsStringAsync());
        unknown.Headers.Select(h => h.Key).Should().BeEquivalentTo(known.Headers.Select(h => h.Key));
        knownReset.StatusCode.Should().Be(HttpStatusCode.Accepted);
        unknownReset.StatusCode.Should().Be(HttpStatusCode.Accepted);
        (await unknownReset.Content.ReadAsStringAsync()).Should().Be(await knownReset.Content.ReadAsStringAsync());
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task LockedAccount_IsAnsweredLikeAWrongPassword_UnlessTheHostRevealsLocks(bool reveal)
    {
        await using var host = await ApiHost.StartAsync(o => o.RevealLockout = reveal, o => o.Lockout.Password.MaxFailedAttempts = 2);
        using var client = host.CreateClient();
        var wrong = await PasswordAsync(client, ApiHost.AliceEmail, "wrong-password-one");
        await PasswordAsync(client, ApiHost.AliceEmail, "wrong-password-two");

        var locked = await PasswordAsync(client, ApiHost.AliceEmail);

        if (reveal)
        {
            locked.StatusCode.Should().Be(HttpStatusCode.Forbidden);
            (await CodeOfAsync(locked)).Should().Be("locked_out");
        }
        else
        {
            locked.StatusCode.Should().Be(wrong.StatusCode);
            (await locked.Content.ReadAsStringAsync()).Should().Be(await wrong.Content.ReadAsStringAsync());
        }

        host.Logs.Entries.Should().Contain(e => e.Message.Contains("LockedOut", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("locked", StringComparison.OrdinalIgnoreCase), "the library still raises its lockout event");
    }

    [Test]
    public async Task UnauthenticatedRequests_Get401AndForbidden403_NeverARedirect_EvenFromABrowser()
    {
        await using var host = await ApiHost.StartAsync();
        using var client = host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/account/session");
        request.Headers.Accept.ParseAdd("text/html");

        var api = await client.Http.SendAsync(request);
        var page = await client.GetAsync("/page");

        api.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await CodeOfAsync(api)).Should().Be("not_authenticated");
        page.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "no login path is configured");
    }

    [Test]
    public async Task NoLogLine_CarriesAPasswordCodePinTotpSecretTokenOrCookie()
    {
        await using var host = await ApiHost.StartAsync();
        using var client = host.CreateClient();
        await PasswordAsync(client, ApiHost.AliceEmail, "wrong-Secret-guess-11");
        await PasswordAsync(client, ApiHost.AliceEmail);
        var setup = await client.PostAsync("/account/two-factor/setup", new { currentPassword = ApiHost.Password });
        var setupBody = await JsonAsync(setup);
        var manualKey = setupBody.GetProperty("manualEntryKey").GetString()!;
        var authenticator = AccountSecurity.Testing.TotpCodeGenerator.FromOtpAuthUri(setupBody.GetProperty("otpAuthUri").GetString()!, host.Time);
        var confirmCode = authenticator.CurrentCode();
        var recovery = (await JsonAsync(await client.PostAsync("/account/two-factor/confirm", new { code = confirmCode }))).GetProperty("recoveryCodes").EnumerateArray().Select(c => c.GetString()!).ToList();
        await client.PostAsync("/account/support-pin", new { currentPassword = ApiHost.Password, pin = "582914", pinRepeated = "582914" });
        using var second = host.CreateClient();
        await PasswordAsync(second, ApiHost.AliceEmail);
        var pendingCookie = second.Cookies.GetCookies(second.BaseAddress)[".AccountSecurity.TwoFactor"]!.Value;
        var code = NextCode(host, authenticator);
        await second.PostAsync("/account/signin/second-factor", new { code = "000000" });
        await second.PostAsync("/account/signin/second-factor", new { code });
        var sessionCookie = second.Cookies.GetCookies(second.BaseAddress)[".AccountSecurity.Session"]!.Value;
        await second.PostAsync("/account/password/reset", new { email = ApiHost.OwnerEmail }, antiforgery: false);
        for (var i = 0; i < 50 && host.Mail.Sent.Count == 0; i++)
        {
            await Task.Delay(20);
        }

        var resetToken = host.Mail.Sent.Should().ContainSingle().Subject.Token;
        await second.PostAsync("/account/password/reset/complete", new { email = ApiHost.OwnerEmail, token = resetToken, newPassword = "amber-Quarry-whistle-57", newPasswordRepeated = "amber-Quarry-whistle-57" }, antiforgery: false);

        string[] secrets = [ApiHost.Password, "wrong-Secret-guess-11", "amber-Quarry-whistle-57", manualKey, manualKey.Replace(" ", string.Empty, StringComparison.Ordinal), confirmCode, code, "582914", resetToken, pendingCookie, sessionCookie, .. recovery];
        var lines = host.Logs.AllText();
        lines.Should().NotBeEmpty();
        foreach (var secret in secrets)
        {
            lines.Should().NotContain(l => l.Contains(secret, StringComparison.Ordinal), "no log line may carry a secret");
        }
    }
}
