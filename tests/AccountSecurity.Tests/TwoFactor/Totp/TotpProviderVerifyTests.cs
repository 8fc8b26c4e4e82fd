using System.Security.Cryptography;
using System.Text;
using AccountSecurity.Results;
using AccountSecurity.TwoFactor.Totp;
using OtpNet;
using static AccountSecurity.Tests.TwoFactor.Totp.TotpTestSetup;

namespace AccountSecurity.Tests.TwoFactor.Totp;

public sealed class TotpProviderVerifyTests
{
    private static readonly byte[] Sha1Seed = Encoding.ASCII.GetBytes("12345678901234567890");
    private static readonly byte[] Sha256Seed = Encoding.ASCII.GetBytes("12345678901234567890123456789012");
    private static readonly byte[] Sha512Seed = Encoding.ASCII.GetBytes("1234567890123456789012345678901234567890123456789012345678901234");

    // RFC 6238 Appendix B.
    private static readonly object[] RfcVectors =
    [
        new object[] { 59L, TotpAlgorithm.Sha1, "94287082" },
        new object[] { 59L, TotpAlgorithm.Sha256, "46119246" },
        new object[] { 59L, TotpAlgorithm.Sha512, "90693936" },
        new object[] { 1111111109L, TotpAlgorithm.Sha1, "07081804" },
        new object[] { 1111111109L, TotpAlgorithm.Sha256, "68084774" },
        new object[] { 1111111109L, TotpAlgorithm.Sha512, "25091201" },
        new object[] { 1111111111L, TotpAlgorithm.Sha1, "14050471" },
        new object[] { 1111111111L, TotpAlgorithm.Sha256, "67062674" },
        new object[] { 1111111111L, TotpAlgorithm.Sha512, "99943326" },
        new object[] { 1234567890L, TotpAlgorithm.Sha1, "89005924" },
        new object[] { 1234567890L, TotpAlgorithm.Sha256, "91819424" },
        new object[] { 1234567890L, TotpAlgorithm.Sha512, "93441116" },
        new object[] { 2000000000L, TotpAlgorithm.Sha1, "69279037" },
        new object[] { 2000000000L, TotpAlgorithm.Sha256, "90698825" },
        new object[] { 2000000000L, TotpAlgorithm.Sha512, "38618901" },
        new object[] { 20000000000L, TotpAlgorithm.Sha1, "65353130" },
        new object[] { 20000000000L, TotpAlgorithm.Sha256, "77737706" },
        new object[] { 20000000000L, TotpAlgorithm.Sha512, "47863826" },
    ];

    private static byte[] SeedFor(TotpAlgorithm algorithm) => algorithm switch
    {
        TotpAlgorithm.Sha256 => Sha256Seed,
        TotpAlgorithm.Sha512 => Sha512Seed,
        _ => Sha1Seed,
    };

    private static OtpHashMode ModeOf(TotpAlgorithm algorithm) => algorithm switch
    {
        TotpAlgorithm.Sha256 => OtpHashMode.Sha256,
        TotpAlgorithm.Sha512 => OtpHashMode.Sha512,
        _ => OtpHashMode.Sha1,
    };

    private static string ReferenceCode(byte[] secret, long unixSeconds, TotpAlgorithm algorithm = TotpAlgorithm.Sha1, int digits = 6) =>
        new OtpNet.Totp(secret, 30, ModeOf(algorithm), digits).ComputeTotp(DateTimeOffset.FromUnixTimeSeconds(unixSeconds).UtcDateTime);

    [TestCaseSource(nameof(RfcVectors))]
    public void Verify_Rfc6238AppendixBVector_SucceedsAtThatTimeStep(long unixSeconds, TotpAlgorithm algorithm, string code)
    {
        var provider = Provider(At(unixSeconds), o => { o.Algorithm = algorithm; o.Digits = 8; o.AllowedDriftSteps = 0; });

        var result = provider.Verify(SeedFor(algorithm), code, lastAcceptedTimeStep: null);

        result.Succeeded.Should().BeTrue();
        result.MatchedTimeStep.Should().Be(unixSeconds / 30);
    }

