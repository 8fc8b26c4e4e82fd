using AccountSecurity.Accounts;
using AccountSecurity.Events;
using AccountSecurity.Lockout;
using AccountSecurity.Results;
using AccountSecurity.SupportPin;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AccountSecurity.Tests.SupportPin;

/// <summary>
/// Only an authorized support agent verifies a PIN: by default an active owner or administrator of the account's own
/// contract, or whoever the host's <see cref="ISupportAgentAuthorizer"/> says. Refusals count nothing, are audited with
/// the agent's id, and tell an agent nothing about accounts outside their reach.
/// </summary>
public sealed class SupportPinAuthorizationTests
{
    private const string Pin = "730519";
    private const string User = SupportPinTestHost.UserId;
    private const string OtherContractOwner = "other-owner";

    private static async Task<SupportPinTestHost> HostWithPinAsync(Action<IServiceCollection>? services = null)
    {
        var host = await SupportPinTestHost.CreateAsync(services: services);
        await host.SetPinAsync(Pin);
        var other = await host.Services.GetRequiredService<IAccountProvisioningService>()
            .CreateContractAsync(new NewContract { ContractId = "c-2", ContractName = "Contract Two", OwnerUserId = OtherContractOwner, OwnerEmail = "other-owner@example.test", OwnerPassword = SupportPinTestHost.Password });
        other.Succeeded.Should().BeTrue(other.ToString());
        host.Events.Clear();
        host.Hasher.Reset();
        return host;
    }

    [Test]
    public async Task Verify_ByTheOwnerOfAnotherContract_WithTheRightPin_IsAnsweredAsAnUnknownAccount()
    {
        await using var host = await HostWithPinAsync();

        var result = await host.Pins.VerifyByUserIdAsync(OtherContractOwner, User, Pin);

        result.Outcome.Should().Be(SupportPinVerificationOutcome.WrongPin);
        result.Succeeded.Should().BeFalse("a failed check carries no caller");
        host.Hasher.Verifications.Should().Be(0, "the real PIN is never compared for an agent without authority");
        host.Hasher.Dummies.Should().Be(1, "the same work as for an unknown account");
        (await host.UserAsync()).Lockouts[AuthenticationFactor.SupportPin].Should().Be(FactorLockoutState.Clear);
        host.Events.OfType(SecurityEventType.SupportPinVerificationRefused).Should().ContainSingle()
            .Which.Should().Match<SecurityEvent>(e => e.ActorId == OtherContractOwner && e.UserId == User && e.Outcome == SecurityErrorCodes.NotAuthorized);
        host.Events.OfType(SecurityEventType.SupportPinVerified).Should().BeEmpty();
        host.Logs.Entries.Should().Contain(
            e => e.Level == LogLevel.Warning && e.EventId.Id == 2 && e.Message.Contains(nameof(SecurityEventType.SupportPinVerificationRefused), StringComparison.Ordinal),
            "a refused verification is an audit warning, like a failed one");
    }

    [Test]
    public async Task Verify_FiveWrongGuessesByAnotherContractsOwner_DoNotLockTheRealSupportCall()
    {
        await using var host = await HostWithPinAsync();

        for (var i = 0; i < 5; i++)
        {
            (await host.Pins.VerifyByEmailAsync(OtherContractOwner, SupportPinTestHost.Email, "58203" + i)).Outcome.Should().Be(SupportPinVerificationOutcome.WrongPin);
        }

        (await host.UserAsync()).Lockouts[AuthenticationFactor.SupportPin].FailedCount.Should().Be(0);
        host.Events.OfType(SecurityEventType.LockedOut).Should().BeEmpty();
        (await host.Pins.VerifyByEmailAsync(SupportPinTestHost.Agent, SupportPinTestHost.Email, Pin)).Succeeded.Should().BeTrue();
    }

    [Test]
    public async Task Verify_ForAnAccountOfAnotherContract_AnswersExactlyAsForAnAccountThatDoesNotExist()
    {
        await using var host = await HostWithPinAsync();

        var existing = await host.Pins.VerifyByUserIdAsync(OtherContractOwner, User, Pin);
        var noPinHere = await host.Pins.VerifyByUserIdAsync(SupportPinTestHost.Agent, OtherContractOwner, Pin); // has no PIN: NoPinSet would tell
        var missing = await host.Pins.VerifyByUserIdAsync(OtherContractOwner, "nobody-at-all", Pin);

        existing.Should().Be(missing);
        noPinHere.Should().Be(missing);
        host.Hasher.Dummies.Should().Be(3);
    }

