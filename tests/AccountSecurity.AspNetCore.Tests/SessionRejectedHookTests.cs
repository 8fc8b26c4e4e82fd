using System.Net;
using AccountSecurity.AspNetCore.Authentication;
using AccountSecurity.AspNetCore.Tests.TestSupport;
using static AccountSecurity.AspNetCore.Tests.TestSupport.Flows;

namespace AccountSecurity.AspNetCore.Tests;

public sealed class SessionRejectedHookTests
{
    private const string NewPassword = "amber-Quarry-whistle-57";

    [Test]
    public async Task OnSessionRejected_GetsTheEndedSession_AndSendsABrowserPageToItsRedirectPath()
    {
        var rejected = new List<SessionRejectedContext>();
        await using var host = await ApiHost.StartAsync(o => o.Cookies.OnSessionRejected = context =>
        {
            rejected.Add(context);
            context.RedirectPath = "/why-signed-out";
            return Task.CompletedTask;
        });
        using var laptop = host.CreateClient();
        using var phone = host.CreateClient();
        await PasswordAsync(laptop, ApiHost.AliceEmail);
        await PasswordAsync(phone, ApiHost.AliceEmail);
        (await PageAsync(phone)).StatusCode.Should().Be(HttpStatusCode.OK);
        rejected.Should().BeEmpty("a valid session is not rejected");

        (await laptop.PostAsync("/account/password/change", new { currentPassword = ApiHost.Password, newPassword = NewPassword, newPasswordRepeated = NewPassword }))
            .StatusCode.Should().Be(HttpStatusCode.NoContent);
        var page = await PageAsync(phone);

        page.StatusCode.Should().Be(HttpStatusCode.Redirect);
        page.Headers.Location!.OriginalString.Should().Be("/why-signed-out");
        rejected.Should().ContainSingle();
        rejected[0].Session!.UserId.Should().Be("alice");
        (await PageAsync(laptop)).StatusCode.Should().Be(HttpStatusCode.OK, "the caller's own session was re-issued");
    }

    [Test]
    public async Task OnSessionRejected_RedirectPath_NeverRedirectsAnApiRequest()
    {
        await using var host = await ApiHost.StartAsync(o => o.Cookies.OnSessionRejected = context =>
        {
            context.RedirectPath = "/why-signed-out";
            return Task.CompletedTask;
        });
        using var laptop = host.CreateClient();
        using var phone = host.CreateClient();
        await PasswordAsync(laptop, ApiHost.AliceEmail);
        await PasswordAsync(phone, ApiHost.AliceEmail);
        await laptop.PostAsync("/account/password/change", new { currentPassword = ApiHost.Password, newPassword = NewPassword, newPasswordRepeated = NewPassword });

        var api = await phone.GetAsync("/account/session");

        api.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await CodeOfAsync(api)).Should().Be("not_authenticated");
    }

    private static async Task<HttpResponseMessage> PageAsync(ApiHost.Client client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/page");
        request.Headers.Accept.ParseAdd("text/html");
        return await client.Http.SendAsync(request);
    }
}
