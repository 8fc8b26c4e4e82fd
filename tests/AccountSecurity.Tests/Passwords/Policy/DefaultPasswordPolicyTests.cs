using AccountSecurity.Passwords.Policy;
using AccountSecurity.Results;
using AccountSecurity.Tests.TestSupport;

namespace AccountSecurity.Tests.Passwords.Policy;

public sealed class DefaultPasswordPolicyTests
{
    private const string Email = "jane.doe@example.com";
    private static readonly PasswordPolicySettings Default = PasswordPolicySettings.Default;
    private readonly DefaultPasswordPolicy _policy = new();

    private static string Codes(IEnumerable<Results.SecurityError> errors) => string.Join(",", errors.Select(e => e.Code));

    [Test]
    public void Validate_GoodPasswordUnderDefault_ReturnsNoErrors()
    {
        _policy.Validate("violet-Anchor-29-quiet", Email, Default).Should().BeEmpty();
    }

    [Test]
    public void Validate_OneShortOfMinimumLength_ReturnsTooShort()
    {
        var settings = Default with { MinimumLength = 12 };

        _policy.Validate("kq7#Zm2!pWx", Email, settings).Select(e => e.Code).Should().Equal(SecurityErrorCodes.PasswordTooShort);
        _policy.Validate("kq7#Zm2!pWxy", Email, settings).Should().BeEmpty();
    }

    [Test]
    public void Validate_OneOverMaximumLength_ReturnsTooLong()
    {
        var settings = Default with { MaximumLength = 64 };
        var atMaximum = string.Concat(Enumerable.Repeat("kq7#Zm2!", 8));

        _policy.Validate(atMaximum, Email, settings).Should().BeEmpty();
        _policy.Validate(atMaximum + "x", Email, settings).Select(e => e.Code).Should().Equal(SecurityErrorCodes.PasswordTooLong);
    }

    [Test]
    public void Validate_DefaultPolicy_AllowsUpTo128AndRefuses129()
    {
        var at128 = string.Concat(Enumerable.Repeat("kq7#Zm2!", 16));

        _policy.Validate(at128, Email, Default).Should().BeEmpty();
        _policy.Validate(at128 + "x", Email, Default).Select(e => e.Code).Should().Equal(SecurityErrorCodes.PasswordTooLong);
    }

    [TestCase("nodigitshere-Abc!", nameof(PasswordPolicySettings.MinimumDigits), SecurityErrorCodes.PasswordRequiresDigit)]
    [TestCase("no-upper-case-1!", nameof(PasswordPolicySettings.MinimumUppercase), SecurityErrorCodes.PasswordRequiresUppercase)]
    [TestCase("NO-LOWER-CASE-1!", nameof(PasswordPolicySettings.MinimumLowercase), SecurityErrorCodes.PasswordRequiresLowercase)]
    [TestCase("NoSpecialChars123", nameof(PasswordPolicySettings.MinimumSpecial), SecurityErrorCodes.PasswordRequiresSpecial)]
    public void Validate_MissingCharacterClass_ReturnsItsCode(string candidate, string setting, string expectedCode)
    {
        var settings = WithMinimum(setting, 1);

        _policy.Validate(candidate, Email, settings).Select(e => e.Code).Should().Equal(expectedCode);
        _policy.Validate(candidate, Email, Default).Should().BeEmpty("the default policy has no composition minimums");
    }

    [TestCase(nameof(PasswordPolicySettings.MinimumDigits), "Violetanchor-1", "Violetanchor-12", SecurityErrorCodes.PasswordRequiresDigit)]
    [TestCase(nameof(PasswordPolicySettings.MinimumUppercase), "Violetanchor-1", "VIoletanchor-1", SecurityErrorCodes.PasswordRequiresUppercase)]
    [TestCase(nameof(PasswordPolicySettings.MinimumLowercase), "VIOLETANCHOr-1", "VIOLETANCHor-1", SecurityErrorCodes.PasswordRequiresLowercase)]
    [TestCase(nameof(PasswordPolicySettings.MinimumSpecial), "Violetanchor-1", "Violetanchor-1!", SecurityErrorCodes.PasswordRequiresSpecial)]
    public void Validate_CharacterClassMinimumOfTwo_CountsOccurrences(string setting, string oneOfThem, string twoOfThem, string expectedCode)
    {
        var settings = WithMinimum(setting, 2);

        _policy.Validate(oneOfThem, Email, settings).Select(e => e.Code).Should().Equal(expectedCode);
        _policy.Validate(twoOfThem, Email, settings).Should().BeEmpty();
    }

