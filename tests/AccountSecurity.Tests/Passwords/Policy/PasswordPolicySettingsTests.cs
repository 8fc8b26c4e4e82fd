using AccountSecurity.Passwords;
using AccountSecurity.Passwords.Policy;
using AccountSecurity.Results;

namespace AccountSecurity.Tests.Passwords.Policy;

public sealed class PasswordPolicySettingsTests
{
    private static readonly PasswordPolicySettings Default = PasswordPolicySettings.Default;

    [Test]
    public void Default_FollowsNistSpirit()
    {
        Default.MinimumLength.Should().Be(12);
        Default.MaximumLength.Should().Be(128);
        Default.BlockCommonPasswords.Should().BeTrue();
        Default.RejectEmail.Should().BeTrue();
        Default.RejectPredictablePatterns.Should().BeTrue("NIST SP 800-63B refuses repetitive and sequential characters and context-specific words");
        (Default.MinimumDigits + Default.MinimumUppercase + Default.MinimumLowercase + Default.MinimumSpecial).Should().Be(0);
        Default.Validate().Should().BeEmpty();
    }

    [Test]
    public void Validate_MaximumBelow64_IsRefused()
    {
        (Default with { MaximumLength = 63 }).Validate().Should().ContainSingle().Which.Code.Should().Be(SecurityErrorCodes.PasswordPolicyInvalid);
        (Default with { MaximumLength = 64 }).Validate().Should().BeEmpty();
    }

    [Test]
    public void Validate_MaximumAboveAbsoluteLimit_IsRefused()
    {
        (Default with { MaximumLength = PasswordText.AbsoluteMaximumLength + 1 }).Validate().Should().ContainSingle();
        (Default with { MaximumLength = PasswordText.AbsoluteMaximumLength }).Validate().Should().BeEmpty();
    }

    [Test]
    public void Validate_MinimumBelow8_IsRefused()
    {
        (Default with { MinimumLength = 7 }).Validate().Should().ContainSingle().Which.Code.Should().Be(SecurityErrorCodes.PasswordPolicyInvalid);
        (Default with { MinimumLength = 8 }).Validate().Should().BeEmpty();
    }

    [Test]
    public void Validate_MinimumAboveMaximum_IsRefused()
    {
        (Default with { MinimumLength = 65, MaximumLength = 64 }).Validate().Should().ContainSingle().Which.Code.Should().Be(SecurityErrorCodes.PasswordPolicyInvalid);
        (Default with { MinimumLength = 64, MaximumLength = 64 }).Validate().Should().BeEmpty();
    }

    [TestCase(-1, false)]
    [TestCase(0, true)]
    [TestCase(PasswordPolicySettings.MaximumHistoryDepth, true)]
    [TestCase(PasswordPolicySettings.MaximumHistoryDepth + 1, false)]
    public void Validate_HistoryDepth_IsBounded(int depth, bool valid)
    {
        (Default with { HistoryDepth = depth }).Validate().Should().HaveCount(valid ? 0 : 1);
    }

    [Test]
    public void Validate_NegativeClassMinimum_IsRefused()
    {
        (Default with { MinimumSpecial = -1 }).Validate().Should().ContainSingle();
    }

    [Test]
    public void Validate_ClassMinimumsAboveMaximum_IsRefused()
    {
        (Default with { MaximumLength = 64, MinimumDigits = 40, MinimumUppercase = 25 }).Validate().Should().ContainSingle();
    }

    [Test]
    public void Validate_SeveralProblems_ReturnsEveryOne()
    {
        var errors = (Default with { MinimumLength = 4, MaximumLength = 10, HistoryDepth = 99 }).Validate();

        errors.Should().HaveCount(3);
        errors.Should().OnlyContain(e => e.Code == SecurityErrorCodes.PasswordPolicyInvalid && e.Message.Length > 0);
    }
}
