namespace AccountSecurity.Accounts;

/// <summary>What a pending sign-in ticket allows.</summary>
public enum SignInTicketPurpose
{
    /// <summary>The password was right; the second factor is still needed.</summary>
    SecondFactor = 0,

    /// <summary>The password was right, two-factor authentication is forced but not set up: only setup is allowed.</summary>
    TwoFactorSetup = 1,
}

/// <summary>
/// A sign-in between its password step and its completion: short-lived, single-use, bound to the security stamp
/// it was issued under. Only the ticket's hash is stored. A user may have a few at once (one per device signing in);
/// each is spent on its own.
/// </summary>
/// <param name="TicketHash">SHA-256 of the ticket secret (hex).</param>
/// <param name="Purpose">What the ticket allows.</param>
/// <param name="SecurityStamp">The stamp at issuance; a changed stamp voids the ticket.</param>
/// <param name="ExpiresAt">When the ticket stops working.</param>
/// <param name="DeviceId">
/// The trusted device (<see cref="TrustedDevice.Id"/>) whose token the password step presented, so the second step
/// counts its failures in that device's budget; <see langword="null"/> for a device the account does not know.
/// </param>
public sealed record PendingSignIn(string TicketHash, SignInTicketPurpose Purpose, string SecurityStamp, DateTimeOffset ExpiresAt, string? DeviceId = null)
{
    /// <inheritdoc />
    public override string ToString() => $"PendingSignIn {{ Purpose = {Purpose}, ExpiresAt = {ExpiresAt:O}, DeviceId = {DeviceId} }}";
}
