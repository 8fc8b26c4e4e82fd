using System.Net;
using AccountSecurity.AspNetCore.Tests.TestSupport;
using static AccountSecurity.AspNetCore.Tests.TestSupport.Flows;

namespace AccountSecurity.AspNetCore.Tests;

/// <summary>
/// A signed-out request to a protected page: a browser goes to the sign-in path with the page it asked for as the return
/// URL (never an empty Location), an API request gets the 401 problem, and without a sign-in path so does a browser.
/// </summary>
public sealed class SignedOutRedirectTests
{
    [Test]
    public async Task ABrowserWithoutASession_IsSentToTheSignInPath_WithThePageAsTheEncodedReturnUrl()
    {
        await using var host = await ApiHost.StartAsync(o => o.Cookies.LoginPath = "/signin");
        using var client = host.CreateClient();

        var page = await BrowserGetAsync(client, "/page");

        page.StatusCode.Should().Be(HttpStatusCode.Redirect);
        page.Headers.Location.Should().NotBeNull();
        page.Headers.Location!.OriginalString.Should().Be("/signin?returnUrl=%2Fpage");
    }

    [Test]
    public async Task TheReturnUrl_KeepsTheQuery_Encoded()
    {
        await using var host = await ApiHost.StartAsync(o => o.Cookies.LoginPath = "/signin");
        using var client = host.CreateClient();

        var page = await BrowserGetAsync(client, "/page?tab=a%20b&next=%2Fx");

        page.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var location = page.Headers.Location!.OriginalString;
        location.Should().StartWith("/signin?returnUrl=");
        location.Should().NotContain("&next", "the return URL's own query is encoded inside the one parameter");
        var returnUrl = Uri.UnescapeDataString(location["/signin?returnUrl=".Length..]);
        returnUrl.Should().Be("/page?tab=a%20b&next=%2Fx");
    }

    [Test]
    public async Task AnApiRequestWithoutASession_GetsThe401Problem_EvenWithASignInPath()
    {
        await using var host = await ApiHost.StartAsync(o => o.Cookies.LoginPath = "/signin");
        using var client = host.CreateClient();

        var api = await client.GetAsync("/page");
        api.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await CodeOfAsync(api)).Should().Be("not_authenticated");

        var fetched = await XhrPageAsync(client);
        fetched.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await CodeOfAsync(fetched)).Should().Be("not_authenticated");

        var endpoint = await BrowserGetAsync(client, "/account/session");
        endpoint.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "the package's own endpoints are API endpoints");
    }

    [Test]
    public async Task ABrowserWithoutASession_GetsThe401Problem_WhenNoSignInPathIsConfigured()
    {
        await using var host = await ApiHost.StartAsync();
        using var client = host.CreateClient();

        var page = await BrowserGetAsync(client, "/page");

        page.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        page.Headers.Location.Should().BeNull();
        (await CodeOfAsync(page)).Should().Be("not_authenticated");
    }

    [Test]
    public async Task ARejectedSessionWhoseHookSetNoPath_GoesToTheSignInPath_NotToAnEmptyLocation()
    {
        const string newPassword = "amber-Quarry-whistle-57";
        await using var host = await ApiHost.StartAsync(o =>
        {
            o.Cookies.LoginPath = "/signin";
            o.Cookies.OnSessionRejected = _ => Task.CompletedTask;
        });
        using var laptop = host.CreateClient();
        using var phone = host.CreateClient();
        await PasswordAsync(laptop, ApiHost.AliceEmail);
        await PasswordAsync(phone, ApiHost.AliceEmail);
        (await laptop.PostAsync("/account/password/change", new { currentPassword = ApiHost.Password, newPassword, newPasswordRepeated = newPassword }))
            .StatusCode.Should().Be(HttpStatusCode.NoContent);

        var page = await BrowserGetAsync(phone, "/page");

        page.StatusCode.Should().Be(HttpStatusCode.Redirect);
        page.Headers.Location!.OriginalString.Should().Be("/signin?returnUrl=%2Fpage");
    }

    private static async Task<HttpResponseMessage> BrowserGetAsync(ApiHost.Client client, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/html");
        return await client.Http.SendAsync(request);
    }
}
