using System.Net;
using AccountSecurity.AspNetCore.Tests.TestSupport;
using AccountSecurity.Reauthentication;
using static AccountSecurity.AspNetCore.Tests.TestSupport.Flows;

namespace AccountSecurity.AspNetCore.Tests;

/// <summary>Step-up over HTTP: the 401 a client can act on, the re-authentication endpoints, and the change repeated.</summary>
public sealed class ReauthenticationEndpointTests
{
    private const string ProblemType = "urn:accountsecurity:problem:reauthentication-required";
    private static readonly TimeSpan Window = new ReauthenticationOptions().Window;

    [Test]
    public async Task AStaleSession_GetsA401ItCanActOn_ReauthenticatesAndRepeatsTheChange()
    {
        await using var host = await ApiHost.StartAsync();
        using var client = await SignedInAsync(host, ApiHost.AliceEmail);
        host.Time.Advance(Window + TimeSpan.FromSeconds(1));

        var refused = await client.PostAsync("/account/support-pin", new { pin = "482913", pinRepeated = "482913" });
        refused.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        refused.Headers.CacheControl!.NoStore.Should().BeTrue();
        var problem = await JsonAsync(refused);
        problem.GetProperty("type").GetString().Should().Be(ProblemType);
        problem.GetProperty("code").GetString().Should().Be("reauthentication_required");
        (await client.GetAsync("/account/session")).StatusCode.Should().Be(HttpStatusCode.OK, "still signed in: the 401 does not mean sign in again");

        var status = await JsonAsync(await client.GetAsync("/account/reauthentication"));
        status.GetProperty("fresh").GetBoolean().Should().BeFalse();
        status.GetProperty("methods").EnumerateArray().Select(m => m.GetString()).Should().Equal("password");

        var wrong = await client.PostAsync("/account/reauthentication", new { password = "wrong-Harbor-lantern-1" });
        wrong.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await CodeOfAsync(wrong)).Should().Be("password_wrong_current");

        var confirmed = await client.PostAsync("/account/reauthentication", new { password = ApiHost.Password });
        confirmed.StatusCode.Should().Be(HttpStatusCode.OK, await confirmed.Content.ReadAsStringAsync());
        (await JsonAsync(confirmed)).GetProperty("freshUntil").GetDateTimeOffset().Should().Be(host.Time.GetUtcNow() + Window);

        var repeated = await client.PostAsync("/account/support-pin", new { pin = "482913", pinRepeated = "482913" });
        repeated.StatusCode.Should().Be(HttpStatusCode.OK, await repeated.Content.ReadAsStringAsync());
        (await JsonAsync(await client.GetAsync("/account/reauthentication"))).GetProperty("fresh").GetBoolean().Should().BeTrue();
    }

    [Test]
    public async Task AFreshSignIn_ChangesThePasswordWithoutTheCurrentOne()
    {
        await using var host = await ApiHost.StartAsync();
        using var client = await SignedInAsync(host, ApiHost.AliceEmail);

        var changed = await client.PostAsync("/account/password/change", new { newPassword = "amber-Quarry-whistle-57", newPasswordRepeated = "amber-Quarry-whistle-57" });

        changed.StatusCode.Should().Be(HttpStatusCode.NoContent, await changed.Content.ReadAsStringAsync());
        (await PasswordAsync(host.CreateClient(), ApiHost.AliceEmail, "amber-Quarry-whistle-57")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Test]
    public async Task AnAdministratorsActionOnAnotherUser_NeedsAFreshSession()
    {
        await using var host = await ApiHost.StartAsync();
        using var owner = await SignedInAsync(host, ApiHost.OwnerEmail);
        host.Time.Advance(Window);

        var refused = await owner.PostAsync("/account/admin/users/alice/two-factor/force", new { forced = true });
        refused.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await CodeOfAsync(refused)).Should().Be("reauthentication_required");

        (await owner.PostAsync("/account/reauthentication", new { password = ApiHost.Password })).StatusCode.Should().Be(HttpStatusCode.OK);
        (await owner.PostAsync("/account/admin/users/alice/two-factor/force", new { forced = true })).StatusCode.Should().Be(HttpStatusCode.NoContent);
    }

    [Test]
    public async Task WithTheAuthenticatorOn_TheCodeIsAskedFor()
    {
        await using var host = await ApiHost.StartAsync();
        using var setup = await SignedInAsync(host, ApiHost.AliceEmail);
        var authenticator = await EnableTwoFactorAsync(host, setup);
        using var client = await SignInWithSecondFactorAsync(host, authenticator, ApiHost.AliceEmail);
        host.Time.Advance(Window);

        (await JsonAsync(await client.GetAsync("/account/reauthentication"))).GetProperty("methods").EnumerateArray().Select(m => m.GetString())
            .Should().Equal("password_and_code");
        var withoutCode = await client.PostAsync("/account/reauthentication", new { password = ApiHost.Password });
        (await CodeOfAsync(withoutCode)).Should().Be("two_factor_current_code_required");

        var confirmed = await client.PostAsync("/account/reauthentication", new { password = ApiHost.Password, code = NextCode(host, authenticator) });
        confirmed.StatusCode.Should().Be(HttpStatusCode.OK, await confirmed.Content.ReadAsStringAsync());
        var codes = await client.PostAsync("/account/two-factor/recovery-codes", new { });
        codes.StatusCode.Should().Be(HttpStatusCode.OK, await codes.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task TheInlinePasswordStillWorks_ForAStaleSession()
    {
        await using var host = await ApiHost.StartAsync();
        using var client = await SignedInAsync(host, ApiHost.AliceEmail);
        host.Time.Advance(Window + TimeSpan.FromMinutes(1));

        var set = await client.PostAsync("/account/support-pin", new { currentPassword = ApiHost.Password, pin = "482913", pinRepeated = "482913" });

        set.StatusCode.Should().Be(HttpStatusCode.OK, await set.Content.ReadAsStringAsync());
    }

    private static async Task<ApiHost.Client> SignedInAsync(ApiHost host, string email)
    {
        var client = host.CreateClient();
        var signedIn = await PasswordAsync(client, email);
        signedIn.StatusCode.Should().Be(HttpStatusCode.OK, await signedIn.Content.ReadAsStringAsync());
        return client;
    }
}
