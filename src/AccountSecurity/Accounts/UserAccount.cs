using System.Collections.Immutable;

namespace AccountSecurity.Accounts;

/// <summary>
/// Everything the library keeps about one user. Immutable: services change it with <c>with</c> expressions and
/// write it back through <see cref="Stores.IUserStore"/> stating the <see cref="Version"/> they read, so a caller
/// holding a reference can never change stored state. <see cref="ToString"/> prints no hash, secret or token.
/// </summary>
public sealed record UserAccount
{
    /// <summary>The user's id, chosen by the host.</summary>
    public required string Id { get; init; }

    /// <summary>The contract the user belongs to.</summary>
    public required string ContractId { get; init; }

    /// <summary>The e-mail address, as entered; look-ups compare <see cref="EmailAddress.Normalize"/>d forms.</summary>
    public required string Email { get; init; }

    /// <summary>The user's role in the contract.</summary>
    public UserRole Role { get; init; } = UserRole.User;

    /// <summary>
    /// The user's preferred culture (a BCP 47 name such as <c>de-DE</c>) for texts the SDK writes to them, such as
    /// security notifications; <see langword="null"/> for the host's default.
    /// </summary>
    public string? Culture { get; init; }

    /// <summary>Whether the user may sign in.</summary>
    public bool IsActive { get; init; } = true;

    /// <summary>The password hash with its scheme marker (see <see cref="Passwords.Hashing.IPasswordHasher"/>); <see langword="null"/> when no password is set.</summary>
    public string? PasswordHash { get; init; }

    /// <summary>When the password was last set.</summary>
    public DateTimeOffset? PasswordChangedAt { get; init; }

    /// <summary>
    /// Whether the user must change the password before doing anything else: set when the password was found in a
    /// data breach after a sign-in (<see cref="Passwords.Policy.ISignInPasswordScreen"/>); cleared by every password
    /// change, reset or set. Its sessions are <see cref="SignIn.SessionStatus.PasswordChangeRequired"/> meanwhile.
    /// </summary>
    public bool PasswordChangeRequired { get; init; }

    /// <summary>Hashes of previous passwords, newest first, bounded by the policy's history depth.</summary>
    public ImmutableArray<string> PasswordHistory { get; init; } = [];

    /// <summary>A random value that changes whenever credentials or factors change; sessions carrying an older stamp are no longer valid.</summary>
    public required string SecurityStamp { get; init; }

    /// <summary>
    /// Whether an administrator or the contract owner requires a second factor of this user (the console's
    /// <c>forceSecAuth</c>). An account policy, not part of the authenticator app's state: any second factor satisfies it
    /// (<see cref="SecondFactors.Any"/>), and removing an app or a reset by an administrator keeps it.
    /// </summary>
    public bool IsTwoFactorForced { get; init; }

    /// <summary>The authenticator-app (TOTP) state.</summary>
    public TwoFactorState TwoFactor { get; init; } = TwoFactorState.None;

    /// <summary>The support PIN's hash; <see langword="null"/> when no PIN is set.</summary>
    public string? SupportPinHash { get; init; }

    /// <summary>When the support PIN was set or last changed.</summary>
    public DateTimeOffset? SupportPinSetAt { get; init; }

    /// <summary>Failure counting and lockout of every factor, keyed by factor; a factor without an entry is clear.</summary>
    public FactorLockouts Lockouts { get; init; } = FactorLockouts.None;

    /// <summary>Outstanding password-reset tokens (hashes only).</summary>
    public ImmutableArray<PasswordResetTokenRecord> PasswordResetTokens { get; init; } = [];

    /// <summary>The user's passkeys (WebAuthn credentials), a second factor beside TOTP; empty when none.</summary>
    public ImmutableArray<PasskeyCredential> Passkeys { get; init; } = [];

    /// <summary>
    /// The WebAuthn user handle of this user (random, base64url, no personal data), set at the first passkey
    /// registration; an authenticator returns it so a passwordless sign-in can find the account. <see langword="null"/> until then.
    /// </summary>
    public string? PasskeyUserHandle { get; init; }

    /// <summary>A passkey registration started and not yet completed; <see langword="null"/> when none.</summary>
    public PendingPasskeyCeremony? PendingPasskeyRegistration { get; init; }

    /// <summary>Passkey assertion challenges already accepted and not yet expired (replay protection across instances).</summary>
    public ImmutableArray<SpentPasskeyChallenge> SpentPasskeyChallenges { get; init; } = [];

    /// <summary>
    /// Sign-ins waiting for their second factor or for forced setup, one per device signing in, each single-use (at most
    /// <see cref="SignIn.SignInOptions.MaxPendingSignIns"/>; the oldest gives way); empty when none.
    /// </summary>
    public ImmutableArray<PendingSignIn> PendingSignIns { get; init; } = [];

    /// <summary>
    /// The devices that completed a sign-in and hold a device token, each with its own failure budget (at most
    /// <see cref="Lockout.TrustedDeviceOptions.MaxDevicesPerUser"/>; the least recently used gives way); empty when none.
    /// </summary>
    public ImmutableArray<TrustedDevice> TrustedDevices { get; init; } = [];

    /// <summary>The concurrency version the store assigned; an update must state the version it read.</summary>
    public long Version { get; init; }

    /// <inheritdoc />
    public override string ToString() =>
        $"UserAccount {{ Id = {Id}, ContractId = {ContractId}, Role = {Role}, IsActive = {IsActive}, IsTwoFactorForced = {IsTwoFactorForced}, PasswordChangeRequired = {PasswordChangeRequired}, TwoFactor = {TwoFactor}, HasSupportPin = {SupportPinHash is not null}, Passkeys = {Passkeys.Length}, TrustedDevices = {TrustedDevices.Length}, Version = {Version} }}";
}
