using AccountSecurity.Accounts;
using AccountSecurity.Passkeys;
using AccountSecurity.Stores;
using AccountSecurity.Testing;
using AccountSecurity.TwoFactor;
using Deque.AxeCore.Playwright;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AccountSecurity.WebSample.Tests;

/// <summary>
/// End-to-end step-up ("Confirm it's you", issue 26; issue 27 item 4), on each <see cref="Viewport"/>: a session older
/// than the library's window (the fixture's app clock moved forward, no waiting) sees one card with exactly the
/// account's ways to confirm and the sensitive forms locked; once confirmed the forms ask for no current password. A
/// passkey-only account manages its factors with its passkey alone (Chromium's virtual authenticator), a change
/// posted after the window closed lands on the dialog and comes back, a user forced into the setup confirms on the setup
/// page, and an administrator confirms before forcing 2FA (a stale post is refused and changes nothing).
/// </summary>
[TestFixtureSource(typeof(Viewport), nameof(Viewport.Both))]
public sealed class StepUpTests(Viewport viewport) : BrowserFixture(viewport)
{
    /// <summary>Beyond the library's default 10-minute window.</summary>
    private static readonly TimeSpan BeyondTheWindow = TimeSpan.FromMinutes(11);

    private static readonly (string Id, string Email, string Password) Owner =
        (DemoAccounts.Users[0].Id, DemoAccounts.Users[0].Email, DemoAccounts.Users[0].Password);

