using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AccountSecurity.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace AccountSecurity.AspNetCore.Tests;

/// <summary>
/// The HTTP answers speak the request's language: with the platform's request localization, a German browser reads the
/// SDK's messages in German; the codes stay the same, and a language without messages falls back to English.
/// </summary>
public sealed class LocalizedMessagesTests
{
    [TestCase("de-DE,de;q=0.9,en;q=0.5", "Die E-Mail-Adresse oder das Passwort ist falsch.")]
    [TestCase("de-AT", "Die E-Mail-Adresse oder das Passwort ist falsch.")]
    [TestCase("en-GB", "The e-mail address or the password is wrong.")]
    [TestCase("fr-FR", "The e-mail address or the password is wrong.")]
    [TestCase(null, "The e-mail address or the password is wrong.")]
    public async Task WrongPassword_IsAnsweredInTheBrowsersLanguage_WithTheSameCode(string? acceptLanguage, string expected)
    {
        await using var app = await StartAsync();
        using var client = app.GetTestClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/account/signin")
        {
            Content = JsonContent.Create(new { email = "nobody@example.com", password = "violet-Harbor-lantern-93" }),
        };
        if (acceptLanguage is not null)
        {
            request.Headers.Add("Accept-Language", acceptLanguage);
        }

        using var response = await client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("code").GetString().Should().Be("invalid_credentials");
        problem.GetProperty("detail").GetString().Should().Be(expected);
    }

    [Test]
    public async Task MalformedField_IsNamedInGerman_ForAGermanBrowser()
    {
        await using var app = await StartAsync();
        using var client = app.GetTestClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/account/signin")
        {
            Content = new StringContent("""{"email": 42, "password": "x"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Accept-Language", "de");

        using var response = await client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("code").GetString().Should().Be("invalid_input");
        problem.GetProperty("detail").GetString().Should().Be("Das Feld „email“ ist ungültig: Senden Sie es als den dokumentierten JSON-Typ.");
    }

    private static async Task<WebApplication> StartAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddAccountSecurity(o => AccountSecurityTestOptions.ApplyFastTestDefaults(o)).AddAspNetCore(o => o.MapPasswordResetEndpoints = false);
        // snippet:begin request-localization
        builder.Services.AddRequestLocalization(options =>
        {
            options.SetDefaultCulture("en").AddSupportedCultures("en", "de").AddSupportedUICultures("en", "de");
        });
        var app = builder.Build();
        app.UseRequestLocalization(); // before the endpoints: every message of the request is in the user's language
        app.MapAccountSecurityApi("/account");
        // snippet:end
        await app.StartAsync();
        return app;
    }
}
