using System.Net;
using System.Text.RegularExpressions;
using AccountSecurity.AspNetCore.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AccountSecurity.WebSample.Tests;

/// <summary>
/// Issue 23, finding 5: the sample's forms carry the package's abuse limits, tested against the sample's own
/// configuration (this fixture does not raise them as the others do). Form posts over HTTP, as a script would send them.
/// </summary>
[TestFixture]
public sealed partial class AbuseLimitsTests() : BrowserFixture(Viewport.Desktop)
{
    protected override bool WithTheSamplesAbuseLimits => true;

    private AccountSecurityRateLimitOptions Limits => Services.GetRequiredService<IOptions<AccountSecurityAspNetCoreOptions>>().Value.RateLimits;

    [Test]
    public async Task SignInBeyondTheLimitsOfOneClient_IsRefusedWith429_AndNothingIsDone()
    {
        var (_, email, password) = await CreateUserAsync("flood");
        var perAccount = Limits.SignInPerAccount.PermitLimit;
        var perClient = Limits.SignInPerClient.PermitLimit;
        perAccount.Should().BeLessThan(perClient, "the sample's configuration is what this test checks");

        // One account: every sign-in within the limit goes ahead, the next one in the window is refused.
        for (var i = 0; i < perAccount; i++)
        {
            using var client = new FormClient(BaseUrl);
            var signedIn = await client.PostAsync("/signin", "/signin", new() { ["email"] = email, ["password"] = password });
            signedIn.StatusCode.Should().Be(HttpStatusCode.SeeOther, "sign-in {0} of {1} is within the limit", i + 1, perAccount);
            signedIn.Headers.Location!.OriginalString.Should().Be("/security");
        }

        using (var refusedClient = new FormClient(BaseUrl))
        {
            var refused = await refusedClient.PostAsync("/signin", "/signin", new() { ["email"] = email, ["password"] = password });
            await ShouldBeRefusedAsync(refused);
            refusedClient.HasCookie("as.session").Should().BeFalse("a refused attempt signs nobody in");
        }

        // Many accounts from the same client (spraying): refused once the client's own limit is reached.
        var attempts = perAccount + 1;
        HttpResponseMessage last;
        using var sprayer = new FormClient(BaseUrl);
        do
        {
            attempts++;
            last = await sprayer.PostAsync("/signin", "/signin", new() { ["email"] = $"spray-{attempts}@example.com", ["password"] = password });
        }
        while (last.StatusCode == HttpStatusCode.SeeOther && attempts <= perClient + 1);

        attempts.Should().Be(perClient + 1, "the client's {0} sign-ins a window are spent", perClient);
        await ShouldBeRefusedAsync(last);
    }

    [Test]
    public async Task ResetRequestsBeyondTheLimitForOneAddress_AreRefusedWith429()
    {
        using var client = new FormClient(BaseUrl);
        const string email = "reset-flood@example.com";
        for (var i = 0; i < Limits.PasswordResetPerAccount.PermitLimit; i++)
        {
            (await client.PostAsync("/reset", "/reset", new() { ["email"] = email })).StatusCode.Should().Be(HttpStatusCode.SeeOther);
        }

        await ShouldBeRefusedAsync(await client.PostAsync("/reset", "/reset", new() { ["email"] = email }));
    }

    private static async Task ShouldBeRefusedAsync(HttpResponseMessage response)
    {
        response.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter?.Delta.Should().BePositive("the page says when to try again, and so does the header");
        var page = await response.Content.ReadAsStringAsync();
        page.Should().Contain("Too many attempts").And.Contain("role=\"alert\"");
    }

    /// <summary>A browser-like client without a browser: its own cookies, the form's antiforgery field, no redirects followed.</summary>
    private sealed partial class FormClient : IDisposable
    {
        private readonly CookieContainer _cookies = new();
        private readonly HttpClient _http;

        public FormClient(string baseUrl) =>
            _http = new HttpClient(new HttpClientHandler { CookieContainer = _cookies, AllowAutoRedirect = false }) { BaseAddress = new Uri(baseUrl) };

        public bool HasCookie(string name) => _cookies.GetCookies(_http.BaseAddress!).Any(c => c.Name == name);

        /// <summary>Opens <paramref name="page"/> for its antiforgery field, then posts <paramref name="fields"/> to <paramref name="action"/>.</summary>
        public async Task<HttpResponseMessage> PostAsync(string page, string action, Dictionary<string, string> fields)
        {
            var html = await _http.GetStringAsync(page);
            fields["__csrf"] = AntiforgeryField().Match(html).Groups[1].Value;
            using var form = new FormUrlEncodedContent(fields);
            return await _http.PostAsync(action, form);
        }

        public void Dispose() => _http.Dispose();

        // The hidden input the form tag helper writes (its attributes in any order).
        [GeneratedRegex("<input(?=[^>]*\\bname=\"__csrf\")[^>]*\\bvalue=\"([^\"]+)\"")]
        private static partial Regex AntiforgeryField();
    }
}
