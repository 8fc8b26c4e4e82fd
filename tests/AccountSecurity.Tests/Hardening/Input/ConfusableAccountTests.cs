using AccountSecurity.Accounts;
using AccountSecurity.Accounts.Administration;
using AccountSecurity.Accounts.Confusables;
using AccountSecurity.Results;
using AccountSecurity.Testing;
using AccountSecurity.Tests.TestSupport;

namespace AccountSecurity.Tests.Hardening.Input;

/// <summary>
/// Issue 8, item 12: no account may look like another. Invisible and bidi control characters are refused in e-mail
/// addresses and ids, and a new address whose UTS #39 confusable skeleton equals an existing one's in the same contract
/// is refused with <see cref="SecurityErrorCodes.EmailConfusable"/>. Strings are built in code.
/// </summary>
public sealed class ConfusableAccountTests
{
    private const string Existing = "king@example.com";

    public static IEnumerable<TestCaseData> LookAlikes()
    {
        yield return new TestCaseData("k" + '\u0131' + "ng@example.com").SetArgDisplayNames("dotless i");
        yield return new TestCaseData("k" + '\u0456' + "ng@example.com").SetArgDisplayNames("Cyrillic i");
        yield return new TestCaseData("KING@EXAMPLE.COM".Replace('I', '\u0406')).SetArgDisplayNames("Cyrillic capital I, upper case");
        yield return new TestCaseData("king@examp1e.com").SetArgDisplayNames("digit one for l");
        yield return new TestCaseData("king@exarnple.com").SetArgDisplayNames("rn for m");
        yield return new TestCaseData("k" + '\u0456' + "ng@" + '\u0435' + "xample.com").SetArgDisplayNames("mixed Cyrillic in both parts");
    }

    [TestCaseSource(nameof(LookAlikes))]
    public async Task CreateUser_AddressLookingLikeAnotherUsersInTheContract_IsRefusedAsConfusable(string lookAlike)
    {
        await using var host = await HostWithExistingAsync();

        var result = await host.Provisioning.CreateUserAsync(TestHost.OwnerId, new NewUser { UserId = "look-alike", Email = lookAlike, Role = UserRole.User, InitialPassword = TestHost.SecondPassword });

        result.HasError(SecurityErrorCodes.EmailConfusable).Should().BeTrue(result.ToString());
        result.Errors.Single().Message.Should().NotContain(Existing, "the other user's address is not echoed");
        (await host.Users.FindByIdAsync("look-alike", CancellationToken.None)).Should().BeNull();
    }

    [TestCase("kind@example.com")]
    [TestCase("king2@example.com")]
    [TestCase("king@example.org")]
    [TestCase("klng@example.com")]
    public async Task CreateUser_ClearlyDifferentAddress_IsAccepted(string different)
    {
        await using var host = await HostWithExistingAsync();

        var result = await host.Provisioning.CreateUserAsync(TestHost.OwnerId, new NewUser { UserId = "different", Email = different, Role = UserRole.User, InitialPassword = TestHost.SecondPassword });

        result.Succeeded.Should().BeTrue(result.ToString());
    }

    [Test]
    public async Task CreateUser_SameAddressInOtherCase_IsADuplicateNotAConfusable()
    {
        await using var host = await HostWithExistingAsync();

        var result = await host.Provisioning.CreateUserAsync(TestHost.OwnerId, new NewUser { UserId = "again", Email = "KING@example.com", Role = UserRole.User, InitialPassword = TestHost.SecondPassword });

        result.HasError(SecurityErrorCodes.Duplicate).Should().BeTrue(result.ToString());
    }

