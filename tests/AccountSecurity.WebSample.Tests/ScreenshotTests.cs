using Microsoft.Playwright;

namespace AccountSecurity.WebSample.Tests;

/// <summary>
/// Walks the main pages at desktop (1280×800) and phone (390×844) size: each page renders without horizontal scroll.
/// With <c>ACCOUNTSECURITY_WRITE_SCREENSHOTS=1</c> it also writes their PNGs into
/// <c>samples/AccountSecurity.WebSample/docs/screenshots/</c> for the README (normal runs leave the tree clean).
/// </summary>
[TestFixture]
public sealed class ScreenshotTests : BrowserFixture
{
    private static readonly bool Write = Environment.GetEnvironmentVariable("ACCOUNTSECURITY_WRITE_SCREENSHOTS") == "1";

    [TestCase(1280, 800, "desktop")]
    [TestCase(390, 844, "phone")]
    public async Task MainPages_RenderWithoutHorizontalScroll(int width, int height, string size)
    {
        var (_, email, password, secret) = await CreateUserWith2faAsync("shots", AccountSecurity.Accounts.UserRole.Administrator);

        var page = await NewPageAsync(width, height);
        await page.GotoAsync("/signin");
        await ShootAsync(page, "signin", size, width);

        await SignInWithCodeAsync(page, email, password, secret);
        foreach (var (path, name) in new[] { ("/security", "security"), ("/users", "users"), ("/datacenters", "datacenters"), ("/snapshots", "snapshots"), ("/support", "support-pin") })
        {
            await page.GotoAsync(path);
            await ShootAsync(page, name, size, width);
        }

        var owner = await NewPageAsync(width, height);
        await SubmitPasswordAsync(owner, DemoAccounts.Users[0].Email, DemoAccounts.Users[0].Password);
        await owner.GotoAsync("/users#policy");
        var form = owner.Locator("#policy");
        await form.GetByLabel("Minimum length").FillAsync("70");
        await form.GetByLabel("Maximum length").FillAsync("40");
        await form.GetByRole(AriaRole.Button, new() { Name = "Save policy" }).ClickAsync();
        await owner.Locator("#policy .alert-error").WaitForAsync();
        await ShootAsync(owner, "policy", size, width, owner.Locator("#policy"));
    }

    private static async Task ShootAsync(IPage page, string name, string size, int width, ILocator? element = null)
    {
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        (await page.EvaluateAsync<int>("document.documentElement.scrollWidth")).Should().BeLessThanOrEqualTo(width, $"{name} fits {width} px");
        if (!Write)
        {
            return;
        }

        var path = Path.Combine(ScreenshotFolder(), $"{name}-{size}.png");
        if (element is not null)
        {
            await element.ScreenshotAsync(new LocatorScreenshotOptions { Path = path });
        }
        else
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = size == "phone" });
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
