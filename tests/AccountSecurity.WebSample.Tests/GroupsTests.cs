using AccountSecurity.Accounts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AccountSecurity.WebSample.Tests;

/// <summary>
/// Issue 27 item 10: groups on Users &amp; Groups. An administrator creates a group, adds users and grants it a protected
/// data center; a member signed in with 2FA sees it, a member without a second factor does not (the library hides it),
/// a non-member does not (the host's groups); a revoke hides it again; a plain user cannot change groups.
/// </summary>
[TestFixtureSource(typeof(Viewport), nameof(Viewport.Both))]
public sealed class GroupsTests(Viewport viewport) : BrowserFixture(viewport)
{
    private const string Production = "Berlin (de/txl) - production";

    [Test]
    public async Task AGrantedProtectedDataCenter_IsSeenByAMemberWithTwoFactorOnly_AndARevokeHidesItAgain()
    {
        var (memberId, memberEmail, memberPassword, memberSecret) = await CreateUserWith2faAsync("grp-member");
        var (passwordOnlyId, passwordOnlyEmail, passwordOnlyPassword) = await CreateUserAsync("grp-nocode");
        var (_, outsiderEmail, outsiderPassword, outsiderSecret) = await CreateUserWith2faAsync("grp-outsider");
        var (_, adminEmail, adminPassword) = await CreateUserAsync("grp-admin", UserRole.Administrator);

        var member = await NewPageAsync();
        await SignInWithCodeAsync(member, memberEmail, memberPassword, memberSecret);
        (await DataCentersAsync(member)).Should().NotContain(Production, "the data center is granted to Operations only, and they are not in it yet");

        // The administrator (no step-up: groups are the host's authorization) creates the group, adds both, grants it.
        var admin = await NewPageAsync();
        await SubmitPasswordAsync(admin, adminEmail, adminPassword);
        await admin.GetByTestId("signed-in-as").WaitForAsync();
        await OpenSectionAsync(admin, "Users & Groups");
        await Assertions.Expect(admin.GetByTestId("group-rule")).ToContainTextAsync("granted to no group is visible to every user");
        var name = "Night shift " + Guid.NewGuid().ToString("N")[..6];
        var create = admin.GetByTestId("create-group");
        await create.Locator("input[name=name]").FillAsync(name);
        await PressAsync(create.GetByRole(AriaRole.Button, new() { Name = "Create group" }));
        await Assertions.Expect(admin.GetByRole(AriaRole.Status)).ToContainTextAsync($"The group {name} was created");
        var group = admin.Locator($"[data-testid=group][data-group='{name}']");
        foreach (var id in new[] { memberId, passwordOnlyId })
        {
            await group.GetByTestId("add-member").Locator("select").SelectOptionAsync(id);
            await PressAsync(group.GetByTestId("add-member").GetByRole(AriaRole.Button, new() { Name = "Add member" }));
            await Assertions.Expect(admin.GetByRole(AriaRole.Status)).ToContainTextAsync("is now a member of the group");
        }

        await Assertions.Expect(group.GetByTestId("group-members")).ToContainTextAsync(memberEmail.Split('@')[0]);
        await PressAsync(group.GetByTestId("grant-dc-txl"));
        await Assertions.Expect(admin.GetByRole(AriaRole.Status)).ToContainTextAsync($"{Production} is granted to the group now");
        await Assertions.Expect(group.GetByTestId("revoke-dc-txl")).ToBeVisibleAsync();
        await ShouldFitTheScreenAsync(admin, "the groups card");

        // A member signed in with a code sees it, and their groups.
        (await DataCentersAsync(member)).Should().Contain(Production);
        await Assertions.Expect(member.GetByTestId("your-groups")).ToContainTextAsync(name);

        // A member signed in without a second factor does not: the library hides secAuthProtection resources.
        var passwordOnly = await NewPageAsync();
        await SubmitPasswordAsync(passwordOnly, passwordOnlyEmail, passwordOnlyPassword);
        await passwordOnly.GetByTestId("signed-in-as").WaitForAsync();
        (await DataCentersAsync(passwordOnly)).Should().NotContain(Production, "the group grants it, but the session has no second factor");
        await Assertions.Expect(passwordOnly.GetByTestId("protected-hint")).ToBeVisibleAsync();

        // Someone in no granting group does not, even signed in with a code, and is not told 2FA would show it.
        var outsider = await NewPageAsync();
        await SignInWithCodeAsync(outsider, outsiderEmail, outsiderPassword, outsiderSecret);
        (await DataCentersAsync(outsider)).Should().NotContain(Production).And.Contain("Frankfurt (de/fra)", "a resource granted to no group stays visible to everyone");
        await Assertions.Expect(outsider.GetByTestId("protected-hint")).ToHaveCountAsync(0);

        // Revoked: the member no longer sees it.
        await PressAsync(group.GetByTestId("revoke-dc-txl"));
        await Assertions.Expect(admin.GetByRole(AriaRole.Status)).ToContainTextAsync($"{Production} is no longer granted to the group");
        (await DataCentersAsync(member)).Should().NotContain(Production);
    }

