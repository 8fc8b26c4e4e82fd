using System.Diagnostics;
using AccountSecurity.Passwords;
using AccountSecurity.Passwords.Policy;
using AccountSecurity.Results;
using AccountSecurity.Testing;
using AccountSecurity.Tests.TestSupport;
using FsCheck;
using FsCheck.Fluent;

namespace AccountSecurity.Tests.Passwords.Policy;

/// <summary>
/// Issue 23, finding 6: passwords that are mostly a repeated chunk, a sequence, a keyboard walk or the user's own
/// e-mail words are refused under the default policy, each with its own code, while passphrases and strong passwords
/// that merely contain such a part are accepted.
/// </summary>
public sealed class PredictablePatternPolicyTests
{
    private const string Email = "jane.doe@example.com";
    private static readonly PasswordPolicySettings Default = PasswordPolicySettings.Default;
    private static readonly Config PropertyConfig = Config.QuickThrowOnFailure.WithMaxTest(300);
    private readonly DefaultPasswordPolicy _policy = new();

    private static readonly string[] PatternCodes =
        [SecurityErrorCodes.PasswordRepeatedPattern, SecurityErrorCodes.PasswordSequence, SecurityErrorCodes.PasswordKeyboardWalk, SecurityErrorCodes.PasswordContextWords];

    private IEnumerable<string> Codes(string candidate, string? email = Email, PasswordPolicySettings? settings = null) =>
        _policy.Validate(candidate, email, settings ?? Default).Select(e => e.Code);

    /// <summary>The nine passwords the adversarial review found accepted, with the code each must now get.</summary>
    private static IEnumerable<TestCaseData> ReviewFindings()
    {
        yield return Case("abababababab", SecurityErrorCodes.PasswordRepeatedPattern);
        yield return Case("abcabcabcabc", SecurityErrorCodes.PasswordRepeatedPattern);
        yield return Case("121212121212", SecurityErrorCodes.PasswordRepeatedPattern);
        yield return Case("123123123123", SecurityErrorCodes.PasswordRepeatedPattern);
        yield return Case("monkeymonkeymonkey", SecurityErrorCodes.PasswordRepeatedPattern);
        yield return Case("qwertyuiopas", SecurityErrorCodes.PasswordKeyboardWalk);
        yield return Case("zxcvbnmasdfg", SecurityErrorCodes.PasswordKeyboardWalk);
        yield return Case("abcdefghijkl", SecurityErrorCodes.PasswordSequence);
        yield return Case("exampleexample", SecurityErrorCodes.PasswordContextWords);
    }

    private static TestCaseData Case(string candidate, string code) => new TestCaseData(candidate, code).SetArgDisplayNames(candidate);

    [TestCaseSource(nameof(ReviewFindings))]
    public void Validate_ReviewFinding_IsRefusedWithItsPatternCodeAlone(string candidate, string expectedCode)
    {
        var errors = _policy.Validate(candidate, Email, Default);

        errors.Select(e => e.Code).Should().Equal(expectedCode);
        errors.Should().OnlyContain(e => e.Message.Length > 40);
    }

    [TestCaseSource(nameof(ReviewFindings))]
    public void Validate_ReviewFinding_WithPatternsSwitchedOff_IsAccepted(string candidate, string expectedCode)
    {
        _ = expectedCode;

        _policy.Validate(candidate, Email, Default with { RejectPredictablePatterns = false }).Should().BeEmpty();
    }

    [TestCaseSource(nameof(ReviewFindings))]
    public void Validate_ReviewFinding_WhateverTheCase_IsRefused(string candidate, string expectedCode)
    {
        Codes(candidate.ToUpperInvariant()).Should().Contain(expectedCode);
        Codes(string.Concat(candidate.Select((c, i) => i % 3 == 0 ? char.ToUpperInvariant(c) : c))).Should().Contain(expectedCode);
    }

