using AccountSecurity.Testing;
using AccountSecurity.TwoFactor;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OtpNet;

namespace AccountSecurity.WebSample.Tests;

/// <summary>End-to-end: the user's own 2FA on Password &amp; Security, and an administrator's reset after a lost device.</summary>
[TestFixtureSource(typeof(Viewport), nameof(Viewport.Both))]
public sealed class TwoFactorSelfServiceTests(Viewport viewport) : BrowserFixture(viewport)
{
    [Test]
    public async Task User_SetsUp_RegeneratesRecoveryCodes_AndSwitchesOff_TwoFactor()
    {
        var (_, email, password) = await CreateUserAsync("self");
        var page = await NewPageAsync();
        await SubmitPasswordAsync(page, email, password);
        await page.GetByTestId("signed-in-as").WaitForAsync();

        var card = page.Locator("#two-factor");
        await PressAsync(card.GetByRole(AriaRole.Button, new() { Name = "Set up two-factor authentication" }));
        var secret = Base32Encoding.ToBytes((await page.GetByTestId("manual-key").InnerTextAsync()).Replace(" ", string.Empty, StringComparison.Ordinal));
        await page.GetByLabel("Code from the app").FillAsync(new Totp(secret).ComputeTotp());
        await PressAsync(page.GetByRole(AriaRole.Button, new() { Name = "Confirm and activate" }));
        var first = await page.GetByTestId("recovery-codes").Locator("li").AllInnerTextsAsync();
        first.Should().HaveCount(10);

        // A password-only sign-in is no proof once the account has a second factor (the library's step-up rule): the
        // page asks to confirm with the password and a code (the next step's: the setup spent the current one).
        await page.GotoAsync("/security");
        var stepUp = page.GetByTestId("step-up");
        await stepUp.GetByLabel("Your password").FillAsync(password);
        await stepUp.GetByLabel("Code from your authenticator app").FillAsync(new Totp(secret).ComputeTotp(DateTime.UtcNow.AddSeconds(30)));
        await PressAsync(stepUp.GetByRole(AriaRole.Button, new() { Name = "Confirm" }));
        await Assertions.Expect(page.GetByTestId("fresh-until")).ToBeVisibleAsync();
        await PressAsync(page.Locator("#two-factor summary", new() { HasText = "New recovery codes" }));
        var regenerate = page.Locator("form[action='/security/2fa/recovery-codes']");
        await PressAsync(page.GetByRole(AriaRole.Button, new() { Name = "Generate new recovery codes" }));
        var second = await page.GetByTestId("recovery-codes").Locator("li").AllInnerTextsAsync();
        second.Should().HaveCount(10).And.NotIntersectWith(first);

        await page.GotoAsync("/security");
        await PressAsync(page.Locator("#two-factor summary", new() { HasText = "Switch off" }));
        var disable = page.Locator("form[action='/security/2fa/disable']");
        await PressAsync(disable.GetByRole(AriaRole.Button, new() { Name = "Switch off" }));

        (await page.GetByRole(AriaRole.Status).InnerTextAsync()).Should().Contain("switched off");
        (await page.Locator("#two-factor").InnerTextAsync()).Should().Contain("Not set up");
    }

    [Test]
    public async Task Administrator_ResetsALostDevice_AndTheForcedUserMustSetUpAgain()
    {
        var (id, email, password) = await CreateUserAsync("lost");
        using (var scope = Services.CreateScope())
        {
            var twoFactor = scope.ServiceProvider.GetRequiredService<ITwoFactorService>();
            var setup = await twoFactor.BeginSetupAsync(TestSessions.Of(id), password);
            var secret = Base32Encoding.ToBytes(new Uri(setup.Value.OtpAuthUri).Query.Split("secret=")[1].Split('&')[0]);
            (await twoFactor.ConfirmSetupAsync(id, new Totp(secret).ComputeTotp())).Succeeded.Should().BeTrue();
        }

        var admin = await NewPageAsync();
        await SubmitPasswordAsync(admin, DemoAccounts.Users[1].Email, DemoAccounts.Users[1].Password);
        await OpenSectionAsync(admin, "Users & Groups");
        await PressAsync(admin.GetByTestId("force-" + id));
        await PressAsync(admin.GetByTestId("reset-" + id));
        await PressAsync(admin.GetByTestId("confirm"));
        (await admin.GetByRole(AriaRole.Status).InnerTextAsync()).Should().Contain("was reset");

        var user = await NewPageAsync();
        await SubmitPasswordAsync(user, email, password);
        await user.WaitForURLAsync("**/signin/setup");
        (await user.GetByTestId("manual-key").InnerTextAsync()).Should().NotBeNullOrWhiteSpace("the forced user sets up a new device");
    }
}
