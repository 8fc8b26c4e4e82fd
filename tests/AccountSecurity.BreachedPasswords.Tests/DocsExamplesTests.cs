using AccountSecurity.Passwords.Policy;
using AccountSecurity.Results;
using AccountSecurity.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AccountSecurity.BreachedPasswords.Tests;

/// <summary>The examples of the package README and docs/breached-passwords.md, compiled here and shown there verbatim (Packaging.Tests compares them).</summary>
public sealed class DocsExamplesTests
{
    private static BreachedPasswordOptions Configured(IServiceCollection services)
    {
        var options = new BreachedPasswordOptions();
        using var provider = services.BuildServiceProvider();
        foreach (var configure in provider.GetServices<IConfigureOptions<BreachedPasswordOptions>>())
        {
            configure.Configure(options);
        }

        return options;
    }

    [Test]
    public void TheApiExample_UsesTheRangeApi_AllowingWhenItIsDown()
    {
        var services = new ServiceCollection();

        // snippet:begin api
        services.AddAccountSecurity(options => { /* … */ })
            .AddBreachedPasswordCheck();                                   // the range API, allow-and-log when it is down
        // snippet:end

        var options = Configured(services);
        options.MirrorDirectory.Should().BeNull();
        options.WhenUnavailable.Should().Be(BreachSourceUnavailableBehavior.AllowAndLog);
        services.Should().Contain(d => d.ServiceType == typeof(IAsyncPasswordRule));
    }

    [Test]
    public void TheMirrorExample_ReadsTheFolder_AndRefusesWhenItIsBroken()
    {
        var services = new ServiceCollection();

        // snippet:begin mirror
        // Without outbound internet: a mirror folder written by the official downloader.
        services.AddAccountSecurity(options => { /* … */ })
            .AddBreachedPasswordCheck(o =>
            {
                o.MirrorDirectory = "/var/lib/pwned-passwords";
                o.WhenUnavailable = BreachSourceUnavailableBehavior.Refuse;   // a broken mirror blocks new passwords
                o.CheckAtSignIn = true;
            });
        // snippet:end

        var options = Configured(services);
        options.MirrorDirectory.Should().Be("/var/lib/pwned-passwords");
        options.WhenUnavailable.Should().Be(BreachSourceUnavailableBehavior.Refuse);
        options.CheckAtSignIn.Should().BeTrue();
    }

    [Test]
    public void TheDocsExample_ChoosesTheUnavailableBehaviour()
    {
        var services = new ServiceCollection();

        // snippet:begin docs
        services.AddAccountSecurity(options => { /* … */ })
            .AddBreachedPasswordCheck(o => o.WhenUnavailable = BreachSourceUnavailableBehavior.AllowAndLog);
        // snippet:end

        Configured(services).WhenUnavailable.Should().Be(BreachSourceUnavailableBehavior.AllowAndLog);
    }

    [Test]
    public async Task TheGeneratedMirrorExample_RefusesItsPasswords()
    {
        var services = new ServiceCollection();
        services.AddLogging();

        // snippet:begin generated
        var folder = Path.Combine(Path.GetTempPath(), "pwned-sample");
        await BreachedPasswordMirror.WriteAsync(folder, ["winter-is-coming-2019", "letmein-please-2020"]);
        services.AddAccountSecurity(options => { /* … */ })
            .AddBreachedPasswordCheck(o => { o.MirrorDirectory = folder; o.PartialMirror = true; });
        // snippet:end

        services.AddAccountSecurity(o => AccountSecurityTestOptions.ApplyFastTestDefaults(o));
        await using var provider = services.BuildServiceProvider();
        var rule = provider.GetRequiredService<IEnumerable<IAsyncPasswordRule>>().Single();
        (await rule.ValidateAsync("letmein-please-2020", CancellationToken.None))!.Code.Should().Be(SecurityErrorCodes.PasswordBreached);
        (await rule.ValidateAsync("letmein-please-2021", CancellationToken.None)).Should().BeNull();
        Directory.Delete(folder, recursive: true);
    }
}
