using AccountSecurity.Testing;
using AccountSecurity.TwoFactor;
using Deque.AxeCore.Playwright;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AccountSecurity.WebSample.Tests;

/// <summary>
/// End-to-end passkeys (issue 13) with Chromium's virtual authenticator (CDP WebAuthn domain): register on Password
/// &amp; Security, the passkey as the second step, secAuthProtection resources for that session, the owner's switch
/// for passwordless sign-in, the passkey alone, removal; and the forced setup with a passkey. The app runs on
/// http://localhost (WebAuthn refuses IP addresses) with its passkey origin set to the fixture's.
/// </summary>
public sealed class PasskeyFlowTests : BrowserFixture
{
    private static readonly (string Id, string Email, string Password) Owner =
        (DemoAccounts.Users[0].Id, DemoAccounts.Users[0].Email, DemoAccounts.Users[0].Password);

    public PasskeyFlowTests()
        : base(Viewport.Desktop)
    {
    }

    [Test]
    public async Task Passkey_Registers_SignsInAsSecondFactor_ThenAloneOnceTheOwnerAllowsIt_AndIsRemoved()
    {
        var (pkId, email, password) = await CreateUserAsync("pk");
        await JoinDemoGroupAsync(pkId); // the demo group "Operations" is granted the protected data center
        var page = await NewPageAsync();
        var authenticator = await AddVirtualAuthenticatorAsync(page);
        await SubmitPasswordAsync(page, email, password);
        await page.GetByTestId("signed-in-as").WaitForAsync();

        // Register: current password and a name, then the browser's ceremony on the next page.
        await AddPasskeyAsync(page, "Work laptop");
        (await page.GetByRole(AriaRole.Status).InnerTextAsync()).Should().Contain("\"Work laptop\" is added");
        var item = page.Locator("[data-testid=passkey]");
        (await item.CountAsync()).Should().Be(1);
        (await item.InnerTextAsync()).Should().Contain("Work laptop").And.Contain("This device only").And.Contain("last used never");
        (await CredentialCountAsync(authenticator)).Should().Be(1, "the authenticator holds the new passkey");

        // The account has a second factor now. Once the step-up window has passed, this session (signed in with the
        // password only) confirms with that passkey, never with the password alone, before it changes factors again.
        Clock.Advance(TimeSpan.FromMinutes(11));
        await page.GotoAsync("/security");
        var stepUp = page.GetByTestId("step-up");
        await Assertions.Expect(stepUp.GetByTestId("step-up-passkey")).ToBeVisibleAsync();
        await Assertions.Expect(stepUp.GetByTestId("step-up-password")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("add-passkey").GetByRole(AriaRole.Button, new() { Name = "Add a passkey" })).ToBeDisabledAsync();
        (await page.Locator("[data-testid=passkey]").CountAsync()).Should().Be(1, "nothing was added");
        (await CredentialCountAsync(authenticator)).Should().Be(1);
        (await page.GotoAsync("/datacenters"))!.Ok.Should().BeTrue();
        (await DataCentersAsync(page)).Should().NotContain("dc-txl", "a password-only session does not see secAuthProtection resources");

        // Password, then the passkey as the second step.
        await SignOutAsync(page);
        await SubmitPasswordAsync(page, email, password);
        await page.WaitForURLAsync("**/signin/second-factor");
        await ShouldPassAxeAsync(page, "second step with a passkey");
        await PressAsync(page.GetByTestId("passkey-second-factor"));
        await page.GetByTestId("signed-in-as").WaitForAsync();
        (await page.Locator("#two-factor").InnerTextAsync()).Should().Contain("signed in with two-factor authentication");
        (await page.Locator("[data-testid=passkey]").InnerTextAsync()).Should().NotContain("last used never");
        await page.GotoAsync("/datacenters");
        (await DataCentersAsync(page)).Should().Contain("dc-txl", "a passkey is a second factor: the session sees secAuthProtection resources");

        // The passkey alone is refused while the contract does not allow it.
        await SignOutAsync(page);
        await PressAsync(page.GetByTestId("passkey-sign-in"));
        await page.WaitForURLAsync("**/signin");
        (await page.GetByRole(AriaRole.Alert).InnerTextAsync()).Should().Contain("does not allow signing in with a passkey alone");
        await ShouldPassAxeAsync(page, "sign-in with the passkey refusal");
        (await page.GetByTestId("signed-in-as").CountAsync()).Should().Be(0);

        // The owner allows it on Users & Groups.
        var owner = await NewPageAsync();
        await SubmitPasswordAsync(owner, Owner.Email, Owner.Password);
        await OpenSectionAsync(owner, "Users & Groups");
        (await owner.GetByTestId("passwordless-status").InnerTextAsync()).Should().Be("Not allowed");
        await owner.GetByLabel("Allow sign-in with a passkey alone").CheckAsync();
        await PressAsync(owner.GetByRole(AriaRole.Button, new() { Name = "Save passkey sign-in" }));
        (await owner.GetByRole(AriaRole.Status).InnerTextAsync()).Should().Contain("can now sign in with a passkey alone");
        (await owner.GetByTestId("passwordless-status").InnerTextAsync()).Should().Be("Allowed");
        await ShouldPassAxeAsync(owner, "users with the passkey switch");

        // Now the passkey alone signs in, and counts as two-factor.
        await page.GotoAsync("/signin");
        await PressAsync(page.GetByTestId("passkey-sign-in"));
        await page.WaitForURLAsync("**/security");
        (await page.GetByTestId("signed-in-as").InnerTextAsync()).Should().Be(email);
        (await page.Locator("#two-factor").InnerTextAsync()).Should().Contain("signed in with two-factor authentication");

        // Remove it (current password); afterwards the password alone signs in again.
        await PressAsync(page.Locator("#passkeys summary", new() { HasText = "Rename" }));
        await PressAsync(page.Locator("#passkeys summary", new() { HasText = "Remove" }));
        await ShouldPassAxeAsync(page, "security with a passkey, its forms open");
        var rename = page.Locator("form[action='/security/passkeys/rename']");
        await rename.GetByLabel("New name").FillAsync("Old laptop");
        await PressAsync(rename.GetByRole(AriaRole.Button, new() { Name = "Rename" }));
        (await page.GetByRole(AriaRole.Status).InnerTextAsync()).Should().Contain("renamed");
        (await page.Locator("[data-testid=passkey] .passkey-name").InnerTextAsync()).Should().Be("Old laptop");

        await PressAsync(page.Locator("#passkeys summary", new() { HasText = "Remove" }));
        var remove = page.Locator("form[action='/security/passkeys/remove']");
        await PressAsync(remove.GetByRole(AriaRole.Button, new() { Name = "Remove passkey" }));
        (await page.GetByRole(AriaRole.Status).InnerTextAsync()).Should().Contain("\"Old laptop\" is removed");
        await page.GetByTestId("no-passkeys").WaitForAsync();

        await SignOutAsync(page);
        await SubmitPasswordAsync(page, email, password);
        await page.WaitForURLAsync("**/security");
        await page.GetByTestId("signed-in-as").WaitForAsync();

        // Leave the demo contract as seeded for the fixture's other tests.
        await owner.GotoAsync("/users");
        await owner.GetByLabel("Allow sign-in with a passkey alone").UncheckAsync();
        await PressAsync(owner.GetByRole(AriaRole.Button, new() { Name = "Save passkey sign-in" }));
        (await owner.GetByTestId("passwordless-status").InnerTextAsync()).Should().Be("Not allowed");
    }

