using AccountSecurity.Accounts;
using AccountSecurity.Events;
using AccountSecurity.Lockout;
using AccountSecurity.Reauthentication;
using AccountSecurity.Results;
using AccountSecurity.Sessions;
using AccountSecurity.SignIn;
using AccountSecurity.SupportPin;
using AccountSecurity.Testing;
using AccountSecurity.Tests.TestSupport;
using AccountSecurity.TwoFactor;
using Microsoft.Extensions.Options;

namespace AccountSecurity.Tests.Reauthentication;

/// <summary>
/// The re-authentication ceremony itself: which ways an account has, what each failure costs under the lockouts, what
/// is never accepted (a recovery code, a password for a passkey account), where the time is kept, and that no secret
/// reaches an event or a log line.
/// </summary>
public sealed class ReauthenticationServiceTests
{
    private static readonly TimeSpan Window = new ReauthenticationOptions().Window;

    private TestHost _host = null!;

    private IReauthenticationService Reauthentication => _host.Get<IReauthenticationService>();

    [SetUp]
    public async Task SetUpAsync()
    {
        _host = TestHost.Create();
        await _host.SeedContractAsync();
    }

    [TearDown]
    public ValueTask TearDownAsync() => _host.DisposeAsync();

    [Test]
    public async Task Status_NamesTheWaysOfEachKindOfAccount_StrongestFirst()
    {
        (await MethodsAsync(TestHost.UserId)).Should().Equal(ReauthenticationMethods.Password);

        await _host.ModifyUserAsync(TestHost.UserId, u => u with { TwoFactor = u.TwoFactor with { IsEnabled = true } });
        (await MethodsAsync(TestHost.UserId)).Should().Equal(ReauthenticationMethods.PasswordAndCode);

        await _host.ModifyUserAsync(TestHost.UserId, u => u with { Passkeys = [Passkey("cred-1")] });
        (await MethodsAsync(TestHost.UserId)).Should().Equal(ReauthenticationMethods.Passkey, ReauthenticationMethods.PasswordAndCode);

        await _host.ModifyUserAsync(TestHost.AdminId, u => u with { Passkeys = [Passkey("cred-2")] });
        (await MethodsAsync(TestHost.AdminId)).Should().Equal([ReauthenticationMethods.Passkey], "a passkey is this account's second factor: the password alone is not enough");

        await _host.ModifyUserAsync(TestHost.AdminId, u => u with { PasswordHash = null });
        (await MethodsAsync(TestHost.AdminId)).Should().Equal([ReauthenticationMethods.Passkey], "an account without a password");
    }

    [Test]
    public async Task Status_IsFreshForTheWindowAfterTheSignIn()
    {
        var session = await StartSessionAsync(TestHost.UserId);
        var status = await Reauthentication.GetStatusAsync(session);
        status.Value!.IsFresh.Should().BeTrue();
        status.Value.FreshUntil.Should().Be(TestHost.Start + Window);

        _host.Time.Advance(Window);
        status = await Reauthentication.GetStatusAsync(session);
        status.Value!.IsFresh.Should().BeFalse();
        status.Value.FreshUntil.Should().BeNull();
    }

    [Test]
    public async Task Password_Reauthenticates_RecordsTheTime_AndRaisesAnEventWithTheSession()
    {
        var session = await StartSessionAsync(TestHost.UserId);
        _host.Time.Advance(Window * 2);

        var result = await Reauthentication.ReauthenticateAsync(session, TestHost.InitialPassword);

        result.Succeeded.Should().BeTrue(result.ToString());
        result.Value!.ReauthenticatedAt.Should().Be(_host.Time.GetUtcNow());
        result.Value.FreshUntil.Should().Be(_host.Time.GetUtcNow() + Window);
        (await Reauthentication.GetStatusAsync(session)).Value!.IsFresh.Should().BeTrue("the record holds the time, not the caller's value");
        var raised = _host.Events.OfType(SecurityEventType.Reauthenticated).Should().ContainSingle().Subject;
        raised.Outcome.Should().Be(ReauthenticationMethods.Password);
        raised.SessionId.Should().Be(session.SessionId);
    }

    [Test]
    public async Task WrongPassword_CountsUnderThePasswordLockout_AndLocksLikeASignIn()
    {
        var session = await StartSessionAsync(TestHost.UserId);
        var max = _host.Get<IOptions<AccountSecurity.DependencyInjection.AccountSecurityOptions>>().Value.Lockout.Password.MaxFailedAttempts;

        var first = await Reauthentication.ReauthenticateAsync(session, "wrong-Password-1");
        first.ErrorCode.Should().Be(SecurityErrorCodes.PasswordWrongCurrent);
        (await _host.UserAsync()).Lockouts[AuthenticationFactor.Password].FailedCount.Should().Be(1);
        _host.Events.OfType(SecurityEventType.ReauthenticationFailed).Should().ContainSingle().Which.Factor.Should().Be(AuthenticationFactor.Password);

        for (var i = 1; i < max; i++)
        {
            await Reauthentication.ReauthenticateAsync(session, "wrong-Password-1");
        }

        (await Reauthentication.ReauthenticateAsync(session, TestHost.InitialPassword)).ErrorCode.Should().Be(SecurityErrorCodes.LockedOut, "the right password during the lock");
        (await _host.Get<ISignInService>().PasswordSignInAsync(TestHost.UserEmail, TestHost.InitialPassword)).Status.Should().Be(SignInStatus.LockedOut, "one lockout for sign-in and re-authentication");
    }

