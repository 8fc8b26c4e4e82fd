using System.IO.Compression;
using System.Xml.Linq;

namespace AccountSecurity.Packaging.Tests;

/// <summary>
/// The packages `dotnet pack` wrote to samples/local-feed (or ACCOUNTSECURITY_PACKAGE_FEED). Without packages the tests
/// are ignored, unless ACCOUNTSECURITY_REQUIRE_PACKAGES=1 (set by .ci/run after packing) turns that into a failure.
/// </summary>
internal sealed class PackedPackage
{
    private PackedPackage(string id, string version, string nupkgPath, string snupkgPath)
    {
        Id = id;
        Version = version;
        NupkgPath = nupkgPath;
        SnupkgPath = snupkgPath;
    }

    public string Id { get; }

    public string Version { get; }

    public string NupkgPath { get; }

    public string SnupkgPath { get; }

    private static bool Required => Environment.GetEnvironmentVariable("ACCOUNTSECURITY_REQUIRE_PACKAGES") == "1";

    private static string Feed => Environment.GetEnvironmentVariable("ACCOUNTSECURITY_PACKAGE_FEED") is { Length: > 0 } feed
        ? Path.GetFullPath(feed)
        : Repository.PathOf("samples/local-feed");

    /// <summary>The newest packed <paramref name="id"/> built from the checked-out commit; ignores or fails the test otherwise.</summary>
    public static PackedPackage Find(string id)
    {
        var candidates = Directory.Exists(Feed)
            ? Directory.EnumerateFiles(Feed, id + ".*.nupkg")
                .Where(p => VersionOf(id, p) is { } v && char.IsDigit(v[0]))
                .OrderByDescending(File.GetLastWriteTimeUtc)
                .ToList()
            : [];
        if (candidates.Count == 0)
        {
            Unavailable($"no {id} package in {Feed}: run `dotnet pack src/{id} -c Release` (CI does)");
        }

        var nupkg = candidates[0];
        var version = VersionOf(id, nupkg)!;
        var snupkg = Path.ChangeExtension(nupkg, ".snupkg");
        var package = new PackedPackage(id, version, nupkg, snupkg);
        var head = Repository.HeadCommit();
        if (package.RepositoryElement().Attribute("commit")?.Value != head)
        {
            Unavailable($"{Path.GetFileName(nupkg)} was not packed from the checked-out commit {head}: pack again");
        }

        return package;
    }

    public XElement Nuspec()
    {
        using var zip = ZipFile.OpenRead(NupkgPath);
        using var stream = zip.GetEntry(Id + ".nuspec")!.Open();
        return XDocument.Load(stream).Root!.Elements().First(e => e.Name.LocalName == "metadata");
    }

    public XElement RepositoryElement() => Nuspec().Elements().First(e => e.Name.LocalName == "repository");

    public string? Metadata(string name) => Nuspec().Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;

    /// <summary>Every entry of the .nupkg (or the .snupkg) with its bytes.</summary>
    public static IReadOnlyDictionary<string, byte[]> Entries(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        return zip.Entries.Where(e => e.Length > 0 || !e.FullName.EndsWith('/')).ToDictionary(
            e => e.FullName,
            e =>
            {
                using var stream = e.Open();
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                return copy.ToArray();
            },
            StringComparer.Ordinal);
    }

    private static string? VersionOf(string id, string path)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        return name.StartsWith(id + ".", StringComparison.Ordinal) ? name[(id.Length + 1)..] : null;
    }

    private static void Unavailable(string why)
    {
        if (Required)
        {
            Assert.Fail(why);
        }

        Assert.Ignore(why);
    }
}
