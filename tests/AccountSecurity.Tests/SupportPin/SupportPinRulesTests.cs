using AccountSecurity.Results;
using AccountSecurity.SupportPin;
using FsCheck;
using FsCheck.Fluent;

namespace AccountSecurity.Tests.SupportPin;

public sealed class SupportPinRulesTests
{
    private static readonly SupportPinOptions Defaults = new();

    private static string[] Codes(string? pin, SupportPinOptions? options = null) =>
        [.. SupportPinRules.Validate(pin, options ?? Defaults).Select(e => e.Code)];

    [TestCase(null)]
    [TestCase("")]
    public void Validate_MissingPin_IsRequired(string? pin) =>
        Codes(pin).Should().Equal(SecurityErrorCodes.SupportPinRequired);

    [TestCase("58a039")]
    [TestCase("582 039")]
    [TestCase(" 582039")]
    [TestCase("582039\n")]
    [TestCase("５８２０３９")] // full-width digits
    [TestCase("٥٨٢٠٣٩")] // Arabic-Indic digits
    [TestCase("-582039")]
    [TestCase("5820.39")]
    public void Validate_AnythingButAsciiDigits_IsNotDigits(string pin) =>
        Codes(pin).Should().Equal(SecurityErrorCodes.SupportPinNotDigits);

    [Test]
    public void Validate_LettersAndTooShort_ReportsBoth() =>
        Codes("abc").Should().BeEquivalentTo([SecurityErrorCodes.SupportPinNotDigits, SecurityErrorCodes.SupportPinTooShort]);

    [TestCase("58203")]
    [TestCase("5")]
    public void Validate_BelowMinLength_IsTooShort(string pin) =>
        Codes(pin).Should().Equal(SecurityErrorCodes.SupportPinTooShort);

    [Test]
    public void Validate_AboveMaxLength_IsTooLong_NeverTruncated() =>
        Codes("5820394716283").Should().Equal(SecurityErrorCodes.SupportPinTooLong);

    [Test]
    public void Validate_TenThousandDigits_IsTooLong() =>
        Codes(new string('7', 10_000)).Should().Equal(SecurityErrorCodes.SupportPinTooLong);

    [Test]
    public void Validate_TenThousandCharacters_IsNotDigitsAndTooLong() =>
        Codes(new string('x', 10_000)).Should().BeEquivalentTo([SecurityErrorCodes.SupportPinNotDigits, SecurityErrorCodes.SupportPinTooLong]);

    [Test]
    public void Validate_LengthBounds_FollowOptions()
    {
        var options = new SupportPinOptions { MinLength = 8, MaxLength = 10 };
        Codes("5820394", options).Should().Equal(SecurityErrorCodes.SupportPinTooShort);
        Codes("58203947", options).Should().BeEmpty();
        Codes("5820394716", options).Should().BeEmpty();
        Codes("58203947162", options).Should().Equal(SecurityErrorCodes.SupportPinTooLong);
    }

    [TestCase("000000")]
    [TestCase("111111")]
    [TestCase("999999999999")]
    public void Validate_OneDigitRepeated_IsSameDigit(string pin) =>
        Codes(pin).Should().Equal(SecurityErrorCodes.SupportPinSameDigit);

    [TestCase("123456")]
    [TestCase("654321")]
    [TestCase("012345")]
    [TestCase("098765")]
    [TestCase("345678")]
    [TestCase("890123")] // wraps 9 -> 0
    [TestCase("210987")] // wraps 0 -> 9
    [TestCase("1234567890")]
    [TestCase("9876543210")]
    [TestCase("123456789012")]
    public void Validate_AscendingOrDescendingRun_IsSequential(string pin) =>
        Codes(pin).Should().Equal(SecurityErrorCodes.SupportPinSequential);

    [TestCase("121212")]
    [TestCase("123123")]
    [TestCase("696969")]
    [TestCase("520520")]
    [TestCase("12341234")]
    [TestCase("123321")]
    [TestCase("987789")]
    [TestCase("12344321")]
    [TestCase("112233")]
    [TestCase("998877")]
    [TestCase("111222")]
    [TestCase("111000")]
    [TestCase("11223344")]
    public void Validate_SimplePattern_IsPattern(string pin) =>
        Codes(pin).Should().Equal(SecurityErrorCodes.SupportPinPattern);

    [TestCase("147258")]
    [TestCase("159753")]
    [TestCase("789456")]
    [TestCase("102030")]
    [TestCase("520131")]
    [TestCase("314159")]
    [TestCase("5201314")]
    public void Validate_CommonPin_IsCommon(string pin) =>
        Codes(pin).Should().Equal(SecurityErrorCodes.SupportPinCommon);