    [Test]
    public async Task PasskeyOnlyAccount_ConfirmsWithItsPasskey_SetsUpTheApp_AddsAndRemovesAPasskey_AndSetsAPassword()
    {
        var page = await NewPageAsync();
        var laptop = await AddVirtualAuthenticatorAsync(page);
        var (id, email) = await PasskeyOnlyAccountAsync(page, "pkonly");

        // Signs in with the passkey alone; the account has no password.
        await page.GotoAsync("/signin");
        await PressAsync(page.GetByTestId("passkey-sign-in"));
        await page.WaitForURLAsync("**/security");
        (await page.GetByTestId("signed-in-as").InnerTextAsync()).Should().Be(email);
        (await page.GetByTestId("password-state").InnerTextAsync()).Should().Contain("no password");

        // Stale: the card offers the passkey and nothing else, and the forms are locked.
        Clock.Advance(BeyondTheWindow);
        await page.ReloadAsync();
        var card = page.GetByTestId("step-up");
        await Assertions.Expect(card).ToBeVisibleAsync();
        await Assertions.Expect(card.GetByTestId("step-up-passkey")).ToBeVisibleAsync();
        await Assertions.Expect(card.GetByTestId("step-up-password")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Set up two-factor authentication" })).ToBeDisabledAsync();
        await ShouldFitTheScreenAsync(page, "the step-up card");
        await ShouldPassAxeAsync(page, "the step-up card with a passkey");

        await PressAsync(card.GetByTestId("step-up-passkey"));
        await Assertions.Expect(page.GetByTestId("fresh-until")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("step-up")).ToHaveCountAsync(0);

        // The authenticator app, without a password: the code computed from the shown key at the app's time.
        await PressAsync(page.GetByRole(AriaRole.Button, new() { Name = "Set up two-factor authentication" }));
        var key = (await page.GetByTestId("manual-key").InnerTextAsync()).Replace(" ", string.Empty, StringComparison.Ordinal);
        var app = TotpCodeGenerator.FromOtpAuthUri($"otpauth://totp/Example%20Cloud:{Uri.EscapeDataString(email)}?secret={key}", Clock);
        await page.GetByLabel("Code from the app").FillAsync(app.CurrentCode());
        await PressAsync(page.GetByRole(AriaRole.Button, new() { Name = "Confirm and activate" }));
        await Assertions.Expect(page.GetByTestId("recovery-codes").Locator("li")).ToHaveCountAsync(10);
        (await TwoFactorEnabledAsync(id)).Should().BeTrue();

        // A second passkey, on another authenticator (the first one already holds this account's passkey).
        await RemoveVirtualAuthenticatorAsync(laptop);
        var phone = await AddVirtualAuthenticatorAsync(page);
        await page.GotoAsync("/security");
        var add = page.GetByTestId("add-passkey");
        await Assertions.Expect(add.GetByLabel("Current password")).ToHaveCountAsync(0);
        await add.GetByLabel("Name of the passkey").FillAsync("Phone");
        await PressAsync(add.GetByRole(AriaRole.Button, new() { Name = "Add a passkey" }));
        await page.WaitForURLAsync("**/security/passkeys/add");
        await PressAsync(page.GetByTestId("create-passkey"));
        await page.WaitForURLAsync("**/security#passkeys");
        (await page.GetByRole(AriaRole.Status).InnerTextAsync()).Should().Contain("\"Phone\" is added");
        await Assertions.Expect(page.GetByTestId("passkey")).ToHaveCountAsync(2);
        (await CredentialCountAsync(phone)).Should().Be(1);

        // Remove the first one.
        var first = page.Locator("[data-testid=passkey][data-name='Laptop']");
        await PressAsync(first.Locator("summary", new() { HasText = "Remove" }));
        await PressAsync(first.GetByRole(AriaRole.Button, new() { Name = "Remove passkey" }));
        (await page.GetByRole(AriaRole.Status).InnerTextAsync()).Should().Contain("\"Laptop\" is removed");
        await Assertions.Expect(page.GetByTestId("passkey")).ToHaveCountAsync(1);

        // A first password, without a current one.
        const string password = "Juniper-Observatory-Kettle-62";
        var form = page.Locator("#password form");
        await form.GetByLabel("New password", new() { Exact = true }).FillAsync(password);
        await form.GetByLabel("Repeat new password").FillAsync(password);
        await PressAsync(form.GetByRole(AriaRole.Button, new() { Name = "Set password" }));
        (await page.GetByRole(AriaRole.Status).InnerTextAsync()).Should().Contain("password has been changed");
        (await page.GetByTestId("password-state").InnerTextAsync()).Should().Contain("Password last changed");

        // The password now signs in (and asks for the second factor the account has now).
        var other = await NewPageAsync();
        await SubmitPasswordAsync(other, email, password);
        await other.WaitForURLAsync("**/signin/second-factor");
    }

    [Test]
    public async Task PasswordUser_WhenStale_SeesTheDialog_AWrongPasswordIsRefused_TheRightOneUnlocks_AndAPinIsSetWithoutThePassword()
    {
        var (_, email, password) = await CreateUserAsync("stale");
        var page = await SignedInAsync(email, password);

        // A fresh sign-in is confirmed already: no card, a note until when, no "Current password" anywhere.
        await Assertions.Expect(page.GetByTestId("fresh-until")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("step-up")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByLabel("Current password")).ToHaveCountAsync(0);

        Clock.Advance(BeyondTheWindow);
        await page.ReloadAsync();
        var card = page.GetByTestId("step-up");
        await Assertions.Expect(card).ToBeVisibleAsync();
        await Assertions.Expect(card.GetByTestId("step-up-passkey")).ToHaveCountAsync(0);
        await Assertions.Expect(card.GetByLabel("Code from your authenticator app")).ToHaveCountAsync(0);
        var pin = page.Locator("#support-pin");
        await Assertions.Expect(pin.GetByLabel("PIN (6 to 12 digits)")).ToBeDisabledAsync();
        await ShouldFitTheScreenAsync(page, "the step-up card");
        await ShouldPassAxeAsync(page, "Password & Security with the step-up card");

        await card.GetByLabel("Your password").FillAsync("Not-The-Password-11");
        await PressAsync(card.GetByRole(AriaRole.Button, new() { Name = "Confirm" }));
        await Assertions.Expect(page.GetByTestId("step-up").GetByRole(AriaRole.Alert)).ToContainTextAsync("password is not correct");
        await Assertions.Expect(page.GetByTestId("step-up").GetByLabel("Your password")).ToBeFocusedAsync();
        await Assertions.Expect(pin.GetByLabel("PIN (6 to 12 digits)")).ToBeDisabledAsync();

        await page.GetByTestId("step-up").GetByLabel("Your password").FillAsync(password);
        await PressAsync(page.GetByTestId("step-up").GetByRole(AriaRole.Button, new() { Name = "Confirm" }));
        await Assertions.Expect(page.GetByTestId("fresh-until")).ToBeVisibleAsync();
        new Uri(page.Url).AbsolutePath.Should().Be("/security");

        await SetPinAsync(page, "40718293");
        (await page.Locator(".alert-success").InnerTextAsync()).Should().Contain("support PIN is saved");
    }

    [Test]
    public async Task TwoFactorUser_ConfirmsWithPasswordAndCode_ThenGetsNewRecoveryCodesWithoutEither()
    {
        var (_, email, password, secret) = await CreateUserWith2faAsync("code");
        var page = await NewPageAsync();
        await SignInWithCodeAsync(page, email, password, secret);

        Clock.Advance(BeyondTheWindow);
        await page.ReloadAsync();
        var card = page.GetByTestId("step-up");
        await Assertions.Expect(card.GetByTestId("step-up-passkey")).ToHaveCountAsync(0);
        await card.GetByLabel("Your password").FillAsync(password);
        await card.GetByLabel("Code from your authenticator app").FillAsync(new OtpNet.Totp(secret).ComputeTotp(Clock.GetUtcNow().UtcDateTime));
        await PressAsync(card.GetByRole(AriaRole.Button, new() { Name = "Confirm" }));
        await Assertions.Expect(page.GetByTestId("fresh-until")).ToBeVisibleAsync();

        await PressAsync(page.Locator("#two-factor summary", new() { HasText = "New recovery codes" }));
        await PressAsync(page.GetByRole(AriaRole.Button, new() { Name = "Generate new recovery codes" }));
        await Assertions.Expect(page.GetByTestId("recovery-codes").Locator("li")).ToHaveCountAsync(10);
    }

    [Test]
    public async Task ForcedInAStaleSession_ConfirmsOnTheSetupPage_ThenSetsUpTheApp()
    {
        var (id, email, password) = await CreateUserAsync("forced");
        var page = await SignedInAsync(email, password);
        Clock.Advance(BeyondTheWindow);
        using (var scope = Services.CreateScope())
        {
            (await scope.ServiceProvider.GetRequiredService<ITwoFactorAdministrationService>()
                .SetForcedAsync(await TestSessions.FreshAsync(scope.ServiceProvider, Owner.Id), id, forced: true)).Succeeded.Should().BeTrue();
        }

        // The forced setup inside the session: confirming is one of the few things it may do.
        await page.GotoAsync("/security");
        await page.WaitForURLAsync("**/security/2fa/required");
        var setUp = page.GetByRole(AriaRole.Button, new() { Name = "Set up with an authenticator app" });
        await Assertions.Expect(setUp).ToBeDisabledAsync();
        await ShouldFitTheScreenAsync(page, "the forced setup with the step-up card");
        await page.GetByTestId("step-up").GetByLabel("Your password").FillAsync(password);
        await PressAsync(page.GetByTestId("step-up").GetByRole(AriaRole.Button, new() { Name = "Confirm" }));
        await page.WaitForURLAsync("**/security/2fa/required");
        await Assertions.Expect(setUp).ToBeEnabledAsync();
        await PressAsync(setUp);
        await Assertions.Expect(page.GetByTestId("manual-key")).ToBeVisibleAsync();
    }

    [Test]
    public async Task AChangePostedAfterTheWindowClosed_LandsOnTheDialog_AndComesBackAfterConfirming()
    {
        var (_, email, password) = await CreateUserAsync("late");
        var page = await SignedInAsync(email, password);

        // The page was opened while confirmed; the window closes before the form is sent.
        Clock.Advance(BeyondTheWindow);
        await SetPinAsync(page, "40718293");
        await page.WaitForURLAsync("**/security/confirm?returnUrl=*");
        await Assertions.Expect(page.GetByTestId("step-up").GetByRole(AriaRole.Alert)).ToContainTextAsync("Nothing was changed");
        await ShouldFitTheScreenAsync(page, "the dialog page");
        await ShouldPassAxeAsync(page, "the step-up dialog after a refused change");

        await page.GetByLabel("Your password").FillAsync(password);
        await PressAsync(page.GetByRole(AriaRole.Button, new() { Name = "Confirm" }));
        await page.WaitForURLAsync("**/security#support-pin");
        await SetPinAsync(page, "40718293");
        (await page.Locator(".alert-success").InnerTextAsync()).Should().Contain("support PIN is saved");

        // The way back is a path of this site only.
        Clock.Advance(BeyondTheWindow);
        await page.GotoAsync("/security/confirm?returnUrl=" + Uri.EscapeDataString("//evil.example/x"));
        await page.GetByLabel("Your password").FillAsync(password);
        await PressAsync(page.GetByRole(AriaRole.Button, new() { Name = "Confirm" }));
        await page.WaitForURLAsync("**/security");
        new Uri(page.Url).Host.Should().Be("localhost");
    }

    [Test]
    public async Task Administrator_ConfirmsBeforeForcingTwoFactor_WhenStale()
    {
        var (targetId, targetEmail, _) = await CreateUserAsync("target");
        var (_, adminEmail, adminPassword) = await CreateUserAsync("admin", UserRole.Administrator);
        var admin = await SignedInAsync(adminEmail, adminPassword);
        await OpenSectionAsync(admin, "Users & Groups");
        await Assertions.Expect(admin.GetByTestId("force-" + targetId)).ToBeEnabledAsync();

        // The page was opened while confirmed; sent after the window closed, the library refuses and nothing changes.
        Clock.Advance(BeyondTheWindow);
        await PressAsync(admin.GetByTestId("force-" + targetId));
        await admin.WaitForURLAsync("**/security/confirm?returnUrl=*");
        await Assertions.Expect(admin.GetByTestId("step-up").GetByRole(AriaRole.Alert)).ToContainTextAsync("Nothing was changed");
        (await IsForcedAsync(targetId)).Should().BeFalse("the refused change changed nothing");

        await admin.GotoAsync("/users");
        var card = admin.GetByTestId("step-up");
        await Assertions.Expect(card).ToBeVisibleAsync();
        await Assertions.Expect(admin.GetByTestId("force-" + targetId)).ToBeDisabledAsync();
        await Assertions.Expect(admin.GetByTestId("deactivate-" + targetId)).ToBeDisabledAsync();
        await ShouldFitTheScreenAsync(admin, "Users & Groups with the step-up card");

        await card.GetByLabel("Your password").FillAsync(adminPassword);
        await PressAsync(card.GetByRole(AriaRole.Button, new() { Name = "Confirm" }));
        await Assertions.Expect(admin.GetByTestId("fresh-until")).ToBeVisibleAsync();
        await PressAsync(admin.GetByTestId("force-" + targetId));
        (await admin.GetByRole(AriaRole.Status).InnerTextAsync()).Should().Contain("now required");
        (await IsForcedAsync(targetId)).Should().BeTrue();

        // A confirmation page opened when stale asks first, then shows its question again.
        Clock.Advance(BeyondTheWindow);
        await admin.GotoAsync($"/users/{targetId}/confirm/deactivate");
        await Assertions.Expect(admin.GetByTestId("confirm")).ToHaveCountAsync(0);
        await admin.GetByTestId("step-up").GetByLabel("Your password").FillAsync(adminPassword);
        await PressAsync(admin.GetByTestId("step-up").GetByRole(AriaRole.Button, new() { Name = "Confirm" }));
        await admin.WaitForURLAsync($"**/users/{targetId}/confirm/deactivate");
        (await admin.GetByTestId("confirm").InnerTextAsync()).Should().Contain(targetEmail);
    }

    private async Task<bool> IsForcedAsync(string userId)
    {
        using var scope = Services.CreateScope();
        return (await scope.ServiceProvider.GetRequiredService<ITwoFactorService>().GetStatusAsync(userId))!.IsForced;
    }

    /// <summary>The page has no serious or critical axe-core violation.</summary>
    private static async Task ShouldPassAxeAsync(IPage page, string name)
    {
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var result = await page.RunAxe();
        result.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id}: {v.Help} — {string.Join(" | ", v.Nodes.Select(n => n.Html))}")
            .Should().BeEmpty("{0} must be usable with a screen reader", name);
    }