    [TestCaseSource(nameof(RfcVectors))]
    public void Verify_Rfc6238VectorOneStepLaterWithoutDrift_IsInvalid(long unixSeconds, TotpAlgorithm algorithm, string code)
    {
        var provider = Provider(At(unixSeconds + 30), o => { o.Algorithm = algorithm; o.Digits = 8; o.AllowedDriftSteps = 0; });

        provider.Verify(SeedFor(algorithm), code, null).Status.Should().Be(TotpVerificationStatus.Invalid);
    }

    [Test]
    public void ComputeCode_RandomSecretsAndTimes_MatchesOtpNet()
    {
        var random = new Random(6238);
        Span<byte> counter = stackalloc byte[8];
        Span<byte> mac = stackalloc byte[64];
        foreach (var algorithm in new[] { TotpAlgorithm.Sha1, TotpAlgorithm.Sha256, TotpAlgorithm.Sha512 })
        {
            foreach (var digits in new[] { 6, 8 })
            {
                var provider = Provider(At(0), o => { o.Algorithm = algorithm; o.Digits = digits; });
                for (var i = 0; i < 300; i++)
                {
                    var secret = new byte[random.Next(20, 65)];
                    random.NextBytes(secret);
                    var time = random.NextInt64(0, 253_402_300_000);

                    var ours = provider.ComputeCode(secret, time / 30, counter, mac).ToString("D" + digits, System.Globalization.CultureInfo.InvariantCulture);

                    ours.Should().Be(ReferenceCode(secret, time, algorithm, digits), $"secret #{i}, time {time}, {algorithm}/{digits}");
                }
            }
        }
    }

    [Test]
    public void Verify_CodesAroundNow_AgreeWithOtpNetVerifyTotp()
    {
        var random = new Random(4226);
        for (var i = 0; i < 200; i++)
        {
            var secret = new byte[20];
            random.NextBytes(secret);
            var now = random.NextInt64(1_000_000_000, 4_000_000_000);
            var offset = random.Next(-4, 5) * 30;
            var code = ReferenceCode(secret, now + offset);
            var provider = Provider(At(now));

            var ours = provider.Verify(secret, code, null);
            var theirs = new OtpNet.Totp(secret).VerifyTotp(DateTimeOffset.FromUnixTimeSeconds(now).UtcDateTime, code, out var theirStep, new VerificationWindow(1, 1));

            ours.Succeeded.Should().Be(theirs, $"offset {offset}");
            if (theirs)
            {
                ours.MatchedTimeStep.Should().Be(theirStep);
            }
        }
    }

    [TestCase(-1, true)]
    [TestCase(0, true)]
    [TestCase(1, true)]
    [TestCase(-2, false)]
    [TestCase(2, false)]
    public void Verify_DefaultDriftWindow_AcceptsOneStepEachSide(int stepOffset, bool accepted)
    {
        var secret = Sha1Seed;
        const long now = 1_700_000_010;
        var provider = Provider(At(now));

        var result = provider.Verify(secret, ReferenceCode(secret, now + (stepOffset * 30)), null);

        result.Succeeded.Should().Be(accepted);
        if (accepted)
        {
            result.MatchedTimeStep.Should().Be((now / 30) + stepOffset);
        }
        else
        {
            result.Status.Should().Be(TotpVerificationStatus.Invalid);
        }
    }

    [TestCase(3, 3, true)]
    [TestCase(3, -3, true)]
    [TestCase(3, 4, false)]
    [TestCase(3, -4, false)]
    [TestCase(0, 0, true)]
    [TestCase(0, 1, false)]
    [TestCase(0, -1, false)]
    public void Verify_ConfiguredDriftWindow_IsExactlyThatWide(int drift, int stepOffset, bool accepted)
    {
        const long now = 1_700_000_000;
        var provider = Provider(At(now), o => o.AllowedDriftSteps = drift);

        provider.Verify(Sha1Seed, ReferenceCode(Sha1Seed, now + (stepOffset * 30)), null).Succeeded.Should().Be(accepted);
    }

    [Test]
    public void Verify_AtFirstAndLastSecondOfAStep_UsesThatStep()
    {
        const long stepStart = 1_700_000_010; // divisible by 30
        var code = ReferenceCode(Sha1Seed, stepStart);

        Provider(At(stepStart), o => o.AllowedDriftSteps = 0).Verify(Sha1Seed, code, null).MatchedTimeStep.Should().Be(stepStart / 30);
        Provider(At(stepStart + 29), o => o.AllowedDriftSteps = 0).Verify(Sha1Seed, code, null).MatchedTimeStep.Should().Be(stepStart / 30);
        Provider(At(stepStart + 30), o => o.AllowedDriftSteps = 0).Verify(Sha1Seed, code, null).Succeeded.Should().BeFalse();
        Provider(At(stepStart - 1), o => o.AllowedDriftSteps = 0).Verify(Sha1Seed, code, null).Succeeded.Should().BeFalse();
    }