    // Issue 23, finding 7: the skeleton is taken of the address as written, before any case folding, so a capital I
    // (whose prototype is l) is caught; folding first turned it into an i and let it through. "lLYA@EXAMPLE.COM" looks like
    // "ILYA@EXAMPLE.COM", the upper case of "ilya@example.com".
    [TestCase("admin@example.com", "admin@exampIe.com")]
    [TestCase("admin@exampIe.com", "admin@example.com")]
    [TestCase("paypal@example.com", "paypaI@example.com")]
    [TestCase("ilya@example.com", "lLYA@EXAMPLE.COM")]
    [TestCase("lLYA@EXAMPLE.COM", "ilya@example.com")]
    public async Task CreateUser_CapitalIForLowercaseL_IsRefusedAsConfusable_WhicheverCameFirst(string existing, string lookAlike)
    {
        await using var host = await HostWithAsync(existing);

        var result = await host.Provisioning.CreateUserAsync(TestHost.OwnerId, new NewUser { UserId = "look-alike", Email = lookAlike, Role = UserRole.User, InitialPassword = TestHost.SecondPassword });

        result.HasError(SecurityErrorCodes.EmailConfusable).Should().BeTrue(result.ToString());
        (await host.Users.FindByIdAsync("look-alike", CancellationToken.None)).Should().BeNull();
    }

    [Test]
    public async Task ChangeEmail_ToACapitalIForLowercaseLLookAlike_IsRefusedAsConfusable()
    {
        await using var host = await HostWithAsync("admin@example.com");

        var result = await host.Get<IAccountAdministrationService>().ChangeEmailAsync(await TestSessions.FreshAsync(host.Services, TestHost.OwnerId), TestHost.UserId, "admin@exampIe.com", currentPassword: null);

        result.HasError(SecurityErrorCodes.EmailConfusable).Should().BeTrue(result.ToString());
    }

    [TestCase("admin@example.com", "ADMIN@EXAMPLE.COM")]
    [TestCase("ADMIN@EXAMPLE.COM", "admin@example.com")]
    [TestCase("Admin@Example.com", "aDMIN@eXAMPLE.COM")]
    public async Task CreateUser_SameAddressInOtherCase_IsADuplicate_WhicheverCameFirst(string existing, string other)
    {
        await using var host = await HostWithAsync(existing);

        var result = await host.Provisioning.CreateUserAsync(TestHost.OwnerId, new NewUser { UserId = "again", Email = other, Role = UserRole.User, InitialPassword = TestHost.SecondPassword });

        result.HasError(SecurityErrorCodes.Duplicate).Should().BeTrue(result.ToString());
    }

    [TestCase("king@example.com", "KLNG@example.com")]
    [TestCase("KING@example.com", "klng@example.com")]
    [TestCase("bill@example.com", "BIII@example.com")]
    public async Task CreateUser_CapitalIBesideCapitalOrLowercaseLThatDoNotLookAlike_IsAccepted(string existing, string other)
    {
        await using var host = await HostWithAsync(existing);

        var result = await host.Provisioning.CreateUserAsync(TestHost.OwnerId, new NewUser { UserId = "different", Email = other, Role = UserRole.User, InitialPassword = TestHost.SecondPassword });

        result.Succeeded.Should().BeTrue(result.ToString());
    }

    [Test]
    public async Task CreateContract_OwnerLookingLikeAUserOfAnotherContract_IsAccepted()
    {
        await using var host = await HostWithExistingAsync();

        var result = await host.Provisioning.CreateContractAsync(new NewContract { ContractId = "contract-2", ContractName = "Two", OwnerUserId = "owner-2", OwnerEmail = "k" + '\u0131' + "ng@example.com", OwnerPassword = TestHost.SecondPassword });

        result.Succeeded.Should().BeTrue("the rule is per contract: " + result);
    }

    public static IEnumerable<TestCaseData> InvisibleOrBidi()
    {
        yield return new TestCaseData("admin" + '\u200B' + "A").SetArgDisplayNames("zero-width space");
        yield return new TestCaseData("admin" + '\u200D' + "A").SetArgDisplayNames("zero-width joiner");
        yield return new TestCaseData("admin" + '\u00AD' + "A").SetArgDisplayNames("soft hyphen");
        yield return new TestCaseData('\uFEFF' + "adminA").SetArgDisplayNames("byte-order mark");
        yield return new TestCaseData("admin" + '\u202E' + "A").SetArgDisplayNames("right-to-left override");
        yield return new TestCaseData("admin" + '\u2067' + "A").SetArgDisplayNames("right-to-left isolate");
        yield return new TestCaseData("admin" + '\u200F' + "A").SetArgDisplayNames("right-to-left mark");
        yield return new TestCaseData("admin" + '\u3164' + "A").SetArgDisplayNames("Hangul filler");
        yield return new TestCaseData("admin" + '\uFE0F' + "A").SetArgDisplayNames("variation selector");
        yield return new TestCaseData("admin" + char.ConvertFromUtf32(0xE0041) + "A").SetArgDisplayNames("tag character");
    }

