using System.Net;
using AccountSecurity.AspNetCore.Sessions;

namespace AccountSecurity.AspNetCore.Tests.Sessions;

/// <summary>The default device label and address anonymisation of a session.</summary>
public sealed class SessionDevicesTests
{
    [TestCase("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0", "Firefox on Windows")]
    [TestCase("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1", "Safari on iPhone")]
    [TestCase("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36", "Chrome on Android")]
    [TestCase("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0", "Edge on Windows")]
    [TestCase("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36", "Chrome on Windows")]
    [TestCase("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15", "Safari on macOS")]
    [TestCase("Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0.6478.54 Mobile/15E148 Safari/604.1", "Chrome on iPad")]
    [TestCase("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/127.0 Mobile/15E148 Safari/605.1.15", "Firefox on iPhone")]
    [TestCase("Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0", "Firefox on Linux")]
    [TestCase("Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36", "Chrome on ChromeOS")]
    [TestCase("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 OPR/111.0.0.0", "Opera on Windows")]
    [TestCase("Mozilla/5.0 (Linux; Android 14; SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36", "Samsung Internet on Android")]
    [TestCase("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", null)]
    [TestCase("curl/8.5.0", null)]
    [TestCase("", null)]
    [TestCase(null, null)]
    [TestCase("Firefox/1.0", "Firefox")]
    public void LabelFromUserAgent_NamesBrowserAndSystem_OrNothingItDoesNotKnow(string? userAgent, string? label) =>
        SessionDevices.LabelFromUserAgent(userAgent).Should().Be(label);

    [Test]
    public void LabelFromUserAgent_LooksOnlyAtTheStart_OfAHugeHeader()
    {
        var huge = new string('x', 1_000_000) + " Firefox/128.0 (Windows NT 10.0)";

        SessionDevices.LabelFromUserAgent(huge).Should().BeNull("only the first 512 characters are looked at");
    }

    [TestCase("203.0.113.77", "203.0.113.0")]
    [TestCase("2001:db8:abcd:12:34:56:78:9a", "2001:db8:abcd::")]
    [TestCase("::ffff:198.51.100.9", "198.51.100.0")]
    [TestCase("::1", "::")]
    public void AnonymizeAddress_DropsTheLastOctetOfIPv4_AndTheLast80BitsOfIPv6(string address, string recorded) =>
        SessionDevices.AnonymizeAddress(IPAddress.Parse(address)).Should().Be(recorded);

    [Test]
    public void AnonymizeAddress_OfNothing_IsNothing() => SessionDevices.AnonymizeAddress(null).Should().BeNull();
}
