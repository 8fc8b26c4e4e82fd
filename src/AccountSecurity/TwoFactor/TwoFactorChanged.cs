namespace AccountSecurity.TwoFactor;

/// <summary>
/// What a host needs after the user switched their own two-factor authentication on or off: the user's new security
/// stamp, which ended every other session, to re-issue the caller's own session with (pass it to the HTTP layer's
/// refresh, so nothing reads the store again); and, when 2FA was switched on, the new recovery codes to show once.
/// <see cref="ToString"/> never prints the stamp or a code.
/// </summary>
/// <param name="SecurityStamp">The user's security stamp after the change.</param>
/// <param name="RecoveryCodes">The new one-time recovery codes (shown once, stored only hashed); empty when 2FA was switched off.</param>
public sealed record TwoFactorChanged(string SecurityStamp, IReadOnlyList<string> RecoveryCodes)
{
    /// <inheritdoc />
    public override string ToString() => $"TwoFactorChanged {{ RecoveryCodes = {RecoveryCodes.Count} }}";
}