    [Test]
    public async Task WithTheAuthenticatorOn_TheCodeIsRequired_CountedOnce_AndNotReplayable()
    {
        var (authenticator, _) = await EnableTwoFactorAsync(TestHost.UserId);
        var session = await StartSessionAsync(TestHost.UserId);
        _host.Time.Advance(TimeSpan.FromMinutes(1));

        var withoutCode = await Reauthentication.ReauthenticateAsync(session, TestHost.InitialPassword);
        withoutCode.ErrorCode.Should().Be(SecurityErrorCodes.TwoFactorCurrentCodeRequired);
        (await _host.UserAsync()).Lockouts[AuthenticationFactor.Password].FailedCount.Should().Be(0, "refused before anything is checked");

        var wrongCode = await Reauthentication.ReauthenticateAsync(session, TestHost.InitialPassword, authenticator.WrongCodes(1)[0]);
        wrongCode.ErrorCode.Should().Be(SecurityErrorCodes.InvalidCode);
        (await _host.UserAsync()).Lockouts[AuthenticationFactor.SecondFactor].FailedCount.Should().Be(1);

        var code = authenticator.CurrentCode();
        (await Reauthentication.ReauthenticateAsync(session, TestHost.InitialPassword, code)).Succeeded.Should().BeTrue();
        (await Reauthentication.ReauthenticateAsync(session, TestHost.InitialPassword, code)).ErrorCode.Should().Be(SecurityErrorCodes.CodeReplayed);
    }

    [Test]
    public async Task OneCode_SentByTwoReauthenticationsAtOnce_IsAcceptedOnce()
    {
        var (authenticator, _) = await EnableTwoFactorAsync(TestHost.UserId);
        var first = await StartSessionAsync(TestHost.UserId);
        var second = await StartSessionAsync(TestHost.UserId);
        var code = authenticator.CurrentCode();

        var results = await Task.WhenAll(
            Task.Run(async () => await Reauthentication.ReauthenticateAsync(first, TestHost.InitialPassword, code)),
            Task.Run(async () => await Reauthentication.ReauthenticateAsync(second, TestHost.InitialPassword, code)));

        results.Count(r => r.Succeeded).Should().Be(1, "a TOTP code proves once, whichever session sends it");
        // The other is a replay, a lost write race, or busy (one password check per account at a time): never a second proof.
        results.Single(r => !r.Succeeded).ErrorCode.Should().BeOneOf(SecurityErrorCodes.CodeReplayed, SecurityErrorCodes.ConcurrencyConflict, SecurityErrorCodes.Busy);
    }

    [Test]
    public async Task ARecoveryCode_IsRefused_AndNotSpent()
    {
        var (_, recoveryCodes) = await EnableTwoFactorAsync(TestHost.UserId);
        var session = await StartSessionAsync(TestHost.UserId);
        var before = (await _host.UserAsync()).TwoFactor.RecoveryCodeHashes.Length;

        var result = await Reauthentication.ReauthenticateAsync(session, TestHost.InitialPassword, recoveryCodes[0]);

        result.ErrorCode.Should().Be(SecurityErrorCodes.InvalidCode);
        (await _host.UserAsync()).TwoFactor.RecoveryCodeHashes.Length.Should().Be(before, "the code is not spent");
    }

    [Test]
    public async Task APasskeyAccount_IsToldToUseItsPasskey()
    {
        await _host.ModifyUserAsync(TestHost.UserId, u => u with { Passkeys = [Passkey("cred-1")] });
        var session = await StartSessionAsync(TestHost.UserId);

        var result = await Reauthentication.ReauthenticateAsync(session, TestHost.InitialPassword);

        result.ErrorCode.Should().Be(SecurityErrorCodes.ReauthenticationMethodUnavailable);
        (await _host.UserAsync()).Lockouts[AuthenticationFactor.Password].FailedCount.Should().Be(0, "no password was checked");
    }

    [Test]
    public async Task ATokenOnlySession_CarriesItsReauthentication_AndOnlyThatSessionValueIsFresh()
    {
        var user = await _host.UserAsync();
        var signedIn = TestSessions.SignedIn(user, _host.Time.GetUtcNow());
        _host.Time.Advance(Window * 2);
        var pins = _host.Get<ISupportPinService>();

        (await pins.SetPinAsync(signedIn, null, "482913", "482913")).ErrorCode.Should().Be(SecurityErrorCodes.ReauthenticationRequired);

        var result = await Reauthentication.ReauthenticateAsync(signedIn, TestHost.InitialPassword);
        result.Value!.Session.ReauthenticatedAt.Should().Be(_host.Time.GetUtcNow());
        (await pins.SetPinAsync(result.Value.Session, null, "482913", "482913")).Succeeded.Should().BeTrue();
    }

