using System.IO.Compression;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.Loader;
using System.Text;
using System.Text.Json;

namespace AccountSecurity.Packaging.Tests;

/// <summary>What an auditor opening each packed .nupkg and .snupkg must find, and must not.</summary>
[TestFixtureSource(typeof(Repository), nameof(Repository.PackageIds))]
public sealed class PackageContentTests(string packageId)
{
    private static readonly Guid SourceLinkKind = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");
    private static readonly Guid EmbeddedSourceKind = new("0E8A571B-6926-466E-B4AD-8AB04611F5FE");

    private PackedPackage _package = null!;

    [OneTimeSetUp]
    public void FindPackage() => _package = PackedPackage.Find(packageId);

    [Test]
    public void Nuspec_DeclaresTheLicenceExpressionReadmeDescriptionAndProjectUrl()
    {
        var nuspec = _package.Nuspec();
        var license = nuspec.Elements().Single(e => e.Name.LocalName == "license");

        license.Attribute("type")!.Value.Should().Be("expression");
        license.Value.Should().Be("MIT");
        _package.Metadata("readme").Should().Be("README.md");
        _package.Metadata("projectUrl").Should().Be(Repository.Url);
        _package.Metadata("description").Should().NotBeNullOrWhiteSpace().And.NotContain("TOTP code generator for tests", "the description promises only what the package has");
        _package.Metadata("version").Should().Be(_package.Version).And.MatchRegex(@"^\d+\.\d+\.\d+(-[0-9A-Za-z.]+)?$");
    }

    [Test]
    public void Nuspec_NamesTheRepositoryUrlAndTheCommitItWasBuiltFrom()
    {
        var repository = _package.RepositoryElement();

        repository.Attribute("type")!.Value.Should().Be("git");
        repository.Attribute("url")!.Value.Should().Be(Repository.Url);
        repository.Attribute("commit")!.Value.Should().Be(Repository.HeadCommit());
    }

    [Test]
    public void Readme_IsThePackagesOwnReadme()
    {
        var entries = PackedPackage.Entries(_package.NupkgPath);

        Encoding.UTF8.GetString(entries["README.md"]).Should().Be(File.ReadAllText(Repository.PathOf($"src/{packageId}/README.md")));
    }

    [Test]
    public void Notices_EveryNoticeFileOfTheProjectIsPackedAndListed()
    {
        var projectDir = Repository.PathOf($"src/{packageId}");
        var notices = Directory.EnumerateFiles(projectDir, "NOTICE.md", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(projectDir, "THIRD-PARTY-NOTICES*", SearchOption.AllDirectories))
            .Where(p => !IsBuildOutput(projectDir, p))
            .Select(p => Path.GetRelativePath(projectDir, p).Replace('\\', '/'))
            .ToList();
        var entries = PackedPackage.Entries(_package.NupkgPath);
        var index = Encoding.UTF8.GetString(entries["THIRD-PARTY-NOTICES.md"]);

        if (packageId == "AccountSecurity")
        {
            notices.Should().Contain("Passwords/Blocklist/NOTICE.md", "the blocklist is zxcvbn-ts data under MIT");
        }

        index.Should().StartWith("# Third-party notices");
        foreach (var notice in notices)
        {
            entries.Should().ContainKey("notices/" + notice);
            entries["notices/" + notice].Should().Equal(File.ReadAllBytes(Path.Combine(projectDir, notice)));
            index.Should().Contain("notices/" + notice);
        }
    }

    [Test]
    public void Dependencies_AskForTheLowestVersionsAndNoBuildTool()
    {
        var dependencies = _package.Nuspec().Descendants().Where(e => e.Name.LocalName == "dependency")
            .ToDictionary(e => e.Attribute("id")!.Value, e => e.Attribute("version")!.Value, StringComparer.Ordinal);

        dependencies.Keys.Should().NotContain(id => id.StartsWith("MinVer", StringComparison.Ordinal)
            || id.StartsWith("Microsoft.SourceLink", StringComparison.Ordinal)
            || id.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal));
        if (packageId.StartsWith("AccountSecurity.Testing", StringComparison.Ordinal))
        {
            // A test kit brings nothing Windows-only into a Linux test project: FluentAssertions 7 would, through
            // System.Configuration.ConfigurationManager (System.Drawing.Common, Microsoft.Win32.SystemEvents).
            dependencies.Keys.Should().NotContain(["FluentAssertions", "System.Configuration.ConfigurationManager", "System.Drawing.Common", "Microsoft.Win32.SystemEvents"]);
        }

        if (packageId == "AccountSecurity.Testing")
        {
            // The neutral helpers fix no test framework.
            dependencies.Keys.Should().NotContain(id => id.StartsWith("NUnit", StringComparison.OrdinalIgnoreCase)
                || id.StartsWith("xunit", StringComparison.OrdinalIgnoreCase) || id.StartsWith("MSTest", StringComparison.OrdinalIgnoreCase));
        }