    [Test]
    public async Task ForcedUser_SetsUpWithAPasskey_AndCannotRemoveTheirLastSecondFactor()
    {
        var (id, email, password) = await CreateUserAsync("pkforced");
        using (var scope = Services.CreateScope())
        {
            (await scope.ServiceProvider.GetRequiredService<ITwoFactorAdministrationService>().SetForcedAsync(await TestSessions.FreshAsync(scope.ServiceProvider, Owner.Id), id, forced: true)).Succeeded.Should().BeTrue();
        }

        var page = await NewPageAsync();
        await AddVirtualAuthenticatorAsync(page);
        await SubmitPasswordAsync(page, email, password);
        await page.WaitForURLAsync("**/signin/setup");
        await PressAsync(page.GetByTestId("setup-with-passkey"));
        await page.WaitForURLAsync("**/signin/setup/passkey");
        await page.GetByLabel("Name of the passkey").FillAsync("Phone");
        await PressAsync(page.GetByTestId("setup-create-passkey"));
        await page.GetByTestId("signed-in-as").WaitForAsync();
        (await page.GetByRole(AriaRole.Status).InnerTextAsync()).Should().Contain("passkey is set up");
        (await page.Locator("[data-testid=passkey]").InnerTextAsync()).Should().Contain("Phone");
        (await page.Locator("#two-factor").InnerTextAsync()).Should().Contain("signed in with two-factor authentication");

        await PressAsync(page.Locator("#passkeys summary", new() { HasText = "Remove" }));
        var remove = page.Locator("form[action='/security/passkeys/remove']");
        await PressAsync(remove.GetByRole(AriaRole.Button, new() { Name = "Remove passkey" }));
        (await page.Locator("#passkeys [role=alert]").InnerTextAsync()).Should().Contain("keep at least one passkey or an authenticator app");
        (await page.Locator("[data-testid=passkey]").CountAsync()).Should().Be(1, "the last second factor of a forced user stays");
    }

