using System.Net;
using AccountSecurity.AspNetCore.Tests.TestSupport;
using AccountSecurity.Passwords.Reset;
using AccountSecurity.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AccountSecurity.AspNetCore.Tests;

/// <summary>Creating users over the JSON API: invitation, acceptance and opt-in self-registration (issue 24).</summary>
public sealed class UserCreationEndpointTests
{
    private const string NewPassword = "Quartz-Lantern-4471!";

    [Test]
    public async Task TheOwnerInvites_TheInviteeAccepts_AndSignsIn()
    {
        await using var host = await ApiHost.StartAsync(o => o.MapUserCreationEndpoints = true);
        using var owner = host.CreateClient();
        (await Flows.PasswordAsync(owner, ApiHost.OwnerEmail)).StatusCode.Should().Be(HttpStatusCode.OK);

        var invited = await owner.PostAsync("/account/admin/users", new { email = "nina@example.com", role = "administrator" });
        invited.StatusCode.Should().Be(HttpStatusCode.Accepted);
        (await Flows.JsonAsync(invited)).GetProperty("status").GetString().Should().Be("accepted");
        await host.Invitations.WaitForAsync(1);
        var token = host.Invitations.Invitations.Should().ContainSingle().Subject.Token;

        using var invitee = host.CreateClient();
        var weak = await invitee.PostAsync("/account/invitations/accept", new { token, password = "short", passwordRepeated = "short" }, antiforgery: false);
        weak.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var accepted = await invitee.PostAsync("/account/invitations/accept", new { token, password = NewPassword, passwordRepeated = NewPassword }, antiforgery: false);
        accepted.StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await invitee.PostAsync("/account/invitations/accept", new { token, password = NewPassword, passwordRepeated = NewPassword }, antiforgery: false)).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await Flows.PasswordAsync(invitee, "nina@example.com", NewPassword)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Test]
    public async Task AnInvitationOfAnotherContractsAddress_IsAnsweredExactlyLikeAFreshOne()
    {
        await using var host = await ApiHost.StartAsync(o => o.MapUserCreationEndpoints = true);
        using var owner = host.CreateClient();
        await Flows.PasswordAsync(owner, ApiHost.OwnerEmail);

        var existing = await owner.PostAsync("/account/admin/users", new { email = ApiHost.Owner2Email });
        var fresh = await owner.PostAsync("/account/admin/users", new { email = "fresh@example.com" });

        existing.StatusCode.Should().Be(fresh.StatusCode).And.Be(HttpStatusCode.Accepted);
        (await existing.Content.ReadAsStringAsync()).Should().Be(await fresh.Content.ReadAsStringAsync());
        await host.Invitations.WaitForAsync(2);
        host.Invitations.Notices.Should().ContainSingle().Which.Email.Should().Be(ApiHost.Owner2Email);
    }

    [Test]
    public async Task APlainUserMayNotInvite()
    {
        await using var host = await ApiHost.StartAsync(o => o.MapUserCreationEndpoints = true);
        using var alice = host.CreateClient();
        await Flows.PasswordAsync(alice, ApiHost.AliceEmail);

        var answer = await alice.PostAsync("/account/admin/users", new { email = "nina@example.com" });

        answer.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await Flows.CodeOfAsync(answer)).Should().Be("not_authorized");
    }

    [Test]
    public async Task Registration_IsNotMappedByDefault_AndAnswers202AlikeWhenOn()
    {
        await using (var off = await ApiHost.StartAsync())
        {
            using var client = off.CreateClient();
            (await client.PostAsync("/account/register", new { email = "new@example.com" }, antiforgery: false)).StatusCode.Should().Be(HttpStatusCode.NotFound);
            (await client.PostAsync("/account/admin/users", new { email = "new@example.com" })).StatusCode.Should().Be(HttpStatusCode.NotFound);
        }

        await using var host = await ApiHost.StartAsync(core: o => o.Registration.Enabled = true);
        using var stranger = host.CreateClient();
        var fresh = await stranger.PostAsync("/account/register", new { email = "new@example.com", contractName = "New shop" }, antiforgery: false);
        var existing = await stranger.PostAsync("/account/register", new { email = ApiHost.AliceEmail }, antiforgery: false);

        fresh.StatusCode.Should().Be(HttpStatusCode.Accepted);
        existing.StatusCode.Should().Be(HttpStatusCode.Accepted);
        (await existing.Content.ReadAsStringAsync()).Should().Be(await fresh.Content.ReadAsStringAsync());
        await host.Invitations.WaitForAsync(2);
        var token = host.Invitations.Invitations.Should().ContainSingle().Subject.Token;
        (await stranger.PostAsync("/account/invitations/accept", new { token, password = NewPassword, passwordRepeated = NewPassword }, antiforgery: false)).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await Flows.PasswordAsync(stranger, "new@example.com", NewPassword)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Test]
    public async Task Registration_IsRateLimitedPerAddress()
    {
        await using var host = await ApiHost.StartAsync(core: o => o.Registration.Enabled = true);
        using var client = host.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            (await client.PostAsync("/account/register", new { email = "flood@example.com" }, antiforgery: false)).StatusCode.Should().Be(HttpStatusCode.Accepted);
        }

        var limited = await client.PostAsync("/account/register", new { email = "FLOOD@example.com" }, antiforgery: false);
        limited.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        limited.Headers.RetryAfter.Should().NotBeNull();
    }

    [Test]
    public async Task MapAccountSecurityApi_WithUserCreationButNoInvitationSender_FailsAtStartSayingWhatToRegister()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IPasswordResetTokenSender, CapturingSender>();
        builder.Services.AddAccountSecurity(o => AccountSecurityTestOptions.ApplyFastTestDefaults(o)).AddAspNetCore(o => o.MapUserCreationEndpoints = true);
        await using var app = builder.Build();

        var map = () => app.MapAccountSecurityApi("/account");

        map.Should().Throw<InvalidOperationException>().Which.Message.Should()
            .Contain("need an IAccountInvitationSender")
            .And.Contain("services.AddSingleton<IAccountInvitationSender, YourSender>()")
            .And.Contain("MapUserCreationEndpoints = false");
    }
}
