using AccountSecurity.Accounts;
using AccountSecurity.Accounts.Administration;
using AccountSecurity.Results;
using static AccountSecurity.Tests.TestSupport.TestHost;

namespace AccountSecurity.Tests.Accounts;

/// <summary>The user's culture (issue 26): given at creation, changed by the user, always a well-formed tag in canonical case.</summary>
public sealed class UserCultureTests
{
    [TestCase("de-DE", "de-DE")]
    [TestCase(" de-de ", "de-DE")]
    [TestCase("EN", "en")]
    [TestCase("zh-hant-tw", "zh-Hant-TW")]
    [TestCase("sr-latn-rs", "sr-Latn-RS")]
    [TestCase("es-419", "es-419")]
    [TestCase("de-CH-x-phonebk", "de-CH-x-phonebk")]
    [TestCase(null, null)]
    [TestCase("", null)]
    [TestCase("   ", null)]
    public async Task CreateUser_WithAWellFormedOrNoCulture_StoresItInCanonicalCase(string? given, string? stored)
    {
        await using var host = Create();
        await host.SeedContractAsync();

        var result = await host.Provisioning.CreateUserAsync(OwnerId, NewUser(given));

        result.Succeeded.Should().BeTrue(result.ToString());
        result.Value.Culture.Should().Be(stored);
        (await host.UserAsync("new-user")).Culture.Should().Be(stored);
    }

    [TestCase("de_DE")]
    [TestCase("d")]
    [TestCase("deutschland-DE")]
    [TestCase("de--DE")]
    [TestCase("de-")]
    [TestCase("-de")]
    [TestCase("de-DE-toolongsubtag")]
    [TestCase("de-\u00c4T")]
    [TestCase("de-DE\u0000")]
    [TestCase("1de")]
    public async Task CreateUser_WithAMalformedCulture_IsRefusedWithCultureInvalid_AndCreatesNothing(string culture)
    {
        await using var host = Create();
        await host.SeedContractAsync();

        var result = await host.Provisioning.CreateUserAsync(OwnerId, NewUser(culture));

        result.Errors.Select(e => e.Code).Should().Equal(SecurityErrorCodes.CultureInvalid);
        (await host.Users.FindByIdAsync("new-user", CancellationToken.None)).Should().BeNull();
    }

    [Test]
    public async Task CreateUser_WithATooLongCulture_IsRefused()
    {
        await using var host = Create();
        await host.SeedContractAsync();

        var result = await host.Provisioning.CreateUserAsync(OwnerId, NewUser("de" + string.Concat(Enumerable.Repeat("-abcdefgh", 10))));

        result.Errors.Select(e => e.Code).Should().Equal(SecurityErrorCodes.CultureInvalid);
    }

    [Test]
    public async Task ChangeCulture_ByTheUser_StoresIt_WithoutChangingTheStamp_AndClearsIt()
    {
        await using var host = Create();
        await host.SeedContractAsync();
        var before = await host.UserAsync(UserId);

        var changed = await Admin(host).ChangeCultureAsync(UserId, "fr-ch");

        changed.Succeeded.Should().BeTrue(changed.ToString());
        changed.Value.Culture.Should().Be("fr-CH");
        var after = await host.UserAsync(UserId);
        after.Culture.Should().Be("fr-CH");
        after.SecurityStamp.Should().Be(before.SecurityStamp, "a culture is not a credential: no session ends");

        (await Admin(host).ChangeCultureAsync(UserId, null)).Succeeded.Should().BeTrue();
        (await host.UserAsync(UserId)).Culture.Should().BeNull();
    }

    [Test]
    public async Task ChangeCulture_ToTheSameCulture_WritesNothing()
    {
        await using var host = Create();
        await host.SeedContractAsync();
        (await Admin(host).ChangeCultureAsync(UserId, "de-DE")).Succeeded.Should().BeTrue();
        var version = (await host.UserAsync(UserId)).Version;

        (await Admin(host).ChangeCultureAsync(UserId, "DE-de")).Succeeded.Should().BeTrue();

        (await host.UserAsync(UserId)).Version.Should().Be(version);
    }

    [Test]
    public async Task ChangeCulture_Malformed_OrForAnUnknownUser_IsRefused()
    {
        await using var host = Create();
        await host.SeedContractAsync();

        (await Admin(host).ChangeCultureAsync(UserId, "not a culture")).Errors.Select(e => e.Code).Should().Equal(SecurityErrorCodes.CultureInvalid);
        (await Admin(host).ChangeCultureAsync("nobody", "de-DE")).Errors.Select(e => e.Code).Should().Equal(SecurityErrorCodes.NotFound);
        (await host.UserAsync(UserId)).Culture.Should().BeNull();
    }

    private static NewUser NewUser(string? culture) =>
        new() { UserId = "new-user", Email = "new.person@example.com", Role = UserRole.User, InitialPassword = SecondPassword, Culture = culture };

    private static IAccountAdministrationService Admin(TestSupport.TestHost host) => host.Get<IAccountAdministrationService>();
}