    [Test]
    public void Verify_ClockAdvances_FollowsTheInjectedTimeProvider()
    {
        var time = At(1_700_000_010);
        var provider = Provider(time, o => o.AllowedDriftSteps = 0);
        var code = ReferenceCode(Sha1Seed, 1_700_000_010);
        provider.Verify(Sha1Seed, code, null).Succeeded.Should().BeTrue();

        time.Advance(TimeSpan.FromSeconds(30));

        provider.Verify(Sha1Seed, code, null).Status.Should().Be(TotpVerificationStatus.Invalid);
    }

    [Test]
    public void Verify_SameCodeAgainWithItsStepAsLastAccepted_IsReplayed()
    {
        const long now = 1_700_000_010;
        var provider = Provider(At(now));
        var code = ReferenceCode(Sha1Seed, now);
        var first = provider.Verify(Sha1Seed, code, null);

        var second = provider.Verify(Sha1Seed, code, first.MatchedTimeStep);

        first.Succeeded.Should().BeTrue();
        second.Status.Should().Be(TotpVerificationStatus.Replayed);
        second.ErrorCode.Should().Be(SecurityErrorCodes.CodeReplayed);
        second.MatchedTimeStep.Should().BeNull();
    }

    [Test]
    public void Verify_OlderCodeAfterANewerOneWasAccepted_IsReplayed()
    {
        const long now = 1_700_000_010;
        var provider = Provider(At(now));

        var result = provider.Verify(Sha1Seed, ReferenceCode(Sha1Seed, now - 30), lastAcceptedTimeStep: now / 30);

        result.Status.Should().Be(TotpVerificationStatus.Replayed);
    }

    [Test]
    public void Verify_NextStepsCodeAfterCurrentWasAccepted_Succeeds()
    {
        const long now = 1_700_000_010;
        var provider = Provider(At(now));

        var result = provider.Verify(Sha1Seed, ReferenceCode(Sha1Seed, now + 30), lastAcceptedTimeStep: now / 30);

        result.MatchedTimeStep.Should().Be((now / 30) + 1);
    }

    [Test]
    public void Verify_CodeWithLeadingZero_Succeeds()
    {
        // Find a time whose code starts with '0' so the test proves leading zeros survive.
        var now = 1_700_000_010L;
        while (!ReferenceCode(Sha1Seed, now).StartsWith('0'))
        {
            now += 30;
        }

        var code = ReferenceCode(Sha1Seed, now);

        Provider(At(now)).Verify(Sha1Seed, code, null).Succeeded.Should().BeTrue();
        Provider(At(now)).Verify(Sha1Seed, code.TrimStart('0'), null).Status.Should().Be(TotpVerificationStatus.Malformed);
    }

    [TestCase("{0} {1}")]
    [TestCase(" {0}{1} ")]
    [TestCase("{0}   {1}")]
    public void Verify_CodeWithAsciiSpaces_Succeeds(string format)
    {
        const long now = 1_700_000_010;
        var code = ReferenceCode(Sha1Seed, now);
        var typed = string.Format(System.Globalization.CultureInfo.InvariantCulture, format, code[..3], code[3..]);

        Provider(At(now)).Verify(Sha1Seed, typed, null).Succeeded.Should().BeTrue();
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("   ")]
    [TestCase("12345")]
    [TestCase("1234567")]
    [TestCase("12345a")]
    [TestCase("123-456")]
    [TestCase("123\t456")]
    [TestCase("123\u00a0456")]
    [TestCase("１２３４５６")]
    [TestCase("+12345")]
    [TestCase("-12345")]
    public void Verify_MalformedCode_IsMalformedWithoutException(string? code)
    {
        var result = Provider(At(1_700_000_010)).Verify(Sha1Seed, code, null);

        result.Status.Should().Be(TotpVerificationStatus.Malformed);
        result.ErrorCode.Should().Be(SecurityErrorCodes.InvalidCode);
    }

