using AccountSecurity.Notifications;
using AccountSecurity.SupportPin;
using AccountSecurity.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AccountSecurity.WebSample.Tests;

/// <summary>
/// Walks the main pages on each <see cref="Viewport"/> (desktop 1280×800, phone 390×844) as the demo owner (signed in
/// with 2FA), and Password &amp; Security in German too: each renders without horizontal scroll.
/// With <c>ACCOUNTSECURITY_WRITE_SCREENSHOTS=1</c> it also writes their PNGs into
/// <c>samples/AccountSecurity.WebSample/docs/screenshots/</c> for the README (normal runs leave the tree clean).
/// </summary>
[TestFixtureSource(typeof(Viewport), nameof(Viewport.Both))]
public sealed class ScreenshotTests(Viewport viewport) : BrowserFixture(viewport)
{
    private static readonly bool Write = Environment.GetEnvironmentVariable("ACCOUNTSECURITY_WRITE_SCREENSHOTS") == "1";

    [Test]
    public async Task MainPages_RenderWithoutHorizontalScroll()
    {
        // The README shows the demo accounts (issue 27 item 11), not a test account: the owner, with 2FA.
        var (ownerId, email, _, password) = DemoAccounts.Users[0];
        var secret = await EnableTwoFactorAsync(ownerId, password);

        var page = await NewPageAsync();
        await page.GotoAsync("/signin");
        await ShootAsync(page, "signin");

        await SignInWithCodeAsync(page, email, password, secret);
        foreach (var (path, name) in new[] { ("/security", "security"), ("/users", "users"), ("/datacenters", "datacenters"), ("/snapshots", "snapshots"), ("/support", "support-pin") })
        {
            await page.GotoAsync(path);
            await ShootAsync(page, name);
        }

        // One page in German: the switch in the top bar.
        await page.GotoAsync("/security");
        await PressAsync(page.GetByTestId("language-de"));
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Passwort & Sicherheit");
        await ShootAsync(page, "security-de");
        await PressAsync(page.GetByTestId("language-en"));

        await page.GotoAsync("/users#policy");
        var form = page.Locator("#policy");
        await form.GetByLabel("Minimum length").FillAsync("70");
        await form.GetByLabel("Maximum length").FillAsync("40");
        await PressAsync(form.GetByRole(AriaRole.Button, new() { Name = "Save policy" }));
        await page.Locator("#policy .alert-error").WaitForAsync();
        await ShootAsync(page, "policy", page.Locator("#policy"));

        // The outbox: the administrator's "2FA turned on" (English) and the German demo administrator's support PIN mail.
        var (adminId, adminEmail, adminPassword) = (DemoAccounts.Users[1].Id, DemoAccounts.Users[1].Email, DemoAccounts.Users[1].Password);
        using (var scope = Services.CreateScope())
        {
            (await scope.ServiceProvider.GetRequiredService<ISupportPinService>().SetPinAsync(TestSessions.Of(adminId), adminPassword, "40718293", "40718293")).Succeeded.Should().BeTrue();
        }

        var outbox = await NewPageAsync();
        await WaitForMailsAsync(outbox, email, SecurityNotificationKind.TwoFactorEnabled);
        await WaitForMailsAsync(outbox, adminEmail, SecurityNotificationKind.SupportPinSet);
        await outbox.GotoAsync("/dev/outbox");
        await ShootAsync(outbox, "outbox");
    }

    private async Task ShootAsync(IPage page, string name, ILocator? element = null)
    {
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await ShouldFitTheScreenAsync(page, name);
        if (!Write)
        {
            return;
        }

        var path = Path.Combine(ScreenshotFolder(), $"{name}-{Viewport.Name}.png");
        if (element is not null)
        {
            await element.ScreenshotAsync(new LocatorScreenshotOptions { Path = path });
        }
        else
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = Viewport.IsPhone });
        }
    }

    private static string ScreenshotFolder()
    {
        var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "AccountSecurity.sln")))
        {
            directory = directory.Parent;
        }

        var folder = Path.Combine(directory?.FullName ?? throw new InvalidOperationException("AccountSecurity.sln not found above the test directory."), "samples", "AccountSecurity.WebSample", "docs", "screenshots");
        Directory.CreateDirectory(folder);
        return folder;
    }
}