    private static IEnumerable<TestCaseData> MorePatterns()
    {
        // QWERTZ (the modelled console is German), AZERTY, backwards, columns and the keypad.
        yield return Case("qwertzuiopas", SecurityErrorCodes.PasswordKeyboardWalk);
        yield return Case("yxcvbnmasdfg", SecurityErrorCodes.PasswordKeyboardWalk);
        yield return Case("poiuztrewq12", SecurityErrorCodes.PasswordKeyboardWalk);
        yield return Case("\u00E4\u00F6lkjhgfdsa#+", SecurityErrorCodes.PasswordKeyboardWalk);
        yield return Case("azertyuiopqs", SecurityErrorCodes.PasswordKeyboardWalk);
        yield return Case("1qaz2wsx3edc", SecurityErrorCodes.PasswordKeyboardWalk);
        yield return Case("1qay2wsx3edc4rfv", SecurityErrorCodes.PasswordKeyboardWalk);
        yield return Case("147258369147", SecurityErrorCodes.PasswordKeyboardWalk);
        yield return Case("mnbvcxzlkjhg", SecurityErrorCodes.PasswordKeyboardWalk);
        yield return Case("zyxwvutsrqpo", SecurityErrorCodes.PasswordSequence);
        yield return Case("0987654321ab", SecurityErrorCodes.PasswordSequence);
        yield return Case("abcdef123456", SecurityErrorCodes.PasswordSequence);
        yield return Case("1234567890123", SecurityErrorCodes.PasswordSequence);
        yield return Case("\u0430\u0431\u0432\u0433\u0434\u0435\u0436\u0437\u0438\u0439\u043A\u043B", SecurityErrorCodes.PasswordSequence);
        yield return Case("janejanejane", SecurityErrorCodes.PasswordContextWords);
        yield return Case("doe-jane-2024", SecurityErrorCodes.PasswordContextWords);
        yield return Case("Example.Example!", SecurityErrorCodes.PasswordContextWords);
        yield return Case("hi!hi!hi!hi!", SecurityErrorCodes.PasswordRepeatedPattern);
        yield return Case("aaabbbcccddd", SecurityErrorCodes.PasswordRepeatedPattern);
        yield return Case("Xy7Xy7Xy7Xy7", SecurityErrorCodes.PasswordRepeatedPattern);
        yield return Case("qwertyqwerty", SecurityErrorCodes.PasswordRepeatedPattern);
    }

    [TestCaseSource(nameof(MorePatterns))]
    public void Validate_MostlyAPattern_IsRefusedWithThatPatternsCode(string candidate, string expectedCode)
    {
        Codes(candidate).Where(c => PatternCodes.Contains(c)).Should().Equal(expectedCode);
    }

    /// <summary>The web sample's demo passphrases, the test host's passwords and realistic strong passwords.</summary>
    private static IEnumerable<TestCaseData> StrongPasswords()
    {
        foreach (var candidate in new[]
        {
            "correct horse battery staple", "violet kettle mountain river", "tangerine submarine orchestra",
            TestHost.InitialPassword, TestHost.SecondPassword, TestHost.ThirdPassword, TestHost.FourthPassword,
            "kq7#Zm2!pWxy", "Xk9!mQ2$vL7#pR4", "8471920573619042", "Tr0ub4dor&3-Kettle", "Dragon-Fruit-Salad-2024",
            "Mississippi-river-2024", "banana-Hammock-77", "Liberty-Property-Tower", "power-tower-answer",
            "Schmerz-Wert-Herz-31", "guide the fluid liquid month", "Zebra-Kiwi-Quartz",
            "h\u00FCbsche Tr\u00E4ume 2019", "xkcd936-staple-Battery",
        })
        {
            yield return new TestCaseData(candidate).SetArgDisplayNames(candidate);
        }
    }

