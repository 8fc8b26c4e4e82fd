using AccountSecurity.Accounts;
using AccountSecurity.Passwords.Change;
using AccountSecurity.Passwords.Policy;
using AccountSecurity.Passwords.Reset;
using AccountSecurity.Resources;
using AccountSecurity.Results;
using AccountSecurity.SignIn;
using AccountSecurity.Stores;
using AccountSecurity.SupportPin;
using AccountSecurity.TwoFactor;
using AccountSecurity.TwoFactor.Totp;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace AccountSecurity.Testing.Hardening;

/// <summary>
/// Hostile input (see <see cref="HostileInputs"/>) in every parameter of every public service entry point that takes
/// user input, as NUnit tests. Derive a <c>[TestFixture]</c> from it for a store: give the fixture fresh storage in
/// <see cref="InitializeStorageAsync"/> and build a service provider over it in <see cref="BuildServices"/>. The
/// in-memory store and the EF Core stores (SQLite, PostgreSQL) run this same suite.
/// </summary>
/// <remarks>
/// Every call must answer — a result with a stable code, <see langword="false"/> or <see langword="null"/> — and
/// never throw. A hostile id, e-mail address or ticket must write nothing, and a hostile id must get exactly the
/// answer an unknown id gets (no enumeration). No log line may carry a CR, LF or NUL or grow past a few kilobytes,
/// and no event may carry an id that could not be one.
/// </remarks>
public abstract class HostileInputTests
{
    private const string ContractId = "hostile-contract";

    private const string OwnerId = "hostile-owner";

    private const string AdminId = "hostile-admin";

    private const string UserId = "hostile-user";

    private const string TwoFactorUserId = "hostile-tfa";

    private const string ForcedUserId = "hostile-forced";

    private const string Password = "Marble-Orchid-Tundra-61!";

    private const string UserEmail = "ursula@hostile.example";
    private const string TwoFactorEmail = "tina@hostile.example";
    private const string ForcedEmail = "fred@hostile.example";
    private const string UnknownId = "no-such-user";
    private const string Pin = "729164";
    private const int MaxLogLineLength = 4096;

    private static readonly string[] SeededUsers = [OwnerId, AdminId, UserId, TwoFactorUserId, ForcedUserId];

    private IServiceProvider? _services;
    private int _contracts;

    /// <summary>The environment the services were built with.</summary>
    protected HostileInputEnvironment Environment { get; } = new();

    private IServiceProvider Services => _services ?? throw new InvalidOperationException("The fixture is not set up.");

    /// <summary>Prepares fresh, empty storage for the fixture (all its tests share it).</summary>
    /// <returns>A task.</returns>
    protected abstract Task InitializeStorageAsync();

    /// <summary>Releases the fixture's storage. Does nothing by default.</summary>
    /// <returns>A task.</returns>
    protected virtual Task CleanupStorageAsync() => Task.CompletedTask;

    /// <summary>
    /// A service provider as a host would build it over the fixture's storage, with the <paramref name="environment"/>'s
    /// clock, event sink, log provider, reset-token sender and options (<see cref="HostileInputEnvironment.ConfigureOptions"/>).
    /// </summary>
    /// <param name="environment">What to register.</param>
    /// <returns>The provider; disposed by the suite when it is disposable.</returns>
    protected abstract IServiceProvider BuildServices(HostileInputEnvironment environment);

    /// <summary>Creates the storage and the services, and seeds a contract with users in every state.</summary>
    /// <returns>A task.</returns>
    [OneTimeSetUp]
    public async Task SetUpFixtureAsync()
    {
        await InitializeStorageAsync().ConfigureAwait(false);
        _services = BuildServices(Environment);
        await SeedAsync().ConfigureAwait(false);
    }

    /// <summary>Disposes the services and cleans the storage up.</summary>
    /// <returns>A task.</returns>
    [OneTimeTearDown]
    public async Task TearDownFixtureAsync()
    {
        switch (_services)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }

