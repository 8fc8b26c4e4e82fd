using System.Text;
using AccountSecurity.DependencyInjection;
using AccountSecurity.Passwords.Hashing;
using AccountSecurity.Results;
using AccountSecurity.Tests.TestSupport;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.Options;
using BCryptNet = BCrypt.Net.BCrypt;

namespace AccountSecurity.Tests.Passwords.Hashing;

public sealed class BcryptPasswordHasherTests
{
    private const string Password = "violet-Anchor-29-quiet";

    private static readonly Config PropertyConfig = Config.QuickThrowOnFailure.WithMaxTest(60);

    private readonly BcryptPasswordHasher _hasher = HasherAt(4);

    internal static BcryptPasswordHasher HasherAt(int workFactor)
    {
        var options = new AccountSecurityOptions();
        options.Hashing.WorkFactor = workFactor;
        options.Hashing.AllowInsecureWorkFactorForTesting = true;
        return new BcryptPasswordHasher(Options.Create(options));
    }

    /// <summary>Strings a password may be: non-empty, bounded, no NUL, well-formed UTF-16 (any Unicode otherwise).</summary>
    private static Arbitrary<string> ValidPasswords() =>
        ArbMap.Default.ArbFor<string>().Filter(s => !string.IsNullOrEmpty(s) && s.Length <= 1000 && IsUsable(s));

