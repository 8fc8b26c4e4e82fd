using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AccountSecurity.Testing;

namespace AccountSecurity.AspNetCore.Tests.TestSupport;

/// <summary>The steps the tests repeat, through the HTTP API only.</summary>
internal static class Flows
{
    public static Task<HttpResponseMessage> PasswordAsync(ApiHost.Client client, string email, string password = ApiHost.Password) =>
        client.PostAsync("/account/signin", new { email, password }, antiforgery: false);

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();

    public static async Task<string?> CodeOfAsync(HttpResponseMessage response) =>
        (await JsonAsync(response)).GetProperty("code").GetString();

    /// <summary>GETs the test app's page as a browser does (<c>Accept: text/html</c>).</summary>
    public static async Task<HttpResponseMessage> PageAsync(ApiHost.Client client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/page");
        request.Headers.Accept.ParseAdd("text/html");
        return await client.Http.SendAsync(request);
    }

    /// <summary>GETs the test app's page as a script on a page does (<c>Accept: text/html</c> and <c>X-Requested-With</c>): an API request, answered with a problem, never a redirect.</summary>
    public static async Task<HttpResponseMessage> XhrPageAsync(ApiHost.Client client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/page");
        request.Headers.Accept.ParseAdd("text/html");
        request.Headers.Add("X-Requested-With", "XMLHttpRequest");
        return await client.Http.SendAsync(request);
    }

    /// <summary>Enables 2FA for the signed-in client's user; returns the authenticator (its last code is spent).</summary>
    public static async Task<TotpCodeGenerator> EnableTwoFactorAsync(ApiHost host, ApiHost.Client client)
    {
        var setup = await client.PostAsync("/account/two-factor/setup", new { currentPassword = ApiHost.Password });
        setup.StatusCode.Should().Be(HttpStatusCode.OK, await setup.Content.ReadAsStringAsync());
        var authenticator = TotpCodeGenerator.FromOtpAuthUri((await JsonAsync(setup)).GetProperty("otpAuthUri").GetString()!, host.Time);
        var confirm = await client.PostAsync("/account/two-factor/confirm", new { code = authenticator.CurrentCode() });
        confirm.StatusCode.Should().Be(HttpStatusCode.OK, await confirm.Content.ReadAsStringAsync());
        return authenticator;
    }

    /// <summary>The next time step's code (a code is accepted once).</summary>
    public static string NextCode(ApiHost host, TotpCodeGenerator authenticator)
    {
        host.Time.Advance(TimeSpan.FromSeconds(authenticator.PeriodSeconds));
        return authenticator.CurrentCode();
    }

    /// <summary>Signs <paramref name="email"/> in with password and TOTP on a new client.</summary>
    public static async Task<ApiHost.Client> SignInWithSecondFactorAsync(ApiHost host, TotpCodeGenerator authenticator, string email)
    {
        var client = host.CreateClient();
        var password = await PasswordAsync(client, email);
        (await JsonAsync(password)).GetProperty("status").GetString().Should().Be("second_factor_required");
        var second = await client.PostAsync("/account/signin/second-factor", new { code = NextCode(host, authenticator) });
        second.StatusCode.Should().Be(HttpStatusCode.OK, await second.Content.ReadAsStringAsync());
        return client;
    }
}
