using System.Collections.Immutable;

namespace AccountSecurity.Accounts;

/// <summary>
/// A user's authenticator-app (TOTP) state. Whether an administrator requires a second factor is the account's
/// <see cref="UserAccount.IsTwoFactorForced"/>, not part of this state: the requirement outlives the app (a reset or a
/// disable keeps it) and a passkey satisfies it too. Secrets are stored only in protected (encrypted) form and recovery codes
/// only as hashes; <see cref="ToString"/> never prints any of them.
/// </summary>
public sealed record TwoFactorState
{
    /// <summary>No authenticator app set up.</summary>
    public static TwoFactorState None { get; } = new();

    /// <summary>Two-factor authentication is active (the console's <c>secAuthActive</c>). Only the user can switch it on.</summary>
    public bool IsEnabled { get; init; }

    /// <summary>The working TOTP secret, encrypted at rest; <see langword="null"/> when not enabled.</summary>
    public string? ProtectedSecret { get; init; }

    /// <summary>A secret being set up, encrypted at rest; it replaces nothing until the user confirms it.</summary>
    public string? PendingProtectedSecret { get; init; }

    /// <summary>When the pending secret was created, so stale setups can expire.</summary>
    public DateTimeOffset? PendingCreatedAt { get; init; }

    /// <summary>The last TOTP time step accepted; a code at or before it is a replay.</summary>
    public long? LastAcceptedTimeStep { get; init; }

    /// <summary>Hashes of the unused recovery codes; each is removed when used.</summary>
    public ImmutableArray<string> RecoveryCodeHashes { get; init; } = [];

    /// <summary>When two-factor authentication was last enabled.</summary>
    public DateTimeOffset? EnabledAt { get; init; }

    /// <inheritdoc />
    public override string ToString() =>
        $"TwoFactorState {{ IsEnabled = {IsEnabled}, SetupPending = {PendingProtectedSecret is not null}, RecoveryCodesLeft = {RecoveryCodeHashes.Length} }}";
}