    [TestCase("1987")]
    [TestCase("2024")]
    [TestCase("2580")]
    public void Validate_FourDigitYearsAndKeypadShapes_AreCommon_WhenHostAllowsFourDigits(string pin) =>
        Codes(pin, new SupportPinOptions { MinLength = 4 }).Should().Equal(SecurityErrorCodes.SupportPinCommon);

    [Test]
    public void Validate_HostBlocklist_IsCommon()
    {
        var options = new SupportPinOptions();
        options.AdditionalBlocklist.Add("582039");
        Codes("582039", options).Should().Equal(SecurityErrorCodes.SupportPinCommon);
        Codes("582039").Should().BeEmpty();
    }

    [TestCase("582039")]
    [TestCase("048213")] // leading zero
    [TestCase("007391")]
    [TestCase("9031746")]
    [TestCase("820463917254")]
    [TestCase("124357")] // almost a run
    [TestCase("121213")] // almost a repeat
    public void Validate_GoodPin_HasNoErrors(string pin) =>
        Codes(pin).Should().BeEmpty();

    [Test]
    public void ShippedBlocklist_HoldsOnlyDigitPinsThatNoStructuralRuleCatches()
    {
        CommonSupportPins.Count.Should().BeGreaterThan(100);
        var options = new SupportPinOptions { MinLength = 4, MaxLength = 32 };
        foreach (var pin in Entries())
        {
            SupportPinRules.IsAsciiDigits(pin).Should().BeTrue(pin);
            (SupportPinRules.IsSameDigit(pin) || SupportPinRules.IsRun(pin) || SupportPinRules.IsRepeatedBlock(pin)
                || SupportPinRules.IsMirroredRun(pin) || SupportPinRules.IsGroupedPattern(pin)).Should().BeFalse($"{pin} is already refused by a rule");
            SupportPinRules.Triviality(pin, options)!.Code.Should().Be(SecurityErrorCodes.SupportPinCommon);
        }

        static IEnumerable<string> Entries() =>
            typeof(CommonSupportPins).GetField("Entries", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
                .GetValue(null) is IEnumerable<string> set ? set : throw new InvalidOperationException("Entries not found.");
    }

    [Test]
    public void Validate_ErrorMessages_NeverEchoThePin()
    {
        foreach (var pin in new[] { "582a39", "48213", "5820394716283", "345678", "343434", "147258", "777777" })
        {
            SupportPinRules.Validate(pin, Defaults).Should().NotBeEmpty()
                .And.OnlyContain(e => !e.Message.Contains(pin, StringComparison.Ordinal) && !e.ToString().Contains(pin, StringComparison.Ordinal));
        }
    }

    [Test]
    public void Validate_AnyInput_NeverThrows_AndRefusesEveryNonDigit() =>
        Prop.ForAll(ArbMap.Default.ArbFor<string>(), s =>
        {
            var codes = Codes(s);
            var hasNonDigit = !string.IsNullOrEmpty(s) && !s.All(char.IsAsciiDigit);
            return !hasNonDigit || codes.Contains(SecurityErrorCodes.SupportPinNotDigits);
        }).QuickCheckThrowOnFailure();

    [Test]
    public void Validate_DigitStringsWithinBounds_GetOnlyTrivialityCodes() =>
        Prop.ForAll(
            Gen.Choose(6, 12).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, 9), n)).Select(d => string.Concat(d)).ToArbitrary(),
            pin => Codes(pin).All(c => c is SecurityErrorCodes.SupportPinSameDigit or SecurityErrorCodes.SupportPinSequential or SecurityErrorCodes.SupportPinPattern or SecurityErrorCodes.SupportPinCommon))
        .QuickCheckThrowOnFailure();

    [TestCase(null)]
    [TestCase("")]
    public void ValidateForVerification_Missing_IsRequired(string? pin) =>
        SupportPinRules.ValidateForVerification(pin)!.Code.Should().Be(SecurityErrorCodes.SupportPinRequired);

    [Test]
    public void ValidateForVerification_AcceptsShortAndTrivialPins_SetUnderOlderOptions()
    {
        SupportPinRules.ValidateForVerification("1234").Should().BeNull();
        SupportPinRules.ValidateForVerification(new string('3', 32)).Should().BeNull();
    }

    [Test]
    public void ValidateForVerification_RefusesOverlongAndNonDigits()
    {
        SupportPinRules.ValidateForVerification(new string('3', 33))!.Code.Should().Be(SecurityErrorCodes.SupportPinTooLong);
        SupportPinRules.ValidateForVerification(new string('x', 10_000))!.Code.Should().Be(SecurityErrorCodes.SupportPinTooLong);
        SupportPinRules.ValidateForVerification("58203a")!.Code.Should().Be(SecurityErrorCodes.SupportPinNotDigits);
    }
}