    [Test]
    public async Task AnUnprotectedSnapshotGrantedToAGroup_IsHiddenFromNonMembers_UntilTheLastGrantGoes()
    {
        var (_, adminEmail, adminPassword) = await CreateUserAsync("grp-snap", UserRole.Administrator);
        var (_, userEmail, userPassword) = await CreateUserAsync("grp-plain");
        var user = await NewPageAsync();
        await SubmitPasswordAsync(user, userEmail, userPassword);
        await user.GetByTestId("signed-in-as").WaitForAsync();
        (await SnapshotsAsync(user)).Should().Contain("staging weekly", "granted to no group, it is everyone's");

        var admin = await NewPageAsync();
        await SubmitPasswordAsync(admin, adminEmail, adminPassword);
        await admin.GetByTestId("signed-in-as").WaitForAsync();
        await admin.GotoAsync("/users");
        var name = "Staging " + Guid.NewGuid().ToString("N")[..6];
        await admin.GetByTestId("create-group").Locator("input[name=name]").FillAsync(name);
        await PressAsync(admin.GetByTestId("create-group").GetByRole(AriaRole.Button, new() { Name = "Create group" }));
        var group = admin.Locator($"[data-testid=group][data-group='{name}']");
        await PressAsync(group.GetByTestId("grant-snap-staging-fra"));
        await Assertions.Expect(group.GetByTestId("revoke-snap-staging-fra")).ToBeVisibleAsync();

        (await SnapshotsAsync(user)).Should().NotContain("staging weekly", "granted to a group they are not in (no 2FA question: the host's groups hide it)");
        await Assertions.Expect(user.GetByTestId("protected-hint")).ToContainTextAsync("Some snapshots are protected"); // the protected snapshot is still hidden by the library
        (await SnapshotsAsync(admin)).Should().Contain("staging weekly", "administrators see every granted resource");

        await admin.GotoAsync("/users");
        await PressAsync(group.GetByTestId("revoke-snap-staging-fra"));
        await Assertions.Expect(admin.GetByRole(AriaRole.Status)).ToContainTextAsync("No group is granted it now, so every user of the contract sees it");
        (await SnapshotsAsync(user)).Should().Contain("staging weekly");
    }

    [Test]
    public async Task GroupNames_AreValidated_AndADuplicateIsRefusedWithAClearMessage()
    {
        var (_, adminEmail, adminPassword) = await CreateUserAsync("grp-names", UserRole.Administrator);
        var admin = await NewPageAsync();
        await SubmitPasswordAsync(admin, adminEmail, adminPassword);
        await admin.GetByTestId("signed-in-as").WaitForAsync();
        await admin.GotoAsync("/users");
        var create = admin.GetByTestId("create-group");
        await create.Locator("input[name=name]").FillAsync("operations");
        await PressAsync(create.GetByRole(AriaRole.Button, new() { Name = "Create group" }));
        await Assertions.Expect(admin.GetByTestId("groups").GetByRole(AriaRole.Alert)).ToContainTextAsync("already has a group with that name");

        foreach (var bad in new[] { "line\nbreak", new string('x', GroupStore.MaxNameLength + 1), "   " })
        {
            var response = await PostAsync(admin, "/users/groups", ("name", bad));
            response.Status.Should().Be(200, "the redirect lands on Users & Groups");
            await admin.GotoAsync("/users");
        }

        var groups = await Services.GetRequiredService<GroupStore>().ListAsync(DemoAccounts.ContractId, CancellationToken.None);
        groups.Select(g => g.Name).Should().ContainSingle(n => n.Equals("Operations", StringComparison.OrdinalIgnoreCase))
            .And.NotContain(n => n.Contains('\n') || n.Length > GroupStore.MaxNameLength || string.IsNullOrWhiteSpace(n));
    }

    [Test]
    public async Task APlainUser_SeesTheirGroupsReadOnly_AndCannotPostToTheGroupEndpoints()
    {
        var (_, email, _, password) = DemoAccounts.Users[2];
        var user = await NewPageAsync();
        await SubmitPasswordAsync(user, email, password);
        await user.GetByTestId("signed-in-as").WaitForAsync();
        await user.GotoAsync("/datacenters");
        await Assertions.Expect(user.GetByTestId("your-groups")).ToContainTextAsync("Your groups: Operations");

        var store = Services.GetRequiredService<GroupStore>();
        var before = await store.ListAsync(DemoAccounts.ContractId, CancellationToken.None);
        var operations = "/users/groups/" + DemoAccounts.Group.Id;
        foreach (var (path, field, value) in new[]
                 {
                     ("/users/groups", "name", "Intruders"),
                     (operations + "/rename", "name", "Mine"),
                     (operations + "/members", "userId", DemoAccounts.Users[2].Id),
                     (operations + "/grants", "resourceId", "snap-db-txl"),
                     (operations + "/delete", "name", string.Empty),
                 })
        {
            var response = await PostAsync(user, path, (field, value));
            response.Status.Should().Be(403, "{0} is for the owner and administrators", path);
        }

        var after = await store.ListAsync(DemoAccounts.ContractId, CancellationToken.None);
        after.Should().BeEquivalentTo(before, "nothing changed");
    }

    private static async Task<IAPIResponse> PostAsync(IPage page, string path, (string Name, string Value) field)
    {
        var token = await page.Locator("input[name=__csrf]").First.GetAttributeAsync("value");
        return await page.APIRequest.PostAsync(path, new APIRequestContextOptions
        {
            Form = page.APIRequest.CreateFormData().Set("__csrf", token!).Set(field.Name, field.Value),
        });
    }

    private static async Task<IReadOnlyList<string>> SnapshotsAsync(IPage page)
    {
        await page.GotoAsync("/snapshots");
        await page.GetByTestId("snapshots").WaitForAsync();
        return await page.GetByTestId("snapshot").Locator("td.name").AllInnerTextsAsync();
    }

    private static async Task<IReadOnlyList<string>> DataCentersAsync(IPage page)
    {
        await page.GotoAsync("/datacenters");
        await page.GetByTestId("datacenters").WaitForAsync();
        return await page.GetByTestId("datacenter").Locator("td.name").AllInnerTextsAsync();
    }
}
