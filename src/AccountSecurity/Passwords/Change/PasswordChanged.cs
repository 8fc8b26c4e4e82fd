namespace AccountSecurity.Passwords.Change;

/// <summary>
/// What a host needs after a password change: the new security stamp to re-issue the caller's own session with.
/// <see cref="ToString"/> never prints the stamp (a session's proof, compared in constant time like a secret).
/// </summary>
/// <param name="UserId">The user whose password changed.</param>
/// <param name="SecurityStamp">The new stamp; sessions carrying the old one are no longer valid.</param>
/// <param name="ChangedAt">When the change took effect.</param>
public sealed record PasswordChanged(string UserId, string SecurityStamp, DateTimeOffset ChangedAt)
{
    /// <inheritdoc />
    public override string ToString() => $"PasswordChanged {{ UserId = {UserId}, ChangedAt = {ChangedAt:O} }}";
}
