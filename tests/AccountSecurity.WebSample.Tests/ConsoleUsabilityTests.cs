using AccountSecurity.Testing;
using AccountSecurity.TwoFactor;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AccountSecurity.WebSample.Tests;

/// <summary>
/// End-to-end, on each <see cref="Viewport"/>: the console as people use it — post/redirect/get, error pages, a layout
/// that suits the screen, confirmations before lowering someone's security, messages that say what happened and what
/// to do next. What the screen cannot change is in <see cref="SingleRunTests"/>.
/// </summary>
[TestFixtureSource(typeof(Viewport), nameof(Viewport.Both))]
public sealed class ConsoleUsabilityTests(Viewport viewport) : BrowserFixture(viewport)
{
    private static readonly (string Id, string Email, string Password) Owner =
        (DemoAccounts.Users[0].Id, DemoAccounts.Users[0].Email, DemoAccounts.Users[0].Password);

    private static readonly (string Id, string Email, string Password) Admin =
        (DemoAccounts.Users[1].Id, DemoAccounts.Users[1].Email, DemoAccounts.Users[1].Password);

    [Test]
    public async Task FailedSignIn_LandsOnAGetPage_KeepsTheEmail_AndAReloadDoesNotPostAgain()
    {
        var page = await NewPageAsync();
        await SubmitPasswordAsync(page, "owner@example.com", "not the password");

        (await page.GetByRole(AriaRole.Alert).InnerTextAsync()).Should().Contain("wrong");
        new Uri(page.Url).AbsolutePath.Should().Be("/signin");
        (await page.GetByLabel("E-mail address").InputValueAsync()).Should().Be("owner@example.com", "the typed e-mail comes back");
        (await page.GetByLabel("Password").InputValueAsync()).Should().BeEmpty("a password never travels back");
        await ReloadSendsNoPostAsync(page);
    }

    [Test]
    public async Task FailedPasswordChange_LeavesAGetableUrl_ReloadNeverReposts_AndTheErrorsAreShown()
    {
        var (_, email, password) = await CreateUserAsync("prg");
        var page = await NewPageAsync();
        await SubmitPasswordAsync(page, email, password);
        var form = page.Locator("#password form");
        await form.GetByLabel("New password", new() { Exact = true }).FillAsync("short");
        await form.GetByLabel("Repeat new password").FillAsync("short");
        await PressAsync(form.GetByRole(AriaRole.Button, new() { Name = "Change password" }));

        await page.Locator("#password .alert-error").WaitForAsync();
        new Uri(page.Url).AbsolutePath.TrimEnd('/').Should().Be("/security", "the address bar holds the page, not the POST-only form target");
        (await page.APIRequest.GetAsync(page.Url)).Status.Should().Be(200, "the URL after a failed form can be opened again");
        await ReloadSendsNoPostAsync(page);
    }

    [Test]
    public async Task UnknownAddress_ShowsTheConsoles404Page()
    {
        var page = await NewPageAsync();
        var response = await page.GotoAsync("/no-such-page");

        response!.Status.Should().Be(404);
        (await page.GetByTestId("error-message").InnerTextAsync()).Should().Contain("no page at this address");
        (await page.GetByRole(AriaRole.Link, new() { Name = "Back to the console" }).IsVisibleAsync()).Should().BeTrue();
        await ShouldFitTheScreenAsync(page);
    }

    [Test]
    public async Task OpeningAFormTarget_ShowsThe405PageInTheSignedInConsole()
    {
        var page = await NewPageAsync();
        await SubmitPasswordAsync(page, Admin.Email, Admin.Password);
        var response = await page.GotoAsync("/security/password");

        response!.Status.Should().Be(405);
        (await page.GetByTestId("error-message").InnerTextAsync()).Should().Contain("only receives forms");
        (await page.GetByTestId("signed-in-as").InnerTextAsync()).Should().Be(Admin.Email, "the page keeps the console frame");
        await ShouldFitTheScreenAsync(page);
    }

    [Test]
    public async Task AFailingRequest_ShowsThe500PageWithoutDetails()
    {
        var page = await NewPageAsync();
        var response = await page.GotoAsync(FailingPath);

        response!.Status.Should().Be(500);
        var text = await page.Locator("main").InnerTextAsync();
        text.Should().Contain("could not finish this request").And.NotContain("InvalidOperationException").And.NotContain("always fails");
        await ShouldFitTheScreenAsync(page);
    }

