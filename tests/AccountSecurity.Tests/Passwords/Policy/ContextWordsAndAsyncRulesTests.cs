using AccountSecurity.Accounts;
using AccountSecurity.Events;
using AccountSecurity.Passwords.Change;
using AccountSecurity.Passwords.Policy;
using AccountSecurity.Results;
using AccountSecurity.SignIn;
using AccountSecurity.Testing;
using AccountSecurity.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AccountSecurity.Tests.Passwords.Policy;

/// <summary>
/// Issue 29: the context words (ASVS V6.2.11) include the contract's and the product's names; I/O rules
/// (<see cref="IAsyncPasswordRule"/>) run last, only for a password every local rule accepted; a sign-in screen that
/// finds the password compromised marks the account, and a password change clears the mark.
/// </summary>
public sealed class ContextWordsAndAsyncRulesTests
{
    private readonly DefaultPasswordPolicy _policy = new();

    [TestCase("AcmeWidgets#2031")]
    [TestCase("widgets-acme-widgets")]
    [TestCase("NimbusConsole!77")]
    [TestCase("console.nimbus.console")]
    public void ThePolicy_RefusesAPasswordMostlyMadeOfTheContractOrProductName(string password)
    {
        var context = new PasswordContext("jane@example.com", "Acme Widgets", "Nimbus Console");

        _policy.Validate(password, context, PasswordPolicySettings.Default).Select(e => e.Code).Should().Contain(SecurityErrorCodes.PasswordContextWords);
        _policy.Validate(password, "jane@example.com", PasswordPolicySettings.Default).Should().BeEmpty("without the names the same password is fine");
    }

    [TestCase("violet-Anchor-29-quiet")]
    [TestCase("acme purple dishwasher harbour")]
    public void ThePolicy_AcceptsAPasswordThatMerelyContainsAName(string password) =>
        _policy.Validate(password, new PasswordContext("jane@example.com", "Acme Widgets", "Nimbus Console"), PasswordPolicySettings.Default).Should().BeEmpty();

    [Test]
    public void TheContext_NeverPrintsItsValues() =>
        new PasswordContext("jane@example.com", "Acme Widgets", "Nimbus").ToString().Should().NotContain("jane").And.NotContain("Acme").And.NotContain("Nimbus");

    [Test]
    public async Task ChangingThePassword_ToTheContractsName_IsRefused()
    {
        await using var host = TestHost.Create();
        await host.SeedContractAsync(); // "Contract One"

        var result = await host.Change.ChangePasswordAsync(TestSessions.Of(TestHost.UserId), TestHost.InitialPassword, "ContractOne#2031", "ContractOne#2031");

        result.Errors.Select(e => e.Code).Should().Contain(SecurityErrorCodes.PasswordContextWords);
    }

    [Test]
    public async Task CreatingAUser_WithTheProductsName_IsRefused()
    {
        await using var host = TestHost.Create(o => o.ProductName = "Nimbus Console");
        await host.SeedContractAsync();

        var result = await host.Provisioning.CreateUserAsync(TestHost.OwnerId, new NewUser { UserId = "u9", Email = "nine@example.com", Role = UserRole.User, InitialPassword = "NimbusConsole!77" });

        result.ErrorCode.Should().Be(SecurityErrorCodes.PasswordContextWords);
    }

    [Test]
    public async Task AnAsyncRule_RunsLast_OnlyForAPasswordTheLocalRulesAccepted_AndItsRefusalIsTheAnswer()
    {
        var rule = new RecordingRule(new SecurityError("test_refused", "Refused by the test rule."));
        await using var host = TestHost.Create(services: s => s.TryAddEnumerable(ServiceDescriptor.Singleton<IAsyncPasswordRule>(rule)));
        await host.SeedContractAsync();
        rule.Seen.Should().HaveCount(3, "the seed's three passwords were checked too");
        rule.Seen.Clear();
        rule.Refusing = true;

        var tooShort = await host.Change.ChangePasswordAsync(TestSessions.Of(TestHost.UserId), TestHost.InitialPassword, "short", "short");
        var reused = await host.Change.ChangePasswordAsync(TestSessions.Of(TestHost.UserId), TestHost.InitialPassword, TestHost.InitialPassword, TestHost.InitialPassword);
        var refused = await host.Change.ChangePasswordAsync(TestSessions.Of(TestHost.UserId), TestHost.InitialPassword, TestHost.SecondPassword, TestHost.SecondPassword);

        tooShort.Errors.Select(e => e.Code).Should().NotContain("test_refused");
        reused.Errors.Select(e => e.Code).Should().Equal(SecurityErrorCodes.PasswordSameAsCurrent);
        refused.Errors.Select(e => e.Code).Should().Equal("test_refused");
        rule.Seen.Should().Equal([TestHost.SecondPassword], "only the password every local rule accepted was looked up");
    }

