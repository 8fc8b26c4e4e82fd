using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AccountSecurity.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AccountSecurity.AspNetCore.Tests;

/// <summary>The minimal API sample (samples/AccountSecurity.MinimalApi), built and driven over HTTP.</summary>
public sealed class MinimalApiSampleTests
{
    private const string Password = "violet-Harbor-lantern-93";

    [Test]
    public async Task QuickStart_SignsInWithPasswordAndTotp_OpensTheProtectedEndpoint_AndSeesTheProtectedResourceOnlyThen()
    {
        var folder = Directory.CreateTempSubdirectory("as-minimal-");
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        try
        {
            await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b
                .UseSetting("Database", "Data Source=" + Path.Combine(folder.FullName, "accounts.db"))
                .UseSetting("KeyFile", Path.Combine(folder.FullName, "minimal.key"))
                .UseSetting("Demo:Password", Password)
                .ConfigureTestServices(s => s.AddSingleton<TimeProvider>(time)));
            using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

            (await client.PostAsJsonAsync("/account/signin", new { email = "owner@example.com", password = Password })).StatusCode.Should().Be(HttpStatusCode.OK);
            (await client.GetAsync("/hello")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
            (await client.GetStringAsync("/datacenters")).Should().NotContain("vault");
            (await client.GetAsync("/datacenters/vault")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
            var setup = await PostAsync(client, "/account/two-factor/setup", new { currentPassword = Password });
            var authenticator = TotpCodeGenerator.FromOtpAuthUri(setup.GetProperty("otpAuthUri").GetString()!, time);
            await PostAsync(client, "/account/two-factor/confirm", new { code = authenticator.CurrentCode() });
            (await PostRawAsync(client, "/account/signout", new { })).StatusCode.Should().Be(HttpStatusCode.NoContent);

            var first = await client.PostAsJsonAsync("/account/signin", new { email = "owner@example.com", password = Password });
            (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString().Should().Be("second_factor_required");

            // The confirm code's time step is spent: the next step's code.
            time.Advance(TimeSpan.FromSeconds(authenticator.PeriodSeconds));
            var second = await PostRawAsync(client, "/account/signin/second-factor", new { code = authenticator.CurrentCode() });

            second.StatusCode.Should().Be(HttpStatusCode.OK);
            (await client.GetStringAsync("/hello")).Should().Be("Hello, owner");
            (await client.GetStringAsync("/datacenters")).Should().Contain("vault");
            (await client.GetAsync("/datacenters/vault")).StatusCode.Should().Be(HttpStatusCode.OK);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    private static async Task<JsonElement> PostAsync(HttpClient client, string path, object body)
    {
        var response = await PostRawAsync(client, path, body);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<HttpResponseMessage> PostRawAsync(HttpClient client, string path, object body)
    {
        var token = await client.GetFromJsonAsync<JsonElement>("/account/antiforgery");
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add(token.GetProperty("headerName").GetString()!, token.GetProperty("token").GetString());
        return await client.SendAsync(request);
    }
}
