using AccountSecurity.Crypto;

namespace AccountSecurity.Tests.Crypto;

public sealed class Base64UrlTests
{
    [TestCase(null)]
    [TestCase("!!!!")]
    [TestCase("a")]
    [TestCase("AAAA.BBBB")]
    [TestCase("AA AA+/")]
    public void TryDecode_InvalidText_ReturnsFalseWithoutException(string? text)
    {
        var buffer = new byte[64];

        Base64Url.TryDecode(text, buffer, out var written).Should().BeFalse();
        written.Should().Be(0);
    }

    [Test]
    public void TryDecode_DestinationTooSmall_ReturnsFalse() =>
        Base64Url.TryDecode(Base64Url.Encode(new byte[16]), new byte[8], out _).Should().BeFalse();

    [Test]
    public void TryDecode_EncodedBytes_RoundTrips()
    {
        var bytes = new byte[] { 0xFB, 0xFF, 0x00, 0x3E, 0x3F };
        var buffer = new byte[16];

        Base64Url.TryDecode(Base64Url.Encode(bytes), buffer, out var written).Should().BeTrue();

        buffer.AsSpan(0, written).ToArray().Should().Equal(bytes);
    }
}