    [TestCaseSource(nameof(StrongPasswords))]
    public void Validate_PassphrasesAndStrongPasswords_AreAccepted(string candidate)
    {
        _policy.Validate(candidate, Email, Default).Should().BeEmpty();
    }

    /// <summary>A short walk, sequence, repeat or the user's own words inside a password with enough else in it.</summary>
    private static IEnumerable<TestCaseData> ContainsAShortPattern()
    {
        foreach (var candidate in new[]
        {
            "my qwe kettle sings at 6", "violet-Anchor-29-qwerty", "abc-tangerine-orchestra", "Sunrise-123-over-Lisbon",
            "Zq9!-asdf-Kettle-77", "kettle qwertz mountain", "river 987 lantern", "haha-violet-Anchor",
            "example-violet-Anchor", "jane-violet-kettle-29", "Hmmmm-violet-Anchor-29", "1qaz-Saffron-Tundra",
            "qwertyuiopasdfghjkl-Zebra-Lantern", "abcdefgh-Zq9!kx7w",
        })
        {
            yield return new TestCaseData(candidate).SetArgDisplayNames(candidate);
        }
    }

    [TestCaseSource(nameof(ContainsAShortPattern))]
    public void Validate_PasswordThatMerelyContainsAPattern_IsAccepted(string candidate)
    {
        _policy.Validate(candidate, Email, Default).Should().BeEmpty();
    }

    [Test]
    public void Validate_WhatRemainsAfterCollapsing_EightAcceptedSevenRefused()
    {
        DefaultPasswordPolicy.MinimumUniqueCharacters.Should().Be(8);

        // The sequence counts as one character: 1 + 7 = 8 remain, then 1 + 6 = 7.
        _policy.Validate("abcdefgh-Zq9!kx", Email, Default).Should().BeEmpty();
        Codes("abcdefgh-Zq9!k").Should().Equal(SecurityErrorCodes.PasswordSequence);

        // A repeated chunk counts once: a chunk of 8 twice is as strong as the chunk, a chunk of 7 is not enough.
        _policy.Validate("Zq9!kx7wZq9!kx7w", Email, Default).Should().BeEmpty();
        Codes("Zq9!kx7Zq9!kx7").Should().Equal(SecurityErrorCodes.PasswordRepeatedPattern);
    }

    [Test]
    public void Validate_PatternAlreadyNamedByAnotherRule_IsNotReportedTwice()
    {
        Codes("aaaaaaaaaaaa").Should().Equal(SecurityErrorCodes.PasswordRepeatedCharacters);
        Codes("jane.doejane.doe").Should().Equal(SecurityErrorCodes.PasswordContainsEmail);
        Codes(new string(' ', 12)).Should().NotContain(PatternCodes);
    }

    [Test]
    public void Validate_ContextWords_ComeFromTheUsersEmailOnly()
    {
        Codes("exampleexample", "jane@example.com").Should().Equal(SecurityErrorCodes.PasswordContextWords);
        Codes("exampleexample", null).Should().Equal([SecurityErrorCodes.PasswordRepeatedPattern], "without an e-mail it is still a repeated chunk");
        Codes("kettlekettle2", "jane@kettle.de").Should().Equal(SecurityErrorCodes.PasswordContextWords);
        Codes("kettlekettle2", "jane@example.com").Should().Equal(SecurityErrorCodes.PasswordRepeatedPattern);
        Codes("jane1985jane1985", "jane1985@example.com").Should().Contain(SecurityErrorCodes.PasswordContainsEmail);
        Codes("1985-jane-1985!", "jane1985@example.com").Should().Contain(SecurityErrorCodes.PasswordContextWords, "the local part's letters and digits are words too")
            .And.NotContain(SecurityErrorCodes.PasswordContainsEmail);
        Codes("comcomcomcom!!", "jane@example.com").Should().Equal([SecurityErrorCodes.PasswordRepeatedPattern], "the top-level domain is not a word of the user's");
    }

