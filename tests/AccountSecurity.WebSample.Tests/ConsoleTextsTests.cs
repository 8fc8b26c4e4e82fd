using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace AccountSecurity.WebSample.Tests;

/// <summary>
/// The console's texts (issue 27): every English text has a German one with the same placeholders, every text a page
/// or handler asks for is in the English resources, and the German resources are embedded where the localizer looks.
/// </summary>
public sealed partial class ConsoleTextsTests
{
    private static readonly string SampleRoot = Path.Combine(RepositoryRoot(), "samples", "AccountSecurity.WebSample");

    [Test]
    public void EveryEnglishText_HasAGermanText_WithTheSamePlaceholders()
    {
        var english = Read("SharedTexts.resx");
        var german = Read("SharedTexts.de.resx");

        english.Should().HaveCountGreaterThan(300, "the check must read the real resources");
        english.Keys.Except(german.Keys).Should().BeEmpty("every English text needs a German one");
        german.Keys.Except(english.Keys).Should().BeEmpty("a German text without an English key is never shown");
        german.Where(g => string.IsNullOrWhiteSpace(g.Value)).Select(g => g.Key).Should().BeEmpty();
        english.Keys.Where(key => !Placeholders(key).SetEquals(Placeholders(german[key]))).Should().BeEmpty("a translation keeps every {0}");
    }

    [Test]
    public void EveryTextThePagesAskFor_IsInTheEnglishResources()
    {
        var english = Read("SharedTexts.resx");
        var asked = Directory.EnumerateFiles(SampleRoot, "*.*", SearchOption.AllDirectories)
            .Where(f => (f.EndsWith(".cshtml", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal)) && !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal))
            .SelectMany(f => TextKey().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value.Replace("\\\"", "\"", StringComparison.Ordinal)))
            .ToHashSet(StringComparer.Ordinal);

        asked.Should().HaveCountGreaterThan(200, "the scan must see the pages");
        asked.Except(english.Keys).Should().BeEmpty("a text missing from the resources would show in English in every language");
    }

    [Test]
    public void TheGermanResources_AreEmbeddedWhereTheLocalizerLooks()
    {
        var resources = new ResourceManager("AccountSecurity.WebSample.Resources.SharedTexts", typeof(SharedTexts).Assembly);

        resources.GetString("Sign in", CultureInfo.GetCultureInfo("de")).Should().Be("Anmelden");
        resources.GetString("Sign in", CultureInfo.GetCultureInfo("en")).Should().Be("Sign in");
    }

    private static Dictionary<string, string> Read(string file) =>
        XDocument.Load(Path.Combine(SampleRoot, "Resources", file)).Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string)d.Element("value")!, StringComparer.Ordinal);

    private static HashSet<string> Placeholders(string text) => [.. PlaceholderPattern().Matches(text).Select(m => m.Value)];

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AccountSecurity.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("AccountSecurity.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"\b(?:(?:T|Texts|texts)\[|ConsoleText\.Of\()\s*""((?:[^""\\]|\\.)*)""")]
    private static partial Regex TextKey();

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex PlaceholderPattern();
}
