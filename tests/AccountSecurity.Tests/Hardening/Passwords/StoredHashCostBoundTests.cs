using AccountSecurity.DependencyInjection;
using AccountSecurity.Passwords.Hashing;
using AccountSecurity.Results;
using AccountSecurity.SignIn;
using AccountSecurity.SupportPin;
using AccountSecurity.Testing;
using AccountSecurity.Tests.TestSupport;
using Microsoft.Extensions.Options;
using BCryptNet = BCrypt.Net.BCrypt;

namespace AccountSecurity.Tests.Hardening.Passwords;

/// <summary>
/// Issue 8, item 6 (and issue 23, which lowered the default bound to the work factor plus two and gave the refusal its own
/// result): a stored or imported hash whose bcrypt cost is above <see cref="PasswordHashingOptions.MaximumWorkFactor"/>
/// is <see cref="PasswordVerificationResult.HashCostTooHigh"/> and answered at once — never computed (counted through the
/// bcrypt seam, not timed).
/// </summary>
public sealed class StoredHashCostBoundTests
{
    private const string Password = "violet-Anchor-29-quiet";

    private static IEnumerable<TestCaseData> CorrectHashesAtCost6()
    {
        yield return new TestCaseData(BCryptNet.HashPassword(Password, BCryptNet.GenerateSalt(6, 'b'))).SetArgDisplayNames("raw $2b$06$");
        yield return new TestCaseData(BCryptNet.HashPassword(Password, BCryptNet.GenerateSalt(6, 'a'))).SetArgDisplayNames("raw $2a$06$");
        yield return new TestCaseData(CountingBcrypt.Hasher(new CountingBcrypt(), workFactor: 6).Hash(Password).Value).SetArgDisplayNames("asv1 at 6");
    }

    [TestCaseSource(nameof(CorrectHashesAtCost6))]
    public void Verify_CorrectHashAboveTheMaximumCost_IsHashCostTooHighAndNeverComputedAtItsCost(string storedHash)
    {
        var counter = new CountingBcrypt();
        var hasher = CountingBcrypt.Hasher(counter, workFactor: 4, maximumWorkFactor: 5);

        var result = hasher.Verify(storedHash, Password);

        result.Should().Be(PasswordVerificationResult.HashCostTooHigh);
        counter.Calls.Should().OnlyContain(c => c.Cost == 4, "only the dummy at the configured cost runs");
    }

    [Test]
    public void Verify_HashAtExactlyTheMaximumCost_StillVerifies()
    {
        var hasher = CountingBcrypt.Hasher(new CountingBcrypt(), workFactor: 4, maximumWorkFactor: 5);

        hasher.Verify(BCryptNet.HashPassword(Password, BCryptNet.GenerateSalt(5, 'b')), Password).Should().Be(PasswordVerificationResult.SuccessRehashNeeded);
        hasher.Verify(CountingBcrypt.Hasher(new CountingBcrypt(), workFactor: 5).Hash(Password).Value, Password).Should().Be(PasswordVerificationResult.Success);
    }

    [TestCase("$2b$31$")]
    [TestCase("$2y$17$")]
    [TestCase("asv1:$2a$20$")]
    [TestCase("$2b$07$")]
    public void Verify_DefaultMaximum_RefusesCostsAboveTheWorkFactorPlusTwoWithoutComputingThem(string prefix)
    {
        var counter = new CountingBcrypt();
        var options = new AccountSecurityOptions();
        options.Hashing.WorkFactor = 4;
        options.Hashing.AllowInsecureWorkFactorForTesting = true;
        var hasher = new BcryptPasswordHasher(Options.Create(options), counter);

        var result = hasher.Verify(prefix + "abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234", Password);

        result.Should().Be(PasswordVerificationResult.HashCostTooHigh);
        counter.Calls.Should().OnlyContain(c => c.Cost == 4, "only the dummy at the configured work factor runs");
    }

