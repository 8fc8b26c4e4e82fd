using AccountSecurity.Accounts;
using AccountSecurity.Events;
using AccountSecurity.Passwords.Hashing;
using AccountSecurity.Passwords.Reset;
using AccountSecurity.Testing;
using AccountSecurity.Tests.TestSupport;
using Microsoft.Extensions.Logging;
using static AccountSecurity.Tests.TestSupport.TestHost;

namespace AccountSecurity.Tests.Events;

public sealed class SecretLeakTests
{
    [Test]
    public async Task PasswordFlows_NeverPutPasswordTokenOrHashIntoLogsOrEvents()
    {
        await using var host = Create(o => o.Lockout.Password.MaxFailedAttempts = 2);
        await host.SeedContractAsync();
        var secrets = new List<string> { InitialPassword, SecondPassword, ThirdPassword, "wrong-password-1", "wrong-password-2" };
        var hashes = new List<string>();
        async Task RememberHashesAsync()
        {
            foreach (var id in new[] { OwnerId, AdminId, UserId })
            {
                var user = await host.UserAsync(id);
                hashes.Add(user.PasswordHash!);
                hashes.AddRange(user.PasswordHistory);
                hashes.AddRange(user.PasswordResetTokens.Select(t => t.TokenHash));
            }
        }

        await RememberHashesAsync();

        // Change: failure (mismatch, policy), success, wrong current up to a lock.
        await host.Change.ChangePasswordAsync(TestSessions.Of(UserId), InitialPassword, SecondPassword, ThirdPassword);
        await host.Change.ChangePasswordAsync(TestSessions.Of(UserId), InitialPassword, "password", "password");
        (await host.Change.ChangePasswordAsync(TestSessions.Of(UserId), InitialPassword, SecondPassword, SecondPassword)).Succeeded.Should().BeTrue();
        await RememberHashesAsync();
        await host.Change.ChangePasswordAsync(TestSessions.Of(UserId), "wrong-password-1", ThirdPassword, ThirdPassword);
        await host.Change.ChangePasswordAsync(TestSessions.Of(UserId), "wrong-password-2", ThirdPassword, ThirdPassword);

        // Reset: request for existing and unknown, a refused and a completed reset, a replay.
        await host.Reset.RequestResetAsync(AdminEmail);
        await host.Reset.RequestResetAsync("nobody.here@example.com");
        await host.WaitForResetWorkAsync();
        var token = host.Sender.Last.Token;
        secrets.Add(token);
        await RememberHashesAsync();
        await host.Reset.ResetPasswordAsync(AdminEmail, token, "password", "password");
        await host.Reset.ResetPasswordAsync(AdminEmail, token + "x", ThirdPassword, ThirdPassword);
        (await host.Reset.ResetPasswordAsync(AdminEmail, token, ThirdPassword, ThirdPassword)).Succeeded.Should().BeTrue();
        await host.Reset.ResetPasswordAsync(AdminEmail, token, SecondPassword, SecondPassword);
        await RememberHashesAsync();

        secrets.AddRange(hashes.Distinct());
        var logs = host.Logs.Entries;
        var events = host.Events.Events;
        logs.Should().NotBeEmpty();
        logs.Should().Contain(l => l.Level == LogLevel.Warning, "failures are logged");
        events.Select(e => e.Type).Should().Contain([
            SecurityEventType.PasswordChanged, SecurityEventType.PasswordChangeFailed, SecurityEventType.LockedOut,
            SecurityEventType.PasswordResetRequested, SecurityEventType.PasswordResetCompleted, SecurityEventType.PasswordResetFailed]);

        // The audit trail keeps every one of these events: its records, as stored and as exported, carry no secret either.
        await host.Get<AccountSecurity.Auditing.AuditTrailWriter>().FlushAsync();
        var records = await host.Get<AccountSecurity.Auditing.IAuditStore>().ReadChainAsync(ContractId, 0, 10_000, default);
        records.Should().NotBeEmpty();
        var exported = new List<string>();
        foreach (var format in new[] { AccountSecurity.Auditing.AuditExportFormat.JsonLines, AccountSecurity.Auditing.AuditExportFormat.Csv })
        {
            using var stream = new MemoryStream();
            await using (var writer = new AccountSecurity.Auditing.AuditExportWriter(stream, format))
            {
                foreach (var record in records)
                {
                    await writer.WriteAsync(record, default);
                }
            }

            exported.Add(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
        }

        var texts = logs.Select(l => l.AllText()).Concat(events.Select(e => e.ToString())).Concat(events.Select(e => e.Outcome ?? string.Empty))
            .Concat(records.Select(r => r.ToString())).Concat(records.Select(r => AccountSecurity.Auditing.AuditActivityText.Describe(r))).Concat(exported).ToList();
        foreach (var secret in secrets)
        {
            texts.Should().NotContain(t => t.Contains(secret, StringComparison.Ordinal), "no secret may reach a log, an event or an audit record");
            var hashBody = secret.StartsWith("asv1:", StringComparison.Ordinal) ? secret[12..] : null;
            if (hashBody is not null)
            {
                texts.Should().NotContain(t => t.Contains(hashBody, StringComparison.Ordinal));
            }
        }
    }

    [Test]
    public async Task ChangePassword_WithThrowingEventSink_StillSucceedsAndLogsTheSinkFailure()
    {
        await using var host = Create(extraSinks: [new ThrowingEventSink()]);
        await host.SeedContractAsync();

        var result = await host.Change.ChangePasswordAsync(TestSessions.Of(UserId), InitialPassword, SecondPassword, SecondPassword);

        result.Succeeded.Should().BeTrue(result.ToString());
        host.Hasher.Verify((await host.UserAsync()).PasswordHash, SecondPassword).Should().Be(PasswordVerificationResult.Success);
        host.Events.OfType(SecurityEventType.PasswordChanged).Should().ContainSingle("the other sinks still receive the event");
        host.Logs.Entries.Should().Contain(l => l.EventId.Id == 3 && l.Level == LogLevel.Error && l.Message.Contains(nameof(ThrowingEventSink), StringComparison.Ordinal));
        host.Logs.Entries.Should().NotContain(l => l.AllText().Contains("The audit store is down", StringComparison.Ordinal), "exception messages from sinks are not logged");
    }

    [Test]
    public void UserAccount_ToString_ShowsNoHashSecretOrToken()
    {
        var user = new UserAccount
        {
            Id = "u-1",
            ContractId = "c-1",
            Email = "u@example.com",
            PasswordHash = "asv1:$2a$04$PASSWORDHASHPASSWORDHASHPASSWORDHASHPASSWORDHASHPASSW",
            PasswordHistory = ["OLD-HASH-1"],
            SecurityStamp = "STAMP-VALUE",
            SupportPinHash = "PIN-HASH",
            TwoFactor = new TwoFactorState
            {
                IsEnabled = true,
                ProtectedSecret = "PROTECTED-SECRET",
                PendingProtectedSecret = "PENDING-SECRET",
                RecoveryCodeHashes = ["RECOVERY-HASH"],
            },
            PasswordResetTokens = [new PasswordResetTokenRecord("TOKEN-HASH", DateTimeOffset.UnixEpoch)],
        };

        var text = user.ToString();

        text.Should().Contain("u-1");
        foreach (var secret in new[] { "PASSWORDHASH", "OLD-HASH", "STAMP-VALUE", "PIN-HASH", "PROTECTED-SECRET", "PENDING-SECRET", "RECOVERY-HASH", "TOKEN-HASH" })
        {
            text.Should().NotContain(secret);
        }

        user.TwoFactor.ToString().Should().NotContain("SECRET").And.NotContain("RECOVERY-HASH");
        user.PasswordResetTokens[0].ToString().Should().NotContain("TOKEN-HASH");
    }

    [Test]
    public void PasswordResetMessage_ToString_ShowsNoToken()
    {
        var message = new PasswordResetMessage("u-1", "u@example.com", "THE-SECRET-TOKEN", DateTimeOffset.UnixEpoch);

        message.ToString().Should().Contain("u-1").And.NotContain("THE-SECRET-TOKEN");
    }
}