    [TestCase("made-up-agent", false)]
    [TestCase("plain-user", true)] // a user of the very contract, but no owner or administrator
    public async Task Verify_ByAnIdThatIsNoSupportAgent_IsAgentNotAuthorized_WhateverTheAccount_AndCountsNothing(string agent, bool isPlainUser)
    {
        await using var host = await HostWithPinAsync();
        if (isPlainUser)
        {
            (await host.Services.GetRequiredService<IAccountProvisioningService>()
                .CreateUserAsync(User, new NewUser { UserId = agent, Email = "plain@example.test", Role = UserRole.User, InitialPassword = SupportPinTestHost.Password })).Succeeded.Should().BeTrue();
            host.Events.Clear();
        }

        var forReal = await host.Pins.VerifyByUserIdAsync(agent, User, Pin);
        var forMissing = await host.Pins.VerifyByUserIdAsync(agent, "nobody-at-all", Pin);

        forReal.Outcome.Should().Be(SupportPinVerificationOutcome.AgentNotAuthorized);
        forReal.ErrorCode.Should().Be(SecurityErrorCodes.SupportAgentNotAuthorized);
        forMissing.Should().Be(forReal, "the answer says nothing about the account");
        host.Hasher.Verifications.Should().Be(0);
        (await host.UserAsync()).Lockouts[AuthenticationFactor.SupportPin].Should().Be(FactorLockoutState.Clear);
        host.Events.OfType(SecurityEventType.SupportPinVerificationRefused).Should().HaveCount(2)
            .And.OnlyContain(e => e.ActorId == agent && e.UserId == null && e.Outcome == SecurityErrorCodes.SupportAgentNotAuthorized);
        host.Events.Events.Select(e => e.ToString()).Should().NotContain(s => s.Contains(Pin, StringComparison.Ordinal));
    }

    [Test]
    public async Task Verify_ByADeactivatedAdministrator_IsAgentNotAuthorized()
    {
        await using var host = await HostWithPinAsync();
        var agent = await host.UserAsync(SupportPinTestHost.Agent);
        (await host.Users.UpdateAsync(agent with { IsActive = false }, CancellationToken.None)).Should().Be(AccountSecurity.Stores.StoreWriteResult.Success);

        (await host.Pins.VerifyByUserIdAsync(SupportPinTestHost.Agent, User, Pin)).Outcome.Should().Be(SupportPinVerificationOutcome.AgentNotAuthorized);
    }

    [Test]
    public async Task Verify_ForADeactivatedAccount_WithTheRightPin_IsAnsweredAsAnUnknownAccountAndCountsNothing()
    {
        await using var host = await HostWithPinAsync();
        var user = await host.UserAsync();
        (await host.Users.UpdateAsync(user with { IsActive = false }, CancellationToken.None)).Should().Be(AccountSecurity.Stores.StoreWriteResult.Success);

        var result = await host.Pins.VerifyByUserIdAsync(SupportPinTestHost.Agent, User, Pin);

        result.Should().Be(await host.Pins.VerifyByUserIdAsync(SupportPinTestHost.Agent, "nobody-at-all", Pin));
        result.Outcome.Should().Be(SupportPinVerificationOutcome.WrongPin);
        host.Hasher.Verifications.Should().Be(0);
        (await host.UserAsync()).Lockouts[AuthenticationFactor.SupportPin].Should().Be(FactorLockoutState.Clear);
        host.Events.OfType(SecurityEventType.SupportPinVerified).Should().BeEmpty();
    }

    [Test]
    public async Task Verify_ByTheContractsOwnAdministrator_Verifies()
    {
        await using var host = await HostWithPinAsync();

        var result = await host.Pins.VerifyByEmailAsync(SupportPinTestHost.Agent, SupportPinTestHost.Email, Pin);

        result.Succeeded.Should().BeTrue(result.ToString());
        host.Events.OfType(SecurityEventType.SupportPinVerificationRefused).Should().BeEmpty();
    }

    [Test]
    public async Task Verify_WithAHostSupportDeskAuthorizer_LetsItsStaffVerifyAnyContract_AndOnlyThem()
    {
        await using var host = await HostWithPinAsync(s => s.AddSingleton<ISupportAgentAuthorizer>(new SupportDesk("desk-17")));

        var desk = await host.Pins.VerifyByUserIdAsync("desk-17", User, Pin);
        var contractAdmin = await host.Pins.VerifyByUserIdAsync(SupportPinTestHost.Agent, User, Pin);

        desk.Succeeded.Should().BeTrue(desk.ToString());
        contractAdmin.Outcome.Should().Be(SupportPinVerificationOutcome.AgentNotAuthorized, "the host's rule replaced the default");
    }

    /// <summary>A cloud provider's own support desk: its staff are no users of any contract.</summary>
    private sealed class SupportDesk(params string[] staff) : ISupportAgentAuthorizer
    {
        public ValueTask<bool> IsSupportAgentAsync(string agentId, CancellationToken cancellationToken) => ValueTask.FromResult(staff.Contains(agentId));

        public ValueTask<bool> MayVerifyAsync(string agentId, SupportPinTarget target, CancellationToken cancellationToken) => ValueTask.FromResult(staff.Contains(agentId));
    }
}
