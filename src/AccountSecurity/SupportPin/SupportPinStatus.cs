namespace AccountSecurity.SupportPin;

/// <summary>What the Password &amp; Security page shows about a user's support PIN. Never carries the PIN or its hash.</summary>
/// <param name="IsSet">Whether the user has a support PIN.</param>
/// <param name="SetAt">When the PIN was set or last changed; <see langword="null"/> when none is set.</param>
/// <param name="VerificationLockedUntil">When verification, locked after too many wrong PINs, opens again; <see langword="null"/> when not locked.</param>
public sealed record SupportPinStatus(bool IsSet, DateTimeOffset? SetAt, DateTimeOffset? VerificationLockedUntil);
