using System.Security.Cryptography;
using AccountSecurity.Crypto;

namespace AccountSecurity.Tests.Crypto;

public sealed class HmacSha1KeyedOnceTests
{
    [Test]
    public void Compute_MatchesPlatformHmac_ForKeysOfEveryLengthAndShortMessages()
    {
        var random = new Random(6238);
        for (var keyLength = 0; keyLength <= 200; keyLength++)
        {
            var key = new byte[keyLength];
            random.NextBytes(key);
            var keyed = new HmacSha1KeyedOnce(key);
            foreach (var messageLength in new[] { 0, 1, 8, 20, 55 })
            {
                var message = new byte[messageLength];
                random.NextBytes(message);
                var ours = new byte[HmacSha1KeyedOnce.MacSize];
                keyed.Compute(message, ours);

                ours.Should().Equal(HMACSHA1.HashData(key, message), $"key of {keyLength} bytes, message of {messageLength} bytes");
            }

            keyed.Clear();
        }
    }

    [Test]
    public void Compute_MatchesRfc2202TestCase2()
    {
        // RFC 2202 section 3, test case 2: key "Jefe", data "what do ya want for nothing?".
        var keyed = new HmacSha1KeyedOnce("Jefe"u8);
        var mac = new byte[HmacSha1KeyedOnce.MacSize];
        keyed.Compute("what do ya want for nothing?"u8, mac);

        Convert.ToHexStringLower(mac).Should().Be("effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
    }

    [Test]
    public void Compute_RefusesMessagesThatNeedASecondBlock()
    {
        var keyed = new HmacSha1KeyedOnce([1, 2, 3]);
        var mac = new byte[HmacSha1KeyedOnce.MacSize];
        var thrown = false;
        try
        {
            keyed.Compute(new byte[56], mac);
        }
        catch (ArgumentException)
        {
            thrown = true;
        }

        thrown.Should().BeTrue();
    }
}