        _services = null;
        await CleanupStorageAsync().ConfigureAwait(false);
    }

    /// <summary>After each test: no log line or event may carry hostile text.</summary>
    [TearDown]
    public void LogsAndEventsStayClean()
    {
        var badLines = Environment.Logs.Entries
            .Where(e => e.Category.StartsWith("AccountSecurity", StringComparison.Ordinal)) // the library's lines, not the database driver's multi-line SQL
            .Where(e => e.Message.Length > MaxLogLineLength || e.State.Any(kv => kv.Value?.Length > MaxLogLineLength) || !IsFreeOfLineBreaks(e))
            .Select(e => $"{e.EventId}: {e.Message[..Math.Min(e.Message.Length, 200)]} ({e.Message.Length} characters)")
            .ToList();
        var badEvents = Environment.Events.Events
            .Where(e => !IsCleanId(e.UserId) || !IsCleanId(e.ContractId) || !IsCleanId(e.ActorId))
            .Select(e => e.ToString())
            .ToList();
        Environment.Logs.Clear();
        Environment.Events.Clear();
        Assert.That(badLines, Is.Empty, "no log line may be forged (CR/LF/NUL) or unbounded: " + string.Join("\n", badLines.Take(20)));
        Assert.That(badEvents, Is.Empty, "no event may carry an id that cannot be an id: " + string.Join("\n", badEvents.Take(20)));
    }

    /// <summary>The password step with hostile e-mail addresses and passwords.</summary>
    /// <returns>A task.</returns>
    [Test]
    public async Task PasswordSignIn_HostileEmailOrPassword_AnswersInvalidCredentialsWithoutThrowing()
    {
        var failures = new List<string>();
        await CheckAsync(failures, "PasswordSignInAsync(email)", HostileInputs.Emails, (sp, v) => Get<ISignInService>(sp).PasswordSignInAsync(v, Password), unknown: "nobody@hostile.example").ConfigureAwait(false);
        await CheckAsync(failures, "PasswordSignInAsync(password)", HostileInputs.StringsAndNull, (sp, v) => Get<ISignInService>(sp).PasswordSignInAsync(UserEmail, v), writesAllowed: true).ConfigureAwait(false);
        NoFailures(failures);
    }

    /// <summary>The second step with hostile tickets and codes.</summary>
    /// <returns>A task.</returns>
    [Test]
    public async Task SecondFactorSignIn_HostileTicketOrCode_AnswersWithoutThrowingOrWriting()
    {
        var failures = new List<string>();
        var unknown = HostileInputs.MadeUpTicket(UnknownId);
        await CheckAsync(failures, "SecondFactorSignInAsync(ticket)", HostileInputs.Tickets, (sp, v) => Get<ISignInService>(sp).SecondFactorSignInAsync(v, "123456"), unknown: unknown).ConfigureAwait(false);
        await CheckAsync(failures, "RecoveryCodeSignInAsync(ticket)", HostileInputs.Tickets, (sp, v) => Get<ISignInService>(sp).RecoveryCodeSignInAsync(v, "ABCD-EFGH"), unknown: unknown).ConfigureAwait(false);
        await CheckAsync(failures, "SecondFactorSignInAsync(code)", HostileInputs.StringsAndNull, async (sp, v) => await Get<ISignInService>(sp).SecondFactorSignInAsync(await TicketAsync(sp, TwoFactorEmail).ConfigureAwait(false), v), writesAllowed: true).ConfigureAwait(false);
        await CheckAsync(failures, "RecoveryCodeSignInAsync(code)", HostileInputs.StringsAndNull, async (sp, v) => await Get<ISignInService>(sp).RecoveryCodeSignInAsync(await TicketAsync(sp, TwoFactorEmail).ConfigureAwait(false), v), writesAllowed: true).ConfigureAwait(false);
        NoFailures(failures);
    }

    /// <summary>Forced setup during sign-in with hostile tickets and codes.</summary>
    /// <returns>A task.</returns>
    [Test]
    public async Task ForcedSetupWithTicket_HostileTicketOrCode_AnswersWithoutThrowingOrWriting()
    {
        var failures = new List<string>();
        var unknown = HostileInputs.MadeUpTicket(UnknownId);
        await CheckAsync(failures, "BeginTwoFactorSetupAsync(ticket)", HostileInputs.Tickets, (sp, v) => Get<ISignInService>(sp).BeginTwoFactorSetupAsync(v), unknown: unknown).ConfigureAwait(false);
        await CheckAsync(failures, "TwoFactorSetupSignInAsync(ticket)", HostileInputs.Tickets, (sp, v) => Get<ISignInService>(sp).TwoFactorSetupSignInAsync(v, "123456"), unknown: unknown).ConfigureAwait(false);
        await CheckAsync(failures, "TwoFactorSetupSignInAsync(code)", HostileInputs.StringsAndNull, async (sp, v) => await Get<ISignInService>(sp).TwoFactorSetupSignInAsync(await TicketAsync(sp, ForcedEmail).ConfigureAwait(false), v), writesAllowed: true).ConfigureAwait(false);
        NoFailures(failures);
    }

    /// <summary>Session validation and protected resources with sessions carrying hostile ids.</summary>
    /// <returns>A task.</returns>
    [Test]
    public async Task SessionAndProtectedResources_HostileSessionIds_AnswerFalseWithoutThrowing()
    {
        var failures = new List<string>();
        static AuthenticatedSession Session(string userId, string contractId, string stamp) =>
            new(userId, contractId, stamp, [AuthenticationMethods.Password, AuthenticationMethods.Otp, AuthenticationMethods.MultiFactor], DateTimeOffset.UnixEpoch);
        await CheckAsync(failures, "ValidateSessionAsync(UserId)", HostileInputs.Strings, (sp, v) => Get<ISignInService>(sp).ValidateSessionAsync(Session(v!, ContractId, "stamp")), unknown: UnknownId).ConfigureAwait(false);
        await CheckAsync(failures, "ValidateSessionAsync(ContractId)", HostileInputs.Strings, (sp, v) => Get<ISignInService>(sp).ValidateSessionAsync(Session(UserId, v!, "stamp"))).ConfigureAwait(false);
        await CheckAsync(failures, "ValidateSessionAsync(SecurityStamp)", HostileInputs.Strings, (sp, v) => Get<ISignInService>(sp).ValidateSessionAsync(Session(UserId, ContractId, v!))).ConfigureAwait(false);
        await CheckAsync(failures, "CanSeeAsync(session.UserId)", HostileInputs.Strings, (sp, v) => Get<IProtectedResourceAccess>(sp).CanSeeAsync(Session(v!, ContractId, "stamp"), secAuthProtection: true), unknown: UnknownId).ConfigureAwait(false);
        NoFailures(failures);
    }

    /// <summary>The user's own 2FA management with hostile user ids, passwords and codes.</summary>
    /// <returns>A task.</returns>
    [Test]
    public async Task TwoFactorSelfService_HostileUserIdPasswordOrCode_AnswersWithoutThrowing()
    {
        var failures = new List<string>();
        await CheckAsync(failures, "ITwoFactorService.GetStatusAsync(userId)", HostileInputs.Strings, (sp, v) => Get<ITwoFactorService>(sp).GetStatusAsync(v!), unknown: UnknownId).ConfigureAwait(false);
        await CheckAsync(failures, "BeginSetupAsync(userId)", HostileInputs.Strings, (sp, v) => Get<ITwoFactorService>(sp).BeginSetupAsync(TestSessions.Of(v!), Password), unknown: UnknownId).ConfigureAwait(false);
        await CheckAsync(failures, "BeginSetupAsync(password)", HostileInputs.StringsAndNull, (sp, v) => Get<ITwoFactorService>(sp).BeginSetupAsync(TestSessions.Of(UserId), v), writesAllowed: true).ConfigureAwait(false);
        await CheckAsync(failures, "BeginSetupAsync(currentCode) over an active factor", HostileInputs.StringsAndNull, (sp, v) => Get<ITwoFactorService>(sp).BeginSetupAsync(TestSessions.Of(TwoFactorUserId), Password, v), writesAllowed: true).ConfigureAwait(false);
        await CheckAsync(failures, "ConfirmSetupAsync(userId)", HostileInputs.Strings, (sp, v) => Get<ITwoFactorService>(sp).ConfirmSetupAsync(v!, "123456"), unknown: UnknownId).ConfigureAwait(false);
        await CheckAsync(failures, "ConfirmSetupAsync(code)", HostileInputs.StringsAndNull, (sp, v) => Get<ITwoFactorService>(sp).ConfirmSetupAsync(UserId, v), writesAllowed: true).ConfigureAwait(false);
        await CheckAsync(failures, "DisableAsync(userId)", HostileInputs.Strings, (sp, v) => Get<ITwoFactorService>(sp).DisableAsync(TestSessions.Of(v!), Password, "123456"), unknown: UnknownId).ConfigureAwait(false);
        await CheckAsync(failures, "DisableAsync(password)", HostileInputs.StringsAndNull, (sp, v) => Get<ITwoFactorService>(sp).DisableAsync(TestSessions.Of(TwoFactorUserId), v, "123456"), writesAllowed: true).ConfigureAwait(false);
        await CheckAsync(failures, "DisableAsync(code)", HostileInputs.StringsAndNull, (sp, v) => Get<ITwoFactorService>(sp).DisableAsync(TestSessions.Of(TwoFactorUserId), Password, v), writesAllowed: true).ConfigureAwait(false);
        await CheckAsync(failures, "RegenerateRecoveryCodesAsync(userId)", HostileInputs.Strings, (sp, v) => Get<ITwoFactorService>(sp).RegenerateRecoveryCodesAsync(TestSessions.Of(v!), Password, "123456"), unknown: UnknownId).ConfigureAwait(false);
        await CheckAsync(failures, "RegenerateRecoveryCodesAsync(password)", HostileInputs.StringsAndNull, (sp, v) => Get<ITwoFactorService>(sp).RegenerateRecoveryCodesAsync(TestSessions.Of(TwoFactorUserId), v, "123456"), writesAllowed: true).ConfigureAwait(false);
        await CheckAsync(failures, "RegenerateRecoveryCodesAsync(currentCode)", HostileInputs.StringsAndNull, (sp, v) => Get<ITwoFactorService>(sp).RegenerateRecoveryCodesAsync(TestSessions.Of(TwoFactorUserId), Password, v), writesAllowed: true).ConfigureAwait(false);
        await CheckAsync(failures, "ITotpProvider.BuildUri(accountName)", [.. HostileInputs.StringsAndNull.Where(v => v.Name != "129 characters")], (sp, v) => ValueTask.FromResult<SecurityResult>(Get<ITotpProvider>(sp).BuildUri(v, "JBSWY3DPEHPK3PXP"))).ConfigureAwait(false);
        NoFailures(failures);
    }

    /// <summary>Administrators forcing and resetting 2FA with hostile acting and target user ids.</summary>
    /// <returns>A task.</returns>
    [Test]
    public async Task TwoFactorAdministration_HostileActingOrTargetId_AnswersNotAuthorizedWithoutWriting()
    {
        var failures = new List<string>();
        await CheckAsync(failures, "SetForcedAsync(actingUserId)", HostileInputs.Strings, (sp, v) => Get<ITwoFactorAdministrationService>(sp).SetForcedAsync(TestSessions.Of(v!), UserId, true), unknown: UnknownId).ConfigureAwait(false);
        await CheckAsync(failures, "SetForcedAsync(targetUserId)", HostileInputs.Strings, async (sp, v) => await Get<ITwoFactorAdministrationService>(sp).SetForcedAsync(await TestSessions.FreshAsync(sp, OwnerId).ConfigureAwait(false), v!, true).ConfigureAwait(false), unknown: UnknownId).ConfigureAwait(false);
        await CheckAsync(failures, "ResetAsync(actingUserId)", HostileInputs.Strings, (sp, v) => Get<ITwoFactorAdministrationService>(sp).ResetAsync(TestSessions.Of(v!), TwoFactorUserId), unknown: UnknownId).ConfigureAwait(false);
        await CheckAsync(failures, "ResetAsync(targetUserId)", HostileInputs.Strings, async (sp, v) => await Get<ITwoFactorAdministrationService>(sp).ResetAsync(await TestSessions.FreshAsync(sp, OwnerId).ConfigureAwait(false), v!).ConfigureAwait(false), unknown: UnknownId).ConfigureAwait(false);
        NoFailures(failures);
    }

    /// <summary>Password change with hostile user ids and passwords.</summary>
    /// <returns>A task.</returns>
    [Test]
    public async Task PasswordChange_HostileUserIdOrPasswords_AnswersWithoutThrowing()
    {
        var failures = new List<string>();
        await CheckAsync(failures, "ChangePasswordAsync(userId)", HostileInputs.Strings, (sp, v) => Get<IPasswordChangeService>(sp).ChangePasswordAsync(TestSessions.Of(v!), Password, "Garnet-Violet-Summit-88!", "Garnet-Violet-Summit-88!"), unknown: UnknownId).ConfigureAwait(false);
        await CheckAsync(failures, "ChangePasswordAsync(currentPassword)", HostileInputs.StringsAndNull, (sp, v) => Get<IPasswordChangeService>(sp).ChangePasswordAsync(TestSessions.Of(AdminId), v, "Garnet-Violet-Summit-88!", "Garnet-Violet-Summit-88!"), writesAllowed: true).ConfigureAwait(false);
        await CheckAsync(failures, "ChangePasswordAsync(newPassword)", HostileInputs.StringsAndNull, (sp, v) => Get<IPasswordChangeService>(sp).ChangePasswordAsync(TestSessions.Of(AdminId), Password, v, v), mustRefuse: false, writesAllowed: true).ConfigureAwait(false);
        await CheckAsync(failures, "ChangePasswordAsync(newPasswordRepeated)", HostileInputs.StringsAndNull, (sp, v) => Get<IPasswordChangeService>(sp).ChangePasswordAsync(TestSessions.Of(AdminId), Password, "Garnet-Violet-Summit-88!", v), mustRefuse: false, writesAllowed: true).ConfigureAwait(false);
        NoFailures(failures);
    }

    /// <summary>Password reset with hostile e-mail addresses, tokens and passwords.</summary>
    /// <returns>A task.</returns>
    [Test]
    public async Task PasswordReset_HostileEmailTokenOrPassword_AnswersWithoutThrowingOrWriting()
    {
        var failures = new List<string>();
        await CheckAsync(failures, "RequestResetAsync(email)", HostileInputs.Emails, (sp, v) => Get<IPasswordResetService>(sp).RequestResetAsync(v)).ConfigureAwait(false);
        await CheckAsync(failures, "ResetPasswordAsync(email)", HostileInputs.Emails, (sp, v) => Get<IPasswordResetService>(sp).ResetPasswordAsync(v, "token", "Garnet-Violet-Summit-88!", "Garnet-Violet-Summit-88!"), unknown: "nobody@hostile.example").ConfigureAwait(false);
        await CheckAsync(failures, "ResetPasswordAsync(token)", HostileInputs.StringsAndNull, (sp, v) => Get<IPasswordResetService>(sp).ResetPasswordAsync(UserEmail, v, "Garnet-Violet-Summit-88!", "Garnet-Violet-Summit-88!")).ConfigureAwait(false);
        await CheckAsync(failures, "ResetPasswordAsync(newPassword)", HostileInputs.StringsAndNull, (sp, v) => Get<IPasswordResetService>(sp).ResetPasswordAsync(UserEmail, "token", v, v)).ConfigureAwait(false);
        NoFailures(failures);
    }

    /// <summary>The password policy with hostile contract and acting user ids.</summary>
    /// <returns>A task.</returns>
    [Test]
    public async Task PasswordPolicy_HostileIds_AnswersWithoutThrowingOrWriting()
    {
        var failures = new List<string>();
        await CheckAsync(failures, "GetEffectivePolicyAsync(contractId)", HostileInputs.Strings, (sp, v) => Get<IPasswordPolicyService>(sp).GetEffectivePolicyAsync(v!), unknown: "no-such-contract").ConfigureAwait(false);
        await CheckAsync(failures, "SetPolicyAsync(actingUserId)", HostileInputs.Strings, (sp, v) => Get<IPasswordPolicyService>(sp).SetPolicyAsync(TestSessions.Of(v!), PasswordPolicySettings.Default), unknown: UnknownId).ConfigureAwait(false);
        NoFailures(failures);
    }

    /// <summary>Provisioning with hostile ids, names, e-mail addresses and passwords: <c>invalid_input</c>, nothing written.</summary>
    /// <returns>A task.</returns>
    [Test]
    public async Task Provisioning_HostileIdsNamesEmailsOrPasswords_AnswersWithoutThrowingOrWriting()
    {
        var failures = new List<string>();
        await CheckAsync(failures, "CreateContractAsync(contractId)", HostileInputs.Strings, (sp, v) => Get<IAccountProvisioningService>(sp).CreateContractAsync(new NewContract { ContractId = v!, ContractName = "Hostile Ltd", OwnerUserId = NextId("owner"), OwnerEmail = NextId("owner") + "@hostile.example", OwnerPassword = Password })).ConfigureAwait(false);
        await CheckAsync(failures, "CreateContractAsync(contractName)", HostileInputs.Names, (sp, v) => CreateContractCheckedAsync(sp, id => Get<IAccountProvisioningService>(sp).CreateContractAsync(new NewContract { ContractId = id, ContractName = v!, OwnerUserId = id + "-owner", OwnerEmail = id + "@hostile.example", OwnerPassword = Password }))).ConfigureAwait(false);
        await CheckAsync(failures, "CreateContractAsync(ownerUserId)", HostileInputs.Strings, (sp, v) => CreateContractCheckedAsync(sp, id => Get<IAccountProvisioningService>(sp).CreateContractAsync(new NewContract { ContractId = id, ContractName = "Hostile Ltd", OwnerUserId = v!, OwnerEmail = id + "@hostile.example", OwnerPassword = Password }))).ConfigureAwait(false);
        await CheckAsync(failures, "CreateContractAsync(ownerEmail)", HostileInputs.Emails, (sp, v) => CreateContractCheckedAsync(sp, id => Get<IAccountProvisioningService>(sp).CreateContractAsync(new NewContract { ContractId = id, ContractName = "Hostile Ltd", OwnerUserId = id + "-owner", OwnerEmail = v, OwnerPassword = Password }))).ConfigureAwait(false);
        await CheckAsync(failures, "CreateContractAsync(ownerPassword)", HostileInputs.StringsAndNull, (sp, v) => CreateContractCheckedAsync(sp, id => Get<IAccountProvisioningService>(sp).CreateContractAsync(new NewContract { ContractId = id, ContractName = "Hostile Ltd", OwnerUserId = id + "-owner", OwnerEmail = id + "@hostile.example", OwnerPassword = v })), mustRefuse: false, writesAllowed: true).ConfigureAwait(false);
        await CheckAsync(failures, "CreateUserAsync(actingUserId)", HostileInputs.Strings, (sp, v) => Get<IAccountProvisioningService>(sp).CreateUserAsync(v!, new NewUser { UserId = "new-user", Email = "new-user@hostile.example", Role = UserRole.User, InitialPassword = Password }), unknown: UnknownId).ConfigureAwait(false);
        await CheckAsync(failures, "CreateUserAsync(userId)", HostileInputs.Strings, (sp, v) => Get<IAccountProvisioningService>(sp).CreateUserAsync(OwnerId, new NewUser { UserId = v!, Email = "new-user@hostile.example", Role = UserRole.User, InitialPassword = Password })).ConfigureAwait(false);
        await CheckAsync(failures, "CreateUserAsync(email)", HostileInputs.Emails, (sp, v) => Get<IAccountProvisioningService>(sp).CreateUserAsync(OwnerId, new NewUser { UserId = "new-user", Email = v, Role = UserRole.User, InitialPassword = Password })).ConfigureAwait(false);
        await CheckAsync(failures, "CreateUserAsync(initialPassword)", HostileInputs.StringsAndNull, (sp, v) => Get<IAccountProvisioningService>(sp).CreateUserAsync(OwnerId, new NewUser { UserId = "new-user", Email = "new-user@hostile.example", Role = UserRole.User, InitialPassword = v }), mustRefuse: false, writesAllowed: true).ConfigureAwait(false);
        NoFailures(failures);
    }

    /// <summary>
    /// SQL, format specifiers and markup are valid ids and names: they are stored verbatim, found again, and change no
    /// query, log template or other account.
    /// </summary>
    /// <returns>A task.</returns>
    [Test]
    public async Task Provisioning_InjectionTextInIdsAndNames_IsStoredVerbatimAndChangesNothingElse()
    {
        var failures = new List<string>();
        foreach (var (injection, index) in HostileInputs.Injections.Select((v, i) => (v, i)))
        {
            await using var scope = Services.CreateAsyncScope();
            var sp = scope.ServiceProvider;
            var contractId = injection.Value + "-contract";
            var ownerId = injection.Value + "-owner";
            var userId = injection.Value!;
            var owner = await Get<IAccountProvisioningService>(sp).CreateContractAsync(new NewContract { ContractId = contractId, ContractName = injection.Value!, OwnerUserId = ownerId, OwnerEmail = $"injection-owner-{index}@hostile.example", OwnerPassword = Password }).ConfigureAwait(false);
            var user = owner.Succeeded
                ? await Get<IAccountProvisioningService>(sp).CreateUserAsync(ownerId, new NewUser { UserId = userId, Email = $"injection-user-{index}@hostile.example", Role = UserRole.User, InitialPassword = Password }).ConfigureAwait(false)
                : owner;
            var stored = await Get<IUserStore>(sp).FindByIdAsync(userId, CancellationToken.None).ConfigureAwait(false);
            var contract = await Get<IContractStore>(sp).FindByIdAsync(contractId, CancellationToken.None).ConfigureAwait(false);
            var signIn = await Get<ISignInService>(sp).PasswordSignInAsync($"injection-user-{index}@hostile.example", Password).ConfigureAwait(false);
            if (!user.Succeeded || stored?.Id != userId || stored.ContractId != contractId || contract?.Name != injection.Value || signIn.Session?.UserId != userId)
            {
                failures.Add($"{injection.Name}: created {Describe(user)}, stored id {stored?.Id}, contract name {contract?.Name}, sign-in {Describe(signIn)}");
            }
        }

        var seeded = await SnapshotAsync().ConfigureAwait(false);
        Assert.That(seeded, Does.Not.Contain("@ "), "every seeded user still exists");
        NoFailures(failures);
    }

    /// <summary>The support PIN with hostile user ids, agent ids, e-mail addresses, passwords and PINs.</summary>
    /// <returns>A task.</returns>
    [Test]
    public async Task SupportPin_HostileIdsEmailsPasswordsOrPins_AnswersWithoutThrowing()
    {
        var failures = new List<string>();
        await CheckAsync(failures, "SetPinAsync(userId)", HostileInputs.Strings, (sp, v) => Get<ISupportPinService>(sp).SetPinAsync(TestSessions.Of(v!), Password, "418270", "418270"), unknown: UnknownId).ConfigureAwait(false);
        await CheckAsync(failures, "SetPinAsync(currentPassword)", HostileInputs.StringsAndNull, (sp, v) => Get<ISupportPinService>(sp).SetPinAsync(TestSessions.Of(UserId), v, "418270", "418270"), writesAllowed: true).ConfigureAwait(false);
        await CheckAsync(failures, "SetPinAsync(newPin)", HostileInputs.StringsAndNull, (sp, v) => Get<ISupportPinService>(sp).SetPinAsync(TestSessions.Of(UserId), Password, v, v), writesAllowed: true).ConfigureAwait(false);
        await CheckAsync(failures, "RemovePinAsync(userId)", HostileInputs.Strings, (sp, v) => Get<ISupportPinService>(sp).RemovePinAsync(TestSessions.Of(v!), Password), unknown: UnknownId).ConfigureAwait(false);
        await CheckAsync(failures, "RemovePinAsync(currentPassword)", HostileInputs.StringsAndNull, (sp, v) => Get<ISupportPinService>(sp).RemovePinAsync(TestSessions.Of(UserId), v), writesAllowed: true).ConfigureAwait(false);
        await CheckAsync(failures, "SupportPin.GetStatusAsync(userId)", HostileInputs.Strings, (sp, v) => Get<ISupportPinService>(sp).GetStatusAsync(v!), unknown: UnknownId).ConfigureAwait(false);
        await CheckAsync(failures, "ValidateNewPin(pin)", HostileInputs.StringsAndNull, (sp, v) => ValueTask.FromResult(Get<ISupportPinService>(sp).ValidateNewPin(v))).ConfigureAwait(false);
        await CheckAsync(failures, "VerifyByUserIdAsync(agentId)", HostileInputs.StringsAndNull, (sp, v) => Get<ISupportPinService>(sp).VerifyByUserIdAsync(v, UserId, Pin)).ConfigureAwait(false);
        await CheckAsync(failures, "VerifyByUserIdAsync(userId)", HostileInputs.StringsAndNull, (sp, v) => Get<ISupportPinService>(sp).VerifyByUserIdAsync(AdminId, v, "000000")).ConfigureAwait(false);
        await CheckAsync(failures, "VerifyByEmailAsync(agentId)", HostileInputs.StringsAndNull, (sp, v) => Get<ISupportPinService>(sp).VerifyByEmailAsync(v, UserEmail, Pin)).ConfigureAwait(false);
        await CheckAsync(failures, "VerifyByEmailAsync(email)", HostileInputs.Emails, (sp, v) => Get<ISupportPinService>(sp).VerifyByEmailAsync(AdminId, v, "000000")).ConfigureAwait(false);
        await CheckAsync(failures, "VerifyByUserIdAsync(pin)", HostileInputs.StringsAndNull, (sp, v) => Get<ISupportPinService>(sp).VerifyByUserIdAsync(AdminId, UserId, v), writesAllowed: true).ConfigureAwait(false);
        NoFailures(failures);
    }

    private static void NoFailures(List<string> failures)
    {
        if (failures.Count > 0)
        {
            Assert.Fail($"{failures.Count} hostile call(s) went wrong:\n" + string.Join("\n", failures));
        }
    }

    private static T Get<T>(IServiceProvider services)
        where T : notnull => services.GetRequiredService<T>();

    private static bool IsCleanId(string? id) =>
        id is null || (id.Length <= InputTextLimits.MaxIdLength && !id.Any(c => char.IsControl(c) || char.IsSurrogate(c) || c is '\u2028' or '\u2029' or '\u200B' or '\u202E' or '\uFEFF'));

    // The message and each structured value; an exception's stack trace has line breaks of its own.
    private static bool IsFreeOfLineBreaks(CollectedLogEntry entry) =>
        entry.Message.AsSpan().IndexOfAny('\r', '\n', '\0') < 0
        && entry.State.All(kv => kv.Value is null || kv.Value.AsSpan().IndexOfAny('\r', '\n', '\0') < 0);

    private static string Describe(object? result) => result switch
    {
        null => "null",
        SignInResult r => $"{r.Status}: {r.ErrorCode}",
        SupportPinVerificationResult r => $"{r.Outcome}: {r.ErrorCode}",
        SecurityResult r => r.Succeeded ? "succeeded" : "failed: " + string.Join(",", r.Errors.Select(e => e.Code)),
        bool b => b ? "true" : "false",
        TwoFactorStatus => "a 2FA status",
        PasswordPolicySettings p => p == PasswordPolicySettings.Default ? "the default policy" : "a contract's policy",
        _ => result.GetType().Name,
    };

    /// <summary>Whether <paramref name="result"/> refuses: a failure with codes, <see langword="false"/>, <see langword="null"/>.</summary>
    private static bool IsCodedRefusal(object? result) => result switch
    {
        null => true,
        SignInResult r => r.Status is SignInStatus.Failed or SignInStatus.LockedOut && !string.IsNullOrEmpty(r.ErrorCode),
        SecurityResult r => !r.Succeeded && r.Errors.Count > 0 && r.Errors.All(e => !string.IsNullOrEmpty(e.Code)),
        bool b => !b,
        PasswordPolicySettings => true, // the policy in force for no contract: the default
        _ => false,
    };

    private async Task CheckAsync<T>(
        List<string> failures,
        string entryPoint,
        IReadOnlyList<HostileValue> values,
        Func<IServiceProvider, string?, ValueTask<T>> call,
        string? unknown = null,
        bool writesAllowed = false,
        bool mustRefuse = true)
    {
        string? expected = null;
        if (unknown is not null)
        {
            await using var scope = Services.CreateAsyncScope();
            expected = Describe(await call(scope.ServiceProvider, unknown).ConfigureAwait(false));
        }

        foreach (var value in values)
        {
            var before = await SnapshotAsync().ConfigureAwait(false);
            object? result;
            try
            {
                await using var scope = Services.CreateAsyncScope();
                result = await call(scope.ServiceProvider, value.Value).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // The point of the suite: every exception is a finding.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                failures.Add($"{entryPoint} with {value.Name} threw {ex.GetType().Name}: {Truncate(ex.Message)}");
                continue;
            }

            if (mustRefuse ? !IsCodedRefusal(result) : result is SecurityResult { Succeeded: false } r && r.Errors.Any(e => string.IsNullOrEmpty(e.Code)))
            {
                failures.Add($"{entryPoint} with {value.Name} answered {Describe(result)}, not a refusal with a code");
            }

            if (expected is not null && Describe(result) != expected)
            {
                failures.Add($"{entryPoint} with {value.Name} answered {Describe(result)}, but an unknown id gets {expected}");
            }

            if (!writesAllowed && await SnapshotAsync().ConfigureAwait(false) != before)
            {
                failures.Add($"{entryPoint} with {value.Name} wrote to the store");
            }
        }
    }

    /// <summary>Runs a creation under a fresh, valid contract id and adds a failure when that contract came to exist.</summary>
    private async ValueTask<SecurityResult<UserSummary>> CreateContractCheckedAsync(IServiceProvider services, Func<string, ValueTask<SecurityResult<UserSummary>>> create)
    {
        var id = NextId("contract");
        var result = await create(id).ConfigureAwait(false);
        var stored = await Get<IContractStore>(services).FindByIdAsync(id, CancellationToken.None).ConfigureAwait(false);
        var users = await Get<IUserStore>(services).ListByContractAsync(id, CancellationToken.None).ConfigureAwait(false);
        return stored is null && users.Count == 0
            ? result
            : SecurityResult<UserSummary>.Success(null!); // reported as "not a refusal"
    }

    private string NextId(string prefix) => $"hostile-{prefix}-{Interlocked.Increment(ref _contracts)}";

    private async Task<string> SnapshotAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        var users = Get<IUserStore>(scope.ServiceProvider);
        var parts = new List<string>();
        foreach (var id in SeededUsers)
        {
            var user = await users.FindByIdAsync(id, CancellationToken.None).ConfigureAwait(false);
            parts.Add($"{id}@{user?.Version}");
        }

        var all = await users.ListByContractAsync(ContractId, CancellationToken.None).ConfigureAwait(false);
        var contract = await Get<IContractStore>(scope.ServiceProvider).FindByIdAsync(ContractId, CancellationToken.None).ConfigureAwait(false);
        parts.Add($"users={all.Count}");
        parts.Add($"contract@{contract?.Version}");
        parts.Add($"resets={Environment.ResetMessagesSent}");
        return string.Join(' ', parts);
    }

    private async Task<string> TicketAsync(IServiceProvider services, string email)
    {
        var result = await Get<ISignInService>(services).PasswordSignInAsync(email, Password).ConfigureAwait(false);
        return result.Ticket ?? HostileInputs.MadeUpTicket(UnknownId); // locked out by earlier hostile guesses: still a ticket-shaped input
    }

    private async Task SeedAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var provisioning = Get<IAccountProvisioningService>(sp);
        Require(await provisioning.CreateContractAsync(new NewContract { ContractId = ContractId, ContractName = "Hostile Input Ltd", OwnerUserId = OwnerId, OwnerEmail = "olga@hostile.example", OwnerPassword = Password }).ConfigureAwait(false));
        Require(await provisioning.CreateUserAsync(OwnerId, new NewUser { UserId = AdminId, Email = "adam@hostile.example", Role = UserRole.Administrator, InitialPassword = Password }).ConfigureAwait(false));
        Require(await provisioning.CreateUserAsync(OwnerId, new NewUser { UserId = UserId, Email = UserEmail, Role = UserRole.User, InitialPassword = Password }).ConfigureAwait(false));
        Require(await provisioning.CreateUserAsync(OwnerId, new NewUser { UserId = TwoFactorUserId, Email = TwoFactorEmail, Role = UserRole.User, InitialPassword = Password }).ConfigureAwait(false));
        Require(await provisioning.CreateUserAsync(OwnerId, new NewUser { UserId = ForcedUserId, Email = ForcedEmail, Role = UserRole.User, InitialPassword = Password }).ConfigureAwait(false));
        Require(await Get<ISupportPinService>(sp).SetPinAsync(TestSessions.Of(UserId), Password, Pin, Pin).ConfigureAwait(false));
        Require(await Get<ITwoFactorAdministrationService>(sp).SetForcedAsync(await TestSessions.FreshAsync(sp, OwnerId).ConfigureAwait(false), ForcedUserId, true).ConfigureAwait(false));

        var twoFactor = Get<ITwoFactorService>(sp);
        var setup = await twoFactor.BeginSetupAsync(TestSessions.Of(TwoFactorUserId), Password).ConfigureAwait(false);
        Require(setup);
        Require(await twoFactor.ConfirmSetupAsync(TwoFactorUserId, TotpCodeGenerator.FromSetup(setup.Value, Environment.Time).CurrentCode()).ConfigureAwait(false));

        // The next TOTP step, so no hostile call can hit a code of the step just used.
        Environment.Time.Advance(TimeSpan.FromSeconds(30));
        Environment.Logs.Clear();
        Environment.Events.Clear();
    }

    private static void Require(SecurityResult result) => Assert.That(result.Succeeded, Is.True, result.ToString());

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "…";

    /// <summary>The id bound the library documents (<c>InputText.MaxIdLength</c> is internal).</summary>
    private static class InputTextLimits
    {
        public const int MaxIdLength = 128;
    }
}
