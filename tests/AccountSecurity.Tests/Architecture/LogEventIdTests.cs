using System.Text.RegularExpressions;
using AccountSecurity.Tests.TestSupport;

namespace AccountSecurity.Tests.Architecture;

/// <summary>
/// Every log line of every package has an event id of its own: operators filter and alert on ids, and two lines sharing
/// one (the audit trail's and the breached-password check's once did) would make an alert fire on the wrong event.
/// </summary>
public sealed partial class LogEventIdTests
{
    [Test]
    public void EveryLoggerMessageInEveryPackage_HasAnEventIdNoOtherLineUses()
    {
        var root = RepositoryFiles.Root();
        var ids = Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => EventId().Matches(File.ReadAllText(f)).Select(m => (Id: int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), File: Path.GetRelativePath(root, f))))
            .ToList();

        ids.Should().HaveCountGreaterThan(40, "the scan finds the packages' log lines");
        ids.GroupBy(i => i.Id).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(i => i.File))}")
            .Should().BeEmpty("an event id names one log line across all packages");
    }

    [GeneratedRegex(@"\[LoggerMessage\(\s*EventId\s*=\s*(\d+)")]
    private static partial Regex EventId();
}