    [Test]
    public void Validate_PatternMessages_NameThePatternAndNeverEchoThePasswordOrEmail()
    {
        var candidates = new[] { "abababababab", "abcdefghijkl", "qwertyuiopas", "exampleexample", "monkeymonkeymonkey" };
        var errors = candidates.SelectMany(c => _policy.Validate(c, Email, Default).Select(e => (Candidate: c, Error: e))).ToList();

        errors.Select(e => e.Error.Code).Should().BeEquivalentTo(
            [SecurityErrorCodes.PasswordRepeatedPattern, SecurityErrorCodes.PasswordSequence, SecurityErrorCodes.PasswordKeyboardWalk, SecurityErrorCodes.PasswordContextWords, SecurityErrorCodes.PasswordRepeatedPattern]);
        errors.Select(e => e.Error.Message).Distinct().Should().HaveCount(4);
        foreach (var (candidate, error) in errors)
        {
            error.Message.Should().NotContainEquivalentOf(candidate);
            error.ToString().Should().NotContainEquivalentOf(candidate);
            error.Message.Should().NotContainEquivalentOf("jane").And.NotContainEquivalentOf("example.com");
        }

        errors.Single(e => e.Error.Code == SecurityErrorCodes.PasswordKeyboardWalk).Error.Message.Should().Contain("keyboard");
        errors.Single(e => e.Error.Code == SecurityErrorCodes.PasswordSequence).Error.Message.Should().Contain("sequence");
        errors.First(e => e.Error.Code == SecurityErrorCodes.PasswordRepeatedPattern).Error.Message.Should().Contain("repeat");
        errors.Single(e => e.Error.Code == SecurityErrorCodes.PasswordContextWords).Error.Message.Should().Contain("e-mail");
    }

    [Test]
    public void RepeatedChunk_OfOneToSixCharactersUpToAtLeastTwelve_IsAlwaysRefused()
    {
        var alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#-_.@ \u00E4\u00DF".ToCharArray();
        var cases = Gen.Choose(1, 6)
            .SelectMany(length => Gen.ArrayOf(Gen.Elements(alphabet), length))
            .SelectMany(chunk => Gen.Choose(0, 6).Select(extra => (Chunk: new string(chunk), Extra: extra)))
            .ToArbitrary();

        Prop.ForAll(cases, c =>
        {
            var repeated = string.Concat(Enumerable.Repeat(c.Chunk, (12 / c.Chunk.Length) + 1 + c.Extra));
            var codes = Codes(repeated, email: null).ToList();
            return codes.Contains(SecurityErrorCodes.PasswordRepeatedPattern) || codes.Contains(SecurityErrorCodes.PasswordRepeatedCharacters)
                || (c.Chunk.Trim().Length == 0 && codes.Contains(SecurityErrorCodes.PasswordWhitespaceOnly));
        }).Check(PropertyConfig);
    }

    [Test]
    public void Sequence_OfTwelveOrMoreLettersOrDigits_IsAlwaysRefused()
    {
        var cases = Gen.Elements("abcdefghijklmnopqrstuvwxyz", "0123456789", "\u03B1\u03B2\u03B3\u03B4\u03B5\u03B6\u03B7\u03B8\u03B9\u03BA\u03BB\u03BC")
            .SelectMany(alphabet => Gen.Choose(0, alphabet.Length - 4).SelectMany(start =>
                Gen.Elements(true, false).Select(descending => (Alphabet: alphabet, Start: start, Descending: descending))))
            .ToArbitrary();

        Prop.ForAll(cases, c =>
        {
            // Runs of at least four, joined until twelve characters; a wrap of the alphabet starts a new run.
            var text = new string([.. Enumerable.Range(0, 12).Select(i => c.Alphabet[(c.Start + i) % c.Alphabet.Length])]);
            var candidate = c.Descending ? new string([.. text.Reverse()]) : text;
            return Codes(candidate, email: null).Contains(SecurityErrorCodes.PasswordSequence);
        }).Check(PropertyConfig);
    }

