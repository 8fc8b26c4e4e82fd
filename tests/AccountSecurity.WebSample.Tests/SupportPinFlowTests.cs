using AccountSecurity.Accounts;
using AccountSecurity.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AccountSecurity.WebSample.Tests;

/// <summary>End-to-end: a user sets a support PIN, a support agent (an administrator) verifies a caller with it.</summary>
[TestFixtureSource(typeof(Viewport), nameof(Viewport.Both))]
public sealed class SupportPinFlowTests(Viewport viewport) : BrowserFixture(viewport)
{
    private static readonly (string Id, string Email, string Password) Admin =
        (DemoAccounts.Users[1].Id, DemoAccounts.Users[1].Email, DemoAccounts.Users[1].Password);

    [Test]
    public async Task UserSetsPin_TrivialOneRefused_AgentVerifiesOneWrongThenRight_PinNeverShown()
    {
        const string Pin = "40718293";
        var (_, email, password) = await CreateUserAsync("pin");
        var user = await NewPageAsync();
        await SubmitPasswordAsync(user, email, password);
        await user.GetByTestId("signed-in-as").WaitForAsync();

        var card = user.Locator("#support-pin");
        await FillPinAsync(card, password, "123456");
        (await user.Locator("#support-pin .alert-error").InnerTextAsync()).Should().Contain("ascending or descending");

        await FillPinAsync(user.Locator("#support-pin"), password, Pin);
        (await user.Locator(".alert-success").InnerTextAsync()).Should().Contain("support PIN is saved");
        (await user.Locator("#support-pin").InnerTextAsync()).Should().Contain("Set since");

        var agent = await NewPageAsync();
        await SubmitPasswordAsync(agent, Admin.Email, Admin.Password);
        await agent.GetByTestId("signed-in-as").WaitForAsync();
        await OpenSectionAsync(agent, "Support: verify a caller");

        await VerifyAsync(agent, email, "40718299");
        (await agent.GetByRole(AriaRole.Alert).InnerTextAsync()).Should().StartWith("Not verified");
        await VerifyAsync(agent, email, Pin);
        (await agent.GetByRole(AriaRole.Status).InnerTextAsync()).Should().Contain("Verified");

        (await agent.ContentAsync()).Should().NotContain(Pin, "the PIN is never echoed back");
        (await user.ContentAsync()).Should().NotContain(Pin);
    }

    [Test]
    public async Task Agent_CannotVerifyAnAccountOfAnotherContract_EvenWithTheRightPin()
    {
        const string Pin = "50829314";
        const string OtherEmail = "someone@other-contract.example";
        using (var scope = Services.CreateScope())
        {
            var owner = await scope.ServiceProvider.GetRequiredService<AccountSecurity.Accounts.IAccountProvisioningService>()
                .CreateContractAsync(new NewContract { ContractId = "other-contract", ContractName = "Other GmbH", OwnerUserId = "other-owner", OwnerEmail = OtherEmail, OwnerPassword = "Saffron-Quarry-Meadow-58" });
            owner.Succeeded.Should().BeTrue();
            (await scope.ServiceProvider.GetRequiredService<AccountSecurity.SupportPin.ISupportPinService>()
                .SetPinAsync(TestSessions.Of("other-owner"), "Saffron-Quarry-Meadow-58", Pin, Pin)).Succeeded.Should().BeTrue();
        }

        var agent = await NewPageAsync();
        await SubmitPasswordAsync(agent, Admin.Email, Admin.Password);
        await agent.GetByTestId("signed-in-as").WaitForAsync();
        await agent.GotoAsync("/support");
        await VerifyAsync(agent, OtherEmail, Pin);

        (await agent.GetByRole(AriaRole.Alert).InnerTextAsync()).Should().StartWith("Not verified");
    }

    private async Task FillPinAsync(ILocator card, string password, string pin)
    {
        await card.GetByLabel("Current password").FillAsync(password);
        await card.GetByLabel("PIN (6 to 12 digits)").FillAsync(pin);
        await card.GetByLabel("Repeat PIN").FillAsync(pin);
        await PressAsync(card.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("(Set|Change) PIN") }));
    }

    private async Task VerifyAsync(IPage page, string email, string pin)
    {
        await page.GetByLabel("Account e-mail").FillAsync(email);
        await page.GetByLabel("Support PIN").FillAsync(pin);
        await PressAsync(page.GetByRole(AriaRole.Button, new() { Name = "Verify" }));
    }
}