    [Test]
    public async Task ASignInScreen_ThatFindsThePasswordCompromised_MarksTheAccount_UntilThePasswordChanges()
    {
        var screen = new CompromisedScreen();
        await using var host = TestHost.Create(services: s => s.AddSingleton<ISignInPasswordScreen>(screen));
        await host.SeedContractAsync();

        var signIn = await host.Get<ISignInService>().PasswordSignInAsync(TestHost.UserEmail, TestHost.InitialPassword);
        await host.Get<SignInPasswordScreening>().WhenIdleAsync();

        screen.Prepared.Should().Equal(TestHost.InitialPassword);
        (await host.UserAsync()).PasswordChangeRequired.Should().BeTrue();
        (await host.Get<ISignInService>().GetSessionStatusAsync(signIn.Session!)).Should().Be(SessionStatus.PasswordChangeRequired);
        host.Events.OfType(SecurityEventType.PasswordFoundInBreach).Should().ContainSingle().Which.Outcome.Should().Be("marked");
        host.Events.AllText().Should().NotContain(e => e.Contains(TestHost.InitialPassword));

        (await host.Get<IPasswordChangeService>().ChangePasswordAsync(signIn.Session!, TestHost.InitialPassword, TestHost.SecondPassword, TestHost.SecondPassword)).Succeeded.Should().BeTrue();
        (await host.UserAsync()).PasswordChangeRequired.Should().BeFalse();
    }

    [Test]
    public async Task ASignInScreen_WhoseAnswerComesAfterAPasswordChange_MarksNothing()
    {
        var screen = new CompromisedScreen { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        await using var host = TestHost.Create(services: s => s.AddSingleton<ISignInPasswordScreen>(screen));
        await host.SeedContractAsync();

        var signIn = await host.Get<ISignInService>().PasswordSignInAsync(TestHost.UserEmail, TestHost.InitialPassword);
        (await host.Get<IPasswordChangeService>().ChangePasswordAsync(signIn.Session!, TestHost.InitialPassword, TestHost.SecondPassword, TestHost.SecondPassword)).Succeeded.Should().BeTrue();
        screen.Gate.SetResult();
        await host.Get<SignInPasswordScreening>().WhenIdleAsync();

        (await host.UserAsync()).PasswordChangeRequired.Should().BeFalse("the password that was found is no longer the account's");
        host.Events.OfType(SecurityEventType.PasswordFoundInBreach).Should().ContainSingle().Which.Outcome.Should().Be("unchanged");
    }

    [Test]
    public async Task WithoutAScreen_SignInQueuesNothing()
    {
        await using var host = TestHost.Create();
        await host.SeedContractAsync();

        (await host.Get<ISignInService>().PasswordSignInAsync(TestHost.UserEmail, TestHost.InitialPassword)).Succeeded.Should().BeTrue();

        host.Get<SignInPasswordScreening>().Enabled.Should().BeFalse();
    }

    private sealed class RecordingRule(SecurityError refusal) : IAsyncPasswordRule
    {
        public List<string> Seen { get; } = [];

        public bool Refusing { get; set; }

        public ValueTask<SecurityError?> ValidateAsync(string password, CancellationToken cancellationToken)
        {
            Seen.Add(password);
            return ValueTask.FromResult(Refusing ? refusal : null);
        }
    }

    private sealed class CompromisedScreen : ISignInPasswordScreen
    {
        public List<string> Prepared { get; } = [];

        public TaskCompletionSource? Gate { get; init; }

        public Func<CancellationToken, ValueTask<bool>>? Prepare(string password)
        {
            Prepared.Add(password);
            return async _ =>
            {
                if (Gate is not null)
                {
                    await Gate.Task;
                }

                return true;
            };
        }
    }
}
