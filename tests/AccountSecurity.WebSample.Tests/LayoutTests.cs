using AccountSecurity.Accounts;
using Microsoft.Playwright;

namespace AccountSecurity.WebSample.Tests;

/// <summary>
/// The layout problems of issue 27 at 1280×800 and 390×844, in English and German: no table breaks a word inside (an
/// e-mail address, the "Status" header, a badge such as "Active"), no badge wraps into a two-line pill, nothing runs
/// off the screen, and on a phone the menu is one row, so the page's heading is near the top.
/// </summary>
[TestFixtureSource(typeof(Viewport), nameof(Viewport.Both))]
public sealed class LayoutTests(Viewport viewport) : BrowserFixture(viewport)
{
    /// <summary>
    /// Every word of every table cell (and of the facts lists, the cards' small tables) on one line: a word split over
    /// two lines has rectangles on two lines.
    /// </summary>
    private const string BrokenWordsScript = """
        () => {
          const broken = [];
          for (const cell of document.querySelectorAll('table th, table td, dl.facts dt, dl.facts dd')) {
            if (cell.getBoundingClientRect().width < 5) continue; // a header row a phone's stacked table hides
            const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
              if (node.parentElement.closest('.visually-hidden')) continue;
              const words = /\S+/g;
              let match;
              while ((match = words.exec(node.textContent))) {
                const range = document.createRange();
                range.setStart(node, match.index);
                range.setEnd(node, match.index + match[0].length);
                const lines = new Set([...range.getClientRects()].filter(r => r.width > 0 && r.height > 0).map(r => Math.round(r.top)));
                if (lines.size > 1) broken.push(match[0]);
              }
            }
          }
          return broken;
        }
        """;

    /// <summary>Badges taller than one line of their text.</summary>
    private const string WrappedBadgesScript = """
        () => [...document.querySelectorAll('.badge')]
          .filter(b => b.getClientRects().length > 0 && b.getBoundingClientRect().height > parseFloat(getComputedStyle(b).lineHeight || '0') * 1.6 + 8)
          .map(b => b.textContent)
        """;

    private static readonly (string Email, string Password) Owner = (DemoAccounts.Users[0].Email, DemoAccounts.Users[0].Password);

    [TestCase("en")]
    [TestCase("de")]
    public async Task TheOwnersPages_BreakNoWord_WrapNoBadge_AndFitTheScreen(string language)
    {
        // Long addresses like real ones, and a user whose row carries every badge.
        await CreateUserAsync("lay-long");
        await CreateUserWith2faAsync("lay-2fa", UserRole.Administrator);
        var page = await NewPageAsync(Viewport, locale: language == "de" ? "de-DE" : "en-US");
        await SubmitPasswordAsync(page, Owner.Email, Owner.Password, language);
        await page.GetByTestId("signed-in-as").WaitForAsync();

        foreach (var path in new[] { "/security", "/users", "/users/activity", "/datacenters", "/snapshots", "/support", "/dev/outbox" })
        {
            await page.GotoAsync(path);
            await page.Locator("h1").WaitForAsync();
            (await page.EvaluateAsync<string[]>(BrokenWordsScript)).Should().BeEmpty("no word in a table of {0} ({1}, {2}) breaks inside", path, Viewport, language);
            (await page.EvaluateAsync<string[]>(WrappedBadgesScript)).Should().BeEmpty("every badge of {0} ({1}, {2}) is one line", path, Viewport, language);
            await ShouldFitTheScreenAsync(page, language);
        }

        if (Viewport.IsPhone)
        {
            // The menu is one row (it scrolls sideways when it has more entries than fit): the owner's heading starts
            // within the first quarter of the screen, not below three rows of links.
            await page.GotoAsync("/users");
            var heading = await page.Locator("h1").BoundingBoxAsync();
            heading!.Y.Should().BeLessThan(Viewport.Height / 4f, "the menu takes one row on a phone ({0})", language);
            var links = await page.GetByRole(AriaRole.Navigation).Locator("a").EvaluateAllAsync<double[]>("links => links.map(a => Math.round(a.getBoundingClientRect().top))");
            links.Distinct().Should().ContainSingle("the menu's links are one row ({0})", language);
        }
    }

    private async Task SubmitPasswordAsync(IPage page, string email, string password, string language)
    {
        await page.GotoAsync("/signin");
        await page.GetByLabel(language == "de" ? "E-Mail-Adresse" : "E-mail address").FillAsync(email);
        await page.GetByLabel(language == "de" ? "Passwort" : "Password").FillAsync(password);
        await PressAsync(page.GetByRole(AriaRole.Button, new() { Name = language == "de" ? "Anmelden" : "Sign in", Exact = true }));
    }
}