    /// <summary>A CTAP2 platform authenticator with resident keys and user verification that answers without a gesture.</summary>
    private static async Task<(ICDPSession Cdp, string Id)> AddVirtualAuthenticatorAsync(IPage page)
    {
        var cdp = await page.Context.NewCDPSessionAsync(page);
        await cdp.SendAsync("WebAuthn.enable");
        var added = await cdp.SendAsync("WebAuthn.addVirtualAuthenticator", new Dictionary<string, object>
        {
            ["options"] = new Dictionary<string, object>
            {
                ["protocol"] = "ctap2",
                ["transport"] = "internal",
                ["hasResidentKey"] = true,
                ["hasUserVerification"] = true,
                ["isUserVerified"] = true,
                ["automaticPresenceSimulation"] = true,
            },
        });
        return (cdp, added!.Value.GetProperty("authenticatorId").GetString()!);
    }

    private static async Task<int> CredentialCountAsync((ICDPSession Cdp, string Id) authenticator)
    {
        var credentials = await authenticator.Cdp.SendAsync("WebAuthn.getCredentials", new Dictionary<string, object> { ["authenticatorId"] = authenticator.Id });
        return credentials!.Value.GetProperty("credentials").GetArrayLength();
    }

    private async Task AddPasskeyAsync(IPage page, string name)
    {
        await page.GotoAsync("/security");
        var add = page.GetByTestId("add-passkey");
        await add.GetByLabel("Name of the passkey").FillAsync(name);
        await PressAsync(add.GetByRole(AriaRole.Button, new() { Name = "Add a passkey" }));
        await page.WaitForURLAsync("**/security/passkeys/add");
        await PressAsync(page.GetByTestId("create-passkey"));

        // Success and refusal both come back to the card (post/redirect/get).
        await page.WaitForURLAsync("**/security#passkeys");
    }

    /// <summary>The page has no serious or critical axe-core violation (the full scan of every page is AccessibilityTests').</summary>
    private static async Task ShouldPassAxeAsync(IPage page, string name)
    {
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var result = await page.RunAxe();
        result.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id}: {v.Help} — {string.Join(" | ", v.Nodes.Select(n => n.Html))}")
            .Should().BeEmpty("{0} must be usable with a screen reader", name);
    }

    private async Task SignOutAsync(IPage page)
    {
        await PressAsync(page.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true }));
        await page.WaitForURLAsync("**/signin?m=signed-out");
    }

    private static async Task<IReadOnlyList<string>> DataCentersAsync(IPage page)
    {
        await page.GetByTestId("datacenters").WaitForAsync();
        var ids = new List<string>();
        foreach (var row in await page.Locator("tr[data-testid=datacenter]").AllAsync())
        {
            ids.Add((await row.GetAttributeAsync("data-id"))!);
        }

        return ids;
    }
}
