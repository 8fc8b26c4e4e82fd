using AccountSecurity.Events;
using AccountSecurity.Lockout;
using AccountSecurity.Passkeys.Tests.TestSupport;
using AccountSecurity.Resources;
using AccountSecurity.Results;
using AccountSecurity.SignIn;
using AccountSecurity.Testing;
using AccountSecurity.TwoFactor;

namespace AccountSecurity.Passkeys.Tests;

/// <summary>A passkey as the sign-in's second factor, as forced setup, and alone; every refusal with its code and nothing stored.</summary>
public sealed class PasskeySignInTests
{
    [Test]
    public async Task Password_then_passkey_signs_in_with_hwk_and_mfa_and_opens_protected_resources()
    {
        await using var host = await PasskeyHost.StartAsync();
        using var authenticator = new SoftwareAuthenticator(PasskeyHost.Origin);
        await host.RegisterAsync(await host.PasswordSessionAsync(PasskeyHost.AliceEmail), authenticator);

        var ticket = await host.TicketAsync(PasskeyHost.AliceEmail);
        var ceremony = await host.Passkeys(p => p.BeginSecondFactorAsync(ticket));
        ceremony.Succeeded.Should().BeTrue(ceremony.ToString());
        ceremony.Value!.OptionsJson.Should().Contain(authenticator.CredentialIdBase64Url, "the user's passkeys are the allowed credentials");
        var result = await host.Passkeys(p => p.SecondFactorSignInAsync(ticket, ceremony.Value.State, authenticator.CreateAssertionJson(ceremony.Value.OptionsJson)));

        result.Status.Should().Be(SignInStatus.Succeeded, result.ErrorCode);
        result.Session!.Methods.Should().Equal(AuthenticationMethods.Password, AuthenticationMethods.HardwareKey, AuthenticationMethods.MultiFactor);
        result.Session.UsedSecondFactor.Should().BeTrue();
        var visible = await host.Call<IProtectedResourceAccess, IReadOnlyList<Resource>>(a => a.FilterAsync(result.Session, [new Resource("open", false), new Resource("vault", true)]));
        visible.Select(r => r.Id).Should().Equal("open", "vault");
        var stored = await host.UserAsync(PasskeyHost.AliceId);
        stored.Passkeys[0].SignatureCounter.Should().Be(authenticator.Counter);
        stored.Passkeys[0].LastUsedAt.Should().Be(host.Time.GetUtcNow());
        stored.PendingSignIns.Should().BeEmpty("the ticket is spent");
        host.Events.OfType(SecurityEventType.SignInSucceeded).Last().Outcome.Should().Be("pwd+hwk+mfa");
    }

    [Test]
    public async Task A_synced_passkey_signs_in_with_swk()
    {
        await using var host = await PasskeyHost.StartAsync();
        using var authenticator = new SoftwareAuthenticator(PasskeyHost.Origin, backupEligible: true);
        await host.RegisterAsync(await host.PasswordSessionAsync(PasskeyHost.AliceEmail), authenticator);
        var ticket = await host.TicketAsync(PasskeyHost.AliceEmail);
        var ceremony = (await host.Passkeys(p => p.BeginSecondFactorAsync(ticket))).Value!;

        var result = await host.Passkeys(p => p.SecondFactorSignInAsync(ticket, ceremony.State, authenticator.CreateAssertionJson(ceremony.OptionsJson, new AuthenticatorBehaviour { Counter = 0 })));

        result.Status.Should().Be(SignInStatus.Succeeded, result.ErrorCode);
        result.Session!.Methods.Should().Contain(AuthenticationMethods.SoftwareKey);
    }

