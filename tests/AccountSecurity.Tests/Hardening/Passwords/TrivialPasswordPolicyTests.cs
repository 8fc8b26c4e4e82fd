using AccountSecurity.Passwords.Policy;
using AccountSecurity.Results;
using AccountSecurity.Testing;
using AccountSecurity.Tests.TestSupport;

namespace AccountSecurity.Tests.Hardening.Passwords;

/// <summary>
/// Issue 8, item 10: the default policy refuses passwords that are trivial however long they are — control
/// characters, whitespace only, invisible only, long runs of one character, and common passwords with simple
/// suffixes or look-alike substitutions — each with its own code, all reported together, without refusing strong
/// passphrases that merely contain a common word. Strings are built in code: attributes cannot hold every character.
/// </summary>
public sealed class TrivialPasswordPolicyTests
{
    private const string Email = "jane.doe@example.com";
    private static readonly PasswordPolicySettings Default = PasswordPolicySettings.Default;
    private readonly DefaultPasswordPolicy _policy = new();

    private static IEnumerable<TestCaseData> IssueExamples()
    {
        yield return new TestCaseData(new string(' ', 12), new[] { SecurityErrorCodes.PasswordWhitespaceOnly, SecurityErrorCodes.PasswordRepeatedCharacters }).SetArgDisplayNames("12 spaces");
        yield return new TestCaseData(new string('\t', 12), new[] { SecurityErrorCodes.PasswordControlCharacters, SecurityErrorCodes.PasswordWhitespaceOnly, SecurityErrorCodes.PasswordRepeatedCharacters }).SetArgDisplayNames("12 tabs");
        yield return new TestCaseData(new string('\u200B', 12), new[] { SecurityErrorCodes.PasswordInvisibleOnly, SecurityErrorCodes.PasswordRepeatedCharacters }).SetArgDisplayNames("12 zero-width spaces");
        yield return new TestCaseData(new string('\u0301', 12), new[] { SecurityErrorCodes.PasswordInvisibleOnly, SecurityErrorCodes.PasswordRepeatedCharacters }).SetArgDisplayNames("12 combining acute accents");
        yield return new TestCaseData("\u0301\u0300\u0302\u0303\u0308\u030A\u0301\u0300\u0302\u0303\u0308\u030A", new[] { SecurityErrorCodes.PasswordInvisibleOnly }).SetArgDisplayNames("12 different combining marks");
        yield return new TestCaseData("\u200B\u200C\u200D\u2060\uFEFF\u200E\u200F\u202A\u202C\u2061\u2062\u2063", new[] { SecurityErrorCodes.PasswordInvisibleOnly }).SetArgDisplayNames("12 different format characters");
        yield return new TestCaseData("\u3164\u3164\u3164\u3164 \u2800\u2800\u2800\u2800 \u115F\u115F", new[] { SecurityErrorCodes.PasswordInvisibleOnly }).SetArgDisplayNames("filler letters and blank braille");
        yield return new TestCaseData("aaaaaaaaaaaa", new[] { SecurityErrorCodes.PasswordRepeatedCharacters }).SetArgDisplayNames("aaaaaaaaaaaa");
        yield return new TestCaseData("password123456", new[] { SecurityErrorCodes.PasswordCommonVariant }).SetArgDisplayNames("password123456");
        yield return new TestCaseData("P@ssw0rd12345", new[] { SecurityErrorCodes.PasswordCommonVariant }).SetArgDisplayNames("P@ssw0rd12345");
        yield return new TestCaseData("violet-Anchor\u0001-29-quiet", new[] { SecurityErrorCodes.PasswordControlCharacters }).SetArgDisplayNames("U+0001 inside");
        yield return new TestCaseData("violet-Anchor\t29-quiet", new[] { SecurityErrorCodes.PasswordControlCharacters }).SetArgDisplayNames("tab inside");
        yield return new TestCaseData("violet-Anchor\r\n29-quiet", new[] { SecurityErrorCodes.PasswordControlCharacters }).SetArgDisplayNames("CR LF inside");
        yield return new TestCaseData("violet-Anchor\u0085-29-quiet", new[] { SecurityErrorCodes.PasswordControlCharacters }).SetArgDisplayNames("C1 control NEL inside");
        yield return new TestCaseData("violet-Anchor\u2028-29-quiet", new[] { SecurityErrorCodes.PasswordControlCharacters }).SetArgDisplayNames("line separator inside");
        yield return new TestCaseData("violet-Anchor-29-quiet\u007F", new[] { SecurityErrorCodes.PasswordControlCharacters }).SetArgDisplayNames("DEL at the end");
    }

    [TestCaseSource(nameof(IssueExamples))]
    public void Validate_TrivialPassword_IsRefusedWithItsOwnCodes(string candidate, string[] expected)
    {
        var errors = _policy.Validate(candidate, Email, Default);

        errors.Select(e => e.Code).Should().BeEquivalentTo(expected);
        errors.Should().OnlyContain(e => !string.IsNullOrWhiteSpace(e.Message));
    }

    private static IEnumerable<TestCaseData> CommonVariants()
    {
        foreach (var candidate in new[]
        {
            "password123456", "Password2024!!", "P@ssw0rd12345", "p@$$w0rd2024", "!!password2024", "2024password!!",
            "Dr@g0n2024!!", "M0nk3y123456", "$unshine1234", "1qaz2wsx!!!!", "Sh@d0w-2024-!!", "letmein 12345",
            "PASSWORD 123 !", "Qwertyuiop-2024", "Trustno1!2345", "f00tb@ll12345",
        })
        {
            yield return new TestCaseData(candidate).SetArgDisplayNames(candidate);
        }
    }