    [Test]
    public void Validate_SpaceAndPunctuation_CountAsSpecial()
    {
        var settings = Default with { MinimumSpecial = 2 };

        _policy.Validate("correct horse.battery", Email, settings).Should().BeEmpty();
    }

    [TestCase("Password1234")]
    [TestCase("PASSWORD1234")]
    [TestCase("password1234")]
    [TestCase("passwordpassword")]
    public void Validate_CommonPassword_ReturnsCommonWhateverTheCase(string candidate)
    {
        _policy.Validate(candidate, Email, Default).Select(e => e.Code).Should().Equal(SecurityErrorCodes.PasswordCommon);
    }

    [Test]
    public void Validate_CommonPasswordInsideLongerPassword_IsNotRefused()
    {
        _policy.Validate("password1234-Zebra-Quartz", Email, Default).Should().BeEmpty("only the whole password is matched against the list");
    }

    [Test]
    public void Validate_CommonPasswordWithBlocklistOff_IsAccepted()
    {
        _policy.Validate("Password1234", Email, Default with { BlockCommonPasswords = false }).Should().BeEmpty();
    }

    [Test]
    public void CommonPasswordList_HasAtLeastTenThousandEntries()
    {
        CommonPasswordList.Count.Should().BeGreaterThanOrEqualTo(10_000);
        CommonPasswordList.Contains("password1234").Should().BeTrue();
    }

    [TestCase("my-jane.doe@example.com-pw")]
    [TestCase("MY-JANE.DOE@EXAMPLE.COM")]
    [TestCase("Zebra-Jane.Doe-Quartz")]
    [TestCase("zebrajane.doequartz")]
    public void Validate_PasswordContainingEmailOrLocalPart_ReturnsContainsEmail(string candidate)
    {
        _policy.Validate(candidate, Email, Default).Select(e => e.Code).Should().Equal(SecurityErrorCodes.PasswordContainsEmail);
    }

    [Test]
    public void Validate_EmailCheckOff_AcceptsPasswordContainingEmail()
    {
        _policy.Validate("Zebra-Jane.Doe-Quartz", Email, Default with { RejectEmail = false }).Should().BeEmpty();
    }

    [Test]
    public void Validate_VeryShortLocalPart_IsNotSearchedFor()
    {
        _policy.Validate("Zebra-jd-Quartz-77", "jd@example.com", Default).Should().BeEmpty();
    }

    [Test]
    public void Validate_NoEmail_SkipsTheEmailCheck()
    {
        _policy.Validate("Zebra-Jane.Doe-Quartz", (string?)null, Default).Should().BeEmpty();
    }

    [Test]
    public void Validate_FullWidthCommonPassword_IsNormalisedThenRefusedAsCommon()
    {
        // Full-width "Password1234": NFKC turns it into ASCII, which is on the list.
        const string fullWidth = "\uFF30\uFF41\uFF53\uFF53\uFF57\uFF4F\uFF52\uFF44\uFF11\uFF12\uFF13\uFF14";

        _policy.Validate(fullWidth, Email, Default).Select(e => e.Code).Should().Equal(SecurityErrorCodes.PasswordCommon);
    }

    [Test]
    public void Validate_Ligatures_CountAfterNormalisation()
    {
        // Ten UTF-16 characters, but each "ﬃ" ligature is three letters after NFKC: 14 code points.
        const string withLigatures = "\uFB03\uFB03kq7#Zm2!";
        withLigatures.Length.Should().Be(10);

        _policy.Validate(withLigatures, Email, Default with { MinimumLength = 12 }).Should().BeEmpty();
        _policy.Validate(withLigatures, Email, Default with { MinimumLength = 15 }).Select(e => e.Code).Should().Equal(SecurityErrorCodes.PasswordTooShort);
    }

