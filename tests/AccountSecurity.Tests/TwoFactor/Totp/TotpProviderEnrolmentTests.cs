using AccountSecurity.DependencyInjection;
using AccountSecurity.Results;
using AccountSecurity.TwoFactor.Totp;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OtpNet;
using static AccountSecurity.Tests.TwoFactor.Totp.TotpTestSetup;

namespace AccountSecurity.Tests.TwoFactor.Totp;

public sealed class TotpProviderEnrolmentTests
{
    private static TotpProvider DefaultProvider() => Provider(At(1_700_000_000));

    [Test]
    public void GenerateSecret_Default_Is160BitsAndBase32WithoutPadding()
    {
        using var secret = DefaultProvider().GenerateSecret();

        secret.Length.Should().Be(20);
        var base32 = secret.ToBase32();
        base32.Should().MatchRegex("^[A-Z2-7]{32}$");
        Base32Encoding.ToBytes(base32).Should().Equal(secret.Bytes.ToArray());
    }

    [Test]
    public void GenerateSecret_LargerConfiguredSize_IsThatSizeWithoutPadding()
    {
        using var secret = Provider(At(0), o => o.SecretSizeBytes = 32).GenerateSecret();

        secret.Length.Should().Be(32);
        secret.ToBase32().Should().NotContain("=");
        Base32Encoding.ToBytes(secret.ToBase32()).Should().Equal(secret.Bytes.ToArray());
    }

    [Test]
    public void GenerateSecret_TwoCalls_Differ()
    {
        var provider = DefaultProvider();
        using var first = provider.GenerateSecret();
        using var second = provider.GenerateSecret();

        first.Bytes.SequenceEqual(second.Bytes).Should().BeFalse();
    }

    [Test]
    public void GenerateSecret_ManySecrets_AreAllDistinctAndUseEveryByteValue()
    {
        var provider = DefaultProvider();
        var seen = new HashSet<string>();
        var byteValues = new HashSet<byte>();
        for (var i = 0; i < 500; i++)
        {
            using var secret = provider.GenerateSecret();
            seen.Add(Convert.ToHexString(secret.Bytes)).Should().BeTrue();
            foreach (var b in secret.Bytes)
            {
                byteValues.Add(b);
            }
        }

        byteValues.Should().HaveCount(256); // 10,000 uniform bytes miss a value with probability ~ 256 * e^-39
    }

    [Test]
    public void Dispose_Secret_ZeroesAndRefusesFurtherUse()
    {
        var secret = DefaultProvider().GenerateSecret();
        secret.Dispose();

        secret.Length.Should().Be(0);
        secret.Invoking(s => s.ToBase32()).Should().Throw<ObjectDisposedException>();
        secret.Dispose();
    }

    [Test]
    public void SecretToString_NeverContainsTheSecret()
    {
        using var secret = DefaultProvider().GenerateSecret();

        secret.ToString().Should().NotContain(secret.ToBase32()).And.NotContain(Convert.ToHexString(secret.Bytes)).And.Contain("20");
    }

    [TestCase("JBSWY3DPEHPK3PXP", "JBSW Y3DP EHPK 3PXP")]
    [TestCase("JBSWY3DPEHPK3PX", "JBSW Y3DP EHPK 3PX")]
    [TestCase("jbswy3dp", "JBSW Y3DP")]
    [TestCase("ABC", "ABC")]
    [TestCase("", "")]
    public void FormatManualEntryKey_GroupsOfFourSeparatedBySpaces(string base32, string expected)
    {
        DefaultProvider().FormatManualEntryKey(base32).Should().Be(expected);
    }

    [Test]
    public void FormatManualEntryKey_GeneratedSecret_RoundTripsWithoutSpaces()
    {
        var provider = DefaultProvider();
        using var secret = provider.GenerateSecret();

        var key = provider.FormatManualEntryKey(secret.ToBase32());

        key.Should().MatchRegex("^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$");
        key.Replace(" ", "", StringComparison.Ordinal).Should().Be(secret.ToBase32());
    }

