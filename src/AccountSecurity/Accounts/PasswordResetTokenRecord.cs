namespace AccountSecurity.Accounts;

/// <summary>An outstanding password-reset token, stored only as a hash.</summary>
/// <param name="TokenHash">The SHA-256 hash of the token (the token itself is never stored).</param>
/// <param name="ExpiresAt">When the token stops working.</param>
public sealed record PasswordResetTokenRecord(string TokenHash, DateTimeOffset ExpiresAt)
{
    /// <inheritdoc />
    public override string ToString() => $"PasswordResetTokenRecord {{ ExpiresAt = {ExpiresAt:O} }}";
}
