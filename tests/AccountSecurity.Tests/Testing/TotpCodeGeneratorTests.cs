using System.Text;
using AccountSecurity.SignIn;
using AccountSecurity.Testing;
using AccountSecurity.Tests.SignIn;
using AccountSecurity.Tests.TwoFactor.Totp;
using AccountSecurity.TwoFactor.Totp;
using Microsoft.Extensions.Time.Testing;
using OtpNet;

namespace AccountSecurity.Tests.Testing;

/// <summary>The Testing package's authenticator stand-in: RFC 6238 codes from an otpauth URI, accepted by the library.</summary>
public sealed class TotpCodeGeneratorTests
{
    // RFC 6238 appendix B: the ASCII seeds for SHA-1, SHA-256 and SHA-512, 8-digit codes.
    private static readonly string Sha1Seed = Base32Encoding.ToString(Encoding.ASCII.GetBytes("12345678901234567890"));
    private static readonly string Sha256Seed = Base32Encoding.ToString(Encoding.ASCII.GetBytes("12345678901234567890123456789012"));
    private static readonly string Sha512Seed = Base32Encoding.ToString(Encoding.ASCII.GetBytes("1234567890123456789012345678901234567890123456789012345678901234"));

    [TestCase("SHA1", 59L, "94287082")]
    [TestCase("SHA1", 1111111109L, "07081804")]
    [TestCase("SHA256", 1111111111L, "67062674")]
    [TestCase("SHA512", 2000000000L, "38618901")]
    [TestCase("SHA512", 20000000000L, "47863826")]
    public void CodeAt_MatchesTheRfc6238TestVectors(string algorithm, long unixSeconds, string expected)
    {
        var seed = algorithm switch { "SHA256" => Sha256Seed, "SHA512" => Sha512Seed, _ => Sha1Seed };
        var generator = TotpCodeGenerator.FromOtpAuthUri($"otpauth://totp/Test:rfc?secret={seed.TrimEnd('=')}&algorithm={algorithm}&digits=8&period=30");

        generator.CodeAt(DateTimeOffset.FromUnixTimeSeconds(unixSeconds)).Should().Be(expected);
    }

    [Test]
    public void FromOtpAuthUri_WithoutParameters_UsesTheAuthenticatorDefaults()
    {
        var generator = TotpCodeGenerator.FromOtpAuthUri("otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PXP&issuer=Example");

        generator.Algorithm.Should().Be(TotpAlgorithm.Sha1);
        generator.Digits.Should().Be(6);
        generator.PeriodSeconds.Should().Be(30);
    }

    [Test]
    public void CurrentCode_IsAcceptedByTheLibrarysVerifierAtTheSameTime()
    {
        var time = TotpTestSetup.At(1_800_000_015);
        var provider = TotpTestSetup.Provider(time, o => o.Digits = 8);
        using var secret = provider.GenerateSecret();
        var uri = provider.BuildUri("alice@example.com", secret.ToBase32()).Value;

        var generator = TotpCodeGenerator.FromOtpAuthUri(uri, time);

        generator.Digits.Should().Be(8);
        provider.Verify(secret.Bytes, generator.CurrentCode(), lastAcceptedTimeStep: null).Status.Should().Be(TotpVerificationStatus.Success);
    }

    [Test]
    public void CurrentCode_FollowsTheFakeClock()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(59));
        var generator = TotpCodeGenerator.FromOtpAuthUri($"otpauth://totp/T:x?secret={Sha1Seed.TrimEnd('=')}&digits=8", time);
        var first = generator.CurrentCode();

        time.Advance(TimeSpan.FromSeconds(1111111109 - 59));

        first.Should().Be("94287082");
        generator.CurrentCode().Should().Be("07081804");
    }

    [Test]
    public void WrongCodes_AreDistinctWellFormedAndRefusedByTheVerifierWithTheWidestDrift()
    {
        var time = TotpTestSetup.At(1_800_000_015);
        var provider = TotpTestSetup.Provider(time, o => o.AllowedDriftSteps = TotpOptions.MaximumAllowedDriftSteps);
        using var secret = provider.GenerateSecret();
        var generator = TotpCodeGenerator.FromOtpAuthUri(provider.BuildUri("alice@example.com", secret.ToBase32()).Value, time);

        var bytes = secret.Bytes.ToArray();

        var wrong = generator.WrongCodes(50);

        wrong.Should().HaveCount(50).And.OnlyHaveUniqueItems().And.AllSatisfy(c => c.Should().MatchRegex("^[0-9]{6}$"));
        wrong.Should().AllSatisfy(c => provider.Verify(bytes, c, null).Status.Should().Be(TotpVerificationStatus.Invalid));
    }

    [Test]
    public async Task FromSetup_CompletesARealTwoFactorSetupAndSignIn()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("alice");
        var setup = await host.TwoFactor.BeginSetupAsync(TestSessions.Of("alice"), TwoFactorTestHost.UserPassword);
        var authenticator = TotpCodeGenerator.FromSetup(setup.Value, host.Time);

        var confirmed = await host.TwoFactor.ConfirmSetupAsync("alice", authenticator.CurrentCode());
        host.Time.Advance(TimeSpan.FromSeconds(authenticator.PeriodSeconds));
        var password = await host.SignIn.PasswordSignInAsync(TwoFactorTestHost.EmailOf("alice"), TwoFactorTestHost.UserPassword);
        var signedIn = await host.SignIn.SecondFactorSignInAsync(password.Ticket, authenticator.CurrentCode());

        confirmed.Succeeded.Should().BeTrue(confirmed.ToString());
        password.Status.Should().Be(SignInStatus.SecondFactorRequired);
        signedIn.Status.Should().Be(SignInStatus.Succeeded);
        signedIn.Session!.UsedSecondFactor.Should().BeTrue();
    }

    [TestCase("https://totp/x?secret=JBSWY3DPEHPK3PXP")]
    [TestCase("otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP")]
    [TestCase("otpauth://totp/x")]
    [TestCase("otpauth://totp/x?secret=")]
    [TestCase("otpauth://totp/x?secret=not-base32!")]
    [TestCase("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&algorithm=MD5")]
    [TestCase("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=4")]
    [TestCase("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=six")]
    [TestCase("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&period=0")]
    [TestCase("not a uri")]
    public void FromOtpAuthUri_WithAnUnusableUri_ThrowsArgumentExceptionWithoutTheSecret(string uri)
    {
        var act = () => TotpCodeGenerator.FromOtpAuthUri(uri);

        act.Should().Throw<ArgumentException>().Which.Message.Should().NotContain("JBSWY3DPEHPK3PXP");
    }

    [Test]
    public void ToString_NeverShowsTheSecret()
    {
        var generator = TotpCodeGenerator.FromOtpAuthUri("otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PXP");

        generator.ToString().Should().NotContain("JBSWY3DPEHPK3PXP").And.Contain("secret hidden");
    }
}
