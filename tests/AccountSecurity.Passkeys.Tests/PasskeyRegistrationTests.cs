using AccountSecurity.Events;
using AccountSecurity.Passkeys.Tests.TestSupport;
using AccountSecurity.Results;
using AccountSecurity.SignIn;
using AccountSecurity.Testing;
using AccountSecurity.TwoFactor;

namespace AccountSecurity.Passkeys.Tests;

/// <summary>Registering, listing, renaming and removing passkeys, with real WebAuthn responses from a software authenticator.</summary>
public sealed class PasskeyRegistrationTests
{
    [Test]
    public async Task A_registered_passkey_is_listed_with_its_name_and_ends_other_sessions()
    {
        await using var host = await PasskeyHost.StartAsync();
        var session = await host.PasswordSessionAsync(PasskeyHost.AliceEmail);
        using var authenticator = new SoftwareAuthenticator(PasskeyHost.Origin);

        var renewed = await host.RegisterAsync(session, authenticator, "Work laptop");

        var listed = await host.Passkeys(p => p.ListAsync(PasskeyHost.AliceId));
        listed.Should().ContainSingle().Which.Should().Match<PasskeySummary>(p => p.Name == "Work laptop" && p.CredentialId == authenticator.CredentialIdBase64Url && !p.IsSynced);
        (await host.SignIn(s => s.ValidateSessionAsync(session))).Should().BeFalse("adding a factor changes the stamp, so the old session ends");
        (await host.SignIn(s => s.ValidateSessionAsync(renewed))).Should().BeTrue();
        var stored = await host.UserAsync(PasskeyHost.AliceId);
        stored.PendingPasskeyRegistration.Should().BeNull("the challenge is spent by the registration");
        stored.PasskeyUserHandle.Should().Be(Convert.ToBase64String(authenticator.UserHandle).TrimEnd('=').Replace('+', '-').Replace('/', '_'));
        stored.Passkeys[0].PublicKey.Should().NotBeNullOrEmpty();
        host.Events.OfType(SecurityEventType.PasskeyAdded).Should().ContainSingle();
    }

    [Test]
    public async Task The_creation_options_exclude_existing_passkeys_and_ask_for_no_attestation()
    {
        await using var host = await PasskeyHost.StartAsync();
        using var first = new SoftwareAuthenticator(PasskeyHost.Origin);
        var session = await host.RegisterAsync(await host.PasswordSessionAsync(PasskeyHost.AliceEmail), first);
        var mfaSession = session with { Methods = [AuthenticationMethods.Password, AuthenticationMethods.HardwareKey, AuthenticationMethods.MultiFactor] };

        var begun = await host.Passkeys(p => p.BeginRegistrationAsync(mfaSession, PasskeyHost.Password));

        begun.Succeeded.Should().BeTrue(begun.ToString());
        begun.Value!.OptionsJson.Should().Contain(first.CredentialIdBase64Url, "the user's passkeys are excluded")
            .And.Contain("\"attestation\":\"none\"")
            .And.Contain("\"residentKey\":\"preferred\"")
            .And.Contain("\"userVerification\":\"preferred\"");
    }

    [TestCase("origin", SecurityErrorCodes.PasskeyOriginMismatch)]
    [TestCase("rpId", SecurityErrorCodes.PasskeyRelyingPartyMismatch)]
    [TestCase("challenge", SecurityErrorCodes.PasskeyChallengeMismatch)]
    [TestCase("malformed", SecurityErrorCodes.PasskeyResponseMalformed)]
    public async Task A_registration_response_not_made_for_this_ceremony_is_refused_with_its_code_and_stores_nothing(string fault, string code)
    {
        await using var host = await PasskeyHost.StartAsync();
        var session = await host.PasswordSessionAsync(PasskeyHost.AliceEmail);
        using var authenticator = new SoftwareAuthenticator(PasskeyHost.Origin);
        var begun = await host.Passkeys(p => p.BeginRegistrationAsync(session, PasskeyHost.Password));
        var json = fault switch
        {
            "origin" => authenticator.CreateAttestationJson(begun.Value!.OptionsJson, new AuthenticatorBehaviour { Origin = "http://evil.localhost:5080" }),
            "rpId" => authenticator.CreateAttestationJson(begun.Value!.OptionsJson, new AuthenticatorBehaviour { RpId = "example.com" }),
            "challenge" => authenticator.CreateAttestationJson(begun.Value!.OptionsJson, new AuthenticatorBehaviour { Challenge = new byte[16] }),
            _ => "{\"id\": 12, \"rawId\": \"%%%\"",
        };

        var completed = await host.Passkeys(p => p.CompleteRegistrationAsync(session, json, "Laptop"));

        completed.Succeeded.Should().BeFalse();
        completed.Errors.Should().ContainSingle().Which.Code.Should().Be(code);
        var stored = await host.UserAsync(PasskeyHost.AliceId);
        stored.Passkeys.Should().BeEmpty();
        stored.SecurityStamp.Should().Be(session.SecurityStamp, "nothing changed");
        host.Events.OfType(SecurityEventType.PasskeyRegistrationFailed).Should().ContainSingle().Which.Outcome.Should().Be(code);
    }

