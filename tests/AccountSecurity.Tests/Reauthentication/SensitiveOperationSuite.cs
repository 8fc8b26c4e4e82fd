using AccountSecurity.Accounts;
using AccountSecurity.Accounts.Administration;
using AccountSecurity.Auditing;
using AccountSecurity.Passwords.Change;
using AccountSecurity.Passwords.Policy;
using AccountSecurity.Reauthentication;
using AccountSecurity.Results;
using AccountSecurity.Sessions;
using AccountSecurity.SignIn;
using AccountSecurity.Stores;
using AccountSecurity.SupportPin;
using AccountSecurity.Testing;
using AccountSecurity.TwoFactor;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AccountSecurity.Tests.Reauthentication;

/// <summary>
/// Every core <see cref="SensitiveOperation"/> through its real service, on a store the subclass provides (memory here;
/// SQLite and PostgreSQL in the EF Core tests, which compile this file too): refused without a fresh re-authentication
/// (and nothing changed), accepted within the window, refused from the instant it closes. The acting session is a
/// server-side one, so the freshness is read from, and written to, the store's session record.
/// </summary>
/// <remarks>The passkey operations run in the passkeys package's tests, against the same rule.</remarks>
public abstract class SensitiveOperationSuite
{
    private const string ContractId = "contract-step-up";
    private const string OwnerId = "owner-step-up";
    private const string AdminId = "admin-step-up";
    private const string UserId = "user-step-up";
    private const string Password = "violet-Anchor-29-quiet";
    private const string NewPassword = "Granite!Meadow-8841";

    private static readonly DateTimeOffset Start = new(2030, 1, 1, 9, 0, 0, TimeSpan.Zero);

    private FakeTimeProvider _time = null!;
    private ServiceProvider? _provider;
    private TotpCodeGenerator? _userAuthenticator;

    /// <summary>The core operations and who performs them; the passkey ones are tested in the passkeys package.</summary>
    public static IEnumerable<SensitiveOperation> CoreOperations() =>
        SensitiveOperations.All.Where(o => o is not (SensitiveOperation.AddPasskey or SensitiveOperation.RemovePasskey or SensitiveOperation.ChangePasswordlessSignInPolicy));

    /// <summary>The window the suite runs with (the default).</summary>
    protected static TimeSpan Window => new ReauthenticationOptions().Window;

    /// <summary>Builds the service provider over the store under test, with <paramref name="time"/> as its clock and the fast test options.</summary>
    protected abstract Task<ServiceProvider> BuildAsync(FakeTimeProvider time);

    /// <summary>Releases what <see cref="BuildAsync"/> created (a database).</summary>
    protected virtual Task CleanUpAsync() => Task.CompletedTask;

    [SetUp]
    public async Task SeedAsync()
    {
        _time = new FakeTimeProvider(Start);
        _provider = await BuildAsync(_time);
        _userAuthenticator = null;
        await RunAsync<IAccountProvisioningService, object?>(async p =>
        {
            (await p.CreateContractAsync(new NewContract { ContractId = ContractId, ContractName = "Step-up GmbH", OwnerUserId = OwnerId, OwnerEmail = "olivia.stepup@example.com", OwnerPassword = Password })).Succeeded.Should().BeTrue();
            (await p.CreateUserAsync(OwnerId, new NewUser { UserId = AdminId, Email = "adam.stepup@example.com", Role = UserRole.Administrator, InitialPassword = Password })).Succeeded.Should().BeTrue();
            (await p.CreateUserAsync(OwnerId, new NewUser { UserId = UserId, Email = "ursula.stepup@example.com", Role = UserRole.User, InitialPassword = Password })).Succeeded.Should().BeTrue();
            return null;
        });
    }

    [TearDown]
    public async Task DisposeAsync()
    {
        // Null when BuildAsync ignored the test (no PostgreSQL on a bare machine): the skip must stay a skip.
        if (_provider is not null)
        {
            await _provider.DisposeAsync();
        }

        await CleanUpAsync();
    }

    [TestCaseSource(nameof(CoreOperations))]
    public async Task RefusedWhenTheSessionDidNotReauthenticateWithinTheWindow_AndNothingChanges(SensitiveOperation operation)
    {
        var (actorId, targetId) = await PrepareAsync(operation);
        var session = await StartSessionAsync(actorId);
        _time.Advance(Window + TimeSpan.FromSeconds(1));
        var before = await SnapshotAsync(actorId, targetId);

        var result = await PerformAsync(operation, session, targetId);

        result.ErrorCode.Should().Be(SecurityErrorCodes.ReauthenticationRequired, "{0} without proof from a session last proven {1} ago", operation, Window + TimeSpan.FromSeconds(1));
        (await SnapshotAsync(actorId, targetId)).Should().Be(before, "a refused {0} changes nothing", operation);
    }