    [Test]
    public async Task SignIn_StoredCost31Hash_AnswersInvalidCredentialsAndLogsTheCostTooHigh()
    {
        var counter = new CountingBcrypt();
        await using var host = CountingBcrypt.Host(counter);
        await host.SeedContractAsync();
        await host.ModifyUserAsync(TestHost.UserId, u => u with { PasswordHash = "$2b$31$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234" });
        counter.Clear();

        var result = await host.Get<ISignInService>().PasswordSignInAsync(TestHost.UserEmail, TestHost.InitialPassword);

        result.ErrorCode.Should().Be(SecurityErrorCodes.InvalidCredentials);
        counter.Calls.Should().OnlyContain(c => c.Cost == 4);
        host.Logs.Entries.Should().Contain(e => e.EventId.Id == 104 && e.Message.Contains(TestHost.UserId, StringComparison.Ordinal));
    }

    [Test]
    public void Options_MaximumWorkFactor_DefaultsToTheWorkFactorPlusTwo()
    {
        new PasswordHashingOptions().MaximumWorkFactor.Should().BeNull();
        new PasswordHashingOptions().EffectiveMaximumWorkFactor.Should().Be(14);
        new PasswordHashingOptions { WorkFactor = 13 }.EffectiveMaximumWorkFactor.Should().Be(15, "the default follows the work factor");
        new PasswordHashingOptions { WorkFactor = 13, MaximumWorkFactor = 16 }.EffectiveMaximumWorkFactor.Should().Be(16);
    }

    [TestCase(12, 16, true)]
    [TestCase(12, 12, true)]
    [TestCase(12, 11, false)]
    [TestCase(18, 16, false)]
    [TestCase(18, 18, true)]
    [TestCase(12, 31, true)]
    [TestCase(12, 32, false)]
    public void OptionsValidation_MaximumWorkFactor_MustBeAtLeastTheWorkFactorAndAtMost31(int workFactor, int maximum, bool valid)
    {
        var options = AccountSecurityTestOptions.ApplyFastTestDefaults(new AccountSecurityOptions());
        options.Hashing.WorkFactor = workFactor;
        options.Hashing.MaximumWorkFactor = maximum;

        var result = new AccountSecurityOptionsValidator().Validate(null, options);

        result.Succeeded.Should().Be(valid, result.FailureMessage);
        if (!valid)
        {
            result.FailureMessage.Should().Contain("Hashing.MaximumWorkFactor");
        }
    }

    [Test]
    public void OptionsValidation_SupportPinWorkFactorAboveTheMaximum_FailsStartUp()
    {
        var options = AccountSecurityTestOptions.ApplyFastTestDefaults(new AccountSecurityOptions());
        options.Hashing.MaximumWorkFactor = 12;
        options.SupportPin.WorkFactor = 13;

        var result = new AccountSecurityOptionsValidator().Validate(null, options);

        result.Succeeded.Should().BeFalse();
        result.FailureMessage.Should().Contain("Hashing.MaximumWorkFactor");
    }

    [Test]
    public void SupportPinHasher_StoredPinHashAboveTheMaximumCost_IsCostTooHigh()
    {
        const string Pin = "48213957";
        var makerOptions = AccountSecurityTestOptions.ApplyFastTestDefaults(new AccountSecurityOptions());
        makerOptions.SupportPin.WorkFactor = 6;
        var storedAtCost6 = new BcryptSupportPinHasher(Options.Create(makerOptions)).Hash(Pin);
        var options = AccountSecurityTestOptions.ApplyFastTestDefaults(new AccountSecurityOptions());
        options.Hashing.MaximumWorkFactor = 5;
        var hasher = new BcryptSupportPinHasher(Options.Create(options));

        hasher.Verify(storedAtCost6, Pin).Should().Be(SupportPinHashCheck.CostTooHigh);
        hasher.Verify(hasher.Hash(Pin), Pin).Should().Be(SupportPinHashCheck.Success, "PIN hashes within the bound still verify");
    }
}
