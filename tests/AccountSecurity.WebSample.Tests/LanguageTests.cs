using AccountSecurity.Accounts;
using Microsoft.Playwright;

namespace AccountSecurity.WebSample.Tests;

/// <summary>
/// English and German (issue 27): the console speaks the browser's language, and the switch in the console changes it
/// and keeps it (a cookie), signed out and signed in, on both screens, without anything running off the screen.
/// </summary>
[TestFixtureSource(typeof(Viewport), nameof(Viewport.Both))]
public sealed class LanguageTests(Viewport viewport) : BrowserFixture(viewport)
{
    [Test]
    public async Task ABrowserThatPrefersGerman_GetsTheConsoleInGerman()
    {
        var page = await NewPageAsync(Viewport, locale: "de-DE");
        await page.GotoAsync("/signin");

        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Anmelden");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "de");
        await Assertions.Expect(page.GetByLabel("E-Mail-Adresse")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("language-en")).ToHaveTextAsync("English");
        await ShouldFitTheScreenAsync(page, "the German sign-in page");
    }

    [Test]
    public async Task TheSwitch_ChangesTheLanguage_KeepsIt_AndSwitchesBack()
    {
        var (_, email, password) = await CreateUserAsync("lang", UserRole.Administrator);
        var page = await NewPageAsync();
        await page.GotoAsync("/signin");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Sign in");

        await PressAsync(page.GetByTestId("language-de"));
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Anmelden");
        await page.GetByLabel("E-Mail-Adresse").FillAsync(email);
        await page.GetByLabel("Passwort").FillAsync(password);
        await PressAsync(page.GetByRole(AriaRole.Button, new() { Name = "Anmelden", Exact = true }));

        // Signed in, the console keeps the choice: menu, headings and the role in the header are German.
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Passwort & Sicherheit");
        await Assertions.Expect(page.GetByTestId("contract")).ToContainTextAsync("Administrator");
        var users = page.GetByRole(AriaRole.Navigation, new() { Name = "Konsole" }).GetByRole(AriaRole.Link, new() { Name = "Benutzer & Gruppen", Exact = true });
        await PressAsync(users);
        await Assertions.Expect(users).ToHaveAttributeAsync("aria-current", "page");
        await Assertions.Expect(page.GetByTestId("users-of")).ToContainTextAsync("Benutzer von");
        await ShouldFitTheScreenAsync(page, "Users & Groups in German");

        // Back to English on the same page.
        await PressAsync(page.GetByTestId("language-en"));
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Users & Groups");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        new Uri(page.Url).AbsolutePath.Should().Be("/users", "the switch comes back to the page it was pressed on");
    }
}
