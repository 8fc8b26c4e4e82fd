using AccountSecurity.Accounts.Administration;
using AccountSecurity.Notifications;
using AccountSecurity.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AccountSecurity.WebSample.Tests;

/// <summary>
/// End-to-end security notifications (issue 26), on each <see cref="Viewport"/>: a change in the console makes the
/// library send a notification from its background queue to the sample's demo sender, and /dev/outbox shows it as the
/// e-mail the user reads (recipients, subject, time, the plain-text body with its line breaks) and never a secret. The
/// mail arrives a moment after the change, so each test reloads the outbox until it is there (bounded; no fixed sleep).
/// </summary>
[TestFixtureSource(typeof(Viewport), nameof(Viewport.Both))]
public sealed class NotificationOutboxTests(Viewport viewport) : BrowserFixture(viewport)
{
    private static readonly (string Id, string Email, string Password) GermanAdmin =
        (DemoAccounts.Users[1].Id, DemoAccounts.Users[1].Email, DemoAccounts.Users[1].Password);

    [Test]
    public async Task PasswordChange_OutboxShowsExactlyOnePasswordChangedMail_WithTheDeviceAndWhatToDo_WithoutThePassword()
    {
        var (_, email, password) = await CreateUserAsync("notify-pw");
        var page = await SignedInAsync(email, password);
        var device = await CurrentDeviceAsync(page);

        const string NewPassword = "Juniper-Harbor-Quartz-61";
        var form = page.Locator("#password form");
        await form.GetByLabel("New password", new() { Exact = true }).FillAsync(NewPassword);
        await form.GetByLabel("Repeat new password").FillAsync(NewPassword);
        await PressAsync(form.GetByRole(AriaRole.Button, new() { Name = "Change password" }));
        (await page.GetByRole(AriaRole.Status).InnerTextAsync()).Should().Contain("password");

        // The console's hint leads to the outbox.
        await PressAsync(page.GetByTestId("outbox-hint").GetByRole(AriaRole.Link, new() { Name = "outbox" }));
        await page.WaitForURLAsync("**/dev/outbox#notifications");
        var mail = await WaitForMailsAsync(page, email, SecurityNotificationKind.PasswordChanged);
        await Assertions.Expect(mail).ToHaveCountAsync(1);

        (await mail.GetByTestId("notification-to").InnerTextAsync()).Should().Be(email);
        (await mail.GetByTestId("notification-subject").InnerTextAsync()).Should().Be("Your password was changed");
        var body = await mail.GetByTestId("notification-body").InnerTextAsync();
        body.Should().Contain("The password of your account was changed.")
            .And.Contain("When: ")
            .And.Contain("Device: " + device, "the mail names the device the change was made on, as its session lists it")
            .And.Contain("Address: ")
            .And.Contain("If this was not you, change your password now")
            .And.NotContain("an unknown device");
        body.Split('\n').Length.Should().BeGreaterThan(4, "the body keeps its line breaks (what happened, when, device, address, what to do)");
        (await mail.GetByTestId("notification-body").EvaluateAsync<string>("e => getComputedStyle(e).whiteSpace")).Should().Be("pre-wrap");
        (await page.ContentAsync()).Should().NotContain(NewPassword).And.NotContain(password, "a notification never holds a password");
        await ShouldFitTheScreenAsync(page, "the outbox with a password mail");
    }

    [Test]
    public async Task SupportPin_SetThenRemoved_OutboxShowsBothMails_NeverThePin()
    {
        const string Pin = "61803398";
        var (_, email, password) = await CreateUserAsync("notify-pin");
        var page = await SignedInAsync(email, password);

        await SetPinAsync(page, Pin);
        (await page.Locator(".alert-success").InnerTextAsync()).Should().Contain("support PIN is saved");
        var card = page.Locator("#support-pin");
        await PressAsync(card.GetByText("Remove the support PIN"));
        await PressAsync(card.GetByRole(AriaRole.Button, new() { Name = "Remove PIN" }));
        await Assertions.Expect(page.Locator("#support-pin")).ToContainTextAsync("No support PIN is set.");

        var outbox = await NewPageAsync();
        var set = await WaitForMailsAsync(outbox, email, SecurityNotificationKind.SupportPinSet);
        var removed = await WaitForMailsAsync(outbox, email, SecurityNotificationKind.SupportPinRemoved);
        await Assertions.Expect(set).ToHaveCountAsync(1);
        await Assertions.Expect(removed).ToHaveCountAsync(1);
        (await set.GetByTestId("notification-subject").InnerTextAsync()).Should().Be("Your support PIN was set");
        (await set.GetByTestId("notification-body").InnerTextAsync()).Should().Contain("support PIN of your account was set");
        (await removed.GetByTestId("notification-subject").InnerTextAsync()).Should().Be("Your support PIN was removed");
        (await outbox.ContentAsync()).Should().NotContain(Pin, "a notification never holds the PIN");
        await ShouldFitTheScreenAsync(outbox, "the outbox with PIN mails");
    }