        if (packageId == "AccountSecurity.Testing.NUnit")
        {
            // The suites: the neutral helpers (which bring the core) and NUnit, nothing else.
            dependencies.Keys.Should().BeEquivalentTo(["AccountSecurity.Testing", "NUnit"]);
            dependencies.Should().Contain("AccountSecurity.Testing", _package.Version);
            return;
        }

        if (packageId == "AccountSecurity.AspNetCore")
        {
            // The shared framework brings ASP.NET Core and Microsoft.Extensions.*: a framework reference, no package of theirs.
            _package.Nuspec().Descendants().Where(e => e.Name.LocalName == "frameworkReference").Select(e => e.Attribute("name")!.Value)
                .Should().Contain("Microsoft.AspNetCore.App");
            dependencies.Keys.Should().NotContain(id => id.StartsWith("Microsoft.", StringComparison.Ordinal));
            dependencies.Should().Contain("AccountSecurity", _package.Version);
            return;
        }

        if (packageId == "AccountSecurity.Passkeys")
        {
            // The ASP.NET Core layer (which brings the core and the shared framework) and the kept WebAuthn library.
            dependencies.Should().Contain("AccountSecurity.AspNetCore", _package.Version).And.ContainKey("Fido2");
            // Fido2 4.3.3 asks for NSec.Cryptography >= 25.4.0 and Microsoft.IdentityModel.JsonWebTokens >= 8.2.0; the package
            // lifts them only to the lowest versions served at or above those (the ones the Passkeys tests run on), never further.
            dependencies.Should().Contain("NSec.Cryptography", "26.4.0").And.Contain("Microsoft.IdentityModel.JsonWebTokens", "8.16.0");
            dependencies.Keys.Should().NotContain(id => id.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal));
            return;
        }

        if (packageId == "AccountSecurity.Redis")
        {
            // The ASP.NET Core layer (the seam, the core and the shared framework) and the one Redis client.
            dependencies.Keys.Should().BeEquivalentTo(["AccountSecurity.AspNetCore", "StackExchange.Redis"]);
            dependencies.Should().Contain("AccountSecurity.AspNetCore", _package.Version);
            return;
        }

        dependencies.Where(d => d.Key.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal) || d.Key.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal) || d.Key == "System.Threading.RateLimiting")
            .Should().NotBeEmpty().And.AllSatisfy(d => d.Value.Should().Be("10.0.0", "{0} is asked for at its lowest version that builds and passes", d.Key));
        if (packageId == "AccountSecurity")
        {
            dependencies.Should().Contain("QRCoder", "1.6.0", "QRCoder 1.7+ brings Windows-only System.Drawing.Common to net6.0+");
            dependencies.Should().Contain("System.Threading.RateLimiting", "10.0.0", "the hashing limiter is the platform's, asked for at the 10.0 minimum");
            dependencies.Keys.Should().NotContain(["System.Drawing.Common", "Microsoft.Win32.SystemEvents"]);
        }
        else
        {
            dependencies.Should().Contain("AccountSecurity", _package.Version);
        }
    }

    [Test]
    public void Pdb_MapsEverySourceToTheRepositoryAtTheCommitThroughSourceLink()
    {
        using var provider = MetadataReaderProvider.FromPortablePdbStream(new MemoryStream(Pdb()));
        var pdb = provider.GetMetadataReader();
        var sourceLink = pdb.GetCustomDebugInformation(EntityHandle.ModuleDefinition)
            .Select(pdb.GetCustomDebugInformation)
            .Single(c => pdb.GetGuid(c.Kind) == SourceLinkKind);
        using var json = JsonDocument.Parse(pdb.GetBlobBytes(sourceLink.Value));
        var documents = json.RootElement.GetProperty("documents").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
        var paths = pdb.Documents.Select(d => pdb.GetString(pdb.GetDocument(d).Name)).ToList();

        documents.Should().Equal(new Dictionary<string, string?>
        {
            ["/_/*"] = $"https://raw.githubusercontent.com/accountsecurity/accountsecurity/{Repository.HeadCommit()}/*",
        });
        paths.Should().NotBeEmpty().And.AllSatisfy(p => p.Should().StartWith("/_/", "no source path of the build machine"));
        paths.Should().Contain($"/_/src/{packageId}/{FirstSourceFile()}");
    }

    [Test]
    public void Assembly_PointsAtADeterministicPdbPathAndCarriesTheVersion()
    {
        var dll = PackedPackage.Entries(_package.NupkgPath)[$"lib/net10.0/{packageId}.dll"];
        using var pe = new PEReader(new MemoryStream(dll));
        var codeView = pe.ReadDebugDirectory().Single(d => d.Type == DebugDirectoryEntryType.CodeView);
        var context = new AssemblyLoadContext(packageId + "-inspection", isCollectible: true);
        try
        {
            var assembly = context.LoadFromStream(new MemoryStream(dll));
            var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
            var metadata = assembly.GetCustomAttributesData()
                .Where(a => a.AttributeType.FullName == typeof(AssemblyMetadataAttribute).FullName)
                .ToDictionary(a => (string)a.ConstructorArguments[0].Value!, a => (string?)a.ConstructorArguments[1].Value, StringComparer.Ordinal);

            pe.ReadCodeViewDebugDirectoryData(codeView).Path.Should().StartWith("/_/");
            informational.Should().Be($"{_package.Version}+{Repository.HeadCommit()}");
            if (packageId is "AccountSecurity" or "AccountSecurity.AspNetCore")
            {
                metadata.Should().Contain("IsTrimmable", "True", "the core and ASP.NET Core packages declare trimming and AOT compatibility");
            }
        }
        finally
        {
            context.Unload();
        }
    }

    [Test]
    public void NoFile_InThePackageOrItsSymbols_CarriesAPathOfTheBuildMachine()
    {
        var machinePaths = new[] { Repository.Root, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) }
            .Where(p => p.Length > 1)
            .Select(p => p.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar)
            .ToList();
        var files = PackedPackage.Entries(_package.NupkgPath).Concat(PackedPackage.Entries(_package.SnupkgPath))
            .Concat(EmbeddedSources().Select(s => KeyValuePair.Create("pdb-embedded:" + s.Key, s.Value)))
            .ToList();

        files.Should().Contain(f => f.Key.StartsWith("pdb-embedded:", StringComparison.Ordinal), "generated sources are embedded in the PDB and checked too");
        foreach (var (name, bytes) in files)
        {
            foreach (var path in machinePaths)
            {
                Contains(bytes, Encoding.UTF8.GetBytes(path)).Should().BeFalse("{0} must not contain {1}", name, path);
                Contains(bytes, Encoding.Unicode.GetBytes(path)).Should().BeFalse("{0} must not contain {1} (UTF-16)", name, path);
            }
        }
    }

    private static bool IsBuildOutput(string projectDir, string path)
    {
        var relative = Path.GetRelativePath(projectDir, path).Replace('\\', '/');
        return relative.StartsWith("bin/", StringComparison.Ordinal) || relative.StartsWith("obj/", StringComparison.Ordinal);
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    private byte[] Pdb() => PackedPackage.Entries(_package.SnupkgPath)[$"lib/net10.0/{packageId}.pdb"];

    private string FirstSourceFile() => packageId switch
    {
        "AccountSecurity" => "DependencyInjection/AccountSecurityBuilder.cs",
        "AccountSecurity.EntityFrameworkCore" => "AccountSecurityDbContext.cs",
        "AccountSecurity.AspNetCore" => "SignIn/AccountSecuritySignInManager.cs",
        "AccountSecurity.Passkeys" => "PasskeyService.cs",
        "AccountSecurity.BreachedPasswords" => "BreachedPasswordChecker.cs",
        "AccountSecurity.Testing.NUnit" => "Stores/StoreConformanceTests.cs",
        "AccountSecurity.Redis" => "RateLimiting/RedisFixedWindowLimiter.cs",
        _ => "TotpCodeGenerator.cs",
    };

    /// <summary>The sources embedded in the PDB (generated and untracked files), decompressed.</summary>
    private Dictionary<string, byte[]> EmbeddedSources()
    {
        using var provider = MetadataReaderProvider.FromPortablePdbStream(new MemoryStream(Pdb()));
        var pdb = provider.GetMetadataReader();
        var result = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var handle in pdb.Documents)
        {
            var embedded = pdb.GetCustomDebugInformation(handle).Select(pdb.GetCustomDebugInformation).Where(c => pdb.GetGuid(c.Kind) == EmbeddedSourceKind).ToList();
            if (embedded.Count == 0)
            {
                continue;
            }

            var blob = pdb.GetBlobBytes(embedded[0].Value);
            var uncompressedSize = BitConverter.ToInt32(blob, 0);
            byte[] content;
            if (uncompressedSize == 0)
            {
                content = blob[4..];
            }
            else
            {
                using var inflate = new DeflateStream(new MemoryStream(blob, 4, blob.Length - 4), CompressionMode.Decompress);
                using var copy = new MemoryStream();
                inflate.CopyTo(copy);
                content = copy.ToArray();
            }

            result[pdb.GetString(pdb.GetDocument(handle).Name)] = content;
        }

        return result;
    }
}
