using System.Collections.Immutable;

namespace AccountSecurity.Accounts;

/// <summary>
/// A user's two-factor (TOTP) state. Secrets are stored only in protected (encrypted) form and recovery codes
/// only as hashes; <see cref="ToString"/> never prints any of them.
/// </summary>
public sealed record TwoFactorState
{
    /// <summary>No two-factor authentication set up, not forced.</summary>
    public static TwoFactorState None { get; } = new();

    /// <summary>Two-factor authentication is active (the console's <c>secAuthActive</c>). Only the user can switch it on.</summary>
    public bool IsEnabled { get; init; }

    /// <summary>An administrator or the contract owner requires it (the console's <c>forceSecAuth</c>).</summary>
    public bool IsForced { get; init; }

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
        $"TwoFactorState {{ IsEnabled = {IsEnabled}, IsForced = {IsForced}, SetupPending = {PendingProtectedSecret is not null}, RecoveryCodesLeft = {RecoveryCodeHashes.Length} }}";
}