    [Test]
    public void Validate_LigaturesThatExpandBeyondMaximum_AreTooLong()
    {
        // 64 UTF-16 characters, 66 code points after NFKC.
        var candidate = "\uFB03" + string.Concat(Enumerable.Repeat("kq7#Zm2!", 8))[1..];
        candidate.Length.Should().Be(64);

        _policy.Validate(candidate, Email, Default with { MaximumLength = 64 }).Select(e => e.Code).Should().Equal(SecurityErrorCodes.PasswordTooLong);
    }

    [Test]
    public void Validate_ManyProblems_ReturnsEveryViolationWithDistinctCodesAndMessages()
    {
        var settings = Default with { MinimumLength = 12, MinimumDigits = 1, MinimumUppercase = 1, MinimumSpecial = 1 };

        var errors = _policy.Validate("password", "password@example.com", settings);

        errors.Select(e => e.Code).Should().BeEquivalentTo(
            SecurityErrorCodes.PasswordTooShort,
            SecurityErrorCodes.PasswordRequiresDigit,
            SecurityErrorCodes.PasswordRequiresUppercase,
            SecurityErrorCodes.PasswordRequiresSpecial,
            SecurityErrorCodes.PasswordCommon,
            SecurityErrorCodes.PasswordContainsEmail);
        errors.Select(e => e.Code).Should().OnlyHaveUniqueItems();
        errors.Should().OnlyContain(e => !string.IsNullOrWhiteSpace(e.Message));
        errors.Select(e => e.Message).Should().OnlyHaveUniqueItems();
    }

    [Test]
    public void Validate_AllCompositionRulesBroken_ReturnsLowercaseTooAlongsideOthers()
    {
        var settings = Default with { MinimumLength = 12, MinimumDigits = 1, MinimumLowercase = 1, MinimumSpecial = 1 };

        // "ABCDEFG" is also a sequence (issue 23): that is reported alongside, last.
        Codes(_policy.Validate("ABCDEFG", Email, settings)).Should().Be(string.Join(",",
            SecurityErrorCodes.PasswordTooShort, SecurityErrorCodes.PasswordRequiresDigit, SecurityErrorCodes.PasswordRequiresLowercase, SecurityErrorCodes.PasswordRequiresSpecial,
            SecurityErrorCodes.PasswordSequence));
    }

    [TestCaseSource(typeof(UnusableInputs), nameof(UnusableInputs.WithCodes))]
    public void Validate_UnusableInput_ReturnsClearCodeWithoutThrowing(string? candidate, string expectedCode)
    {
        var act = () => _policy.Validate(candidate, Email, Default);

        var errors = act.Should().NotThrow().Subject;
        errors.Select(e => e.Code).Should().Equal(expectedCode);
        errors.Should().OnlyContain(e => !string.IsNullOrWhiteSpace(e.Message));
    }

    [Test]
    public void Validate_ValidSurrogatePair_IsAcceptedAndCountsAsOneCharacter()
    {
        // 11 ASCII characters plus one emoji (two UTF-16 units, one code point) = 12 code points.
        _policy.Validate("kq7#Zm2!pWx\U0001F600", Email, Default with { MinimumLength = 12 }).Should().BeEmpty();
        _policy.Validate("kq7#Zm2!pW\U0001F600", Email, Default with { MinimumLength = 12 }).Select(e => e.Code).Should().Equal(SecurityErrorCodes.PasswordTooShort);
    }

    private static PasswordPolicySettings WithMinimum(string setting, int value) => setting switch
    {
        nameof(PasswordPolicySettings.MinimumDigits) => Default with { MinimumDigits = value },
        nameof(PasswordPolicySettings.MinimumUppercase) => Default with { MinimumUppercase = value },
        nameof(PasswordPolicySettings.MinimumLowercase) => Default with { MinimumLowercase = value },
        nameof(PasswordPolicySettings.MinimumSpecial) => Default with { MinimumSpecial = value },
        _ => throw new ArgumentOutOfRangeException(nameof(setting)),
    };
}