    [Test]
    public void BuildUri_Defaults_HasIssuerTwiceAndEveryParameter()
    {
        var uri = DefaultProvider().BuildUri("alice@example.com", "JBSWY3DPEHPK3PXP").Value;

        uri.Should().Be("otpauth://totp/Example%20Cloud:alice%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example%20Cloud&algorithm=SHA1&digits=6&period=30");
    }

    [Test]
    public void BuildUri_SpacesAndSpecialCharacters_ArePercentEncodedNeverPlus()
    {
        var provider = Provider(At(0), o => { o.Issuer = "ACME & Co+ Cloud"; o.Algorithm = TotpAlgorithm.Sha256; o.Digits = 8; o.PeriodSeconds = 60; });

        var uri = provider.BuildUri("Alice Smith?#&=/", "JBSWY3DPEHPK3PXP").Value;

        uri.Should().StartWith("otpauth://totp/ACME%20%26%20Co%2B%20Cloud:Alice%20Smith%3F%23%26%3D%2F?");
        uri.Should().Contain("&issuer=ACME%20%26%20Co%2B%20Cloud&").And.EndWith("&algorithm=SHA256&digits=8&period=60");
        uri.Should().NotContain("+");
        new Uri(uri).Scheme.Should().Be("otpauth");
    }

    [Test]
    public void BuildUri_NonAsciiAccount_IsUtf8PercentEncoded()
    {
        var uri = DefaultProvider().BuildUri("jürgen", "JBSWY3DPEHPK3PXP").Value;

        uri.Should().Contain(":j%C3%BCrgen?");
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("   ")]
    [TestCase("line\nbreak")]
    public void BuildUri_InvalidAccountName_FailsWithCode(string? accountName)
    {
        var result = DefaultProvider().BuildUri(accountName, "JBSWY3DPEHPK3PXP");

        result.Succeeded.Should().BeFalse();
        result.HasError(SecurityErrorCodes.TotpAccountNameInvalid).Should().BeTrue();
    }

    [Test]
    public void BuildUri_HugeAccountName_FailsWithCode()
    {
        DefaultProvider().BuildUri(new string('a', 100_000), "JBSWY3DPEHPK3PXP").HasError(SecurityErrorCodes.TotpAccountNameInvalid).Should().BeTrue();
    }

    [TestCase("")]
    [TestCase("JBSWY3DPEHPK3PX=")]
    [TestCase("jbswy3dp")]
    [TestCase("JBSW Y3DP")]
    [TestCase("JBSWY3DP&x=1")]
    public void BuildUri_SecretNotUnpaddedBase32_ThrowsArgumentException(string secret)
    {
        DefaultProvider().Invoking(p => p.BuildUri("alice", secret)).Should().Throw<ArgumentException>();
    }

    [Test]
    public void BuildUri_IssuerWithColon_FailsOptionsValidation()
    {
        var services = new ServiceCollection();
        services.AddAccountSecurity(o =>
        {
            o.Totp.Issuer = "Example: Cloud";
            o.SecretProtection.AddKey("k", new byte[32]);
        });
        using var provider = services.BuildServiceProvider();

        provider.Invoking(p => p.GetRequiredService<ITotpProvider>())
            .Should().Throw<OptionsValidationException>().Which.Message.Should().Contain("Totp.Issuer may not contain ':'");
    }

    [Test]
    public void RenderQrCodeSvg_Uri_IsAnSvgDocument()
    {
        var provider = DefaultProvider();
        var uri = provider.BuildUri("alice@example.com", "JBSWY3DPEHPK3PXP").Value;

        var svg = provider.RenderQrCodeSvg(uri);

        svg.TrimStart().Should().Match(s => s.StartsWith("<svg", StringComparison.Ordinal) || s.StartsWith("<?xml", StringComparison.Ordinal));
        svg.Should().Contain("</svg>");
    }

