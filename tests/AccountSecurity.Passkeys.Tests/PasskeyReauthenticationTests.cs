using AccountSecurity.Events;
using AccountSecurity.Lockout;
using AccountSecurity.Passkeys.Tests.TestSupport;
using AccountSecurity.Passwords.Change;
using AccountSecurity.Reauthentication;
using AccountSecurity.Results;
using AccountSecurity.SignIn;
using AccountSecurity.Testing;
using AccountSecurity.TwoFactor;

namespace AccountSecurity.Passkeys.Tests;

/// <summary>
/// Re-authenticating with a passkey (user verification required), the passkey operations under the step-up rule, and an
/// account without a password managing its factors with its passkey alone.
/// </summary>
public sealed class PasskeyReauthenticationTests
{
    private static readonly TimeSpan Window = new ReauthenticationOptions().Window;

    [Test]
    public async Task A_passkey_with_user_verification_reauthenticates_the_session()
    {
        await using var host = await PasskeyHost.StartAsync();
        using var authenticator = new SoftwareAuthenticator(PasskeyHost.Origin);
        var session = await host.RegisterAsync(await host.PasswordSessionAsync(PasskeyHost.AliceEmail), authenticator);
        host.Time.Advance(Window * 2);

        var begun = await host.Passkeys(p => p.BeginReauthenticationAsync(session));
        begun.Succeeded.Should().BeTrue(begun.ToString());
        begun.Value!.OptionsJson.Should().Contain("\"userVerification\":\"required\"").And.Contain(authenticator.CredentialIdBase64Url);
        var done = await host.Passkeys(p => p.CompleteReauthenticationAsync(session, begun.Value.State, authenticator.CreateAssertionJson(begun.Value.OptionsJson)));

        done.Succeeded.Should().BeTrue(done.ToString());
        done.Value!.FreshUntil.Should().Be(host.Time.GetUtcNow() + Window);
        done.Value.Session.ReauthenticatedAt.Should().Be(host.Time.GetUtcNow());
        host.Events.OfType(SecurityEventType.Reauthenticated).Should().ContainSingle().Which.Outcome.Should().Be(ReauthenticationMethods.Passkey);
    }

    [Test]
    public async Task Without_user_verification_the_assertion_is_refused_and_counted()
    {
        await using var host = await PasskeyHost.StartAsync();
        using var authenticator = new SoftwareAuthenticator(PasskeyHost.Origin);
        var session = await host.RegisterAsync(await host.PasswordSessionAsync(PasskeyHost.AliceEmail), authenticator);

        var begun = await host.Passkeys(p => p.BeginReauthenticationAsync(session));
        var done = await host.Passkeys(p => p.CompleteReauthenticationAsync(session, begun.Value!.State, authenticator.CreateAssertionJson(begun.Value.OptionsJson, new AuthenticatorBehaviour { UserVerified = false })));

        done.ErrorCode.Should().Be(SecurityErrorCodes.PasskeyUserVerificationRequired);
        (await host.UserAsync(PasskeyHost.AliceId)).Lockouts[AuthenticationFactor.SecondFactor].FailedCount.Should().Be(1);
        host.Events.OfType(SecurityEventType.ReauthenticationFailed).Should().ContainSingle();
    }

    [Test]
    public async Task A_credential_of_another_authenticator_is_refused_uncounted()
    {
        await using var host = await PasskeyHost.StartAsync();
        using var authenticator = new SoftwareAuthenticator(PasskeyHost.Origin);
        using var stranger = new SoftwareAuthenticator(PasskeyHost.Origin);
        var session = await host.RegisterAsync(await host.PasswordSessionAsync(PasskeyHost.AliceEmail), authenticator);

        var begun = await host.Passkeys(p => p.BeginReauthenticationAsync(session));
        var done = await host.Passkeys(p => p.CompleteReauthenticationAsync(session, begun.Value!.State, stranger.CreateAssertionJson(begun.Value.OptionsJson)));

        done.ErrorCode.Should().Be(SecurityErrorCodes.PasskeyUnknownCredential);
        (await host.UserAsync(PasskeyHost.AliceId)).Lockouts[AuthenticationFactor.SecondFactor].FailedCount.Should().Be(0);
    }

    [Test]
    public async Task The_ceremony_is_bound_to_the_session_it_was_begun_for()
    {
        await using var host = await PasskeyHost.StartAsync();
        using var authenticator = new SoftwareAuthenticator(PasskeyHost.Origin);
        var session = await host.RegisterAsync(await host.PasswordSessionAsync(PasskeyHost.AliceEmail), authenticator);
        var other = session with { AuthenticatedAt = session.AuthenticatedAt + TimeSpan.FromSeconds(1) };

        var begun = await host.Passkeys(p => p.BeginReauthenticationAsync(session));
        var done = await host.Passkeys(p => p.CompleteReauthenticationAsync(other, begun.Value!.State, authenticator.CreateAssertionJson(begun.Value.OptionsJson)));

        done.ErrorCode.Should().Be(SecurityErrorCodes.PasskeyCeremonyExpired);
    }

    [Test]
    public async Task An_account_without_a_passkey_is_told_so()
    {
        await using var host = await PasskeyHost.StartAsync();
        var session = await host.PasswordSessionAsync(PasskeyHost.AliceEmail);

        (await host.Passkeys(p => p.BeginReauthenticationAsync(session))).ErrorCode.Should().Be(SecurityErrorCodes.ReauthenticationMethodUnavailable);
    }

