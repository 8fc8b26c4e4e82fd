using AccountSecurity.Testing;
using AccountSecurity.TwoFactor;
using Deque.AxeCore.Playwright;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OtpNet;

namespace AccountSecurity.WebSample.Tests;

/// <summary>
/// An axe-core scan (Deque.AxeCore.Playwright, axe-core embedded in the package: no network) of every page of the
/// sample on each <see cref="Viewport"/> (desktop 1280×800, phone 390×844), in English and in German (the browser's
/// language): no serious or critical violation anywhere. The test finds its way by field names and test ids, the same
/// in both languages.
/// </summary>
[TestFixtureSource(typeof(Viewport), nameof(Viewport.Both))]
public sealed class AccessibilityTests(Viewport viewport) : BrowserFixture(viewport)
{
    private static readonly (string Id, string Email, string Password) Owner =
        (DemoAccounts.Users[0].Id, DemoAccounts.Users[0].Email, DemoAccounts.Users[0].Password);

    private readonly List<string> _serious = [];
    private readonly List<string> _offsite = [];

    private string _locale = "en-US";

    [TestCase("en-US")]
    [TestCase("de-DE")]
    public async Task EveryPage_HasNoSeriousOrCriticalAccessibilityViolation(string locale)
    {
        _locale = locale;
        _serious.Clear();
        _offsite.Clear();

        // Anonymous pages.
        var anonymous = await OfflinePageAsync();
        foreach (var (path, name) in new[] { ("/signin", "sign-in"), ("/reset", "reset request"), ("/reset/confirm", "reset confirm"), ("/session-ended", "session ended"), ("/no-such-page", "404 (anonymous)") })
        {
            await anonymous.GotoAsync(path);
            await ScanAsync(anonymous, name);
        }

        // The second step, its recovery-code form, then the signed-in console of an administrator with 2FA.
        var (targetId, _, _, _) = await CreateUserWith2faAsync("a11y-target");
        var (_, email, password, secret) = await CreateUserWith2faAsync("a11y-admin", AccountSecurity.Accounts.UserRole.Administrator);
        var admin = await OfflinePageAsync();
        await SubmitPasswordAsync(admin, email, password);
        await admin.WaitForURLAsync("**/signin/second-factor");
        await ScanAsync(admin, "second step");
        await PressAsync(admin.Locator("#recovery summary"));
        await ScanAsync(admin, "recovery code form");
        await SignInWithCodeAsync(admin, email, password, secret);
        foreach (var (path, name) in new[] { ("/security", "security"), ("/users", "users"), ("/users/activity", "security activity"), ("/datacenters", "data centers"), ("/snapshots", "snapshots"), ("/support", "support PIN"), ("/no-such-page", "404 (signed in)"), ("/security/password", "405"), ("/dev/outbox", "outbox (demo)") })
        {
            await admin.GotoAsync(path);
            await ScanAsync(admin, name);
        }

        await admin.GotoAsync("/users");
        await PressAsync(admin.GetByTestId("reset-" + targetId));
        await admin.Locator(".confirm").WaitForAsync();
        await ScanAsync(admin, "confirmation");
        await admin.GotoAsync("/users");
        await PressAsync(admin.GetByTestId("end-sessions-" + targetId));
        await admin.Locator(".confirm").WaitForAsync();
        await ScanAsync(admin, "sign out everywhere confirmation");


        // The owner's password policy, also with its errors shown.
        var owner = await OfflinePageAsync();
        await SubmitPasswordAsync(owner, Owner.Email, Owner.Password);
        await owner.GotoAsync("/users#policy");
        await ScanAsync(owner, "policy");
        var form = owner.Locator("#policy");
        await form.Locator("input[name=minimumLength]").FillAsync("70");
        await form.Locator("input[name=maximumLength]").FillAsync("40");
        await PressAsync(form.Locator("button[type=submit]"));
        await owner.Locator("#policy .alert-error").WaitForAsync();
        await ScanAsync(owner, "policy with errors");
        var sessionPolicy = owner.Locator("#session-policy");
        await sessionPolicy.Locator("input[name=idleTimeout]").FillAsync("500");
        await sessionPolicy.Locator("input[name=maxSessionsPerUser]").FillAsync("0");
        await PressAsync(sessionPolicy.Locator("button[type=submit]"));
        await owner.GetByTestId("idleTimeout-errors").WaitForAsync();
        await ScanAsync(owner, "session policy with errors");

        // Devices and sessions with a second session of the owner beside this one.
        var secondDevice = await OfflinePageAsync();
        await SubmitPasswordAsync(secondDevice, Owner.Email, Owner.Password);
        await secondDevice.GetByTestId("signed-in-as").WaitForAsync();
        await owner.GotoAsync("/security#sessions");
        await Assertions.Expect(owner.GetByTestId("session").Nth(1)).ToBeVisibleAsync(); // the other language's run left sessions too
        await ScanAsync(owner, "devices and sessions");

        // The user's own 2FA setup.
        var (_, selfEmail, selfPassword) = await CreateUserAsync("a11y-self");
        var self = await OfflinePageAsync();
        await SubmitPasswordAsync(self, selfEmail, selfPassword);
        await self.GetByTestId("signed-in-as").WaitForAsync();
        var addPasskey = self.GetByTestId("add-passkey");
        await PressAsync(addPasskey.Locator("button[type=submit]"));
        await self.WaitForURLAsync("**/security/passkeys/add");
        await ScanAsync(self, "passkey ceremony");
        await self.GotoAsync("/security");
        var card = self.Locator("#two-factor");
        await PressAsync(card.Locator("form[action='/security/2fa/setup'] button"));
        await self.GetByTestId("manual-key").WaitForAsync();
        await ScanAsync(self, "2FA setup");
        var setupSecret = Base32Encoding.ToBytes((await self.GetByTestId("manual-key").InnerTextAsync()).Replace(" ", string.Empty, StringComparison.Ordinal));
        var confirm = self.Locator("form[action='/security/2fa/confirm']");
        await confirm.Locator("input[name=code]").FillAsync(new Totp(setupSecret).ComputeTotp(Clock.GetUtcNow().UtcDateTime));
        await PressAsync(confirm.Locator("button[type=submit]"));
        await self.GetByTestId("recovery-codes").WaitForAsync();
        await ScanAsync(self, "recovery codes");

        // The forced setup at sign-in.
        var (forcedId, forcedEmail, forcedPassword) = await CreateUserAsync("a11y-forced");
        using (var scope = Services.CreateScope())
        {
            (await scope.ServiceProvider.GetRequiredService<ITwoFactorAdministrationService>().SetForcedAsync(await TestSessions.FreshAsync(scope.ServiceProvider, Owner.Id), forcedId, forced: true)).Succeeded.Should().BeTrue();
        }

        var forced = await OfflinePageAsync();
        await SubmitPasswordAsync(forced, forcedEmail, forcedPassword);
        await forced.WaitForURLAsync("**/signin/setup");
        await ScanAsync(forced, "forced setup");
        await PressAsync(forced.GetByTestId("setup-with-passkey"));
        await forced.WaitForURLAsync("**/signin/setup/passkey");
        await ScanAsync(forced, "forced setup with a passkey");

        _offsite.Should().BeEmpty("the scan (axe-core is embedded in the package) and the pages need no network");
        _serious.Should().BeEmpty();
    }

    /// <summary>A page whose every request off the sample's own address is refused and recorded.</summary>
    private async Task<IPage> OfflinePageAsync()
    {
        var page = await NewPageAsync(Viewport, _locale);
        await page.Context.RouteAsync("**/*", async route =>
        {
            if (route.Request.Url.StartsWith(BaseUrl + "/", StringComparison.Ordinal) || route.Request.Url == BaseUrl)
            {
                await route.ContinueAsync();
                return;
            }

            lock (_offsite)
            {
                _offsite.Add(route.Request.Url);
            }

            await route.AbortAsync();
        });
        return page;
    }

    private async Task ScanAsync(IPage page, string name)
    {
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var result = await page.RunAxe();
        foreach (var violation in result.Violations)
        {
            var line = $"{name} ({_locale}, {new Uri(page.Url).AbsolutePath}): {violation.Id} [{violation.Impact}] {violation.Help} — {string.Join(" | ", violation.Nodes.Select(n => n.Html))}";
            TestContext.Out.WriteLine(line);
            if (violation.Impact is "serious" or "critical")
            {
                _serious.Add(line);
            }
        }
    }
}