    [Test]
    public void Verify_HugeInput_IsMalformedWithoutException()
    {
        var provider = Provider(At(1_700_000_010));

        provider.Verify(Sha1Seed, new string('1', 10_000_000), null).Status.Should().Be(TotpVerificationStatus.Malformed);
        provider.Verify(Sha1Seed, new string(' ', 1_000_000) + "123456", null).Status.Should().Be(TotpVerificationStatus.Malformed);
    }

    [Test]
    public void Verify_SixDigitCodeWhenEightConfigured_IsMalformed()
    {
        const long now = 1_700_000_010;

        Provider(At(now), o => o.Digits = 8).Verify(Sha1Seed, ReferenceCode(Sha1Seed, now), null).Status.Should().Be(TotpVerificationStatus.Malformed);
    }

    [Test]
    public void Verify_WrongCode_IsInvalid()
    {
        const long now = 1_700_000_010;
        var code = ReferenceCode(Sha1Seed, now);
        var wrong = ((int.Parse(code, System.Globalization.CultureInfo.InvariantCulture) + 1) % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

        var result = Provider(At(now), o => o.AllowedDriftSteps = 0).Verify(Sha1Seed, wrong, null);

        result.Status.Should().Be(TotpVerificationStatus.Invalid);
        result.ToError()!.Code.Should().Be(SecurityErrorCodes.InvalidCode);
    }

    [Test]
    public void Verify_EmptySecret_ThrowsArgumentException()
    {
        var provider = Provider(At(1_700_000_010));

        provider.Invoking(p => p.Verify(ReadOnlySpan<byte>.Empty, "123456", null)).Should().Throw<ArgumentException>();
    }

    [Test]
    public void DefaultResult_IsNotASuccess()
    {
        default(TotpVerificationResult).Succeeded.Should().BeFalse();
        default(TotpVerificationResult).MatchedTimeStep.Should().BeNull();
    }

    [Test]
    public void Verify_SteadyState_AllocatesNoMoreThanOnePlatformHmacKeyedOnce()
    {
        const long now = 1_700_000_010;
        var provider = Provider(At(now));
        var code = ReferenceCode(Sha1Seed, now);
        var wrong = code == "000000" ? "000001" : "000000";
        var mac = new byte[HMACSHA1.HashSizeInBytes];
        var counter = new byte[sizeof(long)];

        // The floor, measured here rather than hard-coded: what the platform's HMAC costs to key once and run the
        // window's three steps. Verify may allocate that object and nothing else (no strings, no arrays, no boxes).
        var floor = SteadyStateAllocation(() =>
        {
            using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, Sha1Seed);
            for (var step = 0; step < 3; step++)
            {
                hmac.AppendData(counter);
                hmac.GetHashAndReset(mac);
            }
        });
        var right = SteadyStateAllocation(() => provider.Verify(Sha1Seed, code, null));
        var wrongCode = SteadyStateAllocation(() => provider.Verify(Sha1Seed, wrong, null));
        var malformed = SteadyStateAllocation(() => provider.Verify(Sha1Seed, "12 34", null));

        right.Should().BeLessThanOrEqualTo(floor);
        wrongCode.Should().BeLessThanOrEqualTo(floor);
        malformed.Should().Be(0, "a code that does not parse is refused before any HMAC is keyed");
    }

    /// <summary>
    /// Bytes allocated on this thread by 1,000 calls of <paramref name="action"/>, after a warm-up. The runtime itself
    /// may allocate while it re-compiles the method (tiering), so this is the best of a few rounds: a real allocation
    /// shows up in every round.
    /// </summary>
    private static long SteadyStateAllocation(Action action)
    {
        for (var i = 0; i < 200; i++)
        {
            action();
        }

        var fewest = long.MaxValue;
        for (var round = 0; round < 5; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 1000; i++)
            {
                action();
            }

            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return fewest / 1000;
    }

    [Test]
    public void ResultToString_NeverContainsTheCode()
    {
        const long now = 1_700_000_010;
        var provider = Provider(At(now));
        var code = ReferenceCode(Sha1Seed, now);

        var success = provider.Verify(Sha1Seed, code, null);
        var replay = provider.Verify(Sha1Seed, code, success.MatchedTimeStep);

        success.ToString().Should().NotContain(code);
        replay.ToString().Should().NotContain(code);
        replay.ToError()!.ToString().Should().NotContain(code);
    }
}
