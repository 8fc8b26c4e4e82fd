using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using AccountSecurity.AspNetCore.Endpoints;
using AccountSecurity.AspNetCore.Tests.TestSupport;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using static AccountSecurity.AspNetCore.Tests.TestSupport.Flows;

namespace AccountSecurity.AspNetCore.Tests;

/// <summary>
/// Issue 23, finding 9: every answer of the JSON API, success or error, is never cached (<c>Cache-Control: no-store</c>)
/// and never sniffed (<c>X-Content-Type-Options: nosniff</c>). The endpoints are read from the host's endpoint data
/// source, so an endpoint added later (here or by a factor package) is covered without touching this test.
/// </summary>
public sealed partial class ApiResponseHeadersTests
{
    [Test]
    public async Task EveryApiEndpoint_AnonymousSignedInWithAndWithoutAntiforgeryAndMalformed_AnswersNoStoreAndNosniff()
    {
        await using var host = await ApiHost.StartAsync();
        var endpoints = ApiEndpoints(host);
        endpoints.Should().HaveCountGreaterThan(30).And.Contain(e => e.Path.StartsWith("/account/passkeys", StringComparison.Ordinal), "the passkey package's endpoints are in the group");
        var answers = new List<(string Label, HttpResponseMessage Response)>();
        using var anonymous = host.CreateClient();
        using var signedIn = host.CreateClient();
        (await PasswordAsync(signedIn, ApiHost.AliceEmail)).StatusCode.Should().Be(HttpStatusCode.OK);

        // Signing out last keeps the session for every other endpoint.
        foreach (var (method, path) in endpoints.OrderBy(e => e.Path.EndsWith("/signout", StringComparison.Ordinal)))
        {
            foreach (var (client, who) in new[] { (anonymous, "anonymous"), (signedIn, "signed in") })
            {
                foreach (var antiforgery in new[] { false, true })
                {
                    var response = await SendMalformedAsync(client, method, path, antiforgery);
                    answers.Add(($"{method} {path} ({who}, antiforgery {antiforgery}) -> {(int)response.StatusCode}", response));
                }
            }
        }

        answers.Select(a => (int)a.Response.StatusCode).Should().Contain([200, 400, 401, 403], "successes, bad input and both authorization refusals were exercised");
        MissingHeaders(answers).Should().BeEmpty();
    }

    [Test]
    public async Task MainApiEndpoints_OnSuccessAndWhenRateLimited_AnswerNoStoreAndNosniff()
    {
        await using var host = await ApiHost.StartAsync(o => o.RateLimits.SignInPerAccount = new(2, TimeSpan.FromMinutes(1)));
        using var client = host.CreateClient();
        var answers = new List<(string Label, HttpResponseMessage Response)>
        {
            ("antiforgery", await client.GetAsync("/account/antiforgery")),
            ("sign-in", await PasswordAsync(client, ApiHost.AliceEmail)),
            ("session", await client.GetAsync("/account/session")),
            ("two-factor status", await client.GetAsync("/account/two-factor")),
            ("policy", await client.GetAsync("/account/policy")),
            ("support PIN status", await client.GetAsync("/account/support-pin")),
            ("passkeys", await client.GetAsync("/account/passkeys")),
            ("support PIN set", await client.PostAsync("/account/support-pin", new { currentPassword = ApiHost.Password, pin = "582914", pinRepeated = "582914" })),
            ("two-factor setup", await client.PostAsync("/account/two-factor/setup", new { currentPassword = ApiHost.Password })),
            ("reset request", await client.PostAsync("/account/password/reset", new { email = ApiHost.OwnerEmail }, antiforgery: false)),
            ("sign-out", await client.PostAsync("/account/signout")),
        };
        answers.Select(a => a.Response.StatusCode).Should().OnlyContain(s => s == HttpStatusCode.OK || s == HttpStatusCode.Accepted || s == HttpStatusCode.NoContent);
        using var stranger = host.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            answers.Add(("sign-in " + i, await PasswordAsync(stranger, "nobody@example.com", "wrong-password-" + i)));
        }

        answers[^1].Response.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        MissingHeaders(answers).Should().BeEmpty();
    }

    private static List<(string Method, string Path)> ApiEndpoints(ApiHost host) =>
        [.. host.App.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<AccountSecurityApiEndpointMetadata>() is not null)
            .SelectMany(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods.Select(m => (m, RouteParameter().Replace(e.RoutePattern.RawText!, "someone"))))];

    private static async Task<HttpResponseMessage> SendMalformedAsync(ApiHost.Client client, string method, string path, bool antiforgery)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == HttpMethods.Post)
        {
            request.Content = new StringContent("{ not json", Encoding.UTF8, "application/json");
        }

        if (antiforgery)
        {
            await client.AddAntiforgeryTokenAsync(request);
        }

        return await client.Http.SendAsync(request);
    }

    private static List<string> MissingHeaders(IEnumerable<(string Label, HttpResponseMessage Response)> answers) =>
        [.. answers
            .Where(a => a.Response.Headers.CacheControl?.NoStore != true
                || !a.Response.Headers.TryGetValues("X-Content-Type-Options", out var values) || !values.SequenceEqual(["nosniff"]))
            .Select(a => $"{a.Label}: Cache-Control '{a.Response.Headers.CacheControl}', X-Content-Type-Options '{string.Join(",", a.Response.Headers.TryGetValues("X-Content-Type-Options", out var v) ? v : [])}'")];

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex RouteParameter();
}