    [TestCaseSource(nameof(CoreOperations))]
    public async Task AcceptedWithinTheWindowOfAReauthentication(SensitiveOperation operation)
    {
        var (actorId, targetId) = await PrepareAsync(operation);
        var session = await StartSessionAsync(actorId);
        _time.Advance(Window + TimeSpan.FromSeconds(1));
        await ReauthenticateAsync(session, actorId);
        _time.Advance(Window - TimeSpan.FromSeconds(1));

        var result = await PerformAsync(operation, session, targetId);

        result.Succeeded.Should().BeTrue("{0} one second before the window closes: {1}", operation, result);
    }

    [TestCaseSource(nameof(CoreOperations))]
    public async Task RefusedFromTheInstantTheWindowCloses(SensitiveOperation operation)
    {
        var (actorId, targetId) = await PrepareAsync(operation);
        var session = await StartSessionAsync(actorId);
        _time.Advance(Window + TimeSpan.FromSeconds(1));
        await ReauthenticateAsync(session, actorId);
        _time.Advance(Window);

        var result = await PerformAsync(operation, session, targetId);

        result.ErrorCode.Should().Be(SecurityErrorCodes.ReauthenticationRequired, "{0} exactly one window after the re-authentication", operation);
    }

    [Test]
    public async Task AFreshSignIn_IsAReauthentication_ButOneWithARecoveryCodeIsNot()
    {
        var owner = await UserAsync(OwnerId);
        var signedIn = await StartAsync(TestSessions.SignedIn(owner, _time.GetUtcNow()));
        var withRecoveryCode = await StartAsync(TestSessions.SignedIn(owner, _time.GetUtcNow()) with
        {
            Methods = [AuthenticationMethods.Password, AuthenticationMethods.RecoveryCode, AuthenticationMethods.MultiFactor],
        });

        (await RunAsync<IPasswordPolicyService, SecurityResult>(s => s.SetPolicyAsync(signedIn, null).AsTask())).Succeeded.Should().BeTrue();
        (await RunAsync<IPasswordPolicyService, SecurityResult>(s => s.SetPolicyAsync(withRecoveryCode, null).AsTask())).ErrorCode
            .Should().Be(SecurityErrorCodes.ReauthenticationRequired);
    }

    [Test]
    public async Task TheReauthenticationIsRecordedOnTheSessionRecord_AndNeverMovesBack()
    {
        var session = await StartSessionAsync(UserId);
        _time.Advance(Window * 2);
        var at = _time.GetUtcNow();
        await ReauthenticateAsync(session, UserId);

        var record = await RecordAsync(session);
        record!.ReauthenticatedAt.Should().Be(at);

        (await RunAsync<ISessionStore, bool>(s => s.MarkReauthenticatedAsync(UserId, session.SessionId!, at - TimeSpan.FromMinutes(5), CancellationToken.None).AsTask())).Should().BeTrue();
        (await RecordAsync(session))!.ReauthenticatedAt.Should().Be(at, "an earlier time never replaces a later one");
    }

    [Test]
    public async Task AnotherSessionOfTheSameUser_DoesNotBenefitFromTheReauthentication()
    {
        var reauthenticated = await StartSessionAsync(UserId);
        var other = await StartSessionAsync(UserId);
        _time.Advance(Window * 2);
        await ReauthenticateAsync(reauthenticated, UserId);

        (await PerformAsync(SensitiveOperation.SetSupportPin, other, UserId)).ErrorCode.Should().Be(SecurityErrorCodes.ReauthenticationRequired);
        (await PerformAsync(SensitiveOperation.SetSupportPin, reauthenticated, UserId)).Succeeded.Should().BeTrue();
    }

    [Test]
    public async Task AnEndedSession_CannotReauthenticate_NorActWithAnEarlierReauthentication()
    {
        var session = await StartSessionAsync(AdminId);
        (await RunAsync<ISessionService, SecurityResult>(s => s.EndAsync(AdminId, session.SessionId!).AsTask())).Succeeded.Should().BeTrue();

        (await RunAsync<IReauthenticationService, SecurityResult<Reauthenticated>>(s => s.ReauthenticateAsync(session, Password).AsTask())).ErrorCode
            .Should().Be(SecurityErrorCodes.NotAuthenticated);
        (await PerformAsync(SensitiveOperation.ForceTwoFactor, session, UserId)).ErrorCode.Should().Be(SecurityErrorCodes.NotAuthenticated);
    }

