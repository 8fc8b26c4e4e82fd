using System.Text;
using Microsoft.Extensions.Time.Testing;

namespace AccountSecurity.BreachedPasswords.Tests;

public sealed class RangeParsingTests
{
    private static readonly PasswordHashRange Range = PasswordHashRange.Of("Granite!Meadow-8841");

    private static RangeParse Parse(string text, int maxLines = 1000) => PwnedRange.Parse(Encoding.ASCII.GetBytes(text), maxLines);

    [Test]
    public void Of_SplitsTheUpperCaseSha1IntoFiveAndThirtyFiveHexCharacters()
    {
        // SHA-1("password") is 5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8, the protocol's own example.
        var range = PasswordHashRange.Of("password");

        range.Prefix.Should().Be("5BAA6");
        range.Suffix.Should().Be("1E4C9B93F3F0682250B6CF8331B7EE68FD8");
        range.ToString().Should().Contain("5BAA6").And.NotContain(range.Suffix);
    }

    [Test]
    public void Parse_FindsTheCount_CaseInsensitively_AndDropsPadding()
    {
        var parsed = Parse($"{new string('0', 35)}:0\r\n{Range.Suffix.ToLowerInvariant()}:42\r\n{new string('F', 35)}:7\r\n");

        parsed.Malformed.Should().Be(0);
        parsed.Range!.CountOf(Range.Suffix).Should().Be(42);
        parsed.Range.CountOf(new string('F', 35)).Should().Be(7);
        parsed.Range.CountOf(new string('0', 35)).Should().Be(0, "a padding entry stands for no password");
        parsed.Range.Count.Should().Be(2);
    }

    [TestCase("not a line at all")]
    [TestCase("1E4C9B93F3F0682250B6CF8331B7EE68FD:3")]
    [TestCase("1E4C9B93F3F0682250B6CF8331B7EE68FD8X:3")]
    [TestCase("1E4C9B93F3F0682250B6CF8331B7EE68FD8;3")]
    [TestCase("1E4C9B93F3F0682250B6CF8331B7EE68FD8:")]
    [TestCase("1E4C9B93F3F0682250B6CF8331B7EE68FD8:-3")]
    [TestCase("1E4C9B93F3F0682250B6CF8331B7EE68FD8:99999999999")]
    [TestCase("1E4C9B93F3F0682250B6CF8331B7EE68FDG:3")]
    [TestCase("1E4C9B93F3F0682250B6CF8331B7EE68FD8: 3")]
    [TestCase("1E4C9B93F3F0682250B6CF8331B7EE68FD8:3:4")]
    public void Parse_SkipsAndCountsAMalformedLine_KeepingTheOthers(string bad)
    {
        var parsed = Parse($"{bad}\r\n{Range.Suffix}:5\r\n");

        parsed.Malformed.Should().Be(1);
        parsed.Range!.CountOf(Range.Suffix).Should().Be(5);
    }

    [Test]
    public void Parse_HostileInput_NeverThrows()
    {
        var inputs = new[] { "", "\r\n\r\n", new string(':', 100_000), string.Concat(Enumerable.Repeat(Range.Suffix + ":1\n", 10)) + "\u00FF\u00FE", new string('A', 1 << 20) };
        foreach (var input in inputs)
        {
            var bytes = Encoding.Latin1.GetBytes(input);
            var act = () => PwnedRange.Parse(bytes, 100);
            act.Should().NotThrow();
        }
    }

    [Test]
    public void Parse_MoreLinesThanTheCap_IsNoRange()
    {
        var text = string.Concat(Enumerable.Range(0, 11).Select(i => $"{i:X35}:1\r\n"));

        var parsed = Parse(text, maxLines: 10);

        parsed.TooManyLines.Should().BeTrue();
        parsed.Range.Should().BeNull();
    }

    [Test]
    public void Cache_KeepsAtMostItsCapacity_DroppingTheLeastRecentlyUsed()
    {
        var cache = new RangeCache(2, TimeSpan.FromHours(1), TimeProvider.System);
        var range = PwnedRange.Empty;
        cache.Set("AAAAA", range);
        cache.Set("BBBBB", range);
        cache.TryGet("AAAAA", out _).Should().BeTrue();

        cache.Set("CCCCC", range);

        cache.Count.Should().Be(2);
        cache.TryGet("BBBBB", out _).Should().BeFalse("the least recently used range went first");
        cache.TryGet("AAAAA", out _).Should().BeTrue();
        cache.TryGet("CCCCC", out _).Should().BeTrue();
    }

    [Test]
    public void Cache_ForgetsARangeAfterItsLifetime()
    {
        var time = new FakeTimeProvider();
        var cache = new RangeCache(10, TimeSpan.FromMinutes(5), time);
        cache.Set("AAAAA", PwnedRange.Empty);

        time.Advance(TimeSpan.FromMinutes(4));
        cache.TryGet("AAAAA", out _).Should().BeTrue();
        time.Advance(TimeSpan.FromMinutes(1));
        cache.TryGet("AAAAA", out _).Should().BeFalse();
        cache.Count.Should().Be(0);
    }

    [Test]
    public void Cache_OfSizeZero_KeepsNothing()
    {
        var cache = new RangeCache(0, TimeSpan.FromHours(1), TimeProvider.System);
        cache.Set("AAAAA", PwnedRange.Empty);
        cache.TryGet("AAAAA", out _).Should().BeFalse();
    }
}
