using AccountSecurity.Accounts;

namespace AccountSecurity.Tests.Accounts;

/// <summary>The one stamp comparison every session check uses (user sessions and the server-side registry).</summary>
public sealed class SecurityStampTests
{
    [Test]
    public void Same_IsTrueOnlyForEqualText_AndFalseForAbsentOnes()
    {
        var stamp = SecurityStamp.New();

        SecurityStamp.Same(stamp, new string(stamp.ToCharArray())).Should().BeTrue();
        SecurityStamp.Same(stamp, stamp[..^1]).Should().BeFalse("a prefix is another stamp");
        SecurityStamp.Same(stamp, stamp + "x").Should().BeFalse();
        SecurityStamp.Same(stamp, stamp.ToUpperInvariant() == stamp ? stamp.ToLowerInvariant() : stamp.ToUpperInvariant()).Should().BeFalse("stamps compare ordinally");
        SecurityStamp.Same(null, stamp).Should().BeFalse();
        SecurityStamp.Same(stamp, null).Should().BeFalse();
        SecurityStamp.Same(null, null).Should().BeFalse("no stamp matches nothing");
    }

    [Test]
    public void New_Is128RandomBits_InBase64Url_NeverRepeating()
    {
        var stamps = Enumerable.Range(0, 1000).Select(_ => SecurityStamp.New()).ToList();

        stamps.Should().OnlyHaveUniqueItems();
        stamps.Should().OnlyContain(s => s.Length == 22 && s.All(c => char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_'));
    }
}
