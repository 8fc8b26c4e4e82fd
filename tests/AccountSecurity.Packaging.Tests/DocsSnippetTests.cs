using System.Text.RegularExpressions;

namespace AccountSecurity.Packaging.Tests;

/// <summary>
/// Every C# block in the guides and package READMEs is compiled code: it is preceded by
/// <c>&lt;!-- snippet: path#region [usings] --&gt;</c> and equals that region of a file the solution builds
/// (dedented; with <c>usings</c>, the file's using directives first). A block that drifts from the code fails here.
/// </summary>
public sealed partial class DocsSnippetTests
{
    /// <summary>Markdown files whose every C# block must be compiled code.</summary>
    public static IEnumerable<string> StrictDocuments() =>
        Directory.EnumerateFiles(Repository.PathOf("docs"), "*.md", SearchOption.AllDirectories)
            .Concat(Repository.PackageIds.Select(id => Repository.PathOf($"src/{id}/README.md")))
            .Select(p => Path.GetRelativePath(Repository.Root, p).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);

    [TestCaseSource(nameof(StrictDocuments))]
    public void EveryCSharpBlock_IsMarkedAndEqualsTheCompiledSource(string document)
    {
        var blocks = CSharpBlocks(File.ReadAllText(Repository.PathOf(document)));

        blocks.Should().NotBeEmpty("{0} shows at least one example", document);
        foreach (var block in blocks)
        {
            block.Marker.Should().NotBeNull("every C# block in {0} must name the compiled file it comes from (block at line {1})", document, block.Line);
            block.Code.Should().Be(Extract(block.Marker!), "the block at line {0} of {1} must equal {2}", block.Line, document, block.Marker);
        }
    }

    [Test]
    public void RepositoryReadme_MarkedBlocksEqualTheCompiledSource()
    {
        var blocks = CSharpBlocks(File.ReadAllText(Repository.PathOf("README.md"))).Where(b => b.Marker is not null).ToList();

        blocks.Should().NotBeEmpty();
        blocks.Should().AllSatisfy(b => b.Code.Should().Be(Extract(b.Marker!), "README.md line {0} must equal {1}", b.Line, b.Marker));
    }

    /// <summary>
    /// The guide is the whole app: every line of <c>samples/AccountSecurity.GettingStarted</c> is inside a region the guide
    /// shows, so a reader who copies the blocks in order gets the code CI builds and drives over HTTP, with nothing hidden.
    /// </summary>
    [Test]
    public void GettingStarted_ShowsEveryLineOfTheCompiledApp()
    {
        var shown = CSharpBlocks(File.ReadAllText(Repository.PathOf("docs/getting-started.md")))
            .Where(b => b.Marker is not null)
            .Select(b => b.Marker!.Split(' ')[0])
            .ToHashSet(StringComparer.Ordinal);
        var files = Directory.EnumerateFiles(Repository.PathOf("samples/AccountSecurity.GettingStarted"), "*.cs")
            .Select(f => Path.GetRelativePath(Repository.Root, f).Replace('\\', '/'))
            .ToList();

        files.Should().NotBeEmpty();
        foreach (var file in files)
        {
            string? region = null;
            foreach (var (line, number) in File.ReadAllLines(Repository.PathOf(file)).Select((l, i) => (l, i + 1)))
            {
                if (BeginPattern().Match(line) is { Success: true } begin)
                {
                    region = begin.Groups["name"].Value;
                    shown.Should().Contain($"{file}#{region}", "docs/getting-started.md shows region {0} of {1}", region, file);
                }
                else if (EndPattern().IsMatch(line))
                {
                    region = null;
                }
                else if (region is null && line.Trim().Length > 0)
                {
                    Assert.Fail($"{file} line {number} is outside every region the guide shows: {line.Trim()}");
                }
            }
        }
    }

    /// <summary>
    /// Every <c>dotnet add package</c> a document tells a reader to run names its version: without one, the command takes
    /// the newest release, which may target a later .NET only (NU1202). AccountSecurity's own packages have no release
    /// yet and say <c>--prerelease</c> (the newest build; dotnet writes its exact version into the project).
    /// </summary>
    [Test]
    public void EveryDotnetAddPackage_NamesItsVersion()
    {
        var documents = StrictDocuments().Append("README.md").ToList();
        var commands = 0;
        foreach (var document in documents)
        {
            foreach (var (line, number) in File.ReadAllLines(Repository.PathOf(document)).Select((l, i) => (l, i + 1)))
            {
                if (AddPackagePattern().Match(line) is not { Success: true } add)
                {
                    continue;
                }

                commands++;
                var ours = Repository.PackageIds.Contains(add.Groups["id"].Value, StringComparer.OrdinalIgnoreCase);
                var options = add.Groups["rest"].Value.Split('#')[0];
                (options.Contains("--version ", StringComparison.Ordinal) || (ours && options.Contains("--prerelease", StringComparison.Ordinal)))
                    .Should().BeTrue("{0} line {1} must name the version of {2}: {3}", document, number, add.Groups["id"].Value, line.Trim());
            }
        }

        commands.Should().BePositive("the documents tell readers which packages to add");
    }

