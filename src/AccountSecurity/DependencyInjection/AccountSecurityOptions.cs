using AccountSecurity.Crypto;
using AccountSecurity.Lockout;
using AccountSecurity.Passwords.Hashing;
using AccountSecurity.Passwords.Policy;
using AccountSecurity.Passwords.Reset;
using AccountSecurity.SignIn;
using AccountSecurity.Stores;
using AccountSecurity.SupportPin;
using AccountSecurity.TwoFactor;
using AccountSecurity.TwoFactor.Totp;

namespace AccountSecurity.DependencyInjection;

/// <summary>
/// All settings of the library, one class per concern. Configure them in
/// <c>services.AddAccountSecurity(options => …)</c>; they are validated when the host starts
/// (and at the latest on first use), so a bad configuration fails start-up, not the first sign-in.
/// </summary>
public sealed class AccountSecurityOptions
{
    /// <summary>The policy that applies to contracts without one of their own.</summary>
    /// <value>Defaults to <see cref="PasswordPolicySettings.Default"/>.</value>
    public PasswordPolicySettings DefaultPasswordPolicy { get; set; } = PasswordPolicySettings.Default;

    /// <summary>
    /// The product's name as users know it: a context word (OWASP ASVS 5.0 V6.2.11) that, like the user's e-mail and the
    /// contract's name, a new password may not be built from. When <see langword="null"/>, <see cref="TotpOptions.Issuer"/>
    /// (the name authenticator apps show) is used.
    /// </summary>
    /// <value>Defaults to <see langword="null"/>.</value>
    public string? ProductName { get; set; }

    /// <summary>Password hashing.</summary>
    public PasswordHashingOptions Hashing { get; } = new();

    /// <summary>Password reset.</summary>
    public PasswordResetOptions PasswordReset { get; } = new();

    /// <summary>Lockout per factor.</summary>
    public LockoutOptions Lockout { get; } = new();

    /// <summary>Store usage.</summary>
    public StoreOptions Stores { get; } = new();

    /// <summary>Sign-in tickets between the password and the second factor.</summary>
    public SignInOptions SignIn { get; } = new();

    /// <summary>Two-factor setup and recovery codes.</summary>
    public TwoFactorOptions TwoFactor { get; } = new();

    /// <summary>TOTP (authenticator app) codes, RFC 6238. <see cref="TotpOptions.Issuer"/> is required.</summary>
    public TotpOptions Totp { get; } = new();

    /// <summary>
    /// The keys that encrypt TOTP secrets at rest. Required: at least one key and
    /// <see cref="SecretProtectionOptions.CurrentKeyId"/>, or the host fails to start.
    /// </summary>
    public SecretProtectionOptions SecretProtection { get; } = new();
    /// <summary>The support PIN (length, hashing, pepper); its lockout is in <see cref="LockoutOptions.SupportPin"/>.</summary>
    public SupportPinOptions SupportPin { get; } = new();

    /// <summary>Self-registration (off by default) and the lifetime of invitation tokens (<see cref="Accounts.Invitations.IAccountInvitationService"/>).</summary>
    public Accounts.Invitations.RegistrationOptions Registration { get; } = new();

    /// <summary>Server-side sessions: the bounds and defaults of the contracts' session policies, and how often "last seen" is written.</summary>
    public Sessions.SessionOptions Sessions { get; } = new();

    /// <summary>How long a re-authentication stands for sensitive operations (<see cref="AccountSecurity.Reauthentication.SensitiveOperation"/>).</summary>
    public AccountSecurity.Reauthentication.ReauthenticationOptions Reauthentication { get; } = new();

    /// <summary>
    /// Security notifications (<see cref="Notifications.ISecurityNotificationSender"/>): default culture, queue bound,
    /// timeout and retries, flood control, the "few recovery codes left" threshold. Used only when a sender is registered.
    /// </summary>
    public Notifications.SecurityNotificationOptions Notifications { get; } = new();

    /// <summary>The audit trail (<see cref="Auditing.IAuditTrailService"/>): its write queue, retention and who besides administrators may read it.</summary>
    public Auditing.AuditTrailOptions Audit { get; } = new();
}