    [Test]
    public async Task ASignInWithoutTheSecondFactorTheAccountHasNow_IsNoProof()
    {
        var session = await StartSessionAsync(TestHost.UserId);
        var pins = _host.Get<ISupportPinService>();

        // A second factor appears after the password-only sign-in (here without a stamp change, so the session stands).
        await _host.ModifyUserAsync(TestHost.UserId, u => u with { Passkeys = [Passkey("cred-1")] });

        (await pins.SetPinAsync(session, null, "482913", "482913")).ErrorCode.Should().Be(SecurityErrorCodes.ReauthenticationRequired);
        (await Reauthentication.GetStatusAsync(session)).Value!.IsFresh.Should().BeFalse();
    }

    [Test]
    public async Task AProofDatedInTheFuture_CountsAsNone()
    {
        var user = await _host.UserAsync();
        var forged = TestSessions.SignedIn(user, _host.Time.GetUtcNow() + TimeSpan.FromHours(1));

        (await _host.Get<ISupportPinService>().SetPinAsync(forged, null, "482913", "482913")).ErrorCode.Should().Be(SecurityErrorCodes.ReauthenticationRequired);
    }

    [Test]
    public async Task AStaleTokenSession_IsNotAuthenticated()
    {
        var user = await _host.UserAsync();
        var session = TestSessions.SignedIn(user, _host.Time.GetUtcNow());
        await _host.ModifyUserAsync(TestHost.UserId, u => u with { SecurityStamp = SecurityStamp.New() });

        (await Reauthentication.ReauthenticateAsync(session, TestHost.InitialPassword)).ErrorCode.Should().Be(SecurityErrorCodes.NotAuthenticated);
        (await _host.Get<ISupportPinService>().SetPinAsync(session, null, "482913", "482913")).ErrorCode.Should().Be(SecurityErrorCodes.NotAuthenticated);
    }

    [Test]
    public async Task NoPasswordOrCode_ReachesAnEventOrALogLine()
    {
        var (authenticator, _) = await EnableTwoFactorAsync(TestHost.UserId);
        var session = await StartSessionAsync(TestHost.UserId);
        var wrong = authenticator.WrongCodes(1)[0];
        var right = authenticator.CurrentCode();
        await Reauthentication.ReauthenticateAsync(session, "Secret-Wrong-Password-77", wrong);
        await Reauthentication.ReauthenticateAsync(session, TestHost.InitialPassword, wrong);
        await Reauthentication.ReauthenticateAsync(session, TestHost.InitialPassword, right);

        var text = string.Join("\n", _host.Events.AllText()) + _host.Logs.AllText();
        foreach (var secret in new[] { "Secret-Wrong-Password-77", TestHost.InitialPassword, wrong, right })
        {
            text.Should().NotContain(secret);
        }
    }

    [TestCase(0.5)]
    [TestCase(61)]
    public void AWindowOutsideItsBounds_FailsAtStartUp(double minutes)
    {
        var host = () => TestHost.Create(o => o.Reauthentication.Window = TimeSpan.FromMinutes(minutes)).Get<IOptions<AccountSecurity.DependencyInjection.AccountSecurityOptions>>().Value;

        host.Should().Throw<OptionsValidationException>().WithMessage("*Reauthentication: Window must be between*");
    }

    private async Task<IReadOnlyList<string>> MethodsAsync(string userId)
    {
        var user = await _host.UserAsync(userId);
        var status = await Reauthentication.GetStatusAsync(TestSessions.SignedIn(user, _host.Time.GetUtcNow()));
        status.Succeeded.Should().BeTrue(status.ToString());
        return status.Value!.Methods;
    }

    private async Task<AuthenticatedSession> StartSessionAsync(string userId)
    {
        var user = await _host.UserAsync(userId);
        var started = await _host.Get<ISessionService>().StartAsync(TestSessions.SignedIn(user, _host.Time.GetUtcNow(), SecondFactors.Any(user)));
        started.Succeeded.Should().BeTrue(started.ToString());
        return started.Value!.Session;
    }

    private async Task<(TotpCodeGenerator Authenticator, IReadOnlyList<string> RecoveryCodes)> EnableTwoFactorAsync(string userId)
    {
        var twoFactor = _host.Get<ITwoFactorService>();
        var setup = await twoFactor.BeginSetupAsync(TestSessions.Of(userId), TestHost.InitialPassword);
        setup.Succeeded.Should().BeTrue(setup.ToString());
        var authenticator = TotpCodeGenerator.FromSetup(setup.Value!, _host.Time);
        var confirmed = await twoFactor.ConfirmSetupAsync(userId, authenticator.CurrentCode());
        confirmed.Succeeded.Should().BeTrue(confirmed.ToString());
        _host.Time.Advance(TimeSpan.FromSeconds(31)); // past the confirmation's time step, so the next code is new
        return (authenticator, confirmed.Value!.RecoveryCodes);
    }

    private static PasskeyCredential Passkey(string id) => new() { CredentialId = id, PublicKey = "pk", Name = "Test key" };
}
