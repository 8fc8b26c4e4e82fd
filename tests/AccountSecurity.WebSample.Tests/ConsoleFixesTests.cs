using AccountSecurity.Accounts;
using Microsoft.Playwright;

namespace AccountSecurity.WebSample.Tests;

/// <summary>
/// Issue 27 items 5, 7 and 8 at both sizes: the protected-resource hint links to setting 2FA up; the recovery codes
/// can be copied, downloaded and printed, and the page offers no "Continue to the console" beside the console's menu;
/// a user without 2FA shows why there is nothing to reset, in words, not as a faded button.
/// </summary>
[TestFixtureSource(typeof(Viewport), nameof(Viewport.Both))]
public sealed class ConsoleFixesTests(Viewport viewport) : BrowserFixture(viewport)
{
    [Test]
    public async Task ProtectedHint_WithoutTwoFactor_LinksToItsSetup()
    {
        var (_, email, password) = await CreateUserAsync("hint");
        var page = await NewPageAsync();
        await SubmitPasswordAsync(page, email, password);
        await page.GetByTestId("signed-in-as").WaitForAsync();

        // Snapshots: the protected production data center is granted to the demo group only (issue 27 item 10), so a
        // user outside it is not told 2FA would show it; the protected snapshot is granted to no group.
        await page.GotoAsync("/snapshots");

        var link = page.GetByTestId("protected-hint").GetByTestId("set-up-2fa");
        await Assertions.Expect(link).ToHaveAttributeAsync("href", "/security#two-factor");
        await PressAsync(link);
        await page.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/security");
        await Assertions.Expect(page.Locator("#two-factor")).ToBeVisibleAsync();
    }

    [Test]
    public async Task RecoveryCodes_CanBeDownloaded_AndThePageHasNoContinueButton()
    {
        var (_, email, password, secret) = await CreateUserWith2faAsync("codes");
        var page = await NewPageAsync();
        await SignInWithCodeAsync(page, email, password, secret);
        await page.GotoAsync("/security");
        await PressAsync(page.GetByText("New recovery codes", new() { Exact = true }));
        await PressAsync(page.GetByRole(AriaRole.Button, new() { Name = "Generate new recovery codes" }));

        var codes = await page.GetByTestId("recovery-codes").Locator("li").AllInnerTextsAsync();
        codes.Should().HaveCount(10);
        await Assertions.Expect(page.GetByTestId("copy-codes")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("print-codes")).ToBeVisibleAsync();
        (await page.GetByRole(AriaRole.Link, new() { Name = "Continue to the console" }).CountAsync()).Should().Be(0, "the console's menu is already there");

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("download-codes").ClickAsync());
        var path = await download.PathAsync();
        var text = await File.ReadAllTextAsync(path!);
        text.Should().ContainAll(codes.Select(c => c.Trim()));
        download.SuggestedFilename.Should().EndWith(".txt");
    }

    [Test]
    public async Task AUserWithoutTwoFactor_SaysThereIsNothingToReset()
    {
        var (id, _, _) = await CreateUserAsync("noreset");
        var (_, email, password, secret) = await CreateUserWith2faAsync("resetter", UserRole.Administrator);
        var admin = await NewPageAsync();
        await SignInWithCodeAsync(admin, email, password, secret);
        await admin.GotoAsync("/users");

        var reset = admin.GetByTestId("reset-" + id);
        await Assertions.Expect(reset).ToHaveTextAsync("No 2FA to reset");
        (await reset.EvaluateAsync<string>("e => e.tagName")).Should().Be("SPAN", "a reason in words, not a disabled button");
    }
}
