using AccountSecurity.Accounts;
using AccountSecurity.Crypto;
using AccountSecurity.DependencyInjection;
using AccountSecurity.Diagnostics;
using AccountSecurity.Events;
using AccountSecurity.Lockout;
using AccountSecurity.Passwords;
using AccountSecurity.Passwords.Change;
using AccountSecurity.Passwords.Hashing;
using AccountSecurity.Passwords.Policy;
using AccountSecurity.Passwords.Reset;
using AccountSecurity.Resources;
using AccountSecurity.SignIn;
using AccountSecurity.Stores;
using AccountSecurity.SupportPin;
using AccountSecurity.TwoFactor;
using AccountSecurity.TwoFactor.Totp;
using AccountSecurity.Verification;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

// In this namespace so AddAccountSecurity() is found without an extra using, as the framework's own extensions are.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers AccountSecurity in a host's service collection.</summary>
public static class AccountSecurityServiceCollectionExtensions
{
    /// <summary>
    /// Adds the account-security services with in-memory stores as the embedded default. Safe to call more than
    /// once: registrations use <c>TryAdd</c>, and each call's <paramref name="configure"/> is applied in order.
    /// Options are validated when the host starts (and on first use), so a bad configuration fails start-up.
    /// </summary>
    /// <remarks>
    /// Uses the <see cref="TimeProvider"/> registered in <paramref name="services"/>, or <see cref="TimeProvider.System"/>.
    /// A host that uses password reset must register an <see cref="IPasswordResetTokenSender"/>: every other service the
    /// library resolves has a default here, and resolving <see cref="IPasswordResetService"/> without a sender throws an
    /// <see cref="InvalidOperationException"/> that says so (the ASP.NET Core layer checks it when its endpoints are mapped).
    /// Every host must set <see cref="TotpOptions.Issuer"/> and at least one key in
    /// <see cref="AccountSecurityOptions.SecretProtection"/> (see <see cref="SecretProtectionOptions.AddKey"/>).
    /// </remarks>
    public static AccountSecurityBuilder AddAccountSecurity(this IServiceCollection services, Action<AccountSecurityOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        var optionsBuilder = services.AddOptions<AccountSecurityOptions>();
        if (configure is not null)
        {
            optionsBuilder.Configure(configure);
        }

        optionsBuilder.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AccountSecurityOptions>, AccountSecurityOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IUserStore, InMemoryUserStore>();
        services.TryAddSingleton<IContractStore, InMemoryContractStore>();
        // Scoped, over one table for the process: a session store reads users, and a host's user store may be scoped (EF Core).
        services.TryAddSingleton<AccountSecurity.Sessions.InMemorySessionTable>();
        services.TryAddScoped<AccountSecurity.Sessions.ISessionStore>(sp => new AccountSecurity.Sessions.InMemorySessionStore(
            new GuardedUserStore(sp.GetRequiredService<IUserStore>()), sp.GetRequiredService<AccountSecurity.Sessions.InMemorySessionTable>()));
        services.TryAddSingleton<IPasswordHasher, BcryptPasswordHasher>();
        services.TryAddSingleton<IPasswordPolicy, DefaultPasswordPolicy>();
        services.TryAddSingleton<ITotpProvider, TotpProvider>();
        // One per service provider: refusals of forged state are counted and logged sampled, per kind, across the process.
        services.TryAddSingleton(sp => new SampledLog(sp.GetRequiredService<TimeProvider>(), sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.TryAddSingleton<ISecretProtector>(sp => new AesGcmSecretProtector(
            sp.GetRequiredService<IOptions<AccountSecurityOptions>>(), LoggerFor<AesGcmSecretProtector>(sp), sp.GetRequiredService<SampledLog>()));
        services.TryAddSingleton<ISupportPinHasher>(sp => new BcryptSupportPinHasher(sp.GetRequiredService<IOptions<AccountSecurityOptions>>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISecurityEventSink, LoggingSecurityEventSink>(
            sp => new LoggingSecurityEventSink(LoggerFor<LoggingSecurityEventSink>(sp))));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISecurityEventSink, MetricsSecurityEventSink>(
            sp => new MetricsSecurityEventSink(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>())));

        // Security notifications: a sink that only queues, and the queue whose workers compose and send in scopes of their
        // own. Whether a sender is registered is asked, not resolved: it may be scoped (resolved per work item).
        services.TryAddSingleton(sp => new AccountSecurity.Notifications.SecurityNotifications(
            sp.GetRequiredService<IOptions<AccountSecurityOptions>>(), sp.GetRequiredService<IServiceScopeFactory>(),
            sp.GetService<IServiceProviderIsService>()?.IsService(typeof(AccountSecurity.Notifications.ISecurityNotificationSender)) ?? false,
            sp.GetRequiredService<TimeProvider>(), LoggerFor<AccountSecurity.Notifications.SecurityNotifications>(sp), sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISecurityEventSink, AccountSecurity.Notifications.SecurityNotificationSink>(
            sp => new AccountSecurity.Notifications.SecurityNotificationSink(sp.GetRequiredService<AccountSecurity.Notifications.SecurityNotifications>())));

        // The audit trail: a sink that only queues, a writer that appends in batches in scopes of its own, and the store.
        services.TryAddSingleton<AccountSecurity.Auditing.IAuditStore, AccountSecurity.Auditing.InMemoryAuditStore>();
        services.TryAddSingleton(sp => new AccountSecurity.Auditing.AuditTrailWriter(
            sp.GetRequiredService<IOptions<AccountSecurityOptions>>().Value.Audit, sp.GetRequiredService<IServiceScopeFactory>(), sp.GetRequiredService<TimeProvider>(),
            LoggerFor<AccountSecurity.Auditing.AuditTrailWriter>(sp), sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISecurityEventSink, AccountSecurity.Auditing.AuditTrailSink>(
            sp => new AccountSecurity.Auditing.AuditTrailSink(() => sp.GetRequiredService<IOptions<AccountSecurityOptions>>().Value.Audit.Enabled
                ? sp.GetRequiredService<AccountSecurity.Auditing.AuditTrailWriter>()
                : null)));

        // Internal building blocks: scoped, because durable stores (EF Core) are scoped. Services reach the host's
        // stores only through the guards, which answer a key no account can have (NUL, lone surrogate, 10 MB) as unknown.
        services.TryAddScoped(sp => new GuardedUserStore(sp.GetRequiredService<IUserStore>()));
        services.TryAddScoped(sp => new GuardedContractStore(sp.GetRequiredService<IContractStore>()));
        services.TryAddSingleton(sp => new SecurityEventPublisher(
            sp.GetServices<ISecurityEventSink>(), sp.GetRequiredService<TimeProvider>(), LoggerFor<SecurityEventPublisher>(sp)));
        services.TryAddScoped(sp => new UserUpdater(
            sp.GetRequiredService<GuardedUserStore>(), sp.GetRequiredService<IOptions<AccountSecurityOptions>>(), LoggerFor<UserUpdater>(sp)));
        services.TryAddScoped(sp => new ContractUpdater(
            sp.GetRequiredService<GuardedContractStore>(), sp.GetRequiredService<IOptions<AccountSecurityOptions>>(), LoggerFor<ContractUpdater>(sp)));
        services.TryAddScoped(sp => new FactorAttemptGate(
            sp.GetRequiredService<UserUpdater>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<AccountSecurityOptions>>(), sp.GetRequiredService<SecurityEventPublisher>()));
        // One per service provider (a process, for a host): every bcrypt computation of the library waits its turn here.
        services.TryAddSingleton(sp => new HashingLimiter(
            sp.GetRequiredService<IOptions<AccountSecurityOptions>>(), sp.GetRequiredService<TimeProvider>(), sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        // One per service provider too: how long counting an attempt took lately, for the answers that count nothing.
        services.TryAddSingleton(sp => new CountingTime(sp.GetRequiredService<TimeProvider>()));
        services.TryAddScoped(sp => new FactorVerification(
            sp.GetRequiredService<FactorAttemptGate>(), sp.GetRequiredService<UserUpdater>(), sp.GetRequiredService<IOptions<AccountSecurityOptions>>(), sp.GetRequiredService<HashingLimiter>(),
            sp.GetRequiredService<CountingTime>()));
        services.TryAddScoped(sp => new PasswordVerifier(
            sp.GetRequiredService<FactorVerification>(), sp.GetRequiredService<IPasswordHasher>(), sp.GetRequiredService<SecurityEventPublisher>(), LoggerFor<PasswordVerifier>(sp)));
        // The one freshness rule every sensitive operation asks when it is given no proof inline.
        services.TryAddScoped(sp => new AccountSecurity.Reauthentication.ReauthenticationGate(
            sp.GetRequiredService<GuardedUserStore>(), sp.GetRequiredService<AccountSecurity.Sessions.ISessionStore>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<AccountSecurityOptions>>().Value.Reauthentication));

        // The services hosts call.
        services.TryAddScoped(sp => new PasswordPolicyService(
            sp.GetRequiredService<GuardedContractStore>(), sp.GetRequiredService<ContractUpdater>(), sp.GetRequiredService<GuardedUserStore>(),
            sp.GetRequiredService<IOptions<AccountSecurityOptions>>(), sp.GetRequiredService<SecurityEventPublisher>(), sp.GetRequiredService<AccountSecurity.Reauthentication.ReauthenticationGate>()));
        services.TryAddScoped(sp => new AccountProvisioningService(
            sp.GetRequiredService<GuardedContractStore>(), sp.GetRequiredService<GuardedUserStore>(), sp.GetRequiredService<NewPasswordRules>(),
            sp.GetRequiredService<IPasswordHasher>(), sp.GetRequiredService<SecurityEventPublisher>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<HashingLimiter>()));
        services.TryAddScoped(sp => new AccountSecurity.Accounts.Administration.AccountAdministrationService(
            sp.GetRequiredService<GuardedUserStore>(), sp.GetRequiredService<GuardedContractStore>(), sp.GetRequiredService<UserUpdater>(), sp.GetRequiredService<PasswordVerifier>(),
            sp.GetRequiredService<SecurityEventPublisher>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<AccountSecurity.Reauthentication.ReauthenticationGate>(), sp.GetRequiredService<AccountSecurity.Sessions.ISessionStore>(),
            sp.GetRequiredService<AccountSecurity.Notifications.SecurityNotifications>()));
        services.TryAddScoped(sp => new NewPasswordRules(
            sp.GetRequiredService<PasswordPolicyService>(), sp.GetRequiredService<IPasswordPolicy>(), sp.GetRequiredService<IPasswordHasher>(), sp.GetRequiredService<HashingLimiter>(),
            sp.GetServices<IAsyncPasswordRule>(), ProductName(sp.GetRequiredService<IOptions<AccountSecurityOptions>>().Value)));
        services.TryAddScoped(sp => new PasswordChangeService(
            sp.GetRequiredService<GuardedUserStore>(), sp.GetRequiredService<PasswordVerifier>(), sp.GetRequiredService<NewPasswordRules>(),
            sp.GetRequiredService<IPasswordHasher>(), sp.GetRequiredService<UserUpdater>(), sp.GetRequiredService<SecurityEventPublisher>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<AccountSecurity.Reauthentication.ReauthenticationGate>()));
        services.TryAddSingleton(sp => new PasswordResetQueue(
            sp.GetRequiredService<IOptions<AccountSecurityOptions>>(), sp.GetRequiredService<TimeProvider>(), LoggerFor<PasswordResetQueue>(sp)));
        services.TryAddScoped(sp => new PasswordResetRequestHandler(
            sp.GetRequiredService<GuardedUserStore>(), sp.GetRequiredService<UserUpdater>(), ResetTokenSender(sp), sp.GetRequiredService<SecurityEventPublisher>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<AccountSecurityOptions>>(), LoggerFor<PasswordResetService>(sp)));
        services.TryAddScoped(sp =>
        {
            // The sender is resolved here too so a missing one fails when the service is resolved, not after an answer;
            // the queue last, because the container disposes singletons in reverse order of creation: the queue then
            // drains its work while the stores, the sender and the event sinks it uses are still alive.
            _ = ResetTokenSender(sp);
            return new PasswordResetService(
                sp.GetRequiredService<GuardedUserStore>(), sp.GetRequiredService<UserUpdater>(), sp.GetRequiredService<NewPasswordRules>(),
                sp.GetRequiredService<IPasswordHasher>(), sp.GetRequiredService<SecurityEventPublisher>(), sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<IServiceScopeFactory>(), sp.GetRequiredService<PasswordResetQueue>());
        });
        services.TryAddScoped(sp => new AccountSecurity.Accounts.Invitations.AccountInvitationService(
            sp.GetRequiredService<GuardedUserStore>(), sp.GetRequiredService<GuardedContractStore>(), sp.GetRequiredService<UserUpdater>(), sp.GetRequiredService<NewPasswordRules>(),
            sp.GetRequiredService<IPasswordHasher>(), sp.GetRequiredService<SecurityEventPublisher>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<AccountSecurityOptions>>(), sp.GetRequiredService<IServiceScopeFactory>(), sp.GetRequiredService<PasswordResetQueue>(),
            InvitationSender(sp), LoggerFor<AccountSecurity.Accounts.Invitations.AccountInvitationService>(sp)));
        services.TryAddScoped<ISupportAgentAuthorizer>(sp => new ContractSupportAgentAuthorizer(sp.GetRequiredService<GuardedUserStore>()));
        services.TryAddScoped(sp => new SupportPinService(
            sp.GetRequiredService<GuardedUserStore>(), sp.GetRequiredService<PasswordVerifier>(), sp.GetRequiredService<UserUpdater>(), sp.GetRequiredService<FactorVerification>(),
            sp.GetRequiredService<ISupportPinHasher>(), sp.GetRequiredService<ISupportAgentAuthorizer>(), sp.GetRequiredService<SecurityEventPublisher>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<AccountSecurityOptions>>(), LoggerFor<SupportPinService>(sp), sp.GetRequiredService<AccountSecurity.Reauthentication.ReauthenticationGate>()));

        // Sign-in, two-factor authentication and protected resources.
        services.TryAddScoped(sp => new TotpSecrets(sp.GetRequiredService<ITotpProvider>(), sp.GetRequiredService<ISecretProtector>()));
        services.TryAddScoped(sp => new SecondFactorVerifier(
            sp.GetRequiredService<FactorVerification>(), sp.GetRequiredService<TotpSecrets>(), sp.GetRequiredService<SecurityEventPublisher>()));
        services.TryAddScoped(sp => new TwoFactorEnrollment(
            sp.GetRequiredService<SecondFactorVerifier>(), sp.GetRequiredService<TotpSecrets>(), sp.GetRequiredService<SecurityEventPublisher>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<AccountSecurityOptions>>()));

        // Screening of sign-in passwords (a breach lookup): only resolved when a screen is registered.
        services.TryAddSingleton(sp => new SignInPasswordScreening(
            sp.GetServices<ISignInPasswordScreen>(), sp.GetRequiredService<IServiceScopeFactory>(), sp.GetRequiredService<TimeProvider>(), LoggerFor<SignInPasswordScreening>(sp)));

        // Sign-in is the flow on top: it calls two-factor's pieces (verifier, enrolment), never the reverse.
        services.TryAddScoped(sp => new SignInService(
            sp.GetRequiredService<GuardedUserStore>(), sp.GetRequiredService<PasswordVerifier>(), sp.GetRequiredService<SecurityEventPublisher>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<AccountSecurityOptions>>(), sp.GetRequiredService<SecondFactorVerifier>(),
            sp.GetRequiredService<TwoFactorEnrollment>(), sp.GetRequiredService<UserUpdater>(), sp.GetRequiredService<SampledLog>(), LoggerFor<SignInService>(sp),
            sp.GetService<IServiceProviderIsService>()?.IsService(typeof(ISignInPasswordScreen)) == true ? sp.GetRequiredService<SignInPasswordScreening>() : null));
        services.TryAddScoped(sp => new TwoFactorService(
            sp.GetRequiredService<GuardedUserStore>(), sp.GetRequiredService<PasswordVerifier>(), sp.GetRequiredService<SecondFactorVerifier>(),
            sp.GetRequiredService<TwoFactorEnrollment>(), sp.GetRequiredService<SecurityEventPublisher>(), sp.GetRequiredService<IOptions<AccountSecurityOptions>>(),
            sp.GetRequiredService<UserUpdater>(), sp.GetRequiredService<AccountSecurity.Reauthentication.ReauthenticationGate>()));
        services.TryAddScoped(sp => new TwoFactorAdministrationService(
            sp.GetRequiredService<GuardedUserStore>(), sp.GetRequiredService<UserUpdater>(), sp.GetRequiredService<SecurityEventPublisher>(), sp.GetRequiredService<AccountSecurity.Reauthentication.ReauthenticationGate>()));
        services.TryAddScoped(sp => new AccountSecurity.Sessions.SessionCleanup(
            sp.GetRequiredService<AccountSecurity.Sessions.ISessionStore>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<AccountSecurityOptions>>().Value.Sessions,
            sp.GetRequiredService<ILogger<AccountSecurity.Sessions.SessionCleanup>>()));
        services.TryAddScoped(sp => new AccountSecurity.Sessions.SessionService(
            sp.GetRequiredService<AccountSecurity.Sessions.ISessionStore>(), sp.GetRequiredService<GuardedContractStore>(), sp.GetRequiredService<ContractUpdater>(), sp.GetRequiredService<GuardedUserStore>(),
            sp.GetRequiredService<SecurityEventPublisher>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<AccountSecurityOptions>>().Value.Sessions,
            sp.GetRequiredService<AccountSecurity.Reauthentication.ReauthenticationGate>()));
        services.TryAddScoped(sp => new AccountSecurity.Reauthentication.ReauthenticationService(
            sp.GetRequiredService<AccountSecurity.Reauthentication.ReauthenticationGate>(), sp.GetRequiredService<GuardedUserStore>(), sp.GetRequiredService<AccountSecurity.Sessions.ISessionStore>(),
            sp.GetRequiredService<PasswordVerifier>(), sp.GetRequiredService<SecondFactorVerifier>(), sp.GetRequiredService<SecurityEventPublisher>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddScoped(sp => new AccountSecurity.Auditing.AuditTrailService(
            sp.GetRequiredService<AccountSecurity.Auditing.IAuditStore>(), sp.GetRequiredService<GuardedUserStore>(), sp.GetRequiredService<ISupportAgentAuthorizer>(),
            sp.GetRequiredService<SecurityEventPublisher>(), sp.GetRequiredService<IOptions<AccountSecurityOptions>>().Value.Audit,
            sp.GetRequiredService<AccountSecurity.Reauthentication.ReauthenticationGate>()));
        services.TryAddScoped(sp => new AccountSecurity.Auditing.AuditRetention(
            sp.GetRequiredService<AccountSecurity.Auditing.IAuditStore>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<AccountSecurityOptions>>().Value.Audit,
            LoggerFor<AccountSecurity.Auditing.AuditRetention>(sp)));
        services.TryAddScoped(sp => new ProtectedResourceAccess(sp.GetRequiredService<GuardedUserStore>(), sp.GetRequiredService<SignInService>()));

        // What hosts depend on: one interface per service, forwarding to the scoped default. TryAdd, so a host's own
        // registration wins whether it comes before this call (kept) or after it (the last registration resolves).
        // The defaults call each other through the concrete types, so a fake replaces what the host sees, not the
        // library's inner workings.
        services.TryAddScoped<ISignInService>(sp => sp.GetRequiredService<SignInService>());
        services.TryAddScoped<AccountSecurity.Sessions.ISessionService>(sp => sp.GetRequiredService<AccountSecurity.Sessions.SessionService>());
        services.TryAddScoped<ITwoFactorService>(sp => sp.GetRequiredService<TwoFactorService>());
        services.TryAddScoped<AccountSecurity.Reauthentication.IReauthenticationService>(sp => sp.GetRequiredService<AccountSecurity.Reauthentication.ReauthenticationService>());
        services.TryAddScoped<ITwoFactorAdministrationService>(sp => sp.GetRequiredService<TwoFactorAdministrationService>());
        services.TryAddScoped<IPasswordChangeService>(sp => sp.GetRequiredService<PasswordChangeService>());
        services.TryAddScoped<IPasswordResetService>(sp => sp.GetRequiredService<PasswordResetService>());
        services.TryAddScoped<IPasswordPolicyService>(sp => sp.GetRequiredService<PasswordPolicyService>());
        services.TryAddScoped<IAccountProvisioningService>(sp => sp.GetRequiredService<AccountProvisioningService>());
        services.TryAddScoped<AccountSecurity.Accounts.Administration.IAccountAdministrationService>(sp => sp.GetRequiredService<AccountSecurity.Accounts.Administration.AccountAdministrationService>());
        services.TryAddScoped<IProtectedResourceAccess>(sp => sp.GetRequiredService<ProtectedResourceAccess>());
        services.TryAddScoped<ISupportPinService>(sp => sp.GetRequiredService<SupportPinService>());
        services.TryAddScoped<AccountSecurity.Accounts.Invitations.IAccountInvitationService>(sp => sp.GetRequiredService<AccountSecurity.Accounts.Invitations.AccountInvitationService>());
        services.TryAddScoped<AccountSecurity.Auditing.IAuditTrailService>(sp => sp.GetRequiredService<AccountSecurity.Auditing.AuditTrailService>());

        return new AccountSecurityBuilder(services);
    }

    /// <summary>The product's name as a context word: the configured one, else the name authenticator apps show.</summary>
    private static string? ProductName(AccountSecurityOptions options) => options.ProductName ?? options.Totp.Issuer;

    private static IPasswordResetTokenSender ResetTokenSender(IServiceProvider services) =>
        services.GetService<IPasswordResetTokenSender>() ?? throw new InvalidOperationException(
            "IPasswordResetService needs an IPasswordResetTokenSender, which delivers the reset link to the user: register one with "
            + "services.AddSingleton<IPasswordResetTokenSender, YourSender>() (before or after AddAccountSecurity(), before the provider is built).");

    private static AccountSecurity.Accounts.Invitations.IAccountInvitationSender InvitationSender(IServiceProvider services) =>
        services.GetService<AccountSecurity.Accounts.Invitations.IAccountInvitationSender>() ?? throw new InvalidOperationException(
            "IAccountInvitationService needs an IAccountInvitationSender, which delivers invitation links and account notices: register one with "
            + "services.AddSingleton<IAccountInvitationSender, YourSender>() (before or after AddAccountSecurity(), before the provider is built).");

    /// <summary>
    /// The host's logger when it registered logging, else a null logger. Resolved rather than registered, so a host
    /// that calls <c>AddLogging()</c> after <c>AddAccountSecurity()</c> still gets our log lines.
    /// </summary>
    internal static ILogger<T> LoggerFor<T>(IServiceProvider services) =>
        services.GetService<ILogger<T>>() ?? NullLogger<T>.Instance;
}