    [Test]
    public async Task A_registration_challenge_registers_once()
    {
        await using var host = await PasskeyHost.StartAsync();
        var session = await host.PasswordSessionAsync(PasskeyHost.AliceEmail);
        using var authenticator = new SoftwareAuthenticator(PasskeyHost.Origin);
        var begun = await host.Passkeys(p => p.BeginRegistrationAsync(session, PasskeyHost.Password));
        var json = authenticator.CreateAttestationJson(begun.Value!.OptionsJson);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => host.Passkeys(p => p.CompleteRegistrationAsync(session, json, "Laptop")))));

        results.Count(r => r.Succeeded).Should().Be(1);
        (await host.UserAsync(PasskeyHost.AliceId)).Passkeys.Should().ContainSingle();
    }

    [Test]
    public async Task A_credential_another_account_holds_is_refused_as_already_registered_and_stores_nothing()
    {
        await using var host = await PasskeyHost.StartAsync();
        using var authenticator = new SoftwareAuthenticator(PasskeyHost.Origin);
        await host.RegisterAsync(await host.PasswordSessionAsync(PasskeyHost.AliceEmail), authenticator);
        await AddBobAsync(host);
        var bob = await host.PasswordSessionAsync(BobEmail);
        var begun = await host.Passkeys(p => p.BeginRegistrationAsync(bob, PasskeyHost.Password));

        var completed = await host.Passkeys(p => p.CompleteRegistrationAsync(bob, authenticator.CreateAttestationJson(begun.Value!.OptionsJson), "Borrowed"));

        completed.Succeeded.Should().BeFalse();
        completed.Errors.Should().ContainSingle().Which.Code.Should().Be(SecurityErrorCodes.PasskeyAlreadyRegistered);
        var stored = await host.UserAsync(BobId);
        stored.Passkeys.Should().BeEmpty();
        stored.SecurityStamp.Should().Be(bob.SecurityStamp, "nothing changed");
        (await host.UserAsync(PasskeyHost.AliceId)).Passkeys.Should().ContainSingle().Which.CredentialId.Should().Be(authenticator.CredentialIdBase64Url);
    }

    [Test]
    public async Task A_credential_the_user_already_holds_is_refused_as_already_registered()
    {
        await using var host = await PasskeyHost.StartAsync();
        using var authenticator = new SoftwareAuthenticator(PasskeyHost.Origin);
        var session = await host.RegisterAsync(await host.PasswordSessionAsync(PasskeyHost.AliceEmail), authenticator);
        var mfaSession = session with { Methods = [AuthenticationMethods.Password, AuthenticationMethods.HardwareKey, AuthenticationMethods.MultiFactor] };
        var begun = await host.Passkeys(p => p.BeginRegistrationAsync(mfaSession, PasskeyHost.Password));

        var completed = await host.Passkeys(p => p.CompleteRegistrationAsync(mfaSession, authenticator.CreateAttestationJson(begun.Value!.OptionsJson), "Again"));

        completed.Errors.Should().ContainSingle().Which.Code.Should().Be(SecurityErrorCodes.PasskeyAlreadyRegistered);
        (await host.UserAsync(PasskeyHost.AliceId)).Passkeys.Should().ContainSingle().Which.Name.Should().Be("Laptop");
    }

    [Test]
    public async Task One_credential_registered_by_two_accounts_at_once_is_registered_once()
    {
        await using var host = await PasskeyHost.StartAsync();
        using var authenticator = new SoftwareAuthenticator(PasskeyHost.Origin);
        await AddBobAsync(host);
        var sessions = new[] { await host.PasswordSessionAsync(PasskeyHost.AliceEmail), await host.PasswordSessionAsync(BobEmail) };
        var attestations = new List<string>();
        foreach (var session in sessions)
        {
            var begun = await host.Passkeys(p => p.BeginRegistrationAsync(session, PasskeyHost.Password));
            attestations.Add(authenticator.CreateAttestationJson(begun.Value!.OptionsJson));
        }

        var results = await Task.WhenAll(sessions.Select((s, i) => Task.Run(() => host.Passkeys(p => p.CompleteRegistrationAsync(s, attestations[i], "Shared")))));

        results.Count(r => r.Succeeded).Should().Be(1);
        results.Single(r => !r.Succeeded).Errors.Should().ContainSingle().Which.Code.Should().Be(SecurityErrorCodes.PasskeyAlreadyRegistered);
        var holders = new[] { await host.UserAsync(PasskeyHost.AliceId), await host.UserAsync(BobId) }.Where(u => u.Passkeys.Length > 0);
        holders.Should().ContainSingle();
    }

    [Test]
    public async Task Registration_needs_the_current_password_and_counts_a_wrong_one()
    {
        await using var host = await PasskeyHost.StartAsync();
        var session = await host.PasswordSessionAsync(PasskeyHost.AliceEmail);

        var begun = await host.Passkeys(p => p.BeginRegistrationAsync(session, "not-the-password"));

        begun.Succeeded.Should().BeFalse();
        (await host.UserAsync(PasskeyHost.AliceId)).PendingPasskeyRegistration.Should().BeNull();
        (await host.UserAsync(PasskeyHost.AliceId)).Lockouts.Get(Lockout.AuthenticationFactor.Password).FailedCount.Should().Be(1);
    }

    [Test]
    public async Task An_account_with_a_second_factor_adds_or_removes_a_passkey_only_from_a_session_signed_in_with_one()
    {
        await using var host = await PasskeyHost.StartAsync();
        using var authenticator = new SoftwareAuthenticator(PasskeyHost.Origin);
        var passwordOnly = await host.RegisterAsync(await host.PasswordSessionAsync(PasskeyHost.AliceEmail), authenticator);

        var begun = await host.Passkeys(p => p.BeginRegistrationAsync(passwordOnly, PasskeyHost.Password));
        var removed = await host.Passkeys(p => p.RemoveAsync(passwordOnly, authenticator.CredentialIdBase64Url, PasskeyHost.Password));

        begun.Errors.Should().ContainSingle().Which.Code.Should().Be(SecurityErrorCodes.PasskeySecondFactorSessionRequired);
        removed.Errors.Should().ContainSingle().Which.Code.Should().Be(SecurityErrorCodes.PasskeySecondFactorSessionRequired);
        (await host.UserAsync(PasskeyHost.AliceId)).Passkeys.Should().ContainSingle();
    }

    [Test]
    public async Task Rename_and_remove_change_only_the_named_passkey()
    {
        await using var host = await PasskeyHost.StartAsync();
        using var authenticator = new SoftwareAuthenticator(PasskeyHost.Origin);
        var session = await host.RegisterAsync(await host.PasswordSessionAsync(PasskeyHost.AliceEmail), authenticator);
        var mfa = session with { Methods = [AuthenticationMethods.Password, AuthenticationMethods.HardwareKey, AuthenticationMethods.MultiFactor] };

        (await host.Passkeys(p => p.RenameAsync(mfa, authenticator.CredentialIdBase64Url, "  Phone  "))).Succeeded.Should().BeTrue();
        (await host.Passkeys(p => p.RenameAsync(mfa, authenticator.CredentialIdBase64Url, "bad\u0000name"))).Errors[0].Code.Should().Be(SecurityErrorCodes.PasskeyInvalidName);
        (await host.Passkeys(p => p.RenameAsync(mfa, "unknown", "Phone"))).Errors[0].Code.Should().Be(SecurityErrorCodes.PasskeyUnknownCredential);
        (await host.Passkeys(p => p.ListAsync(PasskeyHost.AliceId))).Single().Name.Should().Be("Phone");

        var removed = await host.Passkeys(p => p.RemoveAsync(mfa, authenticator.CredentialIdBase64Url, PasskeyHost.Password));

        removed.Succeeded.Should().BeTrue(removed.ToString());
        (await host.Passkeys(p => p.ListAsync(PasskeyHost.AliceId))).Should().BeEmpty();
        (await host.SignIn(s => s.ValidateSessionAsync(mfa))).Should().BeFalse("removing a factor ends the sessions");
        host.Events.OfType(SecurityEventType.PasskeyRemoved).Should().ContainSingle();
        host.Events.OfType(SecurityEventType.TwoFactorDisabled).Should().ContainSingle("the last second factor went with it");
    }

    [Test]
    public async Task A_forced_user_can_drop_totp_while_a_passkey_remains_but_cannot_remove_their_last_second_factor()
    {
        await using var host = await PasskeyHost.StartAsync();
        using var authenticator = new SoftwareAuthenticator(PasskeyHost.Origin);
        var session = await host.RegisterAsync(await host.PasswordSessionAsync(PasskeyHost.AliceEmail), authenticator);
        var setup = await host.Call<ITwoFactorService, Results.SecurityResult<TwoFactorSetup>>(t => t.BeginSetupAsync(TestSessions.Of(PasskeyHost.AliceId), PasskeyHost.Password));
        var app = TotpCodeGenerator.FromSetup(setup.Value!, host.Time);
        var confirmed = await host.Call<ITwoFactorService, Results.SecurityResult<TwoFactorChanged>>(t => t.ConfirmSetupAsync(PasskeyHost.AliceId, app.CurrentCode()));
        confirmed.Succeeded.Should().BeTrue(confirmed.ToString());
        var owner = await host.FreshAsync(PasskeyHost.OwnerId);
        (await host.Call<ITwoFactorAdministrationService, Results.SecurityResult>(a => a.SetForcedAsync(owner, PasskeyHost.AliceId, true))).Succeeded.Should().BeTrue();

        host.Time.Advance(TimeSpan.FromSeconds(30));
        var droppedTotp = await host.Call<ITwoFactorService, Results.SecurityResult<TwoFactorChanged>>(t => t.DisableAsync(TestSessions.Of(PasskeyHost.AliceId), PasskeyHost.Password, app.CurrentCode()));

        droppedTotp.Succeeded.Should().BeTrue("the passkey still satisfies forced 2FA: " + droppedTotp);
        var mfa = session with { SecurityStamp = droppedTotp.Value!.SecurityStamp, Methods = [AuthenticationMethods.Password, AuthenticationMethods.HardwareKey, AuthenticationMethods.MultiFactor] };
        var removed = await host.Passkeys(p => p.RemoveAsync(mfa, authenticator.CredentialIdBase64Url, PasskeyHost.Password));

        removed.Errors.Should().ContainSingle().Which.Code.Should().Be(SecurityErrorCodes.PasskeyLastSecondFactor);
        var stored = await host.UserAsync(PasskeyHost.AliceId);
        stored.Passkeys.Should().ContainSingle();
        stored.TwoFactor.IsEnabled.Should().BeFalse();
        (await host.SignIn(s => s.PasswordSignInAsync(PasskeyHost.AliceEmail, PasskeyHost.Password))).Status.Should().Be(SignInStatus.SecondFactorRequired);
    }

    [Test]
    public async Task An_administrators_lost_device_reset_removes_totp_and_every_passkey()
    {
        await using var host = await PasskeyHost.StartAsync();
        using var authenticator = new SoftwareAuthenticator(PasskeyHost.Origin);
        await host.RegisterAsync(await host.PasswordSessionAsync(PasskeyHost.AliceEmail), authenticator);

        var owner = await host.FreshAsync(PasskeyHost.OwnerId);
        var reset = await host.Call<ITwoFactorAdministrationService, Results.SecurityResult>(a => a.ResetAsync(owner, PasskeyHost.AliceId));

        reset.Succeeded.Should().BeTrue(reset.ToString());
        (await host.UserAsync(PasskeyHost.AliceId)).Passkeys.Should().BeEmpty();
        (await host.SignIn(s => s.PasswordSignInAsync(PasskeyHost.AliceEmail, PasskeyHost.Password))).Status.Should().Be(SignInStatus.Succeeded, "no second factor is left");
    }

    [Test]
    public async Task No_ceremony_value_or_key_reaches_a_log_line_or_an_event()
    {
        await using var host = await PasskeyHost.StartAsync();
        using var authenticator = new SoftwareAuthenticator(PasskeyHost.Origin);
        var session = await host.PasswordSessionAsync(PasskeyHost.AliceEmail);
        var begun = await host.Passkeys(p => p.BeginRegistrationAsync(session, PasskeyHost.Password));
        await host.Passkeys(p => p.CompleteRegistrationAsync(session, authenticator.CreateAttestationJson(begun.Value!.OptionsJson), "Laptop"));
        var stored = await host.UserAsync(PasskeyHost.AliceId);

        var text = string.Join('\n', host.Logs.AllText().Concat(host.Events.AllText()).Append(stored.ToString()).Append(stored.Passkeys[0].ToString()).Append(begun.Value!.ToString()));
        text.Should().NotContain(stored.Passkeys[0].PublicKey).And.NotContain(stored.Passkeys[0].CredentialId).And.NotContain(stored.PasskeyUserHandle!).And.NotContain(PasskeyHost.Password);
    }

    private const string BobId = "bob";
    private const string BobEmail = "bob@example.com";

    private static async Task AddBobAsync(PasskeyHost host)
    {
        var bob = await host.Call<AccountSecurity.Accounts.IAccountProvisioningService, bool>(async p =>
            (await p.CreateUserAsync(PasskeyHost.OwnerId, new AccountSecurity.Accounts.NewUser { UserId = BobId, Email = BobEmail, Role = AccountSecurity.Accounts.UserRole.User, InitialPassword = PasskeyHost.Password })).Succeeded);
        bob.Should().BeTrue();
    }
}