    [Test]
    public void RenderQrCodePng_Uri_HasThePngSignature()
    {
        var provider = DefaultProvider();
        var uri = provider.BuildUri("alice@example.com", "JBSWY3DPEHPK3PXP").Value;

        var png = provider.RenderQrCodePng(uri);

        png.Should().StartWith(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A });
        png.Length.Should().BeGreaterThan(100);
    }

    [Test]
    public void RenderQrCode_InvalidArguments_Throw()
    {
        var provider = DefaultProvider();

        provider.Invoking(p => p.RenderQrCodeSvg(null!)).Should().Throw<ArgumentException>();
        provider.Invoking(p => p.RenderQrCodePng("")).Should().Throw<ArgumentException>();
        provider.Invoking(p => p.RenderQrCodePng(new string('a', 5000))).Should().Throw<ArgumentException>();
        provider.Invoking(p => p.RenderQrCodeSvg("otpauth://x", 0)).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Test]
    public void AddAccountSecurity_RegistersTotpProviderAsSingleton()
    {
        var services = new ServiceCollection();
        services.AddAccountSecurity(o =>
        {
            o.Totp.Issuer = Issuer;
            o.SecretProtection.AddKey("k", new byte[32]);
        });
        services.AddAccountSecurity();
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<ITotpProvider>().Should().BeOfType<TotpProvider>()
            .And.BeSameAs(provider.GetRequiredService<ITotpProvider>());
        services.Count(d => d.ServiceType == typeof(ITotpProvider)).Should().Be(1);
    }
}

public sealed class TotpOptionsTests
{
    private static IEnumerable<string> Validate(Action<TotpOptions> configure)
    {
        var options = new AccountSecurityOptions();
        options.Totp.Issuer = "Example";
        options.SecretProtection.AddKey("k", new byte[32]);
        configure(options.Totp);
        var result = new AccountSecurityOptionsValidator().Validate(null, options);
        return result.Failed ? result.Failures : [];
    }

    [Test]
    public void Validate_Defaults_WithIssuer_Pass() => Validate(_ => { }).Should().BeEmpty();

    [Test]
    public void Defaults_AreSha1SixDigitsThirtySecondsOneStepTwentyBytes()
    {
        var options = new TotpOptions();

        options.Algorithm.Should().Be(TotpAlgorithm.Sha1);
        options.Digits.Should().Be(6);
        options.PeriodSeconds.Should().Be(30);
        options.AllowedDriftSteps.Should().Be(1);
        options.SecretSizeBytes.Should().Be(20);
        options.Issuer.Should().BeNull();
    }

    [TestCase(null, "Totp.Issuer is required")]
    [TestCase(" ", "Totp.Issuer is required")]
    [TestCase("a:b", "Totp.Issuer may not contain ':'")]
    public void Validate_BadIssuer_Fails(string? issuer, string message) =>
        Validate(o => o.Issuer = issuer).Should().ContainSingle().Which.Should().Contain(message);

    [TestCase(5)]
    [TestCase(7)]
    [TestCase(9)]
    public void Validate_DigitsOtherThanSixOrEight_Fails(int digits) =>
        Validate(o => o.Digits = digits).Should().ContainSingle().Which.Should().Contain("Totp.Digits");

    [TestCase(-1)]
    [TestCase(4)]
    public void Validate_DriftOutsideZeroToThree_Fails(int drift) =>
        Validate(o => o.AllowedDriftSteps = drift).Should().ContainSingle().Which.Should().Contain("Totp.AllowedDriftSteps");

    [TestCase(19)]
    [TestCase(16)]
    [TestCase(129)]
    public void Validate_SecretSizeOutOfRange_Fails(int size) =>
        Validate(o => o.SecretSizeBytes = size).Should().ContainSingle().Which.Should().Contain("Totp.SecretSizeBytes");

    [TestCase(0)]
    [TestCase(14)]
    [TestCase(301)]
    public void Validate_PeriodOutOfRange_Fails(int period) =>
        Validate(o => o.PeriodSeconds = period).Should().ContainSingle().Which.Should().Contain("Totp.PeriodSeconds");

    [Test]
    public void Validate_UndefinedAlgorithm_Fails() =>
        Validate(o => o.Algorithm = (TotpAlgorithm)42).Should().ContainSingle().Which.Should().Contain("Totp.Algorithm");
}
