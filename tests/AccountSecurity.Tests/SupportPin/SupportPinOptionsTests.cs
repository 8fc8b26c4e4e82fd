using AccountSecurity.DependencyInjection;
using AccountSecurity.SupportPin;
using AccountSecurity.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AccountSecurity.Tests.SupportPin;

public sealed class SupportPinOptionsTests
{
    private static Action Resolve(Action<AccountSecurityOptions> configure) => () =>
    {
        using var provider = new ServiceCollection().AddAccountSecurity(o =>
        {
            AccountSecurityTestOptions.ApplyFastTestDefaults(o);
            configure(o);
        }).Services.BuildServiceProvider();
        _ = provider.GetRequiredService<IOptions<AccountSecurityOptions>>().Value;
    };

    [Test]
    public void Defaults_AreSixToTwelveDigits_FiveAttempts_NoPepper_PasswordForFirstPin()
    {
        var options = new AccountSecurityOptions();
        options.SupportPin.MinLength.Should().Be(6);
        options.SupportPin.MaxLength.Should().Be(12);
        options.SupportPin.Pepper.Should().BeNull();
        options.SupportPin.RequirePasswordForFirstPin.Should().BeTrue();
        options.Lockout.SupportPin.MaxFailedAttempts.Should().Be(5);
        Resolve(_ => { }).Should().NotThrow();
    }

    [Test]
    public void Services_AreRegistered_AsInterfaceAndClass()
    {
        using var provider = new ServiceCollection().AddLogging().AddAccountSecurity(o =>
        {
            AccountSecurityTestOptions.ApplyFastTestDefaults(o);
        }).Services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        using var scope = provider.CreateScope();
        scope.ServiceProvider.GetRequiredService<ISupportPinService>().Should().BeSameAs(scope.ServiceProvider.GetRequiredService<SupportPinService>());
    }

    [TestCase(3, 12, "SupportPin.MinLength")]
    [TestCase(33, 40, "SupportPin.MinLength")]
    [TestCase(8, 6, "SupportPin.MaxLength")]
    [TestCase(6, 33, "SupportPin.MaxLength")]
    public void Validation_RefusesLengthsOutsideBounds(int min, int max, string mentioned) =>
        Resolve(o =>
        {
            o.SupportPin.MinLength = min;
            o.SupportPin.MaxLength = max;
        }).Should().Throw<OptionsValidationException>().WithMessage($"*{mentioned}*");

    [TestCase(16)]
    [TestCase(31)]
    [TestCase(65)]
    public void Validation_RefusesPepperOfWrongSize(int bytes) =>
        Resolve(o => o.SupportPin.Pepper = new byte[bytes]).Should().Throw<OptionsValidationException>().WithMessage("*SupportPin.Pepper*");

    [TestCase(32)]
    [TestCase(64)]
    public void Validation_AcceptsPepperOfRightSize(int bytes) =>
        Resolve(o => o.SupportPin.Pepper = new byte[bytes]).Should().NotThrow();

    [Test]
    public void Validation_RefusesInsecureWorkFactor_OutsideTests() =>
        new Action(() =>
        {
            using var provider = new ServiceCollection().AddAccountSecurity(o =>
            {
                AccountSecurityTestOptions.ApplyFastTestDefaults(o);
                o.Hashing.WorkFactor = 10;
                o.Hashing.AllowInsecureWorkFactorForTesting = false; // production rules: the PIN's own factor 4 must be refused
                o.SupportPin.WorkFactor = 4;
            }).Services.BuildServiceProvider();
            _ = provider.GetRequiredService<IOptions<AccountSecurityOptions>>().Value;
        }).Should().Throw<OptionsValidationException>().WithMessage("*SupportPin.WorkFactor*");

    [Test]
    public void Validation_RefusesNonDigitBlocklistEntries() =>
        Resolve(o => o.SupportPin.AdditionalBlocklist.Add("12a4")).Should().Throw<OptionsValidationException>().WithMessage("*AdditionalBlocklist*");
}
