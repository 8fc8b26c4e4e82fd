using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using AccountSecurity.AspNetCore.Authentication;
using AccountSecurity.AspNetCore.Tests.TestSupport;
using AccountSecurity.Passwords.Reset;
using AccountSecurity.SignIn;
using AccountSecurity.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AccountSecurity.AspNetCore.Tests;

/// <summary>
/// A host that forgot a registration the JSON endpoints need fails when it maps them, with what to register, instead of
/// answering 500 with an empty body at the first request that needs it (issue 24).
/// </summary>
public sealed class StartupCheckTests
{
    [Test]
    public async Task MapAccountSecurityApi_WithoutResetSender_FailsAtStartSayingWhatToRegister()
    {
        await using var app = Build(sender: false);

        var map = () => app.MapAccountSecurityApi("/account");

        map.Should().Throw<InvalidOperationException>().Which.Message.Should()
            .Contain("POST /account/password/reset needs an IPasswordResetTokenSender")
            .And.Contain("services.AddSingleton<IPasswordResetTokenSender, YourSender>()")
            .And.Contain("MapPasswordResetEndpoints = false");
    }

    [Test]
    public async Task MapAccountSecurityApi_WithResetSender_StartsAndAcceptsAResetRequest()
    {
        await using var app = Build(sender: true);
        app.MapAccountSecurityApi("/account");
        await app.StartAsync();
        using var client = app.GetTestClient();

        var answer = await client.PostAsJsonAsync("/account/password/reset", new { email = "nobody@example.com" });

        answer.StatusCode.Should().Be(HttpStatusCode.Accepted);
    }

    [Test]
    public async Task MapAccountSecurityApi_WithResetEndpointsOff_StartsWithoutSenderAndMapsNoResetEndpoint()
    {
        await using var app = Build(sender: false, mapReset: false);
        app.MapAccountSecurityApi("/account");
        await app.StartAsync();
        using var client = app.GetTestClient();

        (await client.PostAsJsonAsync("/account/password/reset", new { email = "nobody@example.com" })).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await client.PostAsJsonAsync("/account/password/reset/complete", new { email = "nobody@example.com" })).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await client.GetAsync("/account/antiforgery")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Test]
    public async Task MapAccountSecurityApi_WithoutAddAspNetCore_FailsAtStartSayingToCallIt()
    {
        await using var app = Build(sender: true, aspNetCore: false);

        var map = () => app.MapAccountSecurityApi("/account");

        map.Should().Throw<InvalidOperationException>().Which.Message.Should().Contain("MapAccountSecurityApi(\"/account\")").And.Contain(".AddAspNetCore()");
    }

    [Test]
    public void GetRequiredAccountSecuritySession_OfASessionPrincipal_ReturnsItsSession()
    {
        var session = new AuthenticatedSession("alice", "c1", "stamp", [AuthenticationMethods.Password], DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));

        var read = AccountSecurityPrincipal.Create(session).GetRequiredAccountSecuritySession();

        read.Should().BeEquivalentTo(session);
    }

    [Test]
    public void GetRequiredAccountSecuritySession_OfAnAnonymousOrForeignPrincipal_ThrowsNamingThePolicy()
    {
        ClaimsPrincipal?[] principals =
        [
            null,
            new ClaimsPrincipal(new ClaimsIdentity()),
            new ClaimsPrincipal(new ClaimsIdentity([new Claim(AccountSecurityClaimTypes.UserId, "alice")], "OtherScheme")),
        ];

        foreach (var principal in principals)
        {
            var read = () => principal.GetRequiredAccountSecuritySession();

            read.Should().Throw<InvalidOperationException>()
                .WithMessage("*RequireAuthorization(AccountSecurityPolicies.SignedIn)*");
        }
    }

    private static WebApplication Build(bool sender, bool mapReset = true, bool aspNetCore = true)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        if (sender)
        {
            builder.Services.AddSingleton<IPasswordResetTokenSender, CapturingSender>();
        }

        var security = builder.Services.AddAccountSecurity(o => AccountSecurityTestOptions.ApplyFastTestDefaults(o));
        if (aspNetCore)
        {
            security.AddAspNetCore(o => o.MapPasswordResetEndpoints = mapReset);
        }
        else
        {
            builder.Services.AddAuthorization();
        }

        return builder.Build();
    }
}