    [TestCaseSource(nameof(CommonVariants))]
    public void Validate_CommonPasswordWithSuffixOrLookAlikes_IsRefusedAsCommonVariant(string candidate)
    {
        _policy.Validate(candidate, Email, Default).Select(e => e.Code).Should().Contain(SecurityErrorCodes.PasswordCommonVariant);
    }

    [Test]
    public void Validate_CommonVariantWithBlocklistOff_IsAccepted()
    {
        _policy.Validate("password123456", Email, Default with { BlockCommonPasswords = false }).Should().BeEmpty();
        _policy.Validate("P@ssw0rd12345", Email, Default with { BlockCommonPasswords = false }).Should().BeEmpty();
    }

    [Test]
    public void Validate_ExactlyCommonPassword_IsReportedOnceAsCommon()
    {
        _policy.Validate("password1234", Email, Default).Select(e => e.Code).Should().Equal(SecurityErrorCodes.PasswordCommon);
    }

    private static IEnumerable<TestCaseData> StrongPasswords()
    {
        foreach (var candidate in new[]
        {
            TestHost.InitialPassword, TestHost.SecondPassword, TestHost.ThirdPassword, TestHost.FourthPassword,
            "correct horse battery staple", "purple monkey dishwasher 42", "Dragon-Fruit-Salad-2024", "password manager keeps 9 secrets",
            "Sunshine over 3 quiet hills!", "monkey-Quartz-Saffron-88", "my dragon likes 2 biscuits", "letmein-said-the-Cobalt-fox",
            "Hmmmm-violet-Anchor-29", "Zebraaaa-Quartz-1999", "password1234-Zebra-Quartz", "kq7#Zm2!pWxy", "1000-lanterns-over-Kyoto",
            "8471920573619042", "Xk9!mQ2$vL7#pR4", "\u65E5\u672C\u8A9E\u306E\u30D1\u30B9\u30EF\u30FC\u30C9\u3067\u3059\u306D",
            "\u0395\u03BB\u03BB\u03B7\u03BD\u03B9\u03BA\u03AC-\u03BA\u03C9\u03B4\u03B9\u03BA\u03CC\u03C2",
            "\U0001F600\U0001F603\U0001F604\U0001F601\U0001F606\U0001F605\U0001F923\U0001F602\U0001F642\U0001F643\U0001F609\U0001F60A",
            "cafe\u0301-violet-Anchor-29", "a\u200Bb\u200Cc\u200Dd-violet-Anchor", "violet Anchor 29 quiet",
        })
        {
            yield return new TestCaseData(candidate).SetArgDisplayNames(candidate.Length > 30 ? candidate[..30] : candidate);
        }
    }

    [TestCaseSource(nameof(StrongPasswords))]
    public void Validate_StrongPasswordsAndPassphrasesContainingCommonWords_AreAccepted(string candidate)
    {
        _policy.Validate(candidate, Email, Default).Should().BeEmpty();
    }

    [Test]
    public void Validate_RunOfOneCharacter_FourAllowedFiveRefused()
    {
        var four = "violet-Anchor-29-" + new string('x', DefaultPasswordPolicy.MaximumRepeatedCharacters);
        var five = four + "x";

        _policy.Validate(four, Email, Default).Should().BeEmpty();
        _policy.Validate(five, Email, Default).Select(e => e.Code).Should().Equal(SecurityErrorCodes.PasswordRepeatedCharacters);
        _policy.Validate("violet-Anchor-29-xXxXx", Email, Default).Select(e => e.Code).Should().Equal([SecurityErrorCodes.PasswordRepeatedCharacters], "runs are compared case-insensitively");
    }

    [Test]
    public void Validate_ManyTrivialProblems_AreReportedTogetherWithDistinctCodesAndMessages()
    {
        var errors = _policy.Validate("\t\t\t\t\t\t", Email, Default);

        errors.Select(e => e.Code).Should().BeEquivalentTo(
            SecurityErrorCodes.PasswordTooShort, SecurityErrorCodes.PasswordControlCharacters, SecurityErrorCodes.PasswordWhitespaceOnly, SecurityErrorCodes.PasswordRepeatedCharacters);
        errors.Select(e => e.Message).Should().OnlyHaveUniqueItems();
    }

    [Test]
    public void Validate_EveryNewCode_HasAMessageThatSaysWhatToDo()
    {
        var all = new[] { new string('\t', 12), new string('\u200B', 12), "password123456" }.SelectMany(p => _policy.Validate(p, Email, Default)).ToList();

        all.Select(e => e.Code).Should().Contain([SecurityErrorCodes.PasswordControlCharacters, SecurityErrorCodes.PasswordWhitespaceOnly, SecurityErrorCodes.PasswordInvisibleOnly,
            SecurityErrorCodes.PasswordRepeatedCharacters, SecurityErrorCodes.PasswordCommonVariant]);
        all.Should().OnlyContain(e => e.Message.Length > 20 && !e.Message.Contains("password123456", StringComparison.Ordinal));
    }

    [Test]
    public async Task ChangePassword_ToACommonVariant_IsRefusedWithTheVariantCode()
    {
        await using var host = TestHost.Create();
        await host.SeedContractAsync();

        var result = await host.Change.ChangePasswordAsync(TestSessions.Of(TestHost.UserId), TestHost.InitialPassword, "P@ssw0rd12345", "P@ssw0rd12345");

        result.HasError(SecurityErrorCodes.PasswordCommonVariant).Should().BeTrue(result.ToString());
    }
}
