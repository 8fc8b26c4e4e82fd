using System.Diagnostics;
using Microsoft.Playwright;

namespace AccountSecurity.WebSample.Tests;

/// <summary>
/// The audit trail in the console (issue 30): the user's "Recent security activity" card and the administrators'
/// Activity page, fed by the SDK's asynchronous audit writer.
/// </summary>
public sealed class ActivityTests() : BrowserFixture(Viewport.Desktop)
{
    private const string Forced = "Two-factor authentication required by an administrator";

    /// <summary>How long a record may take from the action to the trail (the writer's queue drains within milliseconds).</summary>
    private static readonly TimeSpan TrailDeadline = TimeSpan.FromSeconds(30);

    private static readonly (string Id, string Email, string Password) Owner =
        (DemoAccounts.Users[0].Id, DemoAccounts.Users[0].Email, DemoAccounts.Users[0].Password);

    [Test]
    public async Task ForcedTwoFactor_ByAnAdministrator_AppearsInTheUsersCard_AndTheAdministratorsActivityPage()
    {
        // A user with 2FA (so the force sends them to no setup) signed in with password and code.
        var (id, email, password, secret) = await CreateUserWith2faAsync("act");
        var user = await NewPageAsync();
        await SignInWithCodeAsync(user, email, password, secret);

        var owner = await NewPageAsync();
        await SubmitPasswordAsync(owner, Owner.Email, Owner.Password);
        await OpenSectionAsync(owner, "Users & Groups");
        await PressAsync(owner.GetByTestId("force-" + id));
        (await owner.GetByRole(AriaRole.Status).InnerTextAsync()).Should().Contain("now required");

        // The user's card: the writer is asynchronous, so reload until the record is there.
        var card = user.GetByTestId("activity-item");
        await ReloadUntilAsync(user, "/security", card.Filter(new() { HasText = Forced }));
        (await card.AllInnerTextsAsync()).Should().Contain(line => line.StartsWith("Signed in with password and authenticator app", StringComparison.Ordinal), "the session's start is listed with its methods");
        (await card.CountAsync()).Should().BeLessThanOrEqualTo(20);

        // The administrator's Activity page, filtered by that user through the form.
        await owner.GotoAsync("/users");
        await PressAsync(owner.GetByTestId("activity-link"));
        var filter = owner.GetByTestId("activity-filter");
        await filter.Locator("select[name=user]").SelectOptionAsync(new SelectOptionValue { Label = email });
        await PressAsync(filter.Locator("button[type=submit]"));
        var rows = owner.GetByTestId("activity-record");
        (await rows.Filter(new() { HasText = Forced }).CountAsync()).Should().Be(1);
        var forcedRow = rows.Filter(new() { HasText = Forced });
        (await forcedRow.Locator("th").InnerTextAsync()).Should().Contain(email).And.Contain("by " + Owner.Email, "the person by e-mail, and who acted");
        foreach (var person in await rows.Locator("th").AllInnerTextsAsync())
        {
            person.Should().StartWith(email, "the page shows that user's records only");
        }

        // Filtered to two-factor events, the sign-in rows go away.
        await filter.Locator("select[name=type]").SelectOptionAsync("two-factor");
        await PressAsync(filter.Locator("button[type=submit]"));
        (await owner.GetByTestId("activity-what").AllInnerTextsAsync()).Should().Contain(Forced).And.NotContain(what => what.StartsWith("Signed in", StringComparison.Ordinal));
    }

    [Test]
    public async Task ActivityPage_IsForbiddenToAPlainUser()
    {
        var (_, email, password) = await CreateUserAsync("act-plain");
        var page = await NewPageAsync();
        await SubmitPasswordAsync(page, email, password);
        await page.GetByTestId("signed-in-as").WaitForAsync();
        var response = await page.GotoAsync("/users/activity");
        response!.Status.Should().Be(403);
    }

    [Test]
    public async Task ActivityPage_PagesWithTheCursor()
    {
        var owner = await NewPageAsync();
        await SubmitPasswordAsync(owner, Owner.Email, Owner.Password);
        await owner.GetByTestId("signed-in-as").WaitForAsync();

        // More than a page of records: sign-ins of one user (each starts a session).
        var (_, email, password) = await CreateUserAsync("act-many");
        var user = await NewPageAsync();
        for (var i = 0; i < 3; i++)
        {
            await SubmitPasswordAsync(user, email, password);
            await user.GetByTestId("signed-in-as").WaitForAsync();
        }

        await ReloadUntilAsync(owner, "/users/activity?size=2", owner.GetByTestId("activity-next"));
        var first = await SequencesAsync(owner);
        first.Should().HaveCount(2);
        await PressAsync(owner.GetByTestId("activity-next"));
        var second = await SequencesAsync(owner);
        second.Should().HaveCount(2).And.NotIntersectWith(first, "a page never repeats the one before");
        second.Max().Should().BeLessThan(first.Min(), "newest first, the next page goes on with older records");
    }

    private static async Task<IReadOnlyList<long>> SequencesAsync(IPage page) =>
        [.. (await page.GetByTestId("activity-record").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.sequence)")).Select(long.Parse)];

    private static async Task ReloadUntilAsync(IPage page, string path, ILocator shown)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            await page.GotoAsync(path);
            if (await shown.CountAsync() > 0)
            {
                return;
            }

            if (waited.Elapsed > TrailDeadline)
            {
                Assert.Fail($"{shown} did not appear on {path} within {TrailDeadline.TotalSeconds} s.");
            }
        }
    }
}
