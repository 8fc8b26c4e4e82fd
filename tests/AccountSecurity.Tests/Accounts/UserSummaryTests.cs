using System.Collections;
using AccountSecurity.Accounts;
using AccountSecurity.Lockout;
using AccountSecurity.Tests.TestSupport;
using static AccountSecurity.Tests.TestSupport.TestHost;

namespace AccountSecurity.Tests.Accounts;

public sealed class UserSummaryTests
{
    private static readonly string[] Secrets =
    [
        "SECRET-password-hash", "SECRET-history-hash", "SECRET-stamp", "SECRET-totp", "SECRET-pending-totp",
        "SECRET-recovery-hash", "SECRET-pin-hash", "SECRET-reset-hash", "SECRET-ticket-hash", "SECRET-device-hash",
    ];

    [Test]
    public async Task CreateUser_ReturnsTheSummaryOfWhatWasStored()
    {
        await using var host = TestHost.Create();
        var owner = await host.Provisioning.CreateContractAsync(new NewContract { ContractId = ContractId, ContractName = "Contract One", OwnerUserId = OwnerId, OwnerEmail = OwnerEmail, OwnerPassword = InitialPassword });
        var created = await host.Provisioning.CreateUserAsync(OwnerId, new NewUser { UserId = UserId, Email = "  " + UserEmail, Role = UserRole.Administrator, InitialPassword = InitialPassword });

        owner.Value.Should().BeEquivalentTo(new { Id = OwnerId, ContractId, Email = OwnerEmail, Role = UserRole.ContractOwner, IsActive = true, HasPassword = true });
        created.Value.Should().BeEquivalentTo(new
        {
            Id = UserId,
            ContractId,
            Email = UserEmail,
            Role = UserRole.Administrator,
            IsActive = true,
            HasPassword = true,
            PasswordChangedAt = (DateTimeOffset?)Start,
            TwoFactorEnabled = false,
            TwoFactorForced = false,
            HasSupportPin = false,
        });
        created.Value.LockedUntil.Should().BeEmpty();
    }

    [Test]
    public void From_AccountFullOfSecrets_CarriesNoneOfThemInAnyPropertyOrToString()
    {
        var summary = UserSummary.From(AccountWithSecrets(), Start);

        var values = typeof(UserSummary).GetProperties().Select(p => p.GetValue(summary)).ToList();
        var texts = values.SelectMany(Flatten).Append(summary.ToString()).ToList();
        foreach (var secret in Secrets)
        {
            texts.Should().NotContain(t => t.Contains(secret, StringComparison.Ordinal), "the summary must not carry {0}", secret);
        }

        typeof(UserSummary).GetProperties().Select(p => p.Name).Should()
            .NotContain(n => n.Contains("Hash", StringComparison.Ordinal) || n.Contains("Secret", StringComparison.Ordinal)
                || n.Contains("Stamp", StringComparison.Ordinal) || n.Contains("Token", StringComparison.Ordinal) || n.Contains("Pending", StringComparison.Ordinal) && n != nameof(UserSummary.TwoFactorSetupPending));
        summary.ToString().Should().NotContain("@", "an e-mail address is personal data and stays out of log lines");
    }

    [Test]
    public void From_AccountFullOfSecrets_ReportsStateAsFlagsAndCounts()
    {
        var summary = UserSummary.From(AccountWithSecrets(), Start);

        summary.Should().BeEquivalentTo(new
        {
            HasPassword = true,
            TwoFactorEnabled = true,
            TwoFactorForced = true,
            TwoFactorSetupPending = true,
            RecoveryCodesLeft = 1,
            HasSupportPin = true,
            SupportPinSetAt = (DateTimeOffset?)Start.AddDays(-1),
        });
    }

    [Test]
    public void From_LockedAndExpiredFactors_ListsOnlyTheLocksInForceWithTheirEnd()
    {
        var account = AccountWithSecrets() with
        {
            Lockouts = FactorLockouts.None
                .With(AuthenticationFactor.Password, new FactorLockoutState(5, Start.AddMinutes(10), 1))
                .With(AuthenticationFactor.SecondFactor, new FactorLockoutState(5, Start.AddMinutes(-1), 1))
                .With(AuthenticationFactor.SupportPin, new FactorLockoutState(4, null, 0)),
        };

        var summary = UserSummary.From(account, Start);

        summary.LockedUntil.Should().Equal(new Dictionary<AuthenticationFactor, DateTimeOffset> { [AuthenticationFactor.Password] = Start.AddMinutes(10) });
        summary.IsLocked(AuthenticationFactor.Password).Should().BeTrue();
        summary.IsLocked(AuthenticationFactor.SecondFactor).Should().BeFalse("that lock has run out");
        summary.IsLocked(AuthenticationFactor.SupportPin).Should().BeFalse("failures below the limit are no lock");
    }

    private static IEnumerable<string> Flatten(object? value) => value switch
    {
        null => [],
        string s => [s],
        IEnumerable items => items.Cast<object?>().SelectMany(Flatten),
        _ => [value.ToString() ?? ""],
    };

    private static UserAccount AccountWithSecrets() => new()
    {
        Id = UserId,
        ContractId = ContractId,
        Email = UserEmail,
        PasswordHash = Secrets[0],
        PasswordChangedAt = Start.AddDays(-2),
        PasswordHistory = [Secrets[1]],
        SecurityStamp = Secrets[2],
        IsTwoFactorForced = true,
        TwoFactor = new TwoFactorState
        {
            IsEnabled = true,
            ProtectedSecret = Secrets[3],
            PendingProtectedSecret = Secrets[4],
            RecoveryCodeHashes = [Secrets[5]],
        },
        SupportPinHash = Secrets[6],
        SupportPinSetAt = Start.AddDays(-1),
        PasswordResetTokens = [new PasswordResetTokenRecord(Secrets[7], Start.AddHours(1))],
        PendingSignIns = [new PendingSignIn(Secrets[8], SignInTicketPurpose.SecondFactor, Secrets[2], Start.AddMinutes(5))],
        TrustedDevices = [new TrustedDevice("device-1", Secrets[9], Start, Start, FactorLockouts.None)],
    };
}