    [Test]
    public void Extract_TakesTheNamedRegionDedentedAndTheUsingsWhenAsked()
    {
        var file = Path.Combine(Path.GetTempPath(), $"snippet-{Guid.NewGuid():N}.cs");
        File.WriteAllText(file, "using A.B;\nusing C;\n\nclass X\n{\n    void M()\n    {\n        // snippet:begin r\n        Call();\n\n        if (x)\n            Other();\n        // snippet:end\n    }\n}\n");
        try
        {
            Extract(file + "#r usings").Should().Be("using A.B;\nusing C;\n\nCall();\n\nif (x)\n    Other();");
            Extract(file + "#r").Should().Be("Call();\n\nif (x)\n    Other();");
        }
        finally
        {
            File.Delete(file);
        }
    }

    internal sealed record Block(int Line, string? Marker, string Code);

    internal static List<Block> CSharpBlocks(string markdown)
    {
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var blocks = new List<Block>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim() != "```csharp")
            {
                continue;
            }

            var end = Array.FindIndex(lines, i + 1, l => l.Trim() == "```");
            end.Should().BePositive("the C# block at line {0} is closed", i + 1);
            var marker = i > 0 ? MarkerPattern().Match(lines[i - 1]) : Match.Empty;
            blocks.Add(new Block(i + 1, marker.Success ? marker.Groups[1].Value : null, string.Join('\n', lines[(i + 1)..end])));
            i = end;
        }

        return blocks;
    }

    /// <summary>The code a marker names: <c>path#region</c> (dedented), optionally <c>usings</c> first; the whole file without a region.</summary>
    internal static string Extract(string marker)
    {
        var parts = marker.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var hash = parts[0].IndexOf('#', StringComparison.Ordinal);
        var path = hash < 0 ? parts[0] : parts[0][..hash];
        var region = hash < 0 ? null : parts[0][(hash + 1)..];
        var fullPath = Path.IsPathRooted(path) ? path : Repository.PathOf(path);
        File.Exists(fullPath).Should().BeTrue("the snippet file {0} exists", path);
        var lines = File.ReadAllText(fullPath).Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        if (region is null)
        {
            return string.Join('\n', lines).TrimEnd('\n');
        }

        var begin = Array.FindIndex(lines, l => BeginPattern().Match(l) is { Success: true } m && m.Groups["name"].Value == region);
        begin.Should().BeGreaterThanOrEqualTo(0, "{0} has a '// snippet:begin {1}' line", path, region);
        var end = Array.FindIndex(lines, begin + 1, l => EndPattern().IsMatch(l));
        end.Should().BePositive("{0}'s region {1} is closed with '// snippet:end'", path, region);
        var indent = lines[begin].Length - lines[begin].TrimStart().Length;
        var body = lines[(begin + 1)..end].Select(l => l.Trim().Length == 0 ? string.Empty : l[Math.Min(indent, l.Length - l.TrimStart().Length)..]);
        var usings = parts.Contains("usings")
            ? lines.Where(l => UsingPattern().IsMatch(l)).Append(string.Empty)
            : [];
        return string.Join('\n', usings.Concat(body));
    }

    [GeneratedRegex(@"dotnet add package (?<id>[\w.]+)(?<rest>.*)$")]
    private static partial Regex AddPackagePattern();

    [GeneratedRegex(@"^\s*<!-- snippet: (.+?) -->\s*$")]
    private static partial Regex MarkerPattern();

    [GeneratedRegex(@"^\s*// (snippet:begin (?<name>\S+)|(?<name>README):begin)\s*$")]
    private static partial Regex BeginPattern();

    [GeneratedRegex(@"^\s*// (snippet:end|README:end)\s*$")]
    private static partial Regex EndPattern();

    [GeneratedRegex(@"^using [\w.]+;$")]
    private static partial Regex UsingPattern();
}