    [Test]
    public async Task ConsolePages_FitTheScreen_KeepSignOutOnIt_NameTheContract_AndTheSidebarSuitsTheScreen()
    {
        var page = await NewPageAsync();
        await SubmitPasswordAsync(page, Owner.Email, Owner.Password);
        foreach (var path in new[] { "/users", "/security", "/datacenters", "/snapshots" })
        {
            await page.GotoAsync(path);

            await ShouldFitTheScreenAsync(page);
            var contract = await page.GetByTestId("contract").InnerTextAsync();
            contract.Should().Contain(DemoAccounts.ContractName, "the header names the contract ({0})", path).And.NotContain("contract contract-").And.NotContain(DemoAccounts.ContractId);
            if (path == "/users")
            {
                (await page.GetByTestId("users-of").InnerTextAsync()).Should().Be("Users of " + DemoAccounts.ContractName);
                (await page.Locator("main").InnerTextAsync()).Should().NotContain("contract contract-");
            }

            var signOut = await page.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true }).BoundingBoxAsync();
            signOut.Should().NotBeNull();
            (signOut!.X + signOut.Width).Should().BeLessThanOrEqualTo(Viewport.Width, "the top bar does not clip Sign out on {0}", path);
            var sidebar = (await page.Locator(".sidebar").BoundingBoxAsync())!;
            var main = (await page.Locator("main").BoundingBoxAsync())!;
            if (Viewport.IsPhone)
            {
                (sidebar.Y + sidebar.Height).Should().BeLessThanOrEqualTo(main.Y, "on a phone the sidebar collapses into a row above the content ({0})", path);
                sidebar.Width.Should().BeGreaterThan(Viewport.Width * 0.9f, "the row spans the screen ({0})", path);
            }
            else
            {
                (sidebar.X + sidebar.Width).Should().BeLessThanOrEqualTo(main.X, "on a desktop the sidebar stays beside the content ({0})", path);
            }
        }
    }

    [Test]
    public async Task ResetTwoFactor_AsksForConfirmation_CancelChangesNothing_ConfirmResets()
    {
        var (id, email, _, _) = await CreateUserWith2faAsync("confirm");
        var admin = await NewPageAsync();
        await SubmitPasswordAsync(admin, Admin.Email, Admin.Password);
        await admin.GotoAsync("/users");

        await PressAsync(admin.GetByRole(AriaRole.Link, new() { Name = "Reset 2FA for " + email }));
        (await admin.Locator(".confirm").InnerTextAsync()).Should().Contain(email).And.Contain("signed out");
        (await TwoFactorEnabledAsync(id)).Should().BeTrue("opening the confirmation changes nothing");
        await PressAsync(admin.GetByTestId("cancel"));
        new Uri(admin.Url).AbsolutePath.TrimEnd('/').Should().Be("/users");
        (await TwoFactorEnabledAsync(id)).Should().BeTrue("cancel changes nothing");

        await PressAsync(admin.GetByTestId("reset-" + id));
        await PressAsync(admin.GetByTestId("confirm"));
        (await admin.GetByRole(AriaRole.Status).InnerTextAsync()).Should().Contain("was reset").And.Contain("Tell them");
        (await TwoFactorEnabledAsync(id)).Should().BeFalse();
        await ReloadSendsNoPostAsync(admin);
    }

    [Test]
    public async Task Administrator_IsNotOfferedActionsOnTheOwner_AndButtonsNameTheirUser()
    {
        var (_, email, _) = await CreateUserAsync("names");
        var admin = await NewPageAsync();
        await SubmitPasswordAsync(admin, Admin.Email, Admin.Password);
        await admin.GotoAsync("/users");

        (await admin.Locator($"tr[data-user='{Owner.Email}'] .actions").InnerTextAsync()).Should().Contain("Only the contract owner");
        (await admin.Locator($"tr[data-user='{Owner.Email}'] .actions button, tr[data-user='{Owner.Email}'] .actions a").CountAsync()).Should().Be(0);
        (await admin.GetByRole(AriaRole.Button, new() { Name = "Require 2FA for " + email, Exact = true }).CountAsync()).Should().Be(1);
        (await admin.GetByRole(AriaRole.Link, new() { Name = "Deactivate " + email, Exact = true }).CountAsync()).Should().Be(1);
    }

    [Test]
    public async Task SkipLink_IsTheFirstStopOfTheKeyboard_AndMovesToTheContent()
    {
        var page = await NewPageAsync();
        await SubmitPasswordAsync(page, Admin.Email, Admin.Password);
        await page.GetByTestId("signed-in-as").WaitForAsync();
        await page.GotoAsync("/security");
        await page.Keyboard.PressAsync("Tab");

        (await page.EvaluateAsync<string>("document.activeElement.textContent")).Should().Be("Skip to content");
        (await page.EvaluateAsync<string>("getComputedStyle(document.activeElement).outlineStyle")).Should().NotBe("none", "focus is visible");
        await page.Keyboard.PressAsync("Enter");
        (await page.EvaluateAsync<string>("document.activeElement.id")).Should().Be("main");
    }

    [Test]
    public async Task PolicyForm_AfterAnError_KeepsWhatWasTyped()
    {
        var owner = await NewPageAsync();
        await SubmitPasswordAsync(owner, Owner.Email, Owner.Password);
        await owner.GotoAsync("/users");
        var form = owner.Locator("#policy");
        await form.GetByLabel("Minimum length").FillAsync("70");
        await form.GetByLabel("Maximum length").FillAsync("40");
        await form.GetByLabel("Minimum digits").FillAsync("3");
        await form.GetByLabel("Refuse passwords containing").UncheckAsync();
        await PressAsync(form.GetByRole(AriaRole.Button, new() { Name = "Save policy" }));

        await owner.Locator("#policy .alert-error").WaitForAsync();
        (await form.GetByLabel("Minimum length").InputValueAsync()).Should().Be("70");
        (await form.GetByLabel("Maximum length").InputValueAsync()).Should().Be("40");
        (await form.GetByLabel("Minimum digits").InputValueAsync()).Should().Be("3");
        (await form.GetByLabel("Refuse passwords containing").IsCheckedAsync()).Should().BeFalse();
        await ReloadSendsNoPostAsync(owner);
    }

    [Test]
    public async Task WrongRecoveryCode_SaysSo_AndTheRecoveryFormStaysOpen()
    {
        var (_, email, password, _) = await CreateUserWith2faAsync("rec");
        var page = await NewPageAsync();
        await SubmitPasswordAsync(page, email, password);
        await page.WaitForURLAsync("**/signin/second-factor");
        await PressAsync(page.GetByText("Lost your phone? Use a recovery code"));
        await page.GetByLabel("Recovery code").FillAsync("AAAA-BBBB-CCCC");
        await PressAsync(page.GetByRole(AriaRole.Button, new() { Name = "Sign in with recovery code" }));

        var alert = await page.Locator("#recovery .alert-error").InnerTextAsync();
        alert.Should().Contain("recovery code").And.NotContain("time on your phone");
        (await page.Locator("#recovery").GetAttributeAsync("open")).Should().NotBeNull("the recovery form stays open");
        (await page.GetByLabel("Recovery code").IsVisibleAsync()).Should().BeTrue();
    }

    [Test]
    public async Task ForcedSetup_HasAWayOut()
    {
        var (id, email, password) = await CreateUserAsync("wayout");
        using (var scope = Services.CreateScope())
        {
            (await scope.ServiceProvider.GetRequiredService<ITwoFactorAdministrationService>().SetForcedAsync(await TestSessions.FreshAsync(scope.ServiceProvider, Owner.Id), id, forced: true)).Succeeded.Should().BeTrue();
        }

        var page = await NewPageAsync();
        await SubmitPasswordAsync(page, email, password);
        await page.WaitForURLAsync("**/signin/setup");
        await PressAsync(page.GetByRole(AriaRole.Button, new() { Name = "Not now: sign out" }));

        page.Url.Should().EndWith("/signin?m=signed-out");
        (await page.GetByRole(AriaRole.Status).InnerTextAsync()).Should().Contain("signed out");
    }

    [Test]
    public async Task SessionEnded_AfterAnAdministratorResetTwoFactor_SaysWhy()
    {
        var (id, email, password, secret) = await CreateUserWith2faAsync("ended");
        var user = await NewPageAsync();
        await SignInWithCodeAsync(user, email, password, secret);
        using (var scope = Services.CreateScope())
        {
            (await scope.ServiceProvider.GetRequiredService<ITwoFactorAdministrationService>().ResetAsync(await TestSessions.FreshAsync(scope.ServiceProvider, Admin.Id), id)).Succeeded.Should().BeTrue();
        }

        await user.GotoAsync("/datacenters");

        user.Url.Should().EndWith("/session-ended");
        var text = await user.GetByTestId("session-ended").InnerTextAsync();
        text.Should().Contain("administrator reset your two-factor authentication").And.NotContain(Admin.Email, "the page never says who acted");
        (await user.GetByRole(AriaRole.Link, new() { Name = "Sign in again" }).CountAsync()).Should().Be(1);
    }

    [Test]
    public async Task RecoveryCodes_AreReachedByARedirect_AndAReloadDoesNotShowThemAgain()
    {
        var (id, email, password, secret) = await CreateUserWith2faAsync("codes");
        var page = await NewPageAsync();
        await SignInWithCodeAsync(page, email, password, secret);

        // The sign-in just now is the proof (step-up window): no password or code is asked again.
        var form = page.Locator("form[action='/security/2fa/recovery-codes']");
        await PressAsync(page.Locator("summary", new() { HasText = "New recovery codes" }));
        await PressAsync(form.GetByRole(AriaRole.Button, new() { Name = "Generate new recovery codes" }));

        await page.Locator("[data-testid=recovery-codes], .alert-error").First.WaitForAsync();
        (await page.Locator(".alert-error").CountAsync()).Should().Be(0, await page.Locator("main").InnerTextAsync());
        (await page.GetByTestId("recovery-codes").Locator("li").CountAsync()).Should().BeGreaterThan(0);
        new Uri(page.Url).AbsolutePath.Should().Be("/security/recovery-codes");
        await ReloadSendsNoPostAsync(page);
        (await page.GetByTestId("recovery-codes").CountAsync()).Should().Be(0, "codes are shown once");
        (await page.GetByTestId("codes-gone").InnerTextAsync()).Should().Contain("generate new ones");
    }

    /// <summary>Reloads and asserts the browser sent no POST (a failed or finished form is never sent twice).</summary>
    internal static async Task ReloadSendsNoPostAsync(IPage page)
    {
        var methods = new List<string>();
        void Record(object? sender, IRequest request) => methods.Add(request.Method);
        page.Request += Record;
        await page.ReloadAsync();
        page.Request -= Record;
        methods.Should().NotContain("POST", "a reload never sends the form again");
    }
}
