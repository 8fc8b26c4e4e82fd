using AccountSecurity.Accounts;
using Microsoft.Playwright;

namespace AccountSecurity.WebSample.Tests;

/// <summary>
/// End-to-end: Snapshots and Data centers hide secAuthProtection resources from sessions without 2FA, and only the
/// owner or an administrator signed in with 2FA may switch the flag (audited).
/// </summary>
[TestFixtureSource(typeof(Viewport), nameof(Viewport.Both))]
public sealed class ProtectedResourcesTests(Viewport viewport) : BrowserFixture(viewport)
{
    private static readonly (string Id, string Email, string Password) Owner =
        (DemoAccounts.Users[0].Id, DemoAccounts.Users[0].Email, DemoAccounts.Users[0].Password);

    [Test]
    public async Task Snapshots_WithoutTwoFactor_HideTheProtectedOne_WithTwoFactor_ShowAll()
    {
        var (_, email, password, secret) = await CreateUserWith2faAsync("snap");
        var passwordOnly = await NewPageAsync();
        await SubmitPasswordAsync(passwordOnly, DemoAccounts.Users[2].Email, DemoAccounts.Users[2].Password);
        await OpenSectionAsync(passwordOnly, "Snapshots");
        await passwordOnly.GetByTestId("snapshots").WaitForAsync();

        (await Names(passwordOnly, "snapshot")).Should().BeEquivalentTo(["web-01 nightly", "staging weekly"]);
        (await passwordOnly.Locator(".alert-info").InnerTextAsync()).Should().Contain("sign in with a code");

        var withCode = await NewPageAsync();
        await SignInWithCodeAsync(withCode, email, password, secret);
        await withCode.GotoAsync("/snapshots");
        (await Names(withCode, "snapshot")).Should().BeEquivalentTo(["web-01 nightly", "staging weekly", "db-prod before upgrade"]);
        (await withCode.GetByTestId("protect-snap-web-fra").CountAsync()).Should().Be(0, "a plain user gets no switch");
    }

    [Test]
    public async Task Switch_WithoutTwoFactorSession_IsNotOffered_AndAForgedPostIsRefusedAndAudited()
    {
        var owner = await NewPageAsync();
        await SubmitPasswordAsync(owner, Owner.Email, Owner.Password);
        await owner.GotoAsync("/datacenters");

        (await owner.GetByTestId("protect-dc-fra").CountAsync()).Should().Be(0);
        (await owner.GetByTestId("switch-needs-2fa").InnerTextAsync()).Should().Contain("sign in with two-factor authentication");
        var token = await owner.Locator("input[name=__csrf]").First.GetAttributeAsync("value");
        var response = await owner.APIRequest.PostAsync("/resources/dc-fra/protection", new APIRequestContextOptions
        {
            Form = owner.APIRequest.CreateFormData().Set("__csrf", token!).Set("protected", "true"),
        });

        response.Status.Should().Be(200, "the redirect lands on the data centers page");
        await owner.ReloadAsync();
        (await owner.Locator("tr[data-id='dc-fra']").InnerTextAsync()).Should().NotContain("2FA protected", "nothing changed");
        // The change list names the person and the resource, not their ids (issue 27 item 6).
        (await owner.GetByTestId("audit-line").First.InnerTextAsync()).Should().Contain(DemoAccounts.Users[0].Email).And.Contain("Switched on for Frankfurt (de/fra)").And.Contain("Refused").And.NotContain("dc-fra");
    }

    [Test]
    public async Task Switch_ByAnAdministratorSignedInWithTwoFactor_ProtectsAndAfterConfirmationUnprotects()
    {
        var (_, email, password, secret) = await CreateUserWith2faAsync("switch", UserRole.Administrator);
        var admin = await NewPageAsync();
        await SignInWithCodeAsync(admin, email, password, secret);
        await admin.GotoAsync("/snapshots");

        await PressAsync(admin.GetByRole(AriaRole.Button, new() { Name = "Switch on secAuthProtection for staging weekly" }));
        (await admin.GetByRole(AriaRole.Status).InnerTextAsync()).Should().Contain("secAuthProtection is on for staging weekly");
        (await admin.Locator("tr[data-id='snap-staging-fra']").InnerTextAsync()).Should().Contain("2FA protected");
        (await admin.GetByTestId("audit-line").First.InnerTextAsync()).Should().Contain(email).And.Contain("Switched on for staging weekly").And.Contain("Done");
        await ConsoleUsabilityTests.ReloadSendsNoPostAsync(admin);

        var plain = await NewPageAsync();
        await SubmitPasswordAsync(plain, DemoAccounts.Users[2].Email, DemoAccounts.Users[2].Password);
        await plain.GotoAsync("/snapshots");
        (await Names(plain, "snapshot")).Should().NotContain("staging weekly", "now protected");

        await PressAsync(admin.GetByTestId("unprotect-snap-staging-fra"));
        (await admin.Locator(".confirm").InnerTextAsync()).Should().Contain("Switch off secAuthProtection for staging weekly?");
        await PressAsync(admin.GetByTestId("confirm"));
        (await admin.GetByRole(AriaRole.Status).InnerTextAsync()).Should().Contain("secAuthProtection is off");
        await plain.ReloadAsync();
        (await Names(plain, "snapshot")).Should().Contain("staging weekly");
    }

    private static Task<IReadOnlyList<string>> Names(IPage page, string testId) =>
        page.GetByTestId(testId).Locator("td.name").AllInnerTextsAsync();
}
