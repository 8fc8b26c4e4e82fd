using AccountSecurity.Passwords.Policy;
using AccountSecurity.WebSample.Pages;

namespace AccountSecurity.WebSample.Tests;

/// <summary>The password rules the Password &amp; Security card lists say "1 digit" and "2 digits", never "digit(s)".</summary>
public sealed class PolicyRuleTextsTests
{
    [Test]
    public void One_IsSingular()
    {
        var rules = SecurityPages.PolicyRuleTexts(new PasswordPolicySettings { MinimumDigits = 1, MinimumUppercase = 1, MinimumLowercase = 1, MinimumSpecial = 1, HistoryDepth = 1 });

        rules.Should().Contain(["at least 1 digit", "at least 1 upper-case letter", "at least 1 lower-case letter", "at least 1 special character", "must differ from your last password"]);
        rules.Should().NotContain(r => r.Contains("(s)", StringComparison.Ordinal));
    }

    [Test]
    public void Several_ArePlural()
    {
        var rules = SecurityPages.PolicyRuleTexts(new PasswordPolicySettings { MinimumDigits = 2, MinimumUppercase = 3, MinimumLowercase = 4, MinimumSpecial = 5, HistoryDepth = 5 });

        rules.Should().Contain(["at least 2 digits", "at least 3 upper-case letters", "at least 4 lower-case letters", "at least 5 special characters", "must differ from your last 5 passwords"]);
        rules.Should().NotContain(r => r.Contains("(s)", StringComparison.Ordinal));
    }

    [Test]
    public void None_IsNotListed()
    {
        var rules = SecurityPages.PolicyRuleTexts(new PasswordPolicySettings { MinimumDigits = 0, HistoryDepth = 0 });

        rules.Should().NotContain(r => r.Contains("digit", StringComparison.Ordinal) || r.Contains("your last", StringComparison.Ordinal));
    }
}
