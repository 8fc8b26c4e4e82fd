using AccountSecurity.Events;
using AccountSecurity.Results;
using AccountSecurity.Testing;

namespace AccountSecurity.Tests.SignIn;

public sealed class SecretHygieneTests
{
    [Test]
    public async Task AllFlows_NeverPutSecretsInLogsOrEvents_AndRaiseEveryExpectedEvent()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("admin", AccountSecurity.Accounts.UserRole.Administrator);
        await host.CreateUserAsync("alice");
        await host.CreateUserAsync("bob");
        var secrets = new List<string> { TwoFactorTestHost.OwnerPassword, TwoFactorTestHost.UserPassword, TwoFactorTestHost.NewPassword };

        // Setup and sign-in with a code, replay, recovery code, regeneration.
        var setup = (await host.TwoFactor.BeginSetupAsync(TestSessions.Of("alice"), TwoFactorTestHost.UserPassword)).Value;
        var secret = TwoFactorTestHost.SecretOf(setup);
        secrets.AddRange([TwoFactorTestHost.Base32Of(setup), setup.ManualEntryKey, setup.OtpAuthUri]);
        var confirmCode = host.CodeFor(secret);
        secrets.Add(confirmCode);
        var confirmed = (await host.TwoFactor.ConfirmSetupAsync("alice", confirmCode)).Value;
        var codes = confirmed.RecoveryCodes;
        secrets.AddRange(codes);
        secrets.Add(confirmed.SecurityStamp);
        secrets.AddRange(codes.Select(c => c.Replace("-", string.Empty, StringComparison.Ordinal)));
        host.NextStep();

        var ticket = await host.TicketAsync("alice");
        secrets.Add(ticket);
        secrets.Add(ticket[(ticket.IndexOf('.', StringComparison.Ordinal) + 1)..]);
        var code = host.CodeFor(secret);
        secrets.Add(code);
        (await host.SignIn.SecondFactorSignInAsync(ticket, code)).Succeeded.Should().BeTrue();
        var replayTicket = await host.TicketAsync("alice");
        secrets.Add(replayTicket);
        (await host.SignIn.SecondFactorSignInAsync(replayTicket, code)).ErrorCode.Should().Be(SecurityErrorCodes.CodeReplayed);
        (await host.SignIn.RecoveryCodeSignInAsync(replayTicket, codes[0])).Succeeded.Should().BeTrue();
        var regenerated = (await host.TwoFactor.RegenerateRecoveryCodesAsync(TestSessions.Of("alice"), TwoFactorTestHost.UserPassword, codes[1])).Value;
        secrets.AddRange(regenerated);
        host.NextStep();

        // Wrong codes to lockout, then the lock runs out.
        var lockTicket = await host.TicketAsync("alice");
        secrets.Add(lockTicket);
        for (var i = 0; i < 5; i++)
        {
            await host.SignIn.SecondFactorSignInAsync(lockTicket, host.WrongCodeFor(secret));
        }

        host.Time.Advance(TimeSpan.FromMinutes(6));

        // Disable (with password and code), wrong password sign-in.
        var disableCode = host.CodeFor(secret);
        secrets.Add(disableCode);
        (await host.TwoFactor.DisableAsync(TestSessions.Of("alice"), TwoFactorTestHost.UserPassword, disableCode)).Succeeded.Should().BeTrue();
        await host.SignIn.PasswordSignInAsync("alice@a.example", "Some-Wrong-Password-1");

        // Admin force, forced setup through sign-in, reset, unforce; password change.
        (await host.Admin.SetForcedAsync(await TestSessions.FreshAsync(host.Services, "admin"), "bob", forced: true)).Succeeded.Should().BeTrue();
        var step = await host.SignIn.PasswordSignInAsync("bob@a.example", TwoFactorTestHost.UserPassword);
        secrets.Add(step.Ticket!);
        var bobSetup = (await host.SignIn.BeginTwoFactorSetupAsync(step.Ticket)).Value;
        secrets.AddRange([TwoFactorTestHost.Base32Of(bobSetup), bobSetup.ManualEntryKey]);
        var bobCode = host.CodeFor(TwoFactorTestHost.SecretOf(bobSetup));
        secrets.Add(bobCode);
        var bobDone = await host.SignIn.TwoFactorSetupSignInAsync(step.Ticket, bobCode);
        bobDone.Succeeded.Should().BeTrue();
        secrets.AddRange(bobDone.RecoveryCodes!);
        secrets.Add((await host.GetUserAsync("bob")).TwoFactor.ProtectedSecret!);
        secrets.Add((await host.GetUserAsync("bob")).PasswordHash!);
        (await host.Admin.ResetAsync(await TestSessions.FreshAsync(host.Services, "admin"), "bob")).Succeeded.Should().BeTrue();
        (await host.Admin.SetForcedAsync(await TestSessions.FreshAsync(host.Services, "admin"), "bob", forced: false)).Succeeded.Should().BeTrue();
        (await host.PasswordChange.ChangePasswordAsync(TestSessions.Of("bob"), TwoFactorTestHost.UserPassword, TwoFactorTestHost.NewPassword, TwoFactorTestHost.NewPassword)).Succeeded.Should().BeTrue();

        // What was written.
        var texts = new List<string>();
        foreach (var log in host.Logs.Entries)
        {
            texts.Add(log.Message);
            texts.AddRange(log.State.Select(kv => kv.Key + "=" + kv.Value));
        }

        foreach (var e in host.Events.Events)
        {
            // OccurredAt is a clock value; a six-digit code could appear in it by chance.
            texts.Add((e with { OccurredAt = default }).ToString());
            texts.AddRange(new[] { e.UserId, e.ContractId, e.ActorId, e.Outcome, e.Factor?.ToString() }.OfType<string>());
        }

        texts.Add((await host.GetUserAsync("alice")).ToString());
        texts.Add((await host.GetUserAsync("bob")).ToString());
        texts.Add(bobDone.ToString());
        texts.Add(bobDone.Session!.ToString());

        host.Logs.Entries.Should().NotBeEmpty();
        foreach (var text in texts)
        {
            foreach (var s in secrets.Distinct())
            {
                text.Should().NotContain(s);
            }
        }

        host.Events.Events.Select(e => e.Type).Should().Contain(
        [
            SecurityEventType.TwoFactorEnabled, SecurityEventType.TwoFactorForced, SecurityEventType.TwoFactorUnforced,
            SecurityEventType.TwoFactorReset, SecurityEventType.RecoveryCodeUsed, SecurityEventType.RecoveryCodesRegenerated,
            SecurityEventType.ReplayRejected, SecurityEventType.LockedOut, SecurityEventType.SignInSucceeded,
            SecurityEventType.SignInFailed, SecurityEventType.TwoFactorDisabled, SecurityEventType.PasswordChanged,
        ]);
        host.Logs.Entries.Should().Contain(l => l.Message.Contains(nameof(SecurityEventType.TwoFactorReset), StringComparison.Ordinal) && l.Message.Contains("admin", StringComparison.Ordinal));
    }
}
