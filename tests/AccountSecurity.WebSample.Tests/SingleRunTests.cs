using AccountSecurity.SignIn;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AccountSecurity.WebSample.Tests;

/// <summary>
/// End-to-end checks that run once, not once per <see cref="Viewport"/>: the server's answer to a request is the same
/// whatever the screen (the icon, forged or unconfirmed posts, a forbidden page, the start-up banner), and the check at
/// the narrowest phone width (360 px, narrower than <see cref="Viewport.Phone"/>) sets its own screen.
/// </summary>
[TestFixture]
public sealed class SingleRunTests() : BrowserFixture(Viewport.Desktop)
{
    /// <summary>The narrowest phone the layout is made for ("no horizontal scroll at 360 px", issue 12).</summary>
    private static readonly Viewport NarrowPhone = new("narrow phone", 360, 780, IsPhone: true);

    private static readonly (string Id, string Email, string Password) Owner =
        (DemoAccounts.Users[0].Id, DemoAccounts.Users[0].Email, DemoAccounts.Users[0].Password);

    private static readonly (string Id, string Email, string Password) Admin =
        (DemoAccounts.Users[1].Id, DemoAccounts.Users[1].Email, DemoAccounts.Users[1].Password);

    [Test]
    public async Task SignIn_ToALockedAccount_ShowsWhatAnUnknownEmailShows()
    {
        var (_, email, password) = await CreateUserAsync("locked");
        using (var scope = Services.CreateScope())
        {
            var signIn = scope.ServiceProvider.GetRequiredService<ISignInService>();
            for (var i = 0; i < 100 && (await signIn.PasswordSignInAsync(email, "wrong-" + i)).Status != SignInStatus.LockedOut; i++)
            {
            }

            (await signIn.PasswordSignInAsync(email, password)).Status.Should().Be(SignInStatus.LockedOut, "the account is locked now");
        }

        var page = await NewPageAsync();
        await SubmitPasswordAsync(page, email, password);
        var locked = await page.GetByRole(AriaRole.Alert).InnerTextAsync();
        await SubmitPasswordAsync(page, $"nobody-{Guid.NewGuid():N}@example.com", password);
        var unknown = await page.GetByRole(AriaRole.Alert).InnerTextAsync();

        locked.Should().Be(unknown, "the page must not tell which e-mail addresses have an account (or are under attack)");
    }

    [Test]
    public async Task AtTheNarrowestPhoneWidth_NoConsolePageScrollsSideways_AndSignOutIsOnScreen()
    {
        var page = await NewPageAsync(NarrowPhone);
        await SubmitPasswordAsync(page, Owner.Email, Owner.Password);
        foreach (var path in new[] { "/users", "/security", "/datacenters", "/snapshots" })
        {
            await page.GotoAsync(path);

            (await page.EvaluateAsync<int>("document.documentElement.scrollWidth")).Should().BeLessThanOrEqualTo(NarrowPhone.Width, "nothing on {0} runs off a 360 px screen", path);
            var signOut = await page.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true }).BoundingBoxAsync();
            signOut.Should().NotBeNull();
            (signOut!.X + signOut.Width).Should().BeLessThanOrEqualTo(NarrowPhone.Width, "the top bar does not clip Sign out on {0}", path);
            (await page.Locator(".sidebar").BoundingBoxAsync())!.Width.Should().BeGreaterThan(300, "the sidebar collapsed into a row above the content on {0}", path);
        }
    }

    [Test]
    public async Task Favicon_IsServedAsAnIcon()
    {
        var page = await NewPageAsync();
        var response = await page.APIRequest.GetAsync("/favicon.ico");

        response.Status.Should().Be(200);
        response.Headers["content-type"].Should().Be("image/x-icon");
        (await response.BodyAsync()).Take(4).Should().Equal(new byte[] { 0, 0, 1, 0 }, "an ICO file header");
    }

    [Test]
    public async Task LoweringActions_WithoutTheConfirmation_AreNotCarriedOut()
    {
        var (id, _, _, _) = await CreateUserWith2faAsync("noconfirm");
        var admin = await NewPageAsync();
        await SubmitPasswordAsync(admin, Admin.Email, Admin.Password);
        await admin.GotoAsync("/users");
        var token = await admin.Locator("input[name=__csrf]").First.GetAttributeAsync("value");

        // A form posted straight to the action (no confirmed=true) is sent to the confirmation page instead.
        var response = await admin.APIRequest.PostAsync($"/users/{id}/reset-2fa", new APIRequestContextOptions
        {
            Form = admin.APIRequest.CreateFormData().Set("__csrf", token!),
            MaxRedirects = 0,
        });

        response.Status.Should().Be(303);
        response.Headers["location"].Should().Be($"/users/{id}/confirm/reset-2fa");
        (await TwoFactorEnabledAsync(id)).Should().BeTrue();
    }

    [Test]
    public async Task Post_WithoutAntiforgeryToken_IsRefusedAndChangesNothing()
    {
        var (_, email, password) = await CreateUserAsync("csrf");
        var page = await NewPageAsync();
        await SubmitPasswordAsync(page, email, password);
        await page.GetByTestId("signed-in-as").WaitForAsync();

        // A forged cross-site form carries the session cookie but not the antiforgery token.
        var response = await page.APIRequest.PostAsync("/security/password", new APIRequestContextOptions
        {
            Form = page.APIRequest.CreateFormData().Set("currentPassword", password).Set("newPassword", "Forged-Password-99-Zebra").Set("newPasswordRepeated", "Forged-Password-99-Zebra"),
        });

        response.Status.Should().Be(400);
        var fresh = await NewPageAsync();
        await SubmitPasswordAsync(fresh, email, password);
        (await fresh.GetByTestId("signed-in-as").InnerTextAsync()).Should().Be(email, "the old password still works");
    }

    [Test]
    public async Task SupportPage_ForPlainUser_IsForbidden()
    {
        var (_, email, password) = await CreateUserAsync("nosupport");
        var page = await NewPageAsync();
        await SubmitPasswordAsync(page, email, password);
        await page.GetByTestId("signed-in-as").WaitForAsync();

        var response = await page.GotoAsync("/support");

        response!.Status.Should().Be(403);
    }

    [Test]
    public void StartUpBanner_TellsWhereTheDataIsKept()
    {
        var output = new StringWriter();
        var storage = Services.GetRequiredService<SampleStorage>();
        DemoAccounts.PrintTo(output, [BaseUrl], storage);

        var text = output.ToString();
        text.Should().Contain(storage.DatabasePath).And.Contain("kept across restarts").And.NotContain("in-memory").And.NotContain("lost at shutdown");
    }
}
