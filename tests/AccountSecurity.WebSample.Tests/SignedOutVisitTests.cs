using System.Net;
using AccountSecurity.Accounts;
using AccountSecurity.Testing;
using AccountSecurity.TwoFactor;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OtpNet;

namespace AccountSecurity.WebSample.Tests;

/// <summary>
/// A console page opened without a session (issue 27 item 1): the browser lands on the sign-in page, not on a blank one
/// (the package's sign-in redirect once answered 302 with an empty Location), and signing in comes back to the page asked
/// for; a return URL that is not a path of this site lands on the default page instead (never an open redirect).
/// </summary>
[TestFixtureSource(typeof(Viewport), nameof(Viewport.Both))]
public sealed class SignedOutVisitTests(Viewport viewport) : BrowserFixture(viewport)
{
    /// <summary>The console's pages, each with the page signing in comes back to ("/" is the console's start: Password &amp; Security).</summary>
    private static readonly (string Asked, string Back)[] ConsolePages =
    [
        ("/", "/security"),
        ("/security", "/security"),
        ("/datacenters", "/datacenters"),
        ("/users", "/users"),
        ("/snapshots", "/snapshots"),
        ("/support", "/support"),
    ];

    [Test]
    public async Task EveryConsolePage_SignedOut_ShowsTheSignInPage_AndSigningInReturnsToIt()
    {
        var (_, email, password) = await CreateUserAsync("so", UserRole.Administrator);
        foreach (var (asked, back) in ConsolePages)
        {
            var page = await NewPageAsync();
            await page.GotoAsync(asked);

            var url = new Uri(page.Url);
            url.AbsolutePath.Should().Be("/signin", "{0} signed out goes to the sign-in page", asked);
            Uri.UnescapeDataString(url.Query).Should().Be($"?returnUrl={back}", "the page asked for comes back after signing in");
            await Assertions.Expect(page.GetByLabel("E-mail address")).ToBeVisibleAsync();
            await ShouldFitTheScreenAsync(page, "the sign-in page of a signed-out visit");

            await SignInHereAsync(page, email, password);
            await page.WaitForURLAsync(u => new Uri(u).PathAndQuery == back);
            await Assertions.Expect(page.GetByTestId("signed-in-as")).ToHaveTextAsync(email);
            await page.Context.CloseAsync();
        }
    }

    [Test]
    public async Task ThePageAskedFor_KeepsItsQuery_AndComesBackAfterTheSecondFactor()
    {
        var (_, email, password, secret) = await CreateUserWith2faAsync("so2", UserRole.Administrator);
        var page = await NewPageAsync();
        await page.GotoAsync("/security?m=none");
        new Uri(page.Url).AbsolutePath.Should().Be("/signin");

        await SignInHereAsync(page, email, password);
        await page.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/signin/second-factor");
        await page.GetByLabel("Code from your authenticator app").FillAsync(new Totp(secret).ComputeTotp(Clock.GetUtcNow().UtcDateTime.AddSeconds(30)));
        await PressAsync(page.GetByRole(AriaRole.Button, new() { Name = "Verify" }));

        await page.WaitForURLAsync(u => new Uri(u).PathAndQuery == "/security?m=none");
        await Assertions.Expect(page.GetByTestId("signed-in-as")).ToHaveTextAsync(email);
    }

    [Test]
    public async Task ThePageAskedFor_ComesBackAfterTheForcedSetup()
    {
        var (id, email, password) = await CreateUserAsync("so4");
        using (var scope = Services.CreateScope())
        {
            (await scope.ServiceProvider.GetRequiredService<ITwoFactorAdministrationService>().SetForcedAsync(await TestSessions.FreshAsync(scope.ServiceProvider, DemoAccounts.Users[0].Id), id, forced: true)).Succeeded.Should().BeTrue();
        }

        var page = await NewPageAsync();
        await page.GotoAsync("/snapshots");
        new Uri(page.Url).AbsolutePath.Should().Be("/signin");
        await SignInHereAsync(page, email, password);
        await page.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/signin/setup");
        var secret = Base32Encoding.ToBytes((await page.GetByTestId("manual-key").InnerTextAsync()).Replace(" ", string.Empty, StringComparison.Ordinal));
        await page.GetByLabel("Code from the app").FillAsync(new Totp(secret).ComputeTotp(Clock.GetUtcNow().UtcDateTime));
        await PressAsync(page.GetByRole(AriaRole.Button, new() { Name = "Confirm and activate" }));

        await page.GetByTestId("recovery-codes").WaitForAsync();
        await PressAsync(page.GetByRole(AriaRole.Link, new() { Name = "Continue to the page you asked for" }));
        await page.WaitForURLAsync(u => new Uri(u).PathAndQuery == "/snapshots");
        await Assertions.Expect(page.GetByTestId("signed-in-as")).ToHaveTextAsync(email);
    }

    [TestCase("//evil.example")]
    [TestCase("https://evil.example")]
    [TestCase("/\\evil.example")]
    [TestCase("/\t/evil.example")]
    [TestCase("javascript:alert(1)")]
    public async Task AHostileReturnUrl_LandsOnTheDefaultPage(string hostile)
    {
        var (_, email, password) = await CreateUserAsync("so3");
        var page = await NewPageAsync();
        await page.GotoAsync("/signin?returnUrl=" + Uri.EscapeDataString(hostile));

        await SignInHereAsync(page, email, password);

        await page.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/security");
        new Uri(page.Url).Authority.Should().Be(new Uri(BaseUrl).Authority, "never another site");
        await Assertions.Expect(page.GetByTestId("signed-in-as")).ToHaveTextAsync(email);
    }

    [Test]
    public async Task OverPlainHttp_EveryConsolePage_SignedOut_RedirectsToTheSignInPage_WithItsReturnUrl()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(BaseUrl) };
        foreach (var (asked, back) in ConsolePages)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, asked);
            request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
            using var response = await http.SendAsync(request);

            response.StatusCode.Should().Be(HttpStatusCode.Redirect, "{0} signed out", asked);
            var location = response.Headers.Location?.OriginalString;
            location.Should().NotBeNullOrEmpty("{0} must not answer with an empty Location (a blank page)", asked);
            var expected = asked == "/" ? back : "/signin?returnUrl=" + Uri.EscapeDataString(back);
            location.Should().Be(expected, "{0} signed out", asked);
        }

        using var api = await http.GetAsync("/security");
        api.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "a request that accepts no HTML gets the 401 problem, not a page");
    }

    /// <summary>Signs in on the sign-in page the browser is on (keeping its return URL).</summary>
    private async Task SignInHereAsync(IPage page, string email, string password)
    {
        await page.GetByLabel("E-mail address").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await PressAsync(page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }));
    }
}