    private static bool IsUsable(string s) =>
        !s.Contains('\0', StringComparison.Ordinal) && Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(s)) == s;

    [Test]
    public void Hash_ThenVerify_RoundTripsForArbitraryValidStrings()
    {
        Prop.ForAll(ValidPasswords(), password =>
        {
            var hash = _hasher.Hash(password);
            return hash.Succeeded && _hasher.Verify(hash.Value, password) == PasswordVerificationResult.Success;
        }).Check(PropertyConfig);
    }

    [Test]
    public void Verify_DifferentPassword_FailsForArbitraryPairs()
    {
        Prop.ForAll(ValidPasswords(), ValidPasswords(), (a, b) =>
        {
            var differ = a.Normalize(NormalizationForm.FormKC) != b.Normalize(NormalizationForm.FormKC);
            return !differ || _hasher.Verify(_hasher.Hash(a).Value, b) == PasswordVerificationResult.Failed;
        }).Check(PropertyConfig);
    }

    [Test]
    public void Verify_PasswordsSharingFirst72BytesButDifferingAfter_NeverMatch()
    {
        var prefixes = ValidPasswords().Generator.Select(s => s + new string('p', 72));
        var suffix = Gen.Elements("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#-".ToCharArray()).NonEmptyListOf()
            .Select(cs => new string([.. cs]));
        var cases = prefixes.SelectMany(p => suffix.SelectMany(a => suffix.Select(b => (Prefix: p, A: a, B: b))))
            .Where(c => c.A != c.B)
            .ToArbitrary();

        Prop.ForAll(cases, c =>
        {
            Encoding.UTF8.GetByteCount((c.Prefix + c.A).Normalize(NormalizationForm.FormKC)).Should().BeGreaterThan(72);
            var hash = _hasher.Hash(c.Prefix + c.A).Value;
            return _hasher.Verify(hash, c.Prefix + c.B) == PasswordVerificationResult.Failed
                && _hasher.Verify(hash, c.Prefix + c.A) == PasswordVerificationResult.Success;
        }).Check(PropertyConfig);
    }

    [TestCase(71, "\u00E9")] // é: 2 bytes, straddles byte 72
    [TestCase(70, "\u20AC")] // €: 3 bytes, straddles byte 72
    [TestCase(69, "\U0001F600")] // 😀: 4 bytes, straddles byte 72
    [TestCase(72, "\u00E9")] // starts right after byte 72
    [TestCase(68, "\U0001F600")] // ends exactly at byte 72
    public void Verify_MultiByteCharacterAroundByte72_DistinguishesWhatFollows(int asciiBytes, string multiByte)
    {
        var prefix = new string('a', asciiBytes) + multiByte;
        var hash = _hasher.Hash(prefix + "x").Value;

        _hasher.Verify(hash, prefix + "x").Should().Be(PasswordVerificationResult.Success);
        _hasher.Verify(hash, prefix + "y").Should().Be(PasswordVerificationResult.Failed);
        _hasher.Verify(hash, prefix).Should().Be(PasswordVerificationResult.Failed);
    }

    [Test]
    public void Verify_PasswordsDifferingOnlyInTheLastMultiByteCharacter_DoNotMatch()
    {
        var prefix = new string('a', 70);
        var hash = _hasher.Hash(prefix + "\u20AC").Value;

        _hasher.Verify(hash, prefix + "\u00A3").Should().Be(PasswordVerificationResult.Failed);
    }

    [Test]
    public void Verify_NormalisationEquivalentForms_Match()
    {
        // "é" precomposed and "e" + combining acute are the same password after normalisation.
        var hash = _hasher.Hash("caf\u00E9-Anchor-29-quiet").Value;

        _hasher.Verify(hash, "cafe\u0301-Anchor-29-quiet").Should().Be(PasswordVerificationResult.Success);
    }

    [Test]
    public void Hash_Always_CarriesCurrentSchemeMarker()
    {
        var hash = _hasher.Hash(Password).Value;

        hash.Should().StartWith("asv1:$2");
        hash.Should().StartWith(BcryptPasswordHasher.CurrentSchemeMarker);
        hash.Should().NotContain(Password);
    }

    [Test]
    public void Hash_SamePasswordTwice_UsesDifferentSalts()
    {
        _hasher.Hash(Password).Value.Should().NotBe(_hasher.Hash(Password).Value);
    }

    [Test]
    public void Hash_DefaultOptions_UsesCost12()
    {
        var hasher = new BcryptPasswordHasher(Options.Create(new AccountSecurityOptions()));

        var hash = hasher.Hash(Password).Value;

        hash[BcryptPasswordHasher.CurrentSchemeMarker.Length..].Split('$')[2].Should().Be("12");
        hasher.Verify(hash, Password).Should().Be(PasswordVerificationResult.Success);
    }

    [TestCaseSource(typeof(UnusableInputs), nameof(UnusableInputs.WithCodes))]
    public void Hash_UnusableInput_FailsWithCodeWithoutThrowing(string? password, string expectedCode)
    {
        var act = () => _hasher.Hash(password);

        act.Should().NotThrow().Subject.Errors.Select(e => e.Code).Should().Equal(expectedCode);
    }

    [Test]
    public void Hash_NulAndLoneSurrogate_AreInvalidCharacters()
    {
        _hasher.Hash("abc\0def-Anchor-29").HasError(SecurityErrorCodes.PasswordInvalidCharacters).Should().BeTrue();
        _hasher.Hash("abc" + '\uD800' + "def-Anchor-29").HasError(SecurityErrorCodes.PasswordInvalidCharacters).Should().BeTrue();
    }

    [TestCaseSource(typeof(UnusableInputs), nameof(UnusableInputs.WithCodes))]
    public void Verify_UnusablePassword_FailsWithoutThrowing(string? password, string _)
    {
        var hash = _hasher.Hash(Password).Value;

        var act = () => _hasher.Verify(hash, password);

        act.Should().NotThrow().Subject.Should().Be(PasswordVerificationResult.Failed);
    }

    [Test]
    public void Verify_PasswordWithNulAppended_DoesNotMatchThePasswordBeforeIt()
    {
        var hash = _hasher.Hash(Password).Value;

        _hasher.Verify(hash, Password + "\0").Should().Be(PasswordVerificationResult.Failed);
    }

    [Test]
    public void Verify_HashMadeAtLowerCost_AsksForRehash()
    {
        var hash = HasherAt(4).Hash(Password).Value;

        HasherAt(5).Verify(hash, Password).Should().Be(PasswordVerificationResult.SuccessRehashNeeded);
        HasherAt(4).Verify(hash, Password).Should().Be(PasswordVerificationResult.Success);
    }

    [Test]
    public void Verify_HashMadeAtHigherCost_DoesNotAskForRehash()
    {
        var hash = HasherAt(5).Hash(Password).Value;

        HasherAt(4).Verify(hash, Password).Should().Be(PasswordVerificationResult.Success);
    }

    [TestCase('a')]
    [TestCase('b')]
    public void Verify_LegacyRawBcryptHash_MatchesAndAsksForRehash(char revision)
    {
        var legacy = BCryptNet.HashPassword(Password, BCryptNet.GenerateSalt(4, revision));
        legacy.Should().StartWith($"$2{revision}$04$");

        _hasher.Verify(legacy, Password).Should().Be(PasswordVerificationResult.SuccessRehashNeeded);
        _hasher.Verify(legacy, Password + "x").Should().Be(PasswordVerificationResult.Failed);
    }

    [Test]
    public void Verify_LegacyRawBcryptHash_NeverVerifiesPasswordOver72Bytes()
    {
        var longPassword = new string('k', 72) + "-tail";
        var legacy = BCryptNet.HashPassword(longPassword, 4);
        BCryptNet.Verify(new string('k', 72) + "-other", legacy).Should().BeTrue("raw bcrypt truncates at 72 bytes");

        _hasher.Verify(legacy, longPassword).Should().Be(PasswordVerificationResult.Failed);
        _hasher.Verify(legacy, new string('k', 72) + "-other").Should().Be(PasswordVerificationResult.Failed);
    }

    [Test]
    public void Verify_LegacyRawBcryptHash_VerifiesPasswordOfExactly72Bytes()
    {
        var password = new string('k', 72);
        var legacy = BCryptNet.HashPassword(password, 4);

        _hasher.Verify(legacy, password).Should().Be(PasswordVerificationResult.SuccessRehashNeeded);
    }

    [Test]
    public void Verify_LegacyHashRehashed_BecomesCurrentScheme()
    {
        var legacy = BCryptNet.HashPassword(Password, 4);
        _hasher.Verify(legacy, Password).Should().Be(PasswordVerificationResult.SuccessRehashNeeded);

        var upgraded = _hasher.Hash(Password).Value;

        _hasher.Verify(upgraded, Password).Should().Be(PasswordVerificationResult.Success);
    }

    private static IEnumerable<TestCaseData> MalformedHashes()
    {
        var good = HasherAt(4).Hash(Password).Value;
        var raw = good[BcryptPasswordHasher.CurrentSchemeMarker.Length..];
        yield return new TestCaseData(null).SetArgDisplayNames("null");
        yield return new TestCaseData(string.Empty).SetArgDisplayNames("empty");
        yield return new TestCaseData("   ").SetArgDisplayNames("whitespace");
        yield return new TestCaseData("asv1:").SetArgDisplayNames("marker only");
        yield return new TestCaseData(good[..^1]).SetArgDisplayNames("truncated by one");
        yield return new TestCaseData(good[..20]).SetArgDisplayNames("truncated");
        yield return new TestCaseData(good + "A").SetArgDisplayNames("one too long");
        yield return new TestCaseData("asv9:" + raw).SetArgDisplayNames("unknown scheme");
        yield return new TestCaseData("asv1:asv1:" + raw).SetArgDisplayNames("double marker");
        yield return new TestCaseData("asv1:$2a$99$" + raw[7..]).SetArgDisplayNames("impossible cost");
        yield return new TestCaseData("asv1:$2a$03$" + raw[7..]).SetArgDisplayNames("cost below bcrypt minimum");
        yield return new TestCaseData("asv1:$2z$04$" + raw[7..]).SetArgDisplayNames("unknown bcrypt revision");
        yield return new TestCaseData("asv1:" + raw[..10] + "!" + raw[11..]).SetArgDisplayNames("invalid character");
        yield return new TestCaseData("pbkdf2$10000$abc").SetArgDisplayNames("other scheme");
        yield return new TestCaseData(new string('$', 100_000)).SetArgDisplayNames("huge garbage");
        yield return new TestCaseData("asv1:$2a$04$" + new string('\u00E9', 53)).SetArgDisplayNames("non-ASCII");
    }

    [TestCaseSource(nameof(MalformedHashes))]
    public void Verify_MalformedStoredHash_ReturnsMalformedHashWithoutThrowing(string? storedHash)
    {
        var act = () => _hasher.Verify(storedHash, Password);

        act.Should().NotThrow().Subject.Should().Be(PasswordVerificationResult.MalformedHash);
    }

    [TestCase("$2a$04$.....................................................")]
    [TestCase("$2x$04$zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz")]
    [TestCase("asv1:$2b$04$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234")]
    public void Verify_WellFormedButMeaninglessHash_FailsWithoutThrowing(string storedHash)
    {
        var act = () => _hasher.Verify(storedHash, Password);

        act.Should().NotThrow().Subject.Should().BeOneOf(PasswordVerificationResult.Failed, PasswordVerificationResult.MalformedHash);
    }

    [Test]
    public void VerifyDummy_NullOrAnyInput_DoesNotThrow()
    {
        _hasher.Invoking(h => h.VerifyDummy(null)).Should().NotThrow();
        _hasher.Invoking(h => h.VerifyDummy(string.Empty)).Should().NotThrow();
        _hasher.Invoking(h => h.VerifyDummy("a\0b")).Should().NotThrow();
        _hasher.Invoking(h => h.VerifyDummy(Password)).Should().NotThrow();
    }
}
