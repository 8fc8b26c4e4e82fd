using Microsoft.Playwright;

namespace AccountSecurity.WebSample.Tests;

/// <summary>End-to-end: the owner sets the contract's password policy; a user then meets the new rules.</summary>
[TestFixture]
public sealed class PasswordPolicyFormTests : BrowserFixture
{
    [Test]
    public async Task OwnerSetsPolicy_UserChangingPassword_SeesTheNewRules()
    {
        var owner = await NewPageAsync();
        await SubmitPasswordAsync(owner, DemoAccounts.Users[0].Email, DemoAccounts.Users[0].Password);
        await owner.GetByRole(AriaRole.Link, new() { Name = "Users & Groups" }).ClickAsync();
        var form = owner.Locator("#policy");
        await form.GetByLabel("Minimum length").FillAsync("20");
        await form.GetByLabel("Minimum digits").FillAsync("1");
        await form.GetByRole(AriaRole.Button, new() { Name = "Save policy" }).ClickAsync();
        (await owner.GetByRole(AriaRole.Status).InnerTextAsync()).Should().NotBeNullOrWhiteSpace();

        var (_, email, password) = await CreateUserAsync("pol");
        var user = await NewPageAsync();
        await SubmitPasswordAsync(user, email, password);
        await user.GetByTestId("signed-in-as").WaitForAsync();
        (await user.Locator("#password .rules").InnerTextAsync()).Should().Contain("20");

        var card = user.Locator("#password");
        await card.GetByLabel("Current password").FillAsync(password);
        await card.GetByLabel("New password", new() { Exact = true }).FillAsync("Granite-Pelican-Lantern");
        await card.GetByLabel("Repeat new password").FillAsync("Granite-Pelican-Lantern");
        await card.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();

        var errors = await user.Locator("#password .alert-error li").AllInnerTextsAsync();
        errors.Should().Contain("Include at least one digit.");
    }
}
