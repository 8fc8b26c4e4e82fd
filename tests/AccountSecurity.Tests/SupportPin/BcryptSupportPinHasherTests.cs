using System.Security.Cryptography;
using AccountSecurity.DependencyInjection;
using AccountSecurity.SupportPin;
using Microsoft.Extensions.Options;

namespace AccountSecurity.Tests.SupportPin;

public sealed class BcryptSupportPinHasherTests
{
    private static readonly byte[] PepperA = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] PepperB = RandomNumberGenerator.GetBytes(32);

    private static BcryptSupportPinHasher Hasher(byte[]? pepper = null, int workFactor = 4)
    {
        var options = new AccountSecurityOptions();
        options.Hashing.WorkFactor = workFactor;
        options.Hashing.AllowInsecureWorkFactorForTesting = true;
        options.SupportPin.Pepper = pepper;
        return new BcryptSupportPinHasher(Options.Create(options));
    }

    [Test]
    public void Hash_CarriesSchemeMarker_SaltsEachTime_NeverContainsThePin()
    {
        var hasher = Hasher();
        var first = hasher.Hash("582039");
        var second = hasher.Hash("582039");
        first.Should().StartWith(BcryptSupportPinHasher.PlainMarker).And.NotContain("582039");
        second.Should().NotBe(first);
    }

    [Test]
    public void Verify_RightPin_Succeeds_WrongPin_Fails()
    {
        var hasher = Hasher();
        var hash = hasher.Hash("582039");
        hasher.Verify(hash, "582039").Should().Be(SupportPinHashCheck.Success);
        hasher.Verify(hash, "582038").Should().Be(SupportPinHashCheck.Failed);
    }

    [Test]
    public void Verify_LeadingZerosCount()
    {
        var hasher = Hasher();
        var hash = hasher.Hash("048213");
        hasher.Verify(hash, "048213").Should().Be(SupportPinHashCheck.Success);
        hasher.Verify(hash, "48213").Should().Be(SupportPinHashCheck.Failed);
        hasher.Verify(hash, "0048213").Should().Be(SupportPinHashCheck.Failed);
    }

    [Test]
    public void Hash_WithPepper_UsesPepperedMarker_AndDiffersFromUnpeppered()
    {
        var peppered = Hasher(PepperA).Hash("582039");
        peppered.Should().StartWith(BcryptSupportPinHasher.PepperedMarker);
        Hasher(PepperA).Verify(peppered, "582039").Should().Be(SupportPinHashCheck.Success);
        Hasher(PepperB).Verify(peppered, "582039").Should().Be(SupportPinHashCheck.Failed, "another pepper yields another hash");
        Hasher().Verify(peppered, "582039").Should().Be(SupportPinHashCheck.Malformed, "without the pepper nothing can be checked");
    }

    [Test]
    public void Verify_UnpepperedHash_AfterPepperIsConfigured_AsksForRehash()
    {
        var plain = Hasher().Hash("582039");
        Hasher(PepperA).Verify(plain, "582039").Should().Be(SupportPinHashCheck.SuccessRehashNeeded);
        Hasher(PepperA).Verify(plain, "582038").Should().Be(SupportPinHashCheck.Failed);
    }

    [Test]
    public void Verify_LowerCostThanConfigured_AsksForRehash()
    {
        var cheap = Hasher(workFactor: 4).Hash("582039");
        Hasher(workFactor: 5).Verify(cheap, "582039").Should().Be(SupportPinHashCheck.SuccessRehashNeeded);
    }

    [Test]
    public void Hasher_CopiesPepper_SoLaterChangesToTheArrayDoNotMatter()
    {
        var pepper = RandomNumberGenerator.GetBytes(32);
        var hasher = Hasher(pepper);
        var hash = hasher.Hash("582039");
        Array.Clear(pepper);
        hasher.Verify(hash, "582039").Should().Be(SupportPinHashCheck.Success);
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("582039")]
    [TestCase("aspin1:")]
    [TestCase("aspin1:$2a$04$tooshort")]
    [TestCase("aspin1:$2a$99$abcdefghijklmnopqrstuuabcdefghijklmnopqrstuvwxyz01234")]
    [TestCase("$2a$04$abcdefghijklmnopqrstuuabcdefghijklmnopqrstuvwxyz01234")]
    [TestCase("asv1:$2a$04$abcdefghijklmnopqrstuuabcdefghijklmnopqrstuvwxyz01234")]
    public void Verify_MalformedStoredHash_IsMalformed_NeverThrows(string? stored) =>
        Hasher().Verify(stored, "582039").Should().Be(SupportPinHashCheck.Malformed);

    [Test]
    public void VerifyDummy_DoesNotThrow() =>
        FluentActions.Invoking(() => Hasher().VerifyDummy("582039")).Should().NotThrow();
}