    /// <summary>Sets up what <paramref name="operation"/> needs and names who acts on whom.</summary>
    private async Task<(string Actor, string Target)> PrepareAsync(SensitiveOperation operation)
    {
        switch (operation)
        {
            case SensitiveOperation.DisableTwoFactor or SensitiveOperation.RegenerateRecoveryCodes:
                await EnableTwoFactorAsync(UserId);
                return (UserId, UserId);
            case SensitiveOperation.RemoveSupportPin:
                (await RunAsync<ISupportPinService, SecurityResult<SupportPinStatus>>(s => s.SetPinAsync(TestSessions.Of(UserId), Password, "482913", "482913").AsTask())).Succeeded.Should().BeTrue();
                return (UserId, UserId);
            case SensitiveOperation.ReactivateUser:
                await ModifyAsync(UserId, u => u with { IsActive = false });
                return (AdminId, UserId);
            case SensitiveOperation.ChangePasswordPolicy or SensitiveOperation.ChangeSessionPolicy or SensitiveOperation.ChangeAuditRetention or SensitiveOperation.ChangeRole:
                return (OwnerId, UserId);
            case SensitiveOperation.TransferOwnership:
                return (OwnerId, AdminId);
            case SensitiveOperation.ForceTwoFactor or SensitiveOperation.ResetTwoFactor or SensitiveOperation.DeactivateUser
                or SensitiveOperation.EndUserSessions or SensitiveOperation.ClearSupportPinLockout:
                await StartSessionAsync(UserId); // something to end, for EndUserSessions
                return (AdminId, UserId);
            default:
                return (UserId, UserId);
        }
    }