    [Test]
    public void KeyboardRowWalks_OfAnyCommonLayout_ForwardsOrBackwards_AreAlwaysRefused()
    {
        var rows = new[]
        {
            "qwertyuiop", "asdfghjkl;", "zxcvbnm,./", "qwertzuiop\u00FC", "asdfghjkl\u00F6\u00E4", "<yxcvbnm,.-", "azertyuiop", "qsdfghjklm", "<wxcvbn,;:",
        };
        var walks = Gen.Elements(rows).SelectMany(row => Gen.Choose(0, row.Length - 6).SelectMany(start =>
            Gen.Choose(6, row.Length - start).SelectMany(length => Gen.Elements(true, false).Select(backwards =>
            {
                var walk = row.Substring(start, length);
                return backwards ? new string([.. walk.Reverse()]) : walk;
            }))));
        var cases = walks.SelectMany(first => walks.Select(second => first + second)).ToArbitrary();

        // Two walks on one row may repeat each other ("dfghjkl" + "fghjkl"): then the repeat may be named instead.
        Prop.ForAll(cases, candidate => Codes(candidate, email: null).Any(c => c is SecurityErrorCodes.PasswordKeyboardWalk or SecurityErrorCodes.PasswordRepeatedPattern))
            .Check(PropertyConfig);
    }

    [Test]
    public void RandomPasswordsOfSixteenCharacters_AreNeverRefusedAsAPattern()
    {
        var alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&*+-=?@^_~".ToCharArray();
        var cases = Gen.ArrayOf(Gen.Elements(alphabet), 16).Select(cs => new string(cs)).ToArbitrary();

        Prop.ForAll(cases, candidate => !Codes(candidate).Intersect(PatternCodes).Any()).Check(Config.QuickThrowOnFailure.WithMaxTest(2000));
    }

    [Test]
    public void Validate_LongestAllowedPathologicalInputs_StayCheap()
    {
        var settings = Default with { MaximumLength = PasswordText.AbsoluteMaximumLength };
        var inputs = new[]
        {
            new string('a', 4096), string.Concat(Enumerable.Repeat("ab", 2048)), string.Concat(Enumerable.Repeat("aaaaaaab", 512)),
            string.Concat(Enumerable.Range(0, 4096).Select(i => (char)('a' + (i * 7 % 26)))), string.Concat(Enumerable.Repeat("qwertyuiop", 409)),
            string.Concat(Enumerable.Repeat("jane.doe", 512)),
        };

        var stopwatch = Stopwatch.StartNew();
        foreach (var input in inputs)
        {
            _policy.Validate(input, Email, settings);
        }

        _policy.Validate(inputs[1], string.Concat(Enumerable.Repeat("ab.", 30_000)) + "@example.com", settings);

        stopwatch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(2), "the pattern search is bounded (a shared CI core is slow, a quadratic blow-up is slower)");
    }

    [Test]
    public async Task ChangePassword_ToAKeyboardWalk_IsRefusedWithTheWalkCode()
    {
        await using var host = TestHost.Create();
        await host.SeedContractAsync();

        var result = await host.Change.ChangePasswordAsync(TestSessions.Of(TestHost.UserId), TestHost.InitialPassword, "qwertzuiopas", "qwertzuiopas");

        result.HasError(SecurityErrorCodes.PasswordKeyboardWalk).Should().BeTrue(result.ToString());
        result.ToString().Should().NotContain("qwertzuiopas");
    }

    [Test]
    public void SecurityError_ForAPattern_CarriesOnlyCodeAndMessage()
    {
        var error = _policy.Validate("zxcvbnmasdfg", Email, Default).Should().ContainSingle().Subject;

        error.Should().BeOfType<SecurityError>();
        error.ToString().Should().NotContain("zxcvbnm").And.NotContain("asdfg");
    }
}
