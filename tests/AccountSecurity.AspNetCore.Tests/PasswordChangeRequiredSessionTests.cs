using System.Collections.Concurrent;
using System.Net;
using AccountSecurity.AspNetCore.Authentication;
using AccountSecurity.AspNetCore.DependencyInjection;
using AccountSecurity.AspNetCore.Tests.TestSupport;
using AccountSecurity.Stores;
using AccountSecurity.Testing;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static AccountSecurity.AspNetCore.Tests.TestSupport.Flows;

namespace AccountSecurity.AspNetCore.Tests;

/// <summary>
/// Issue 29: a session whose user must change the password (found in a data breach) stands, its principal says so
/// (<see cref="AccountSecurityPrincipal.IsPasswordChangeRequired"/>), decided from the store on every request, and every
/// policy of the package holds it at the password change (<c>ForcedPasswordChangeRequirement</c>): 403
/// <c>password_change_required</c> for an API request, a redirect to <c>Cookies.PasswordChangePath</c> for a page.
/// </summary>
public sealed class PasswordChangeRequiredSessionTests
{
    private const string NewPassword = "amber-Quarry-whistle-58";

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

        await MarkAsync(host, "alice");

        (await alice.GetAsync("/account/session")).StatusCode.Should().Be(HttpStatusCode.OK, "the session stands");
        seen.Should().Equal(false, true);
    }

    [Test]
    public async Task MarkedSession_IsRefusedEverywhereButThePasswordChange_ThenServedOnceItChangedThePassword()
    {
        await using var host = await ApiHost.StartAsync();
        using var alice = host.CreateClient();
        await PasswordAsync(alice, ApiHost.AliceEmail);
        (await alice.GetAsync("/resources")).StatusCode.Should().Be(HttpStatusCode.OK);

        await MarkAsync(host, "alice");

        // A host endpoint behind AccountSecurityPolicies.SignedIn and gated package endpoints refuse it.
        foreach (var refused in new[] { await alice.GetAsync("/resources"), await alice.GetAsync("/account/sessions"), await alice.GetAsync("/account/two-factor"), await alice.PostAsync("/account/two-factor/setup", new { currentPassword = ApiHost.Password }) })
        {
            refused.StatusCode.Should().Be(HttpStatusCode.Forbidden, "{0} is not reachable before the password is changed", refused.RequestMessage!.RequestUri);
            (await CodeOfAsync(refused)).Should().Be("password_change_required");
        }

        // What the change needs stays reachable, in the same session, and the session says where it must go.
        var session = await alice.GetAsync("/account/session");
        session.StatusCode.Should().Be(HttpStatusCode.OK);
        (await JsonAsync(session)).GetProperty("passwordChangeRequired").GetBoolean().Should().BeTrue();
        (await alice.GetAsync("/account/policy")).StatusCode.Should().Be(HttpStatusCode.OK, "the change form shows the password policy");
        (await alice.GetAsync("/account/reauthentication")).StatusCode.Should().Be(HttpStatusCode.OK);
        var reauthenticated = await alice.PostAsync("/account/reauthentication", new { password = ApiHost.Password });
        reauthenticated.StatusCode.Should().Be(HttpStatusCode.OK, await reauthenticated.Content.ReadAsStringAsync());
        var changed = await alice.PostAsync("/account/password/change", new { currentPassword = ApiHost.Password, newPassword = NewPassword, newPasswordRepeated = NewPassword });
        changed.StatusCode.Should().Be(HttpStatusCode.NoContent, await changed.Content.ReadAsStringAsync());

        (await alice.GetAsync("/resources")).StatusCode.Should().Be(HttpStatusCode.OK, "the change cleared the mark");
        (await alice.GetAsync("/account/sessions")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await JsonAsync(await alice.GetAsync("/account/session"))).GetProperty("passwordChangeRequired").GetBoolean().Should().BeFalse();
    }

    [Test]
    public async Task MarkedSession_CanSignOut()
    {
        await using var host = await ApiHost.StartAsync();
        using var alice = host.CreateClient();
        await PasswordAsync(alice, ApiHost.AliceEmail);
        await MarkAsync(host, "alice");

        (await alice.PostAsync("/account/signout")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await alice.GetAsync("/account/session")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task UnmarkedUser_IsUnaffected_WhileAnotherUserOfTheContractIsMarked()
    {
        await using var host = await ApiHost.StartAsync(o => o.Cookies.PasswordChangePath = "/change");
        using var owner = host.CreateClient();
        await PasswordAsync(owner, ApiHost.OwnerEmail);
        await MarkAsync(host, "alice");

        (await owner.GetAsync("/resources")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await owner.GetAsync("/account/sessions")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await PageAsync(owner)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Test]
    public async Task BrowserPage_OfAMarkedSession_IsRedirectedToThePasswordChangePath_AndAnXhrGetsTheProblem()
    {
        await using var host = await ApiHost.StartAsync(o => o.Cookies.PasswordChangePath = "/change");
        using var alice = host.CreateClient();
        await PasswordAsync(alice, ApiHost.AliceEmail);
        (await PageAsync(alice)).StatusCode.Should().Be(HttpStatusCode.OK);
        await MarkAsync(host, "alice");

        var page = await PageAsync(alice);
        var api = await XhrPageAsync(alice);

        page.StatusCode.Should().Be(HttpStatusCode.Redirect);
        page.Headers.Location!.OriginalString.Should().Be("/change");
        api.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await CodeOfAsync(api)).Should().Be("password_change_required");
    }

    [Test]
    public async Task BrowserPage_OfAMarkedSession_WithoutAPasswordChangePath_Gets403()
    {
        await using var host = await ApiHost.StartAsync();
        using var alice = host.CreateClient();
        await PasswordAsync(alice, ApiHost.AliceEmail);
        await MarkAsync(host, "alice");

        var page = await PageAsync(alice);

        page.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await CodeOfAsync(page)).Should().Be("password_change_required");
    }

    [Test]
    public async Task SessionThatMustBothChangeThePasswordAndSetUp2Fa_ChangesThePasswordFirst()
    {
        await using var host = await ApiHost.StartAsync(o =>
        {
            o.Cookies.PasswordChangePath = "/change";
            o.Cookies.TwoFactorSetupPath = "/setup";
        });
        using var alice = host.CreateClient();
        await PasswordAsync(alice, ApiHost.AliceEmail);
        await MarkAsync(host, "alice");
        using (var owner = host.CreateClient())
        {
            await PasswordAsync(owner, ApiHost.OwnerEmail);
            (await owner.PostAsync("/account/admin/users/alice/two-factor/force", new { forced = true })).StatusCode.Should().Be(HttpStatusCode.NoContent);
        }

        var setup = await alice.PostAsync("/account/two-factor/setup", new { currentPassword = ApiHost.Password });
        setup.StatusCode.Should().Be(HttpStatusCode.Forbidden, "attackers know the password: they must not set up a second factor of their own with it");
        (await CodeOfAsync(setup)).Should().Be("password_change_required");
        (await PageAsync(alice)).Headers.Location!.OriginalString.Should().Be("/change");

        var changed = await alice.PostAsync("/account/password/change", new { currentPassword = ApiHost.Password, newPassword = NewPassword, newPasswordRepeated = NewPassword });
        changed.StatusCode.Should().Be(HttpStatusCode.NoContent, await changed.Content.ReadAsStringAsync());

        var next = await alice.GetAsync("/resources");
        next.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await CodeOfAsync(next)).Should().Be("two_factor_setup_required", "the forced setup follows the password change");
        (await PageAsync(alice)).Headers.Location!.OriginalString.Should().Be("/setup");
    }

    [TestCase(nameof(AccountSecurityCookieOptions.PasswordChangePath), "//evil.example/change")]
    [TestCase(nameof(AccountSecurityCookieOptions.PasswordChangePath), "/\\evil.example")]
    [TestCase(nameof(AccountSecurityCookieOptions.TwoFactorSetupPath), "//evil.example/setup")]
    [TestCase(nameof(AccountSecurityCookieOptions.TwoFactorSetupPath), "/\\evil.example")]
    public void TaskPath_ThatBrowsersReadAsAnotherSite_FailsTheStart(string option, string path)
    {
        var services = new ServiceCollection();
        services.AddAccountSecurity(o => AccountSecurityTestOptions.ApplyFastTestDefaults(o)).AddAspNetCore(o =>
        {
            if (option == nameof(AccountSecurityCookieOptions.PasswordChangePath))
            {
                o.Cookies.PasswordChangePath = path;
            }
            else
            {
                o.Cookies.TwoFactorSetupPath = path;
            }
        });
        using var provider = services.BuildServiceProvider();

        var read = () => provider.GetRequiredService<IOptions<AccountSecurityAspNetCoreOptions>>().Value;

        read.Should().Throw<OptionsValidationException>().WithMessage($"*{option}*");
    }

    private static async Task MarkAsync(ApiHost host, string userId)
    {
        await using var scope = host.App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<IUserStore>();
        var user = (await users.FindByIdAsync(userId, CancellationToken.None))!;
        (await users.UpdateAsync(user with { PasswordChangeRequired = true }, CancellationToken.None)).Should().Be(StoreWriteResult.Success);
    }
}
