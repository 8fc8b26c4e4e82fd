using System.Text;
using AccountSecurity.BreachedPasswords.Tests.TestSupport;
using AccountSecurity.Passwords.Policy;
using AccountSecurity.Results;

namespace AccountSecurity.BreachedPasswords.Tests;

/// <summary>A local mirror folder: the generator's format, missing, truncated, empty and oversized range files.</summary>
public sealed class MirrorTests
{
    private const string Breached = BreachTestHost.BreachedPassword;
    private const string Clean = BreachTestHost.CleanPassword;

    private string _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("breach-mirror-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    private Task<BreachTestHost> HostAsync(bool partial, Action<BreachedPasswordOptions>? configure = null) =>
        BreachTestHost.CreateAsync(
            o =>
            {
                o.MirrorDirectory = _folder;
                o.PartialMirror = partial;
                configure?.Invoke(o);
            },
            seed: false);

    private static async Task<SecurityError?> CheckAsync(BreachTestHost host, string password) =>
        await host.Get<IEnumerable<IAsyncPasswordRule>>().Single().ValidateAsync(password, CancellationToken.None);

    private string FileOf(string password) => Path.Combine(_folder, PasswordHashRange.Of(password).Prefix + ".txt");

    [Test]
    public async Task Generator_WritesTheDownloadersFormat()
    {
        await BreachedPasswordMirror.WriteAsync(_folder, [KeyValuePair.Create(Breached, 12), KeyValuePair.Create("password", 3)]);

        var range = PasswordHashRange.Of("password");
        var text = await File.ReadAllTextAsync(Path.Combine(_folder, "5BAA6.txt"));
        text.Should().Be(range.Suffix + ":3\r\n");
        Directory.GetFiles(_folder).Select(Path.GetFileName).Should().BeEquivalentTo(["5BAA6.txt", PasswordHashRange.Of(Breached).Prefix + ".txt"]);
    }

    [Test]
    public async Task APasswordInTheMirror_IsRefused_AndOneNotInIt_Passes()
    {
        await BreachedPasswordMirror.WriteAsync(_folder, [Breached]);
        await using var host = await HostAsync(partial: true);

        (await CheckAsync(host, Breached))!.Code.Should().Be(SecurityErrorCodes.PasswordBreached);
        (await CheckAsync(host, Clean)).Should().BeNull();
    }

    [Test]
    [SetUICulture("de-DE")]
    public async Task AGermanUser_GetsTheMessagesInGerman_WithTheSameCodes()
    {
        await BreachedPasswordMirror.WriteAsync(_folder, [Breached]);
        await using var host = await HostAsync(partial: false, o => o.WhenUnavailable = BreachSourceUnavailableBehavior.Refuse);

        var breached = await CheckAsync(host, Breached);
        var unavailable = await CheckAsync(host, Clean);

        breached!.Code.Should().Be(SecurityErrorCodes.PasswordBreached);
        breached.Message.Should().Contain("Datenleck");
        unavailable!.Code.Should().Be(SecurityErrorCodes.PasswordBreachCheckUnavailable);
        unavailable.Message.Should().Contain("Versuchen Sie es gleich noch einmal");
    }

    [Test]
    public void TheGermanMessages_AreComplete()
    {
        var english = Localization.BreachedPasswordMessages.ResourceManager.GetResourceSet(System.Globalization.CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: false)!
            .Cast<System.Collections.DictionaryEntry>().Select(e => (string)e.Key).ToList();
        var german = Localization.BreachedPasswordMessages.ResourceManager.GetResourceSet(new System.Globalization.CultureInfo("de"), createIfNotExists: true, tryParents: false)!
            .Cast<System.Collections.DictionaryEntry>().Select(e => (string)e.Key).ToList();

        english.Should().NotBeEmpty().And.BeEquivalentTo(german);
    }

    [Test]
    public async Task AMissingRangeFile_InAFullMirror_IsUnavailable()
    {
        await BreachedPasswordMirror.WriteAsync(_folder, [Breached]);
        await using var host = await HostAsync(partial: false, o => o.WhenUnavailable = BreachSourceUnavailableBehavior.Refuse);

        (await CheckAsync(host, Clean))!.Code.Should().Be(SecurityErrorCodes.PasswordBreachCheckUnavailable);
        host.MetricTags.Should().Contain("accountsecurity.breached_passwords.unavailable reason=missing_file");
    }

    [Test]
    public async Task AMissingRangeFile_InAFullMirror_IsAllowedAndLogged_ByDefault()
    {
        await using var host = await HostAsync(partial: false);

        (await CheckAsync(host, Clean)).Should().BeNull();
        host.Logs.AllText().Should().Contain(t => t.Contains("mirror") && t.Contains(PasswordHashRange.Of(Clean).Prefix) && t.Contains("missing_file") && t.Contains("allowed"));
    }

    [Test]
    public async Task ATruncatedRangeFile_StillAnswersForItsCompleteLines()
    {
        var range = PasswordHashRange.Of(Breached);
        await File.WriteAllTextAsync(FileOf(Breached), $"{new string('0', 35)}:4\r\n{range.Suffix}:9\r\n{new string('F', 20)}", Encoding.ASCII);
        await using var host = await HostAsync(partial: false);

        (await CheckAsync(host, Breached))!.Code.Should().Be(SecurityErrorCodes.PasswordBreached);
        host.MetricTags.Should().Contain("accountsecurity.breached_passwords.malformed_lines source=mirror");
    }

    [Test]
    public async Task AnEmptyOrGarbledRangeFile_IsUnavailable()
    {
        await File.WriteAllTextAsync(FileOf(Breached), "", Encoding.ASCII);
        await File.WriteAllTextAsync(FileOf(Clean), "\u0000\u0001garbage", Encoding.ASCII);
        await using var host = await HostAsync(partial: true, o => o.WhenUnavailable = BreachSourceUnavailableBehavior.Refuse);

        (await CheckAsync(host, Breached))!.Code.Should().Be(SecurityErrorCodes.PasswordBreachCheckUnavailable);
        (await CheckAsync(host, Clean))!.Code.Should().Be(SecurityErrorCodes.PasswordBreachCheckUnavailable);
        host.MetricTags.Should().Contain("accountsecurity.breached_passwords.unavailable reason=empty");
    }

    [Test]
    public async Task AnOversizedRangeFile_IsUnavailable()
    {
        await File.WriteAllTextAsync(FileOf(Breached), string.Concat(Enumerable.Repeat(new string('A', 35) + ":1\r\n", 500)), Encoding.ASCII);
        await using var host = await HostAsync(partial: true, o => o.MaxResponseBytes = 4096);

        (await CheckAsync(host, Breached)).Should().BeNull();
        host.MetricTags.Should().Contain("accountsecurity.breached_passwords.unavailable reason=oversized");
    }

    [Test]
    public async Task AMirrorFolderThatDoesNotExist_FailsTheHostsStart()
    {
        await using var host = await BreachTestHost.CreateAsync(o => o.MirrorDirectory = Path.Combine(_folder, "nowhere"), seed: false);

        var act = () => host.Get<Microsoft.Extensions.Options.IOptions<BreachedPasswordOptions>>().Value;

        act.Should().Throw<Microsoft.Extensions.Options.OptionsValidationException>().WithMessage("*MirrorDirectory*");
    }
}
