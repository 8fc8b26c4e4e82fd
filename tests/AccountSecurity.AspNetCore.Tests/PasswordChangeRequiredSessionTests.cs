using System.Collections.Concurrent;
using System.Net;
using AccountSecurity.AspNetCore.Authentication;
using AccountSecurity.AspNetCore.Tests.TestSupport;
using AccountSecurity.Stores;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection;
using static AccountSecurity.AspNetCore.Tests.TestSupport.Flows;

namespace AccountSecurity.AspNetCore.Tests;

/// <summary>
/// Issue 29: a session whose user must change the password (found in a data breach) stands, and its principal says so
/// (<see cref="AccountSecurityPrincipal.IsPasswordChangeRequired"/>), decided from the store on every request.
/// </summary>
public sealed class PasswordChangeRequiredSessionTests
{
    [Test]
    public async Task MarkingTheAccount_MarksTheNextRequestsPrincipal_WithoutEndingTheSession()
    {
        var seen = new ConcurrentQueue<bool>();
        await using var host = await ApiHost.StartAsync(services: s => s.PostConfigure<CookieAuthenticationOptions>(AccountSecurityAuthenticationDefaults.SessionScheme, cookie =>
        {
            var validate = cookie.Events.OnValidatePrincipal;
            cookie.Events.OnValidatePrincipal = async context =>
            {
                await validate(context);
                seen.Enqueue(context.Principal.IsPasswordChangeRequired());
            };
        }));
        using var alice = host.CreateClient();
        await PasswordAsync(alice, ApiHost.AliceEmail);

        (await alice.GetAsync("/resources")).StatusCode.Should().Be(HttpStatusCode.OK);
        seen.Should().Equal(false);

        await using (var scope = host.App.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<IUserStore>();
            var user = (await users.FindByIdAsync("alice", CancellationToken.None))!;
            (await users.UpdateAsync(user with { PasswordChangeRequired = true }, CancellationToken.None)).Should().Be(StoreWriteResult.Success);
        }

        (await alice.GetAsync("/resources")).StatusCode.Should().Be(HttpStatusCode.OK, "the session stands; the host sends it to its change form");
        seen.Should().Equal(false, true);
    }
}
