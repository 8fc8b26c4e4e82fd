using System.Collections.Immutable;
using AccountSecurity.Lockout;

namespace AccountSecurity.Accounts;

/// <summary>
/// What a host may show about a user — a console's Users page, a profile header — read from the stored
/// <see cref="UserAccount"/> without any secret material: no password hash or history, no TOTP secret (working or
/// pending), no recovery-code or reset-token hash, no support-PIN hash, no pending sign-in ticket and no security stamp.
/// Services return this; <see cref="UserAccount"/> is for store implementers.
/// </summary>
/// <remarks>
/// A snapshot: it does not follow later changes. <see cref="ToString"/> prints neither the e-mail address nor anything
/// else personal beyond the ids, so a summary is safe to log.
/// </remarks>
public sealed record UserSummary
{
    /// <summary>The user's id.</summary>
    public required string Id { get; init; }

    /// <summary>The contract the user belongs to.</summary>
    public required string ContractId { get; init; }

    /// <summary>The e-mail address, as entered.</summary>
    public required string Email { get; init; }

    /// <summary>The user's role in the contract.</summary>
    public required UserRole Role { get; init; }

    /// <summary>Whether the user may sign in (<see langword="false"/> once deactivated).</summary>
    public required bool IsActive { get; init; }

    /// <summary>Whether the user has a password set.</summary>
    public required bool HasPassword { get; init; }

    /// <summary>When the password was last set; <see langword="null"/> when none is set.</summary>
    public DateTimeOffset? PasswordChangedAt { get; init; }

    /// <summary>Two-factor authentication is active (the console's <c>secAuthActive</c>).</summary>
    public required bool TwoFactorEnabled { get; init; }

    /// <summary>How many passkeys the user has registered (a passkey is a second factor beside the authenticator app).</summary>
    public int PasskeyCount { get; init; }

    /// <summary>An administrator or the contract owner requires it (the console's <c>forceSecAuth</c>).</summary>
    public required bool TwoFactorForced { get; init; }

    /// <summary>The user's culture (a BCP 47 tag such as <c>de-DE</c>) for texts the SDK writes to them; <see langword="null"/> for the host's default.</summary>
    public string? Culture { get; init; }

    /// <summary>The user started two-factor setup and has not confirmed it yet.</summary>
    public required bool TwoFactorSetupPending { get; init; }

    /// <summary>How many unused recovery codes the user has left (a count only; the codes are never readable).</summary>
    public required int RecoveryCodesLeft { get; init; }

    /// <summary>Whether the user has set a support PIN.</summary>
    public required bool HasSupportPin { get; init; }

    /// <summary>When the support PIN was set or last changed; <see langword="null"/> when none is set.</summary>
    public DateTimeOffset? SupportPinSetAt { get; init; }

    /// <summary>
    /// The factors that were locked when the summary was read, each with the end of its lock. A factor not listed was
    /// not locked then. Failure counts below the limit are not shown: they tell an onlooker how close a guesser is.
    /// </summary>
    public required IReadOnlyDictionary<AuthenticationFactor, DateTimeOffset> LockedUntil { get; init; }

    /// <summary>Whether <paramref name="factor"/> was locked when the summary was read.</summary>
    public bool IsLocked(AuthenticationFactor factor) => LockedUntil.ContainsKey(factor);

    /// <summary>
    /// The one place a summary is made from a stored account: every service goes through here, so a field added to
    /// <see cref="UserAccount"/> can only reach hosts by being added here on purpose.
    /// </summary>
    internal static UserSummary From(UserAccount user, DateTimeOffset now)
    {
        var locks = ImmutableDictionary.CreateBuilder<AuthenticationFactor, DateTimeOffset>();
        foreach (var (factor, state) in user.Lockouts)
        {
            if (state.IsLockedAt(now))
            {
                locks[factor] = state.LockoutEnd!.Value;
            }
        }

        return new UserSummary
        {
            Id = user.Id,
            ContractId = user.ContractId,
            Email = user.Email,
            Role = user.Role,
            IsActive = user.IsActive,
            HasPassword = user.PasswordHash is not null,
            PasswordChangedAt = user.PasswordHash is null ? null : user.PasswordChangedAt,
            TwoFactorEnabled = user.TwoFactor.IsEnabled,
            PasskeyCount = user.Passkeys.Length,
            TwoFactorForced = user.IsTwoFactorForced,
            Culture = user.Culture,
            TwoFactorSetupPending = user.TwoFactor.PendingProtectedSecret is not null,
            RecoveryCodesLeft = user.TwoFactor.IsEnabled ? user.TwoFactor.RecoveryCodeHashes.Length : 0,
            HasSupportPin = user.SupportPinHash is not null,
            SupportPinSetAt = user.SupportPinHash is null ? null : user.SupportPinSetAt,
            LockedUntil = locks.ToImmutable(),
        };
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"UserSummary {{ Id = {Id}, ContractId = {ContractId}, Role = {Role}, IsActive = {IsActive}, TwoFactorEnabled = {TwoFactorEnabled}, TwoFactorForced = {TwoFactorForced}, HasSupportPin = {HasSupportPin}, Locked = [{string.Join(", ", LockedUntil.Keys)}] }}";
}
