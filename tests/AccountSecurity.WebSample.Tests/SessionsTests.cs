using AccountSecurity.Sessions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AccountSecurity.WebSample.Tests;

/// <summary>
/// End-to-end, on each <see cref="Viewport"/> (issue 25): "Devices and sessions" on Password &amp; Security, "Sign out
/// of all other sessions" of a password change, an administrator's "Sign out everywhere", and the owner's session policy.
/// Every browser context is a device of its own (its own cookies).
/// </summary>
[TestFixtureSource(typeof(Viewport), nameof(Viewport.Both))]
public sealed class SessionsTests(Viewport viewport) : BrowserFixture(viewport)
{
    private static readonly (string Id, string Email, string Password) Owner =
        (DemoAccounts.Users[0].Id, DemoAccounts.Users[0].Email, DemoAccounts.Users[0].Password);

    [Test]
    public async Task TwoDevices_SeeBothInTheList_TheFirstEndsTheOther_WhoseNextPageIsSignedOut()
    {
        var (_, email, password) = await CreateUserAsync("dev");
        var first = await SignedInAsync(email, password);
        var other = await SignedInAsync(email, password);

        await first.ReloadAsync();
        var rows = first.GetByTestId("sessions").GetByTestId("session");
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        var current = first.Locator("[data-testid=session][data-current=true]");
        await Assertions.Expect(current).ToHaveCountAsync(1);
        (await current.GetByTestId("this-device").InnerTextAsync()).Should().Be("This device");
        foreach (var row in await rows.AllAsync())
        {
            (await row.GetByTestId("methods").InnerTextAsync()).Should().Be("Password");
            (await row.InnerTextAsync()).Should().MatchRegex(@"\d{4}-\d\d-\d\d \d\d:\d\d UTC", "times are shown in UTC");
        }

        await ShouldFitTheScreenAsync(first, "the sessions table with two rows");

        var otherRow = first.Locator("[data-testid=session]:not([data-current])");
        await PressAsync(otherRow.GetByRole(AriaRole.Button, new() { NameRegex = new("^Sign out") }));
        (await first.GetByRole(AriaRole.Status).InnerTextAsync()).Should().Contain("signed out");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(first.GetByTestId("no-other-sessions")).ToBeVisibleAsync();

        await other.GotoAsync("/security");
        other.Url.Should().EndWith("/session-ended", "the ended session is refused at its next request");
        (await other.GetByTestId("session-ended").GetAttributeAsync("data-reason")).Should().Be("EndedByUser");

        await first.ReloadAsync();
        (await first.GetByTestId("signed-in-as").InnerTextAsync()).Should().Be(email, "ending another session leaves this one signed in");
    }

    [Test]
    public async Task PasswordChange_KeepsOtherSessionsWhenUnticked_EndsThemWhenTicked_AndSignOutOfAllOthersEndsTheRest()
    {
        var (_, email, password) = await CreateUserAsync("pwo");
        var page = await SignedInAsync(email, password);
        var other = await SignedInAsync(email, password);

        const string second = "Granite-Pelican-42-Lantern";
        var checkbox = page.Locator("#password form").GetByLabel("Sign out of all other sessions");
        await Assertions.Expect(checkbox).ToBeCheckedAsync();
        await checkbox.SetCheckedAsync(false);
        await ChangePasswordAsync(page, second);
        (await page.GetByRole(AriaRole.Status).InnerTextAsync()).Should().Contain("stay signed in");
        await other.GotoAsync("/security");
        (await other.GetByTestId("signed-in-as").InnerTextAsync()).Should().Be(email, "the user chose to keep the other sessions");

        const string third = "Quartz-Meadow-17-Harbor!";
        await Assertions.Expect(page.Locator("#password form").GetByLabel("Sign out of all other sessions")).ToBeCheckedAsync();
        await ChangePasswordAsync(page, third);
        (await page.GetByRole(AriaRole.Status).InnerTextAsync()).Should().Contain("other sessions have been signed out");
        await other.GotoAsync("/security");
        other.Url.Should().EndWith("/session-ended", "the default ends the other sessions");
        (await other.GetByTestId("session-ended").InnerTextAsync()).Should().Contain("password was changed");

        // Signed in again elsewhere with the new password, then "Sign out of all other sessions" from the first.
        var later = await SignedInAsync(email, third);
        await page.GotoAsync("/security#sessions");
        await Assertions.Expect(page.GetByTestId("session")).ToHaveCountAsync(2);
        await PressAsync(page.GetByTestId("end-other-sessions"));
        (await page.GetByRole(AriaRole.Status).InnerTextAsync()).Should().Contain("1 other session is signed out");
        await later.GotoAsync("/security");
        later.Url.Should().EndWith("/session-ended");
        (await later.GetByTestId("session-ended").GetAttributeAsync("data-reason")).Should().Be("EndedByUser");
        await page.ReloadAsync();
        (await page.GetByTestId("signed-in-as").InnerTextAsync()).Should().Be(email);
    }