    [TestCaseSource(nameof(InvisibleOrBidi))]
    public async Task CreateUser_InvisibleOrBidiCharacterInAddressOrId_IsInvalidInput(string local)
    {
        await using var host = await HostWithExistingAsync();

        var byEmail = await host.Provisioning.CreateUserAsync(TestHost.OwnerId, new NewUser { UserId = "new-user", Email = local + "@example.com", Role = UserRole.User, InitialPassword = TestHost.SecondPassword });
        var byId = await host.Provisioning.CreateUserAsync(TestHost.OwnerId, new NewUser { UserId = local, Email = "new-user@example.com", Role = UserRole.User, InitialPassword = TestHost.SecondPassword });

        byEmail.HasError(SecurityErrorCodes.InvalidInput).Should().BeTrue(byEmail.ToString());
        byId.HasError(SecurityErrorCodes.InvalidInput).Should().BeTrue(byId.ToString());
        EmailAddress.IsPlausible(local + "@example.com").Should().BeFalse();
    }

    [Test]
    public void Skeleton_LoadsEveryMappingOfTheEmbeddedData()
    {
        ConfusableSkeleton.MappingCount.Should().Be(6294);
    }

    [Test]
    public void Skeleton_FollowsUts39()
    {
        // Examples whose prototypes confusables.txt 10.0.0 fixes: Cyrillic а -> a, "m" -> "rn", "0" -> "O", "I" -> "l".
        ConfusableSkeleton.Skeleton("p" + '\u0430' + "ypal").Should().Be("paypal");
        ConfusableSkeleton.Skeleton("m").Should().Be("rn");
        ConfusableSkeleton.Skeleton("0").Should().Be("O");
        ConfusableSkeleton.Skeleton("I").Should().Be("l");
    }

    [TestCase("KING", "k\u0131ng", true)]
    [TestCase("exampIe", "example", true)]
    [TestCase("EXAMPLE", "example", true)]
    [TestCase("k0de", "KODE", true)]
    [TestCase("KING", "KLNG", false)]
    [TestCase("king", "klng", false)]
    [TestCase("bill", "BIII", false)]
    public void LookAlikeKeys_CollideForLookAlikesInAnyCase_AndKeepCapitalIAndLApart(string first, string second, bool lookAlike)
    {
        LookAlikeKeys.Of(first).LookAlike(LookAlikeKeys.Of(second)).Should().Be(lookAlike);
        LookAlikeKeys.Of(second).LookAlike(LookAlikeKeys.Of(first)).Should().Be(lookAlike, "the relation is symmetric");
    }

    private static async Task<TestHost> HostWithAsync(string existingEmail)
    {
        var host = TestHost.Create();
        await host.SeedContractAsync();
        var existing = await host.Provisioning.CreateUserAsync(TestHost.OwnerId, new NewUser { UserId = "existing", Email = existingEmail, Role = UserRole.User, InitialPassword = TestHost.SecondPassword });
        existing.Succeeded.Should().BeTrue(existing.ToString());
        return host;
    }

    private static async Task<TestHost> HostWithExistingAsync()
    {
        var host = TestHost.Create();
        await host.SeedContractAsync();
        var existing = await host.Provisioning.CreateUserAsync(TestHost.OwnerId, new NewUser { UserId = "king", Email = Existing, Role = UserRole.User, InitialPassword = TestHost.SecondPassword });
        existing.Succeeded.Should().BeTrue(existing.ToString());
        return host;
    }
}
