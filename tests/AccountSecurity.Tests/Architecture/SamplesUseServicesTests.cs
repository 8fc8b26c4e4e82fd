using System.Text.RegularExpressions;
using AccountSecurity.Tests.TestSupport;

namespace AccountSecurity.Tests.Architecture;

/// <summary>
/// Issue 9: the samples show hosts how to use the library, so they reach accounts only through the services
/// (<c>IAccountAdministrationService</c>, <c>ISignInService</c>, …), never through the stores a host implements. Read from
/// the sources, so a sample that is not in the solution (the package consumers) is checked too.
/// </summary>
public sealed partial class SamplesUseServicesTests
{
    /// <summary>
    /// The one legitimate use: the Testing package's example runs the store conformance suite, which is for store
    /// implementers and names the store interface by design.
    /// </summary>
    private static readonly string[] StoreImplementerExamples = ["samples/AccountSecurity.PackageExamples/TestingExample.cs"];

    [Test]
    public void NoSampleSource_ReferencesTheStoreInterfaces()
    {
        var root = RepositoryFiles.Root();
        var offending = Directory.EnumerateFiles(Path.Combine(root, "samples"), "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".cshtml", StringComparison.Ordinal) || f.EndsWith(".razor", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(root, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(f => !f.Split('/').Any(part => part is "bin" or "obj") && !StoreImplementerExamples.Contains(f))
            .SelectMany(f => File.ReadLines(Path.Combine(root, f)).Select((line, i) => (File: f, Line: i + 1, Text: line)))
            .Where(l => StoreInterface().IsMatch(l.Text))
            .Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}")
            .ToList();

        offending.Should().BeEmpty("samples show hosts the services; the stores are for store implementers");
    }

    [Test]
    public void TheCheck_SeesTheSamples()
    {
        // An empty answer above proves nothing unless the scan reads real sample sources.
        var root = RepositoryFiles.Root();
        File.ReadAllText(Path.Combine(root, StoreImplementerExamples[0])).Should().MatchRegex(StoreInterface().ToString());
        Directory.EnumerateFiles(Path.Combine(root, "samples"), "*.cs", SearchOption.AllDirectories).Should().HaveCountGreaterThan(10);
    }

    [GeneratedRegex(@"\bI(User|Contract)Store\b")]
    private static partial Regex StoreInterface();
}
