using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using AccountSecurity.Auditing;
using AccountSecurity.Events;
using AccountSecurity.Localization;
using AccountSecurity.Passwords.Policy;
using AccountSecurity.Reauthentication;
using AccountSecurity.Results;
using AccountSecurity.SupportPin;

namespace AccountSecurity.Tests.Localization;

/// <summary>
/// Every message the SDK returns to an end user comes from <c>UserMessages.resx</c> in the current UI culture: German is
/// complete, nothing is orphaned, no message is written inline in the source, and the codes never change with the language.
/// </summary>
public sealed partial class UserMessagesTests
{
    [Test]
    public void GermanResources_HaveEveryNeutralKey_NonEmpty_WithTheSamePlaceholders()
    {
        var neutral = Entries(CultureInfo.InvariantCulture);
        var german = Entries(CultureInfo.GetCultureInfo("de"));

        neutral.Should().HaveCountGreaterThan(150);
        german.Keys.Should().BeEquivalentTo(neutral.Keys, "every message exists in German and no German message is orphaned");
        foreach (var (key, text) in neutral)
        {
            text.Should().NotBeNullOrWhiteSpace(key);
            german[key].Should().NotBeNullOrWhiteSpace(key);
            german[key].Should().NotBe(text, "{0} is translated, not copied", key);
            Placeholders(german[key]).Should().Equal(Placeholders(text), "{0} has the same placeholders and formats in both languages", key);
        }
    }

    [Test]
    [SetUICulture("de-DE")]
    public void TheNamedMessages_AreExactlyTheResources_AndEachReadsInTheCurrentLanguage()
    {
        var properties = typeof(UserMessages).GetProperties(BindingFlags.Public | BindingFlags.Static)
            .Where(p => p.PropertyType == typeof(string)).ToList();
        var keys = Entries(CultureInfo.InvariantCulture).Keys.Where(k => !NamedAtRunTime.Any(prefix => k.StartsWith(prefix, StringComparison.Ordinal)));

        properties.Select(p => p.Name).Should().BeEquivalentTo(keys, "UserMessages names every message of UserMessages.resx, and only those");
        foreach (var property in properties)
        {
            var german = (string)property.GetValue(null)!;
            german.Should().Be(Entries(CultureInfo.GetCultureInfo("de"))[property.Name], "{0} is read in the current UI culture", property.Name);
        }
    }

    [Test]
    public void EveryMessage_IsUsedByTheSource()
    {
        var source = string.Join('\n', SourceFiles().Select(File.ReadAllText));
        foreach (var key in Entries(CultureInfo.InvariantCulture).Keys)
        {
            var used = key.StartsWith("Operation_", StringComparison.Ordinal) ? Enum.TryParse<SensitiveOperation>(key["Operation_".Length..], out _)
                : key.StartsWith("Activity_", StringComparison.Ordinal) && Enum.TryParse<SecurityEventType>(key["Activity_".Length..], out _) ? true
                : source.Contains("UserMessages." + key, StringComparison.Ordinal) || source.Contains('"' + key + '"', StringComparison.Ordinal);
            used.Should().BeTrue("the message {0} is used somewhere (or removed from both languages)", key);
        }
    }

    [Test]
    public void NoErrorMessage_IsWrittenInlineInTheSource()
    {
        // The whole file, not line by line: a code and its message are often on two lines (new SecurityError(\n code,\n "...")).
        var inline = new List<string>();
        foreach (var file in SourceFiles())
        {
            var text = File.ReadAllText(file);
            inline.AddRange(InlineMessage().Matches(text).Select(m =>
                $"{Path.GetRelativePath(Root(), file)}:{text.AsSpan(0, m.Index).Count('\n') + 1}: {m.Value}"));
        }

        inline.Should().BeEmpty("an end-user message comes from UserMessages.resx, so that it exists in every language");
    }

    [Test]
    [SetUICulture("de-DE")]
    [SetCulture("de-DE")]
    public void GermanUser_GetsGermanMessages_WithTheSameCodes_AndNumbersInGerman()
    {
        var errors = new DefaultPasswordPolicy().Validate("kurz", (string?)null, new PasswordPolicySettings { MinimumLength = 12, MinimumDigits = 2 });

        errors.Should().ContainSingle(e => e.Code == SecurityErrorCodes.PasswordTooShort)
            .Which.Message.Should().Be("Verwenden Sie mindestens 12 Zeichen.");
        errors.Should().ContainSingle(e => e.Code == SecurityErrorCodes.PasswordRequiresDigit)
            .Which.Message.Should().Be("Verwenden Sie mindestens 2 Ziffern.");
        SupportPinRules.Validate("1111", new SupportPinOptions()).Select(e => e.Code)
            .Should().Contain(SecurityErrorCodes.SupportPinTooShort);
        SupportPinRules.Validate("1111", new SupportPinOptions()).Should().OnlyContain(e => !e.Message.StartsWith("Use ", StringComparison.Ordinal));
        Localized.Format(UserMessages.SessionLifetimeOutOfRange, 0.5, 720.0).Should().Be("Die Sitzungsdauer muss zwischen 0,5 und 720 Stunden liegen.");
    }

