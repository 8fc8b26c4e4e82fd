using AccountSecurity.Accounts;

namespace AccountSecurity.Tests.Accounts;

public sealed class EmailAddressTests
{
    [TestCase("jane@example.com")]
    [TestCase(" jane.doe+tag@sub.example.co.uk ")]
    public void IsPlausible_OrdinaryAddress_IsTrue(string email)
    {
        EmailAddress.IsPlausible(email).Should().BeTrue();
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("  ")]
    [TestCase("jane")]
    [TestCase("@example.com")]
    [TestCase("jane@")]
    [TestCase("ja ne@example.com")]
    [TestCase("jane@@example.com")]
    [TestCase("ja@ne@example.com")]
    [TestCase("jane\u0000@example.com")]
    public void IsPlausible_Malformed_IsFalse(string? email)
    {
        EmailAddress.IsPlausible(email).Should().BeFalse();
    }

    [Test]
    public void IsPlausible_LongerThan254_IsFalse()
    {
        EmailAddress.IsPlausible(new string('a', 243) + "@example.com").Should().BeFalse();
        EmailAddress.IsPlausible(new string('a', 242) + "@example.com").Should().BeTrue();
    }

    [Test]
    public void Normalize_TrimsAndIgnoresCase()
    {
        EmailAddress.Normalize("  Jane.Doe@Example.COM ").Should().Be(EmailAddress.Normalize("jane.doe@example.com"));
    }

    [TestCase("jane.doe@example.com", "jane.doe")]
    [TestCase("no-at-sign", "no-at-sign")]
    public void LocalPart_ReturnsPartBeforeAt(string email, string expected)
    {
        EmailAddress.LocalPart(email).Should().Be(expected);
    }
}
