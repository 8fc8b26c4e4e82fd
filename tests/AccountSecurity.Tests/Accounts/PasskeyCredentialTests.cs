using AccountSecurity.Accounts;

namespace AccountSecurity.Tests.Accounts;

public sealed class PasskeyCredentialTests
{
    private static PasskeyCredential Read(params string[] transports) => new()
    {
        CredentialId = "cred-1",
        PublicKey = "pQECAyYgASFYIFxkZ2V4",
        SignatureCounter = 7,
        Transports = [.. transports],
        Aaguid = Guid.Parse("01234567-89ab-cdef-0123-456789abcdef"),
        IsBackupEligible = true,
        Name = "Laptop",
        CreatedAt = new DateTimeOffset(2030, 1, 1, 9, 0, 0, TimeSpan.Zero),
    };

    /// <summary>Two reads of one stored passkey (new arrays each time, as EF Core builds them) are equal: the refund rule of the second factor compares them.</summary>
    [Test]
    public void TwoReadsOfTheSamePasskey_AreEqual_EvenWithDistinctTransportArrays()
    {
        var first = Read("usb", "nfc");
        var second = Read("usb", "nfc");

        first.Transports.Should().NotBeSameAs(second.Transports);
        first.Should().Be(second);
        first.GetHashCode().Should().Be(second.GetHashCode());
        new[] { first }.SequenceEqual([second]).Should().BeTrue();
    }

    [Test]
    public void A_changed_counter_transport_or_use_makes_it_another_value()
    {
        var stored = Read("usb");

        stored.Should().NotBe(stored with { SignatureCounter = 8 });
        stored.Should().NotBe(Read("nfc"));
        stored.Should().NotBe(stored with { LastUsedAt = stored.CreatedAt.AddDays(1) });
        stored.Equals(null).Should().BeFalse();
    }

    [Test]
    public void ToString_PrintsNeitherTheKeyNorTheCredentialId()
    {
        var text = Read("usb").ToString();

        text.Should().NotContain("cred-1").And.NotContain("pQECAyYgASFYIFxkZ2V4").And.Contain("Laptop");
    }
}