    private async Task<IPage> SignedInAsync(string email, string password)
    {
        var page = await NewPageAsync();
        await SubmitPasswordAsync(page, email, password);
        await page.GetByTestId("signed-in-as").WaitForAsync();
        return page;
    }

    private async Task SetPinAsync(IPage page, string pin)
    {
        var card = page.Locator("#support-pin");
        await card.GetByLabel("PIN (6 to 12 digits)").FillAsync(pin);
        await card.GetByLabel("Repeat PIN").FillAsync(pin);
        await PressAsync(card.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("(Set|Change) PIN") }));
    }

    /// <summary>
    /// An account that signs in with a passkey alone and has no password. The SDK has no operation that creates one
    /// (provisioning and invitations set a password) or removes a password, so, like the SDK's own tests, the test
    /// creates a user, adds its passkey in the browser (<paramref name="page"/>'s virtual authenticator keeps it), signs
    /// out, and clears the password in the store; the contract's owner allows passkey sign-in through the library.
    /// </summary>
    private async Task<(string Id, string Email)> PasskeyOnlyAccountAsync(IPage page, string prefix)
    {
        var (id, email, password) = await CreateUserAsync(prefix);
        await SubmitPasswordAsync(page, email, password);
        await page.GetByTestId("signed-in-as").WaitForAsync();
        var add = page.GetByTestId("add-passkey");
        await add.GetByLabel("Name of the passkey").FillAsync("Laptop");
        await PressAsync(add.GetByRole(AriaRole.Button, new() { Name = "Add a passkey" }));
        await page.WaitForURLAsync("**/security/passkeys/add");
        await PressAsync(page.GetByTestId("create-passkey"));
        await page.WaitForURLAsync("**/security#passkeys");
        (await page.GetByRole(AriaRole.Status).InnerTextAsync()).Should().Contain("\"Laptop\" is added");
        await PressAsync(page.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true }));
        await page.WaitForURLAsync("**/signin?m=signed-out");

        using var scope = Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<IUserStore>();
        var user = (await users.FindByIdAsync(id, CancellationToken.None))!;
        (await users.UpdateAsync(user with { PasswordHash = null, PasswordHistory = [] }, CancellationToken.None)).Should().Be(StoreWriteResult.Success);
        (await scope.ServiceProvider.GetRequiredService<IPasskeyService>()
            .SetPasswordlessSignInAllowedAsync(await TestSessions.FreshAsync(scope.ServiceProvider, Owner.Id), allowed: true)).Succeeded.Should().BeTrue();
        return (id, email);
    }

    /// <summary>A CTAP2 platform authenticator with resident keys and user verification that answers without a gesture (as in PasskeyFlowTests).</summary>
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

    private static async Task RemoveVirtualAuthenticatorAsync((ICDPSession Cdp, string Id) authenticator) =>
        await authenticator.Cdp.SendAsync("WebAuthn.removeVirtualAuthenticator", new Dictionary<string, object> { ["authenticatorId"] = authenticator.Id });

    private static async Task<int> CredentialCountAsync((ICDPSession Cdp, string Id) authenticator)
    {
        var credentials = await authenticator.Cdp.SendAsync("WebAuthn.getCredentials", new Dictionary<string, object> { ["authenticatorId"] = authenticator.Id });
        return credentials!.Value.GetProperty("credentials").GetArrayLength();
    }
}