    /// <summary>Performs <paramref name="operation"/> as <paramref name="session"/> on <paramref name="targetId"/>, with no proof inline.</summary>
    private Task<SecurityResult> PerformAsync(SensitiveOperation operation, AuthenticatedSession session, string targetId) => operation switch
    {
        SensitiveOperation.ChangePassword => RunAsync<IPasswordChangeService, SecurityResult>(async s => await s.ChangePasswordAsync(session, null, NewPassword, NewPassword)),
        SensitiveOperation.SetUpTwoFactor => RunAsync<ITwoFactorService, SecurityResult>(async s => await s.BeginSetupAsync(session, null)),
        SensitiveOperation.DisableTwoFactor => RunAsync<ITwoFactorService, SecurityResult>(async s => await s.DisableAsync(session, null, null)),
        SensitiveOperation.RegenerateRecoveryCodes => RunAsync<ITwoFactorService, SecurityResult>(async s => await s.RegenerateRecoveryCodesAsync(session, null, null)),
        SensitiveOperation.ChangeEmail => RunAsync<IAccountAdministrationService, SecurityResult>(async s => await s.ChangeEmailAsync(session, targetId, "ursula.renamed@example.com", null)),
        SensitiveOperation.SetSupportPin => RunAsync<ISupportPinService, SecurityResult>(async s => await s.SetPinAsync(session, null, "739164", "739164")),
        SensitiveOperation.RemoveSupportPin => RunAsync<ISupportPinService, SecurityResult>(async s => await s.RemovePinAsync(session, null)),
        SensitiveOperation.ChangePasswordPolicy => RunAsync<IPasswordPolicyService, SecurityResult>(async s => await s.SetPolicyAsync(session, PasswordPolicySettings.Default with { MinimumLength = 14 })),
        SensitiveOperation.ChangeSessionPolicy => RunAsync<ISessionService, SecurityResult>(async s => await s.SetPolicyAsync(session, new SessionPolicySettings(TimeSpan.FromMinutes(20), null, null))),
        SensitiveOperation.ChangeAuditRetention => RunAsync<IAuditTrailService, SecurityResult>(async s => await s.SetRetentionAsync(session, 500)),
        SensitiveOperation.ForceTwoFactor => RunAsync<ITwoFactorAdministrationService, SecurityResult>(async s => await s.SetForcedAsync(session, targetId, true)),
        SensitiveOperation.ResetTwoFactor => RunAsync<ITwoFactorAdministrationService, SecurityResult>(async s => await s.ResetAsync(session, targetId)),
        SensitiveOperation.ChangeRole => RunAsync<IAccountAdministrationService, SecurityResult>(async s => await s.ChangeRoleAsync(session, targetId, UserRole.Administrator)),
        SensitiveOperation.TransferOwnership => RunAsync<IAccountAdministrationService, SecurityResult>(async s => await s.ChangeRoleAsync(session, targetId, UserRole.ContractOwner)),
        SensitiveOperation.DeactivateUser => RunAsync<IAccountAdministrationService, SecurityResult>(async s => await s.DeactivateAsync(session, targetId)),
        SensitiveOperation.ReactivateUser => RunAsync<IAccountAdministrationService, SecurityResult>(async s => await s.ReactivateAsync(session, targetId)),
        SensitiveOperation.EndUserSessions => RunAsync<ISessionService, SecurityResult>(async s => await s.EndAllByAdministratorAsync(session, targetId)),
        SensitiveOperation.ClearSupportPinLockout => RunAsync<ISupportPinService, SecurityResult>(async s => await s.ClearLockoutAsync(session, targetId)),
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "Not a core operation."),
    };

    /// <summary>What a refused operation must leave as it was: the actor's, the target's and the contract's records, and the target's live sessions.</summary>
    private async Task<string> SnapshotAsync(string actorId, string targetId)
    {
        var actor = await UserAsync(actorId);
        var target = await UserAsync(targetId);
        var contract = await RunAsync<IContractStore, Contract?>(s => s.FindByIdAsync(ContractId, CancellationToken.None).AsTask());
        var sessions = await RunAsync<ISessionStore, IReadOnlyList<SessionRecord>>(s => s.ListByUserAsync(targetId, CancellationToken.None).AsTask());
        var audit = await RunAsync<IAuditStore, AuditChainHead?>(s => s.FindChainAsync(ContractId, CancellationToken.None).AsTask());
        return $"{actor.Version}/{actor.SecurityStamp}|{target.Version}/{target.SecurityStamp}|{contract!.Version}|{sessions.Count(s => s.EndedAt is null)}|{audit?.RetentionDays}";
    }

    private async Task EnableTwoFactorAsync(string userId)
    {
        var setup = await RunAsync<ITwoFactorService, SecurityResult<TwoFactorSetup>>(s => s.BeginSetupAsync(TestSessions.Of(userId), Password).AsTask());
        setup.Succeeded.Should().BeTrue(setup.ToString());
        _userAuthenticator = TotpCodeGenerator.FromSetup(setup.Value!, _time);
        var confirmed = await RunAsync<ITwoFactorService, SecurityResult<TwoFactorChanged>>(s => s.ConfirmSetupAsync(userId, _userAuthenticator.CurrentCode()).AsTask());
        confirmed.Succeeded.Should().BeTrue(confirmed.ToString());
    }

    /// <summary>A server-side session of <paramref name="userId"/> begun now, as a sign-in would begin it.</summary>
    private async Task<AuthenticatedSession> StartSessionAsync(string userId)
    {
        var user = await UserAsync(userId);
        return await StartAsync(TestSessions.SignedIn(user, _time.GetUtcNow(), withSecondFactor: SecondFactors.Any(user)));
    }

    private async Task<AuthenticatedSession> StartAsync(AuthenticatedSession signedIn)
    {
        var started = await RunAsync<ISessionService, SecurityResult<StartedSession>>(s => s.StartAsync(signedIn).AsTask());
        started.Succeeded.Should().BeTrue(started.ToString());
        return started.Value!.Session;
    }

    private async Task ReauthenticateAsync(AuthenticatedSession session, string userId)
    {
        var user = await UserAsync(userId);
        var code = user.TwoFactor.IsEnabled ? _userAuthenticator!.CurrentCode() : null;
        var result = await RunAsync<IReauthenticationService, SecurityResult<Reauthenticated>>(s => s.ReauthenticateAsync(session, Password, code).AsTask());
        result.Succeeded.Should().BeTrue(result.ToString());
    }

    private Task<SessionRecord?> RecordAsync(AuthenticatedSession session) =>
        RunAsync<ISessionStore, SessionRecord?>(async s => (await s.ListByUserAsync(session.UserId, CancellationToken.None)).SingleOrDefault(r => r.Id == session.SessionId));

    private Task<UserAccount> UserAsync(string userId) =>
        RunAsync<IUserStore, UserAccount>(async s => (await s.FindByIdAsync(userId, CancellationToken.None))!);

    private Task ModifyAsync(string userId, Func<UserAccount, UserAccount> change) =>
        RunAsync<IUserStore, StoreWriteResult>(async s => await s.UpdateAsync(change((await s.FindByIdAsync(userId, CancellationToken.None))!), CancellationToken.None));

    /// <summary>Runs <paramref name="action"/> with <typeparamref name="TService"/> in a scope of its own, as one request would.</summary>
    private async Task<TResult> RunAsync<TService, TResult>(Func<TService, Task<TResult>> action)
        where TService : notnull
    {
        await using var scope = _provider!.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<TService>());
    }
}