    [TestCase("origin", SecurityErrorCodes.PasskeyOriginMismatch)]
    [TestCase("rpId", SecurityErrorCodes.PasskeyRelyingPartyMismatch)]
    [TestCase("challenge", SecurityErrorCodes.PasskeyChallengeMismatch)]
    [TestCase("signature", SecurityErrorCodes.PasskeyResponseInvalid)]
    [TestCase("counter", SecurityErrorCodes.PasskeyCounterRegressed)]
    public async Task A_second_factor_assertion_that_does_not_verify_is_a_counted_failure_with_its_code_and_stores_nothing(string fault, string code)
    {
        await using var host = await PasskeyHost.StartAsync();
        using var authenticator = new SoftwareAuthenticator(PasskeyHost.Origin, initialCounter: 10);
        await host.RegisterAsync(await host.PasswordSessionAsync(PasskeyHost.AliceEmail), authenticator);
        var before = await host.UserAsync(PasskeyHost.AliceId);
        var ticket = await host.TicketAsync(PasskeyHost.AliceEmail);
        var ceremony = (await host.Passkeys(p => p.BeginSecondFactorAsync(ticket))).Value!;
        var behaviour = fault switch
        {
            "origin" => new AuthenticatorBehaviour { Origin = "http://evil.localhost:5080" },
            "rpId" => new AuthenticatorBehaviour { RpId = "example.com" },
            "challenge" => new AuthenticatorBehaviour { Challenge = new byte[16] },
            "signature" => new AuthenticatorBehaviour { TamperSignature = true },
            _ => new AuthenticatorBehaviour { Counter = 9 },
        };

        var result = await host.Passkeys(p => p.SecondFactorSignInAsync(ticket, ceremony.State, authenticator.CreateAssertionJson(ceremony.OptionsJson, behaviour)));

        result.Status.Should().Be(SignInStatus.Failed);
        result.ErrorCode.Should().Be(code);
        var after = await host.UserAsync(PasskeyHost.AliceId);
        after.Passkeys.Should().Equal(before.Passkeys, "no counter, backup state or last use is written");
        after.SpentPasskeyChallenges.Should().BeEmpty();
        after.PendingSignIns.Should().ContainSingle("the ticket survives a failed step");
        after.Lockouts.Get(AuthenticationFactor.SecondFactor).FailedCount.Should().Be(1, "a wrong assertion is a counted second-factor failure");
        host.Events.OfType(SecurityEventType.SignInFailed).Last().Outcome.Should().Be(code);
        host.Events.OfType(SecurityEventType.PasskeyCounterRegressed).Should().HaveCount(fault == "counter" ? 1 : 0);
    }

    [Test]
    public async Task Five_wrong_assertions_lock_the_second_factor_shared_with_totp()
    {
        await using var host = await PasskeyHost.StartAsync();
        using var authenticator = new SoftwareAuthenticator(PasskeyHost.Origin);
        await host.RegisterAsync(await host.PasswordSessionAsync(PasskeyHost.AliceEmail), authenticator);
        var ticket = await host.TicketAsync(PasskeyHost.AliceEmail);

        SignInResult last = null!;
        for (var i = 0; i < 6; i++)
        {
            var ceremony = (await host.Passkeys(p => p.BeginSecondFactorAsync(ticket))).Value!;
            last = await host.Passkeys(p => p.SecondFactorSignInAsync(ticket, ceremony.State, authenticator.CreateAssertionJson(ceremony.OptionsJson, new AuthenticatorBehaviour { TamperSignature = true })));
        }

        last.Status.Should().Be(SignInStatus.LockedOut);
        var ceremonyAfter = (await host.Passkeys(p => p.BeginSecondFactorAsync(ticket))).Value!;
        var honest = await host.Passkeys(p => p.SecondFactorSignInAsync(ticket, ceremonyAfter.State, authenticator.CreateAssertionJson(ceremonyAfter.OptionsJson)));
        honest.Status.Should().Be(SignInStatus.LockedOut, "a locked factor compares nothing, even a right assertion");
        host.Events.OfType(SecurityEventType.LockedOut).Should().ContainSingle();
    }