    [Test]
    public async Task GermanDemoAdministrator_SetsASupportPin_AndReadsTheMailInGerman()
    {
        const string Pin = "59304172";
        var page = await SignedInAsync(GermanAdmin.Email, GermanAdmin.Password);
        await SetPinAsync(page, Pin);
        (await page.Locator(".alert-success").InnerTextAsync()).Should().Contain("support PIN is saved");

        var outbox = await NewPageAsync();
        var mail = await WaitForMailsAsync(outbox, GermanAdmin.Email, SecurityNotificationKind.SupportPinSet);
        await Assertions.Expect(mail).ToHaveCountAsync(1);
        var subject = mail.GetByTestId("notification-subject");
        (await subject.InnerTextAsync()).Should().Be("Ihre Support-PIN wurde festgelegt", "the seeded administrator's culture is de-DE");
        (await subject.GetAttributeAsync("lang")).Should().Be("de");
        var body = mail.GetByTestId("notification-body");
        (await body.GetAttributeAsync("lang")).Should().Be("de", "screen readers read the German text as German");
        (await body.InnerTextAsync()).Should().Contain("Wann: ").And.Contain("Gerät: ").And.NotContain("When: ");
        (await outbox.ContentAsync()).Should().NotContain(Pin);
        await ShouldFitTheScreenAsync(outbox, "the outbox with a German mail");
    }

    /// <summary>
    /// The sample's console has no form to change an e-mail address (the library's <c>ChangeEmailAsync</c> is not wired
    /// to a page), so the change is made through the library, as the user would with their current password; the
    /// outbox then shows the one notification addressed to the old and the new address.
    /// </summary>
    [Test]
    public async Task EmailChange_ThroughTheLibrary_OutboxShowsOneMailToTheOldAndTheNewAddress()
    {
        var (id, email, password) = await CreateUserAsync("notify-mail");
        var newEmail = "moved-" + email;
        using (var scope = Services.CreateScope())
        {
            var changed = await scope.ServiceProvider.GetRequiredService<IAccountAdministrationService>()
                .ChangeEmailAsync(TestSessions.Of(id), id, newEmail, password);
            changed.Succeeded.Should().BeTrue("the user may change their own address with their password ({0})", string.Join(", ", changed.Errors.Select(e => e.Code)));
        }

        var outbox = await NewPageAsync();
        var mail = await WaitForMailsAsync(outbox, newEmail, SecurityNotificationKind.EmailChanged);
        await Assertions.Expect(mail).ToHaveCountAsync(1);
        (await mail.GetByTestId("notification-to").InnerTextAsync()).Should().Be($"{email}, {newEmail}");
        (await mail.GetByTestId("notification-body").InnerTextAsync()).Should().Contain($"from {email} to {newEmail}");
        (await outbox.ContentAsync()).Should().NotContain(password);
        await ShouldFitTheScreenAsync(outbox, "the outbox with an e-mail change");
    }

    /// <summary>
    /// A body is untrusted text (it carries a device label from the User-Agent, addresses, names): the page encodes it,
    /// keeps its line breaks and wraps a long unbroken line on the phone.
    /// </summary>
    [Test]
    public async Task Body_IsShownAsText_MarkupEncoded_LineBreaksKept_LongLinesWrapped()
    {
        var to = $"markup-{Guid.NewGuid():N}@example.com";
        const string Body = "<script>window.injected = 1</script><b>not bold</b>\nSecond line\n\n" + "https://example.com/" + "aVeryLongUnbrokenToken-aVeryLongUnbrokenToken-aVeryLongUnbrokenToken-aVeryLongUnbrokenToken";
        Services.GetRequiredService<DevNotificationOutbox>().Add(new NotificationMail([to], "<i>Subject</i>", Body, Clock.GetUtcNow(), SecurityNotificationKind.NewDeviceSignIn, "en"));

        var outbox = await NewPageAsync();
        var mail = await WaitForMailsAsync(outbox, to, SecurityNotificationKind.NewDeviceSignIn);
        var body = mail.GetByTestId("notification-body");
        (await body.InnerTextAsync()).Should().Be(Body, "the text is shown as written, line breaks included");
        (await body.Locator("script, b").CountAsync()).Should().Be(0, "no markup of a body becomes an element");
        (await mail.GetByTestId("notification-subject").Locator("i").CountAsync()).Should().Be(0);
        (await outbox.EvaluateAsync<bool>("() => window.injected === undefined")).Should().BeTrue();
        await ShouldFitTheScreenAsync(outbox, "a long unbroken line wraps");
    }

    [Test]
    public async Task Outbox_SaysItIsADemoStandIn_AndKeepsTheResetMails()
    {
        var (_, email, _) = await CreateUserAsync("notify-reset");
        var page = await NewPageAsync();
        await page.GotoAsync("/reset");
        await page.GetByLabel("E-mail address").FillAsync(email);
        await PressAsync(page.GetByRole(AriaRole.Button, new() { Name = "Send reset link" }));
        await PressAsync(page.GetByRole(AriaRole.Link, new() { Name = "outbox" }));

        (await page.GetByRole(AriaRole.Note).InnerTextAsync()).Should().Contain("Demo stand-in for e-mail").And.Contain("no sign-in");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Security notifications" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Password reset mails" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("tr", new() { HasText = email }).GetByTestId("reset-link")).ToBeVisibleAsync();
        await ShouldFitTheScreenAsync(page, "the outbox with a reset mail");
    }

    /// <summary>The device label of the page's own session, as Devices and sessions lists it.</summary>
    private static async Task<string> CurrentDeviceAsync(IPage page)
    {
        var row = page.Locator("[data-testid=session][data-current=true] th");
        var text = await row.InnerTextAsync();
        return text.Replace("This device", string.Empty, StringComparison.Ordinal).Trim();
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
        await PressAsync(card.GetByRole(AriaRole.Button, new() { Name = "Set PIN" }));
    }
}
