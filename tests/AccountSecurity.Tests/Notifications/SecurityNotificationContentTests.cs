using System.Collections;
using System.Globalization;
using System.Text.RegularExpressions;
using AccountSecurity.DependencyInjection;
using AccountSecurity.Notifications;
using AccountSecurity.Sessions;
using AccountSecurity.Tests.TestSupport;
using Microsoft.Extensions.Options;

namespace AccountSecurity.Tests.Notifications;

/// <summary>What a notification says: no secret, the user's culture, complete German texts, no address in ToString, valid options.</summary>
public sealed partial class SecurityNotificationContentTests
{
    [Test]
    public async Task NoSecretTheTestUsed_AppearsInAnyNotificationOrLogLine()
    {
        await using var host = await NotificationTestHost.CreateAsync(o =>
        {
            o.TwoFactor.RecoveryCodeCount = 4;
            o.Lockout.Password.MaxFailedAttempts = 3;
        });
        await host.StartSessionAsync(new SessionDevice("Firefox on Windows", "198.51.100.0"));
        var enrolled = await host.EnableTwoFactorAsync();
        var codes = await host.RegenerateRecoveryCodesAsync(enrolled);
        await host.SignInWithRecoveryCodeAsync(codes[0]);
        await host.SetSupportPinAsync();
        await host.SetSupportPinAsync(NotificationTestHost.SecondSupportPin, password: TestHost.InitialPassword);
        await host.RemoveSupportPinAsync();
        await host.DisableTwoFactorAsync(enrolled);
        await host.ChangePasswordAsync();
        await host.ResetPasswordAsync(next: TestHost.ThirdPassword);
        await host.ForceTwoFactorAsync();
        await host.ResetTwoFactorAsync();
        await host.FailPasswordSignInAsync("Wrong-Guess-Number-1", 4, TestHost.AdminEmail);
        host.Notifications.EmailChanged(TestHost.UserId, TestHost.ContractId, TestHost.UserEmail, "ursula.new@example.com", null, host.Host.Time.GetUtcNow());
        await host.IdleAsync();

        var kinds = host.Sender.Sent.Select(n => n.Kind).Distinct().ToList();
        kinds.Should().HaveCountGreaterThanOrEqualTo(12, "the test drove nearly every kind");
        var texts = host.Sender.Sent.SelectMany(n => new[] { n.Subject, n.Body, n.ToString() })
            .Concat(host.Host.Logs.AllText())
            .ToList();
        var secrets = host.Secrets.Where(s => s.Length >= 6).Distinct().ToList();
        secrets.Should().HaveCountGreaterThan(15);
        foreach (var secret in secrets)
        {
            texts.Should().NotContain(t => t.Contains(secret, StringComparison.OrdinalIgnoreCase), "no notification or log line may carry the secret {0}", secret);
        }
    }

    [Test]
    public async Task GermanUser_GetsGermanTexts_AndDatesInGermanInUtc()
    {
        await using var host = await NotificationTestHost.CreateAsync();
        await host.SetCultureAsync(TestHost.UserId, "de-DE");

        await host.ChangePasswordAsync();
        await host.IdleAsync();

        var notification = host.Sender.Sent.Single();
        notification.Culture.Name.Should().Be("de-DE");
        notification.Subject.Should().Be("Ihr Passwort wurde geändert");
        notification.Body.Should().Contain("Das Passwort Ihres Kontos wurde geändert.")
            .And.Contain("Wann: Dienstag, 1. Januar 2030 09:00 UTC")
            .And.Contain("Gerät: ein unbekanntes Gerät")
            .And.Contain("Wenn Sie das nicht waren");
    }

    [TestCase(null, "en")]
    [TestCase("", "en")]
    [TestCase("no such culture!", "en")]
    [TestCase("fr-FR", "en")]
    [TestCase("en-GB", "en-GB")]
    [TestCase("de", "de")]
    public async Task UnsetInvalidOrUnsupportedCulture_FallsBackToTheDefault_WithoutThrowing(string? culture, string expected)
    {
        await using var host = await NotificationTestHost.CreateAsync();
        await host.SetCultureAsync(TestHost.UserId, culture);

        await host.ChangePasswordAsync();
        await host.IdleAsync();

        var notification = host.Sender.Sent.Single();
        notification.Culture.Name.Should().Be(expected);
        notification.Subject.Should().Be(expected.StartsWith("de", StringComparison.Ordinal) ? "Ihr Passwort wurde geändert" : "Your password was changed");
    }

    [Test]
    public async Task DefaultCultureOption_AppliesToUsersWithoutOne()
    {
        await using var host = await NotificationTestHost.CreateAsync(o => o.Notifications.DefaultCulture = "de-AT");

        await host.ChangePasswordAsync();
        await host.IdleAsync();

        host.Sender.Sent.Single().Culture.Name.Should().Be("de-AT");
        host.Sender.Sent.Single().Subject.Should().Be("Ihr Passwort wurde geändert");
    }