    [Test]
    [SetUICulture("en-US")]
    [SetCulture("en-US")]
    public void EnglishUser_GetsEnglishMessages_InTheSingularAndThePlural()
    {
        var policy = new DefaultPasswordPolicy();

        policy.Validate("nodigitshere-Violet", (string?)null, new PasswordPolicySettings { MinimumDigits = 1 })
            .Single(e => e.Code == SecurityErrorCodes.PasswordRequiresDigit).Message.Should().Be("Include at least one digit.");
        policy.Validate("nodigitshere-Violet", (string?)null, new PasswordPolicySettings { MinimumDigits = 2 })
            .Single(e => e.Code == SecurityErrorCodes.PasswordRequiresDigit).Message.Should().Be("Include at least 2 digits.");
        Localized.Format(UserMessages.SessionLifetimeOutOfRange, 0.5, 720.0).Should().Be("The session lifetime must be between 0.5 and 720 hours.");
    }

    [Test]
    public void SecurityActivity_ReadsInTheUsersLanguage_WithEveryEventTypeNamed()
    {
        var german = CultureInfo.GetCultureInfo("de-DE");
        var english = CultureInfo.GetCultureInfo("en");
        var record = new AuditRecord
        {
            ContractId = "c1",
            OccurredAt = new DateTimeOffset(2030, 1, 1, 10, 42, 0, TimeSpan.Zero),
            EventType = SecurityEventType.SessionStarted,
            SignInMethods = AuditSignInMethods.Password | AuditSignInMethods.AuthenticatorApp,
            DeviceLabel = "Firefox on Windows",
        };

        AuditActivityText.Describe(record, culture: german).Should().Be("Angemeldet mit Passwort und Authenticator-App, Firefox on Windows, 10:42");
        AuditActivityText.Describe(record, culture: english).Should().Be("Signed in with password and authenticator app, Firefox on Windows, 10:42");
        AuditActivityText.What(record with { EventType = SecurityEventType.TwoFactorForced }, german).Should().Be("Zwei-Faktor-Authentifizierung von einem Administrator vorgeschrieben");
        foreach (var type in Enum.GetValues<SecurityEventType>())
        {
            AuditActivityText.What(record with { EventType = type }, german).Should().NotBe("Sicherheitsereignis", "{0} has its own words", type);
        }
    }

    [Test]
    [SetUICulture("fr-FR")]
    public void UnsupportedLanguage_FallsBackToEnglish()
    {
        UserMessages.InvalidCredentials.Should().Be("The e-mail address or the password is wrong.");
    }

    [Test]
    [SetUICulture("de-DE")]
    public void DescribeWithoutCulture_IsEnglishWhateverTheCurrentCulture_AndEveryOperationHasGermanWords()
    {
        var german = CultureInfo.GetCultureInfo("de");
        foreach (var operation in SensitiveOperations.All)
        {
            var english = SensitiveOperations.Describe(operation);
            english.Should().MatchRegex("^[a-z][A-Za-z '-]+$", "{0} has plain English words", operation);
            SensitiveOperations.Describe(operation, CultureInfo.InvariantCulture).Should().Be(english);
            SensitiveOperations.Describe(operation, german).Should().NotBe(english).And.NotBe(operation.ToString());
        }

        SensitiveOperations.Describe(SensitiveOperation.ChangePassword).Should().Be("change the password");
        SensitiveOperations.Describe((SensitiveOperation)999, german).Should().Be("999");
        SensitiveOperations.Describe(SensitiveOperation.ChangePassword, null!).Should().Be("change the password");
    }

    /// <summary>Messages looked up by a name made at run time (the operation's, the event's) rather than through a property.</summary>
    private static readonly string[] NamedAtRunTime = ["Operation_", "Activity_", "Method_"];

    private static Dictionary<string, string> Entries(CultureInfo culture)
    {
        // Not disposed: the ResourceManager caches the set, and every later lookup would fail on a disposed one.
        var set = UserMessages.ResourceManager.GetResourceSet(culture, createIfNotExists: true, tryParents: false);
        set.Should().NotBeNull("the resources for '{0}' exist", culture.Name);
        return set!.Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)e.Value!);
    }

    private static List<string> Placeholders(string text) => [.. PlaceholderPattern().Matches(text).Select(m => m.Value).Order(StringComparer.Ordinal)];

    private static IEnumerable<string> SourceFiles() =>
        Directory.EnumerateFiles(Path.Combine(Root(), "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal));

    private static string Root()
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

    [GeneratedRegex(@"\{\d+(:[^}]*)?\}")]
    private static partial Regex PlaceholderPattern();

    /// <summary>A code followed by a string literal: <c>new SecurityError(SecurityErrorCodes.X, "...")</c> and its short forms.</summary>
    [GeneratedRegex(@"SecurityErrorCodes\.\w+\s*,\s*[$@]*""")]
    private static partial Regex InlineMessage();
}
