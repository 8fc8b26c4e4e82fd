using Microsoft.Playwright;

namespace AccountSecurity.WebSample.Tests;

/// <summary>End-to-end: the owner sets the contract's password policy; a user then meets the new rules.</summary>
[TestFixtureSource(typeof(Viewport), nameof(Viewport.Both))]
public sealed class PasswordPolicyFormTests(Viewport viewport) : BrowserFixture(viewport)
{
    [Test]
    public async Task OwnerSetsPolicy_UserChangingPassword_SeesTheNewRules()
    {
        var owner = await NewPageAsync();
        await SubmitPasswordAsync(owner, DemoAccounts.Users[0].Email, DemoAccounts.Users[0].Password);
        await OpenSectionAsync(owner, "Users & Groups");
        var form = owner.Locator("#policy");
        await form.GetByLabel("Minimum length").FillAsync("20");
        await form.GetByLabel("Minimum digits").FillAsync("1");
        await PressAsync(form.GetByRole(AriaRole.Button, new() { Name = "Save policy" }));
        (await owner.GetByRole(AriaRole.Status).InnerTextAsync()).Should().NotBeNullOrWhiteSpace();

        var (_, email, password) = await CreateUserAsync("pol");
        var user = await NewPageAsync();
        await SubmitPasswordAsync(user, email, password);
        await user.GetByTestId("signed-in-as").WaitForAsync();
        (await user.Locator("#password .rules").InnerTextAsync()).Should().Contain("20");

        var card = user.Locator("#password");
        await card.GetByLabel("New password", new() { Exact = true }).FillAsync("Granite-Pelican-Lantern");
        await card.GetByLabel("Repeat new password").FillAsync("Granite-Pelican-Lantern");
        await PressAsync(card.GetByRole(AriaRole.Button, new() { Name = "Change password" }));

        var errors = await user.Locator("#password .alert-error li").AllInnerTextsAsync();
        errors.Should().Contain("Include at least one digit.");
    }
}