    [Test]
    public void GermanResources_HaveEveryNeutralKey_NonEmpty_WithTheSamePlaceholders()
    {
        var neutral = Entries(CultureInfo.InvariantCulture);
        var german = Entries(CultureInfo.GetCultureInfo("de"));

        neutral.Should().HaveCountGreaterThan(40);
        german.Keys.Should().BeEquivalentTo(neutral.Keys, "every text exists in German and no German text is orphaned");
        foreach (var (key, text) in neutral)
        {
            german[key].Should().NotBeNullOrWhiteSpace(key);
            Placeholders(german[key]).Should().Equal(Placeholders(text), "{0} has the same placeholders in both languages", key);
        }

        foreach (var kind in Enum.GetValues<SecurityNotificationKind>())
        {
            neutral.Should().ContainKeys(kind + "_Subject", kind + "_Happened", kind + "_Advice");
        }
    }

    [Test]
    public void ToString_PrintsNoAddressSubjectOrBody()
    {
        var notification = new SecurityNotification
        {
            Id = "abc",
            Kind = SecurityNotificationKind.EmailChanged,
            UserId = "u-1",
            Recipients = ["old@example.com", "new@example.com"],
            Culture = CultureInfo.GetCultureInfo("en"),
            OccurredAt = TestHost.Start,
            DeviceLabel = "Firefox on Windows",
            ClientAddress = "203.0.113.9",
            Subject = "The e-mail address of your account was changed",
            Body = "from old@example.com to new@example.com",
        };

        var text = notification.ToString();

        text.Should().Contain("EmailChanged").And.Contain("u-1").And.Contain("abc");
        text.Should().NotContain("example.com").And.NotContain("203.0.113.9").And.NotContain("Firefox").And.NotContain("changed");
    }

    [Test]
    public void Options_OutOfBounds_FailValidationWithClearMessages()
    {
        var options = new AccountSecurityOptions();
        AccountSecurity.Testing.AccountSecurityTestOptions.ApplyFastTestDefaults(options);
        options.Notifications.DefaultCulture = "fr";
        options.Notifications.MaxQueuedNotifications = 0;
        options.Notifications.SendTimeout = TimeSpan.Zero;
        options.Notifications.MaxAttempts = 11;
        options.Notifications.RetryDelay = TimeSpan.FromSeconds(-1);
        options.Notifications.FloodInterval = TimeSpan.FromDays(8);
        options.Notifications.RecoveryCodesLowThreshold = -1;

        var result = new AccountSecurityOptionsValidator().Validate(Options.DefaultName, options);

        result.Failed.Should().BeTrue();
        result.Failures.Should().Contain(f => f.StartsWith("Notifications.DefaultCulture", StringComparison.Ordinal) && f.Contains("'fr'"))
            .And.Contain(f => f.StartsWith("Notifications.MaxQueuedNotifications", StringComparison.Ordinal))
            .And.Contain(f => f.StartsWith("Notifications.SendTimeout", StringComparison.Ordinal))
            .And.Contain(f => f.StartsWith("Notifications.MaxAttempts", StringComparison.Ordinal))
            .And.Contain(f => f.StartsWith("Notifications.RetryDelay", StringComparison.Ordinal))
            .And.Contain(f => f.StartsWith("Notifications.FloodInterval", StringComparison.Ordinal))
            .And.Contain(f => f.StartsWith("Notifications.RecoveryCodesLowThreshold", StringComparison.Ordinal));
    }

    [Test]
    public void Options_Defaults_AreValid()
    {
        var options = AccountSecurity.Testing.AccountSecurityTestOptions.ApplyFastTestDefaults(new AccountSecurityOptions());

        new AccountSecurityOptionsValidator().Validate(Options.DefaultName, options).Succeeded.Should().BeTrue();
        options.Notifications.DefaultCulture.Should().Be("en");
        options.Notifications.MaxAttempts.Should().Be(3);
        options.Notifications.SendTimeout.Should().Be(TimeSpan.FromSeconds(10));
        options.Notifications.FloodInterval.Should().Be(TimeSpan.FromHours(1));
        options.Notifications.RecoveryCodesLowThreshold.Should().Be(3);
    }

    private static Dictionary<string, string> Entries(CultureInfo culture)
    {
        // Not disposed: the ResourceManager caches the set, and every later lookup would fail on a disposed one.
        var set = NotificationTexts.Resources.GetResourceSet(culture, createIfNotExists: true, tryParents: false);
        set.Should().NotBeNull("the resources for '{0}' exist", culture.Name);
        return set!.Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)e.Value!);
    }

    private static List<string> Placeholders(string text) => [.. PlaceholderPattern().Matches(text).Select(m => m.Value).Order(StringComparer.Ordinal)];

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex PlaceholderPattern();
}
