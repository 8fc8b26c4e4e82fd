using AccountSecurity.DependencyInjection;
using AccountSecurity.SupportPin;
using AccountSecurity.Tests.Hardening.Passwords;
using Microsoft.Extensions.Options;

namespace AccountSecurity.Tests.SupportPin;

/// <summary>The PIN hasher runs on the same bcrypt core as the password hasher, so the counting seam sees its work too.</summary>
public sealed class SupportPinHasherBcryptSeamTests
{
    private const string Pin = "48213957";

    private static BcryptSupportPinHasher Hasher(CountingBcrypt counter, int workFactor = 5, int maximumWorkFactor = 16)
    {
        var options = new AccountSecurityOptions();
        options.Hashing.WorkFactor = 4;
        options.Hashing.MaximumWorkFactor = maximumWorkFactor;
        options.Hashing.AllowInsecureWorkFactorForTesting = true;
        options.SupportPin.WorkFactor = workFactor;
        return new BcryptSupportPinHasher(Options.Create(options), counter);
    }

    [Test]
    public void HashVerifyAndDummy_EachCostOneBcrypt_AtThePinWorkFactor()
    {
        var counter = new CountingBcrypt();
        var hasher = Hasher(counter);

        var hash = hasher.Hash(Pin);
        hasher.Verify(hash, Pin).Should().Be(SupportPinHashCheck.Success);
        hasher.Verify(hash, "48213958").Should().Be(SupportPinHashCheck.Failed);
        hasher.VerifyDummy(Pin);

        counter.Calls.Should().HaveCount(4).And.OnlyContain(c => c.Cost == 5 && !c.Threw);
        counter.Verifications.Should().HaveCount(3);
    }

    [Test]
    public void Verify_StoredHashAboveTheBound_ComputesNothing()
    {
        var maker = new CountingBcrypt();
        var stored = Hasher(maker, workFactor: 6).Hash(Pin);
        var counter = new CountingBcrypt();

        Hasher(counter, workFactor: 5, maximumWorkFactor: 5).Verify(stored, Pin).Should().Be(SupportPinHashCheck.CostTooHigh);

        counter.Calls.Should().BeEmpty();
    }
}