    [Test]
    public async Task An_account_without_a_password_manages_its_factors_with_its_passkey()
    {
        await using var host = await PasskeyHost.StartAsync();
        using var first = new SoftwareAuthenticator(PasskeyHost.Origin);
        using var second = new SoftwareAuthenticator(PasskeyHost.Origin);
        await host.RegisterAsync(await host.PasswordSessionAsync(PasskeyHost.AliceEmail), first);
        var user = await ModifyAsync(host, PasskeyHost.AliceId, u => u with { PasswordHash = null, PasswordHistory = [] });
        var session = TestSessions.SignedIn(user, host.Time.GetUtcNow()) with { Methods = [AuthenticationMethods.HardwareKey, AuthenticationMethods.MultiFactor] };
        host.Time.Advance(Window * 2);

        (await host.Call<ITwoFactorService, SecurityResult<TwoFactorSetup>>(t => t.BeginSetupAsync(session, null))).ErrorCode
            .Should().Be(SecurityErrorCodes.ReauthenticationRequired, "stale, and there is no password to give");
        var reauthenticated = await ReauthenticateWithPasskeyAsync(host, session, first);
        reauthenticated.Succeeded.Should().BeTrue(reauthenticated.ToString());
        session = reauthenticated.Value!.Session;

        // The authenticator app.
        var setup = await host.Call<ITwoFactorService, SecurityResult<TwoFactorSetup>>(t => t.BeginSetupAsync(session, null));
        setup.Succeeded.Should().BeTrue(setup.ToString());
        var app = TotpCodeGenerator.FromSetup(setup.Value!, host.Time);
        var confirmed = await host.Call<ITwoFactorService, SecurityResult<TwoFactorChanged>>(t => t.ConfirmSetupAsync(PasskeyHost.AliceId, app.CurrentCode()));
        confirmed.Succeeded.Should().BeTrue(confirmed.ToString());
        session = session with { SecurityStamp = confirmed.Value!.SecurityStamp };

        // A second passkey, then the first one removed.
        var begun = await host.Passkeys(p => p.BeginRegistrationAsync(session, null));
        begun.Succeeded.Should().BeTrue(begun.ToString());
        var added = await host.Passkeys(p => p.CompleteRegistrationAsync(session, second.CreateAttestationJson(begun.Value!.OptionsJson), "Phone"));
        added.Succeeded.Should().BeTrue(added.ToString());
        session = session with { SecurityStamp = added.Value!.SecurityStamp };
        var removed = await host.Passkeys(p => p.RemoveAsync(session, first.CredentialIdBase64Url, null));
        removed.Succeeded.Should().BeTrue(removed.ToString());
        session = session with { SecurityStamp = removed.Value!.SecurityStamp };

        // And a first password.
        var password = await host.Call<IPasswordChangeService, SecurityResult<AccountSecurity.Passwords.Change.PasswordChanged>>(c => c.ChangePasswordAsync(session, null, "Granite!Meadow-8841", "Granite!Meadow-8841"));
        password.Succeeded.Should().BeTrue(password.ToString());
        (await host.SignIn(s => s.PasswordSignInAsync(PasskeyHost.AliceEmail, "Granite!Meadow-8841"))).Status.Should().Be(SignInStatus.SecondFactorRequired);
    }

    [Test]
    public async Task A_forced_user_cannot_remove_the_last_second_factor_even_when_fresh()
    {
        await using var host = await PasskeyHost.StartAsync();
        using var only = new SoftwareAuthenticator(PasskeyHost.Origin);
        await host.RegisterAsync(await host.PasswordSessionAsync(PasskeyHost.AliceEmail), only);
        var owner = TestSessions.SignedIn(await host.UserAsync(PasskeyHost.OwnerId), host.Time.GetUtcNow());
        (await host.Call<ITwoFactorAdministrationService, SecurityResult>(a => a.SetForcedAsync(owner, PasskeyHost.AliceId, true))).Succeeded.Should().BeTrue();
        var fresh = TestSessions.SignedIn(await host.UserAsync(PasskeyHost.AliceId), host.Time.GetUtcNow(), withSecondFactor: true);

        var removed = await host.Passkeys(p => p.RemoveAsync(fresh, only.CredentialIdBase64Url, null));

        removed.ErrorCode.Should().Be(SecurityErrorCodes.PasskeyLastSecondFactor);
        (await host.UserAsync(PasskeyHost.AliceId)).Passkeys.Should().ContainSingle();
    }

    private static async Task<AccountSecurity.Accounts.UserAccount> ModifyAsync(PasskeyHost host, string userId, Func<AccountSecurity.Accounts.UserAccount, AccountSecurity.Accounts.UserAccount> change)
    {
        var current = await host.UserAsync(userId);
        (await host.Users.UpdateAsync(change(current), CancellationToken.None)).Should().Be(AccountSecurity.Stores.StoreWriteResult.Success);
        return await host.UserAsync(userId);
    }

    internal static async ValueTask<SecurityResult<Reauthenticated>> ReauthenticateWithPasskeyAsync(PasskeyHost host, AuthenticatedSession session, SoftwareAuthenticator authenticator)
    {
        var begun = await host.Passkeys(p => p.BeginReauthenticationAsync(session));
        begun.Succeeded.Should().BeTrue(begun.ToString());
        return await host.Passkeys(p => p.CompleteReauthenticationAsync(session, begun.Value!.State, authenticator.CreateAssertionJson(begun.Value.OptionsJson)));
    }
}