    [Test]
    public async Task One_assertion_presented_many_times_at_once_signs_in_once()
    {
        await using var host = await PasskeyHost.StartAsync();
        using var authenticator = new SoftwareAuthenticator(PasskeyHost.Origin);
        await host.RegisterAsync(await host.PasswordSessionAsync(PasskeyHost.AliceEmail), authenticator);
        var ticket = await host.TicketAsync(PasskeyHost.AliceEmail);
        var ceremony = (await host.Passkeys(p => p.BeginSecondFactorAsync(ticket))).Value!;
        var assertion = authenticator.CreateAssertionJson(ceremony.OptionsJson);

        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => host.Passkeys(p => p.SecondFactorSignInAsync(ticket, ceremony.State, assertion)))));

        results.Count(r => r.Status == SignInStatus.Succeeded).Should().Be(1);
        (await host.UserAsync(PasskeyHost.AliceId)).Lockouts.Get(AuthenticationFactor.SecondFactor).FailedCount.Should().Be(0, "the losers replayed a right assertion: refunded, never a failure");
    }

    [Test]
    public async Task A_ceremony_state_is_bound_to_its_ticket_and_cannot_be_altered()
    {
        await using var host = await PasskeyHost.StartAsync();
        using var authenticator = new SoftwareAuthenticator(PasskeyHost.Origin);
        await host.RegisterAsync(await host.PasswordSessionAsync(PasskeyHost.AliceEmail), authenticator);
        var firstTicket = await host.TicketAsync(PasskeyHost.AliceEmail);
        var ceremony = (await host.Passkeys(p => p.BeginSecondFactorAsync(firstTicket))).Value!;
        var secondTicket = await host.TicketAsync(PasskeyHost.AliceEmail);
        var assertion = authenticator.CreateAssertionJson(ceremony.OptionsJson);

        (await host.Passkeys(p => p.SecondFactorSignInAsync(secondTicket, ceremony.State, assertion))).ErrorCode.Should().Be(SecurityErrorCodes.PasskeyCeremonyExpired);
        (await host.Passkeys(p => p.SecondFactorSignInAsync(secondTicket, ceremony.State![..^2] + "AA", assertion))).ErrorCode.Should().Be(SecurityErrorCodes.PasskeyCeremonyExpired);
        host.Time.Advance(TimeSpan.FromMinutes(6));
        (await host.Passkeys(p => p.SecondFactorSignInAsync(secondTicket, ceremony.State, assertion))).ErrorCode.Should().Be(SecurityErrorCodes.PasskeyCeremonyExpired);
        (await host.UserAsync(PasskeyHost.AliceId)).Lockouts.Get(AuthenticationFactor.SecondFactor).FailedCount.Should().Be(0, "nothing was compared");
    }

    [Test]
    public async Task Passwordless_sign_in_is_off_until_the_owner_allows_it_then_counts_as_a_second_factor_session()
    {
        await using var host = await PasskeyHost.StartAsync();
        using var authenticator = new SoftwareAuthenticator(PasskeyHost.Origin);
        await host.RegisterAsync(await host.PasswordSessionAsync(PasskeyHost.AliceEmail), authenticator);

        var refused = await PasswordlessAsync(host, authenticator);
        refused.ErrorCode.Should().Be(SecurityErrorCodes.PasskeySignInNotAllowed);
        (await host.Passkeys(p => p.SetPasswordlessSignInAllowedAsync(TestSessions.Of(PasskeyHost.AliceId), true))).Errors[0].Code.Should().Be(Results.SecurityErrorCodes.NotAuthorized, "only the owner switches it");

        await host.AllowPasswordlessAsync();
        var result = await PasswordlessAsync(host, authenticator);

        result.Status.Should().Be(SignInStatus.Succeeded, result.ErrorCode);
        (await host.Passkeys(p => p.IsPasswordlessSignInAllowedAsync("c1"))).Should().BeTrue();
        (await host.Passkeys(p => p.IsPasswordlessSignInAllowedAsync("no-such-contract"))).Should().BeFalse();
        result.Session!.UserId.Should().Be(PasskeyHost.AliceId);
        result.Session.Methods.Should().Equal(AuthenticationMethods.HardwareKey, AuthenticationMethods.MultiFactor);
        result.Session.UsedSecondFactor.Should().BeTrue();
        host.Events.OfType(SecurityEventType.PasskeySignInPolicyChanged).Should().ContainSingle().Which.Outcome.Should().Be("allowed");
    }

    [Test]
    public async Task Passwordless_refuses_a_replayed_assertion_and_one_without_user_verification()
    {
        await using var host = await PasskeyHost.StartAsync();
        using var authenticator = new SoftwareAuthenticator(PasskeyHost.Origin);
        await host.RegisterAsync(await host.PasswordSessionAsync(PasskeyHost.AliceEmail), authenticator);
        await host.AllowPasswordlessAsync();
        var ceremony = (await host.Passkeys(p => p.BeginPasswordlessAsync())).Value!;
        ceremony.OptionsJson.Should().Contain("\"userVerification\":\"required\"");
        var assertion = authenticator.CreateAssertionJson(ceremony.OptionsJson);

        (await host.Passkeys(p => p.PasswordlessSignInAsync(ceremony.State, assertion))).Status.Should().Be(SignInStatus.Succeeded);
        var replayed = await host.Passkeys(p => p.PasswordlessSignInAsync(ceremony.State, assertion));
        replayed.ErrorCode.Should().Be(SecurityErrorCodes.PasskeyChallengeReplayed);

        var next = (await host.Passkeys(p => p.BeginPasswordlessAsync())).Value!;
        var unverified = await host.Passkeys(p => p.PasswordlessSignInAsync(next.State, authenticator.CreateAssertionJson(next.OptionsJson, new AuthenticatorBehaviour { UserVerified = false })));
        unverified.ErrorCode.Should().Be(SecurityErrorCodes.PasskeyUserVerificationRequired);
        var withoutHandle = await host.Passkeys(p => p.PasswordlessSignInAsync(next.State, authenticator.CreateAssertionJson(next.OptionsJson, new AuthenticatorBehaviour { IncludeUserHandle = false })));
        withoutHandle.ErrorCode.Should().Be(SecurityErrorCodes.PasskeyUnknownCredential);
        var stored = await host.UserAsync(PasskeyHost.AliceId);
        stored.SpentPasskeyChallenges.Should().ContainSingle("only the accepted assertion's challenge is recorded");
    }

    [Test]
    public async Task A_user_handle_alone_cannot_lock_the_second_factor_through_passwordless()
    {
        await using var host = await PasskeyHost.StartAsync();
        using var authenticator = new SoftwareAuthenticator(PasskeyHost.Origin);
        await host.RegisterAsync(await host.PasswordSessionAsync(PasskeyHost.AliceEmail), authenticator);
        await host.AllowPasswordlessAsync();
        var victim = await host.UserAsync(PasskeyHost.AliceId);

        // An attacker who learnt the handle but has no credential of the user: another key, or the right id with the client data of another site.
        using var attacker = new SoftwareAuthenticator(PasskeyHost.Origin, Convert.FromBase64String(victim.PasskeyUserHandle!.Replace('-', '+').Replace('_', '/') + new string('=', (4 - (victim.PasskeyUserHandle.Length % 4)) % 4)));
        for (var i = 0; i < 10; i++)
        {
            var ceremony = (await host.Passkeys(p => p.BeginPasswordlessAsync())).Value!;
            (await host.Passkeys(p => p.PasswordlessSignInAsync(ceremony.State, attacker.CreateAssertionJson(ceremony.OptionsJson)))).ErrorCode.Should().Be(SecurityErrorCodes.PasskeyUnknownCredential);
            var other = (await host.Passkeys(p => p.BeginPasswordlessAsync())).Value!;
            (await host.Passkeys(p => p.PasswordlessSignInAsync(other.State, authenticator.CreateAssertionJson(other.OptionsJson, new AuthenticatorBehaviour { Origin = "http://evil.localhost:5080" })))).ErrorCode.Should().Be(SecurityErrorCodes.PasskeyOriginMismatch);
        }

        (await host.UserAsync(PasskeyHost.AliceId)).Lockouts.Get(AuthenticationFactor.SecondFactor).FailedCount.Should().Be(0, "nothing that could not come from the user's authenticator is counted");
        var honest = (await host.Passkeys(p => p.BeginPasswordlessAsync())).Value!;
        (await host.Passkeys(p => p.PasswordlessSignInAsync(honest.State, authenticator.CreateAssertionJson(honest.OptionsJson)))).Status.Should().Be(SignInStatus.Succeeded);
    }

    [Test]
    public async Task An_assertion_whose_backup_eligibility_changed_is_refused()
    {
        await using var host = await PasskeyHost.StartAsync();
        using var authenticator = new SoftwareAuthenticator(PasskeyHost.Origin);
        await host.RegisterAsync(await host.PasswordSessionAsync(PasskeyHost.AliceEmail), authenticator);
        var ticket = await host.TicketAsync(PasskeyHost.AliceEmail);
        var ceremony = (await host.Passkeys(p => p.BeginSecondFactorAsync(ticket))).Value!;

        var result = await host.Passkeys(p => p.SecondFactorSignInAsync(ticket, ceremony.State, authenticator.CreateAssertionJson(ceremony.OptionsJson, new AuthenticatorBehaviour { BackupEligible = true })));

        result.ErrorCode.Should().Be(SecurityErrorCodes.PasskeyResponseInvalid, "a device-bound credential never becomes synced: another authenticator is answering");
    }

    [Test]
    public async Task The_lost_device_reset_gives_the_account_a_new_user_handle()
    {
        await using var host = await PasskeyHost.StartAsync();
        using var authenticator = new SoftwareAuthenticator(PasskeyHost.Origin);
        await host.RegisterAsync(await host.PasswordSessionAsync(PasskeyHost.AliceEmail), authenticator);
        var handle = (await host.UserAsync(PasskeyHost.AliceId)).PasskeyUserHandle!;

        var owner = await host.FreshAsync(PasskeyHost.OwnerId);
        (await host.Call<ITwoFactorAdministrationService, Results.SecurityResult>(a => a.ResetAsync(owner, PasskeyHost.AliceId))).Succeeded.Should().BeTrue();

        (await host.Users.FindByPasskeyUserHandleAsync(handle, CancellationToken.None)).Should().BeNull("the lost device's answers must name no account");
    }

    [Test]
    public async Task Forced_2fa_is_satisfied_by_a_passkey_and_forced_setup_can_register_one()
    {
        await using var host = await PasskeyHost.StartAsync();
        var owner = await host.FreshAsync(PasskeyHost.OwnerId);
        (await host.Call<ITwoFactorAdministrationService, Results.SecurityResult>(a => a.SetForcedAsync(owner, PasskeyHost.AliceId, true))).Succeeded.Should().BeTrue();
        var setup = await host.SignIn(s => s.PasswordSignInAsync(PasskeyHost.AliceEmail, PasskeyHost.Password));
        setup.Status.Should().Be(SignInStatus.TwoFactorSetupRequired);
        using var authenticator = new SoftwareAuthenticator(PasskeyHost.Origin);

        var begun = await host.Passkeys(p => p.BeginSetupSignInAsync(setup.Ticket));
        begun.Succeeded.Should().BeTrue(begun.ToString());
        var completed = await host.Passkeys(p => p.SetupSignInAsync(setup.Ticket, authenticator.CreateAttestationJson(begun.Value!.OptionsJson), "Security key"));

        completed.Status.Should().Be(SignInStatus.Succeeded, completed.ErrorCode);
        completed.Session!.Methods.Should().Equal(AuthenticationMethods.Password, AuthenticationMethods.HardwareKey, AuthenticationMethods.MultiFactor);
        (await host.SignIn(s => s.PasswordSignInAsync(PasskeyHost.AliceEmail, PasskeyHost.Password))).Status.Should().Be(SignInStatus.SecondFactorRequired, "the passkey satisfies forced 2FA");
        (await host.Passkeys(p => p.SetupSignInAsync(setup.Ticket, authenticator.CreateAttestationJson(begun.Value!.OptionsJson), "Again"))).Status.Should().Be(SignInStatus.Failed, "the setup ticket was spent");
    }

    [Test]
    public async Task Hostile_input_gets_a_result_never_an_exception()
    {
        await using var host = await PasskeyHost.StartAsync();
        using var authenticator = new SoftwareAuthenticator(PasskeyHost.Origin);
        await host.RegisterAsync(await host.PasswordSessionAsync(PasskeyHost.AliceEmail), authenticator);
        await host.AllowPasswordlessAsync();
        var ceremony = (await host.Passkeys(p => p.BeginPasswordlessAsync())).Value!;
        string?[] hostile = [null, "", " ", "null", "[]", "{}", "{\"id\":\"x\",\"rawId\":\"AA\",\"type\":\"public-key\",\"response\":{\"authenticatorData\":\"AA\",\"signature\":\"AA\",\"clientDataJSON\":\"AA\",\"userHandle\":\"AA\"},\"clientExtensionResults\":{}}", new string('{', 100_000), "\u0000\ud800"];

        foreach (var input in hostile)
        {
            var result = await host.Passkeys(p => p.PasswordlessSignInAsync(ceremony.State, input));
            result.Status.Should().Be(SignInStatus.Failed, input?.Length > 40 ? input[..40] : input);
            (await host.Passkeys(p => p.SecondFactorSignInAsync(input, input, input))).Status.Should().Be(SignInStatus.Failed);
            (await host.Passkeys(p => p.BeginSecondFactorAsync(input))).Succeeded.Should().BeFalse();
            (await host.Passkeys(p => p.BeginSetupSignInAsync(input))).Succeeded.Should().BeFalse();
            (await host.Passkeys(p => p.SetupSignInAsync(input, input, input))).Status.Should().Be(SignInStatus.Failed);
        }
    }

    [Test]
    public async Task No_ceremony_state_challenge_credential_or_handle_reaches_a_log_line_or_an_event_during_sign_in()
    {
        await using var host = await PasskeyHost.StartAsync();
        using var authenticator = new SoftwareAuthenticator(PasskeyHost.Origin);
        await host.RegisterAsync(await host.PasswordSessionAsync(PasskeyHost.AliceEmail), authenticator);
        await host.AllowPasswordlessAsync();
        var ticket = await host.TicketAsync(PasskeyHost.AliceEmail);
        var second = (await host.Passkeys(p => p.BeginSecondFactorAsync(ticket))).Value!;
        await host.Passkeys(p => p.SecondFactorSignInAsync(ticket, second.State, authenticator.CreateAssertionJson(second.OptionsJson, new AuthenticatorBehaviour { TamperSignature = true })));
        await host.Passkeys(p => p.SecondFactorSignInAsync(ticket, second.State, authenticator.CreateAssertionJson(second.OptionsJson)));
        var alone = (await host.Passkeys(p => p.BeginPasswordlessAsync())).Value!;
        var assertion = authenticator.CreateAssertionJson(alone.OptionsJson);
        await host.Passkeys(p => p.PasswordlessSignInAsync(alone.State, assertion));
        await host.Passkeys(p => p.PasswordlessSignInAsync(alone.State, assertion)); // a replay
        await host.Passkeys(p => p.PasswordlessSignInAsync(alone.State![..^4] + "AAAA", assertion)); // altered state
        var stored = await host.UserAsync(PasskeyHost.AliceId);
        var challenge = System.Text.Json.JsonDocument.Parse(alone.OptionsJson).RootElement.GetProperty("challenge").GetString()!;

        var text = string.Join('\n', host.Logs.AllText().Concat(host.Events.AllText()));
        text.Should().NotBeEmpty();
        text.Should().NotContain(alone.State!).And.NotContain(second.State!).And.NotContain(challenge).And.NotContain(ticket)
            .And.NotContain(stored.Passkeys[0].CredentialId).And.NotContain(stored.Passkeys[0].PublicKey).And.NotContain(stored.PasskeyUserHandle!)
            .And.NotContain(stored.SpentPasskeyChallenges[0].ChallengeHash);
    }

    private static async Task<SignInResult> PasswordlessAsync(PasskeyHost host, SoftwareAuthenticator authenticator)
    {
        var ceremony = (await host.Passkeys(p => p.BeginPasswordlessAsync())).Value!;
        return await host.Passkeys(p => p.PasswordlessSignInAsync(ceremony.State, authenticator.CreateAssertionJson(ceremony.OptionsJson)));
    }

    private sealed record Resource(string Id, bool SecAuthProtection) : ISecAuthProtectedResource;
}
