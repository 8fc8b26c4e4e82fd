using AccountSecurity.Accounts;
using AccountSecurity.Events;
using AccountSecurity.Results;
using AccountSecurity.SignIn;
using AccountSecurity.Testing;
using AccountSecurity.Tests.TestSupport;

namespace AccountSecurity.Tests.Hardening;

/// <summary>
/// Unicode noncharacters (U+FFFE above all, on which the platform's normaliser throws) typed into any password or
/// e-mail field get a result, never an exception. Strings are built in code, not in attributes.
/// </summary>
public sealed class NoncharacterInputTests
{
    private static readonly string NoncharacterPassword = "x" + '\uFFFE';
    private static readonly string NoncharacterEmail = "owner" + '\uFFFE' + "@example.com";

    [Test]
    public async Task SignIn_WithNoncharacterPassword_IsAnOrdinaryFailureWithAnEvent()
    {
        await using var host = TestHost.Create();
        await host.SeedContractAsync();

        var result = await host.Get<ISignInService>().PasswordSignInAsync(TestHost.UserEmail, NoncharacterPassword);

        result.Status.Should().Be(SignInStatus.Failed);
        result.ErrorCode.Should().Be(SecurityErrorCodes.InvalidCredentials);
        host.Events.Events.Should().Contain(e => e.Type == SecurityEventType.SignInFailed && e.UserId == TestHost.UserId);
    }

    [Test]
    public async Task PasswordChangeAndReset_WithNoncharacterPassword_AreRefusedAsInvalidCharacters()
    {
        await using var host = TestHost.Create();
        await host.SeedContractAsync();

        var change = await host.Change.ChangePasswordAsync(TestSessions.Of(TestHost.UserId), TestHost.InitialPassword, NoncharacterPassword, NoncharacterPassword);
        change.HasError(SecurityErrorCodes.PasswordInvalidCharacters).Should().BeTrue(change.ToString());

        var wrongCurrent = await host.Change.ChangePasswordAsync(TestSessions.Of(TestHost.UserId), NoncharacterPassword, TestHost.SecondPassword, TestHost.SecondPassword);
        wrongCurrent.Succeeded.Should().BeFalse();

        (await host.Reset.RequestResetAsync(TestHost.UserEmail)).Succeeded.Should().BeTrue();
        await host.WaitForResetWorkAsync();
        var token = host.Sender.Last.Token;
        var reset = await host.Reset.ResetPasswordAsync(TestHost.UserEmail, token, NoncharacterPassword, NoncharacterPassword);
        reset.HasError(SecurityErrorCodes.PasswordInvalidCharacters).Should().BeTrue(reset.ToString());
    }

    [Test]
    public async Task Provisioning_WithNoncharacterEmailOrName_IsInvalidInput()
    {
        await using var host = TestHost.Create();

        (await host.Provisioning.CreateContractAsync(new NewContract { ContractId = "contract-2", ContractName = "Name", OwnerUserId = "owner-2", OwnerEmail = NoncharacterEmail, OwnerPassword = TestHost.SecondPassword }))
            .HasError(SecurityErrorCodes.InvalidInput).Should().BeTrue();
        (await host.Provisioning.CreateContractAsync(new NewContract { ContractId = "contract-3", ContractName = "Name " + '\uFFFF', OwnerUserId = "owner-3", OwnerEmail = "owner3@example.com", OwnerPassword = TestHost.SecondPassword }))
            .HasError(SecurityErrorCodes.InvalidInput).Should().BeTrue();
        (await host.Provisioning.CreateContractAsync(new NewContract { ContractId = "contract-" + '\uFFFE', ContractName = "Name", OwnerUserId = "owner-4", OwnerEmail = "owner4@example.com", OwnerPassword = TestHost.SecondPassword }))
            .HasError(SecurityErrorCodes.InvalidInput).Should().BeTrue();
    }

    [Test]
    public async Task SignIn_WithNoncharacterEmail_AnswersInvalidCredentials()
    {
        await using var host = TestHost.Create();
        await host.SeedContractAsync();

        var result = await host.Get<ISignInService>().PasswordSignInAsync(NoncharacterEmail, TestHost.InitialPassword);

        result.ErrorCode.Should().Be(SecurityErrorCodes.InvalidCredentials);
    }
}
