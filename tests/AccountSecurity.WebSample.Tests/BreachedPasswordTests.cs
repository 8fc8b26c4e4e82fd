using System.Diagnostics;
using AccountSecurity.Accounts;
using AccountSecurity.BreachedPasswords;
using AccountSecurity.WebSample.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;

namespace AccountSecurity.WebSample.Tests;

/// <summary>
/// Breached-password screening in the console (issue 29): the password form refuses a password of the sample's
/// generated data set with the breach message, and a sign-in with one sends the session to the change form until the
/// password is changed.
/// </summary>
public sealed class BreachedPasswordTests() : BrowserFixture(Viewport.Desktop)
{
    private const string BreachMessage = "This password has appeared in a data breach";
    private const string GermanBreachMessage = "Dieses Passwort ist in einem Datenleck aufgetaucht";

    /// <summary>How long the background sign-in check may take to mark the account (it runs within milliseconds).</summary>
    private static readonly TimeSpan MarkDeadline = TimeSpan.FromSeconds(30);

    [TestCase(null, BreachMessage)]
    [TestCase("de-DE", GermanBreachMessage)]
    public async Task ChangingToABreachedPassword_ShowsTheBreachMessage_AndChangesNothing(string? locale, string message)
    {
        var (_, email, password) = await CreateUserAsync("breach");
        var page = await NewPageAsync(Viewport, locale);
        await SubmitPasswordAsync(page, email, password);
        await page.GetByTestId("signed-in-as").WaitForAsync();

        var breached = BreachedPasswordDemo.Passwords[0];
        await ChangePasswordAsync(page, breached);

        var errors = await page.Locator("#password .alert-error li").AllInnerTextsAsync();
        errors.Should().ContainSingle(error => error.StartsWith(message, StringComparison.Ordinal), "the form shows why the password was refused");

        // Nothing changed: the breached password does not sign in, the old one still does.
        var other = await NewPageAsync();
        await SubmitPasswordAsync(other, email, breached);
        (await other.GetByTestId("signed-in-as").CountAsync()).Should().Be(0, "the password was not changed");
        await SubmitPasswordAsync(other, email, password);
        await other.GetByTestId("signed-in-as").WaitForAsync();
    }

    [Test]
    public async Task SignInWithABreachedPassword_EndsOnTheChangeForm_UntilThePasswordIsChanged()
    {
        // A user whose password was clean when it was set, and which then appears in the data set (the mirror is
        // updated behind the app's back, as a new download would).
        var id = $"leaked-{Guid.NewGuid():N}"[..24];
        var email = id + "@example.com";
        var password = $"Copper-Orchard-Violet-{Random.Shared.Next(1000, 9999)}";
        var created = await Services.GetRequiredService<IAccountProvisioningService>()
            .CreateUserAsync(DemoAccounts.Users[0].Id, new NewUser { UserId = id, Email = email, Role = UserRole.User, InitialPassword = password });
        created.Succeeded.Should().BeTrue(string.Join(", ", created.Errors.Select(e => e.Code)));
        var mirror = Services.GetRequiredService<IOptions<BreachedPasswordOptions>>().Value.MirrorDirectory!;
        await BreachedPasswordMirror.WriteAsync(mirror, [.. BreachedPasswordDemo.Passwords, password]);

        // The check keeps a range it read for an hour (the user's creation read this one): move past it.
        Clock.Advance(TimeSpan.FromHours(2));

        var page = await NewPageAsync();
        await SubmitPasswordAsync(page, email, password);
        await page.GetByTestId("signed-in-as").WaitForAsync();

        // The check runs in the background after the sign-in: the next page that notices the mark sends the session
        // to the change form with the notice. Reload until it does (no fixed sleep).
        var waited = Stopwatch.StartNew();
        while (true)
        {
            await page.GotoAsync("/datacenters");
            if (new Uri(page.Url).AbsolutePath == "/security" && await page.GetByTestId("password-change-required").CountAsync() == 1)
            {
                break;
            }

            if (waited.Elapsed > MarkDeadline)
            {
                Assert.Fail($"The breached password did not send the session to the change form within {MarkDeadline.TotalSeconds} s.");
            }
        }

        (await page.GetByTestId("password-change-required").InnerTextAsync()).Should().Contain("data breach");
        await page.GotoAsync("/users");
        new Uri(page.Url).AbsolutePath.Should().Be("/security", "nothing else opens before the change");

        await ChangePasswordAsync(page, "Harbour-Lantern-Quince-58");
        (await page.GetByRole(AriaRole.Status).InnerTextAsync()).Should().Contain("Your password has been changed");
        (await page.GetByTestId("password-change-required").CountAsync()).Should().Be(0);
        await OpenSectionAsync(page, "Data centers");
        new Uri(page.Url).AbsolutePath.Should().Be("/datacenters", "the console works again");
    }

    private async Task ChangePasswordAsync(IPage page, string next)
    {
        // By the fields' names: the same in every language of the console.
        var form = page.Locator("#password form");
        await form.Locator("input[name=newPassword]").FillAsync(next);
        await form.Locator("input[name=newPasswordRepeated]").FillAsync(next);
        await PressAsync(form.Locator("button[type=submit]"));
    }
}