    [Test]
    public async Task SignOutEverywhere_ByTheOwner_AsksFirst_ThenEndsEverySessionOfTheUser()
    {
        var (id, email, password) = await CreateUserAsync("evw");
        var phone = await SignedInAsync(email, password);
        var laptop = await SignedInAsync(email, password);
        var owner = await SignedInAsync(Owner.Email, Owner.Password);
        await OpenSectionAsync(owner, "Users & Groups");

        // Cancel on the confirmation changes nothing.
        await PressAsync(owner.GetByTestId("end-sessions-" + id));
        (await owner.Locator(".confirm h2").InnerTextAsync()).Should().Contain(email).And.Contain("out everywhere");
        await ShouldFitTheScreenAsync(owner, "the confirmation");
        await PressAsync(owner.GetByTestId("cancel"));
        await phone.GotoAsync("/security");
        (await phone.GetByTestId("signed-in-as").InnerTextAsync()).Should().Be(email, "cancelled: the sessions go on");

        await PressAsync(owner.GetByTestId("end-sessions-" + id));
        await PressAsync(owner.GetByTestId("confirm"));
        (await owner.GetByRole(AriaRole.Status).InnerTextAsync()).Should().Contain("(2 sessions)");

        foreach (var device in new[] { phone, laptop })
        {
            await device.GotoAsync("/security");
            device.Url.Should().EndWith("/session-ended");
            (await device.GetByTestId("session-ended").GetAttributeAsync("data-reason")).Should().Be("EndedByAdministrator");
        }

        await owner.ReloadAsync();
        (await owner.GetByTestId("signed-in-as").InnerTextAsync()).Should().Be(Owner.Email, "the owner's own session is not touched");
    }

    [Test]
    public async Task SessionPolicy_OwnerSavesIt_WithErrorsAtTheField_AndAdministratorsOnlySeeIt()
    {
        var owner = await SignedInAsync(Owner.Email, Owner.Password);
        await OpenSectionAsync(owner, "Users & Groups");
        var card = owner.Locator("#session-policy");
        var idle = card.GetByLabel("Idle timeout (minutes)");
        await idle.FillAsync("500");
        await PressAsync(card.GetByRole(AriaRole.Button, new() { Name = "Save session policy" }));

        var fieldErrors = owner.GetByTestId("idleTimeout-errors");
        (await fieldErrors.InnerTextAsync()).Should().Contain("idle timeout must be between");
        await Assertions.Expect(owner.Locator("#session-policy").GetByLabel("Idle timeout (minutes)")).ToHaveValueAsync("500");
        await Assertions.Expect(owner.Locator("#session-policy").GetByLabel("Idle timeout (minutes)")).ToHaveAttributeAsync("aria-invalid", "true");
        (await owner.GetByTestId("absoluteLifetime-errors").CountAsync()).Should().Be(0, "only the wrong field is marked");
        await ShouldFitTheScreenAsync(owner, "the session policy with an error");
        (await EffectivePolicyAsync()).IdleTimeout.Should().NotBe(TimeSpan.FromMinutes(500), "nothing was saved");

        await owner.Locator("#session-policy").GetByLabel("Idle timeout (minutes)").FillAsync("15");
        await PressAsync(owner.Locator("#session-policy").GetByRole(AriaRole.Button, new() { Name = "Save session policy" }));
        (await owner.GetByRole(AriaRole.Status).InnerTextAsync()).Should().Contain("session policy of the contract is saved");
        await Assertions.Expect(owner.Locator("#session-policy").GetByLabel("Idle timeout (minutes)")).ToHaveValueAsync("15");
        (await EffectivePolicyAsync()).IdleTimeout.Should().Be(TimeSpan.FromMinutes(15));

        var (_, adminEmail, adminPassword) = await CreateUserAsync("spa", AccountSecurity.Accounts.UserRole.Administrator);
        var admin = await SignedInAsync(adminEmail, adminPassword);
        await OpenSectionAsync(admin, "Users & Groups");
        (await admin.Locator("#session-policy input").CountAsync()).Should().Be(0, "only the owner may change the session policy");
        (await admin.GetByTestId("session-policy-values").InnerTextAsync()).Should().Contain("15 minutes");
        (await admin.Locator("#session-policy").InnerTextAsync()).Should().Contain("Only the contract owner");
    }

    private async Task<EffectiveSessionPolicy> EffectivePolicyAsync()
    {
        using var scope = Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<ISessionService>().GetEffectivePolicyAsync(DemoAccounts.ContractId);
    }

    private async Task<IPage> SignedInAsync(string email, string password)
    {
        var page = await NewPageAsync();
        await SubmitPasswordAsync(page, email, password);
        await page.GetByTestId("signed-in-as").WaitForAsync();
        return page;
    }

    private async Task ChangePasswordAsync(IPage page, string next)
    {
        // A fresh sign-in is confirmed for the step-up window: the form asks only for the new password.
        var form = page.Locator("#password form");
        await form.GetByLabel("New password", new() { Exact = true }).FillAsync(next);
        await form.GetByLabel("Repeat new password").FillAsync(next);
        await PressAsync(form.GetByRole(AriaRole.Button, new() { Name = "Change password" }));
    }
}
