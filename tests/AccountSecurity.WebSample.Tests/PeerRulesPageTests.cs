using AccountSecurity.Accounts;
using AccountSecurity.SupportPin;
using AccountSecurity.Testing;
using AccountSecurity.TwoFactor;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AccountSecurity.WebSample.Tests;

/// <summary>
/// End-to-end: "Users &amp; Groups" offers only what the library's peer rules allow — the owner may lower anyone's
/// security, an administrator only a plain user's — and an administrator clears a plain user's support-PIN lock.
/// </summary>
[TestFixtureSource(typeof(Viewport), nameof(Viewport.Both))]
public sealed class PeerRulesPageTests(Viewport viewport) : BrowserFixture(viewport)
{
    private static readonly (string Id, string Email, string Password) Owner =
        (DemoAccounts.Users[0].Id, DemoAccounts.Users[0].Email, DemoAccounts.Users[0].Password);

    private static readonly (string Id, string Email, string Password) Admin =
        (DemoAccounts.Users[1].Id, DemoAccounts.Users[1].Email, DemoAccounts.Users[1].Password);

    [Test]
    public async Task Administrator_CannotUnforceOrResetAnotherAdministrator_OwnerCan()
    {
        var otherAdmin = await CreateAdministratorForcedByOwnerAsync();

        var admin = await UsersPageAsync(Admin.Email, Admin.Password);
        (await admin.GetByTestId("force-" + otherAdmin).CountAsync()).Should().Be(0, "lifting the force lowers an administrator's security");
        (await admin.GetByTestId("reset-" + otherAdmin).CountAsync()).Should().Be(0);
        (await admin.GetByTestId("end-sessions-" + otherAdmin).CountAsync()).Should().Be(1, "ending sessions follows the rule of forcing 2FA, which an administrator may do to another administrator");
        (await admin.GetByTestId("no-actions-" + otherAdmin).CountAsync()).Should().Be(0);
        (await admin.GetByTestId("force-" + Owner.Id).CountAsync()).Should().Be(0, "nobody but the owner acts on the owner");
        (await admin.GetByTestId("reset-" + Owner.Id).CountAsync()).Should().Be(0);
        (await admin.GetByTestId("end-sessions-" + Owner.Id).CountAsync()).Should().Be(0, "only the owner ends the owner's sessions");

        var owner = await UsersPageAsync(Owner.Email, Owner.Password);
        await PressAsync(owner.GetByTestId("force-" + otherAdmin));
        await PressAsync(owner.GetByTestId("confirm"));
        (await owner.GetByRole(AriaRole.Status).InnerTextAsync()).Should().Contain("no longer required");
        (await owner.GetByTestId("reset-" + otherAdmin).CountAsync()).Should().Be(1);
    }

    [Test]
    public async Task Administrator_ClearsAPlainUsersPinLock_AndSupportCanVerifyAgain()
    {
        const string Pin = "40718293";
        var (id, email, password) = await CreateUserAsync("pinlock");
        using (var scope = Services.CreateScope())
        {
            var pins = scope.ServiceProvider.GetRequiredService<ISupportPinService>();
            (await pins.SetPinAsync(TestSessions.Of(id), password, Pin, Pin)).Succeeded.Should().BeTrue();
            for (var i = 0; i < 50 && (await pins.VerifyByUserIdAsync(Admin.Id, id, "40718299")).LockedOutUntil is null; i++)
            {
            }
        }

        var admin = await UsersPageAsync(Admin.Email, Admin.Password);
        (await admin.GetByTestId("pin-locked-" + id).CountAsync()).Should().Be(1);
        await PressAsync(admin.GetByTestId("clear-pin-lock-" + id));
        await PressAsync(admin.GetByTestId("confirm"));
        (await admin.GetByRole(AriaRole.Status).InnerTextAsync()).Should().Contain("PIN lock was cleared");
        (await admin.GetByTestId("pin-locked-" + id).CountAsync()).Should().Be(0);
        (await admin.Locator($"tr[data-user='{email}']").InnerTextAsync()).Should().NotContain("PIN locked");

        using var verify = Services.CreateScope();
        (await verify.ServiceProvider.GetRequiredService<ISupportPinService>().VerifyByUserIdAsync(Admin.Id, id, Pin)).Succeeded.Should().BeTrue();
    }

    private async Task<string> CreateAdministratorForcedByOwnerAsync()
    {
        var id = $"adm-{Guid.NewGuid():N}"[..24];
        using var scope = Services.CreateScope();
        var created = await scope.ServiceProvider.GetRequiredService<IAccountProvisioningService>()
            .CreateUserAsync(Owner.Id, new NewUser { UserId = id, Email = id + "@example.com", Role = UserRole.Administrator, InitialPassword = "Plum-Lighthouse-Nebula-73" });
        created.Succeeded.Should().BeTrue();
        (await scope.ServiceProvider.GetRequiredService<ITwoFactorAdministrationService>().SetForcedAsync(await TestSessions.FreshAsync(scope.ServiceProvider, Owner.Id), id, forced: true)).Succeeded.Should().BeTrue();
        return id;
    }

    private async Task<IPage> UsersPageAsync(string email, string password)
    {
        var page = await NewPageAsync();
        await SubmitPasswordAsync(page, email, password);
        await OpenSectionAsync(page, "Users & Groups");
        await page.GetByTestId("users").WaitForAsync();
        return page;
    }
}
