namespace AccountSecurity.Accounts.Administration;

/// <summary>
/// What a host needs after an account change that ended sessions: the changed user as it is now, and — only when the
/// change ended the acting user's own sessions — the new security stamp to re-issue the caller's session with.
/// <see cref="ToString"/> never prints the stamp (a session's proof, compared in constant time like a secret).
/// </summary>
/// <param name="User">The changed user (for an ownership transfer, the new owner).</param>
/// <param name="CallerSecurityStamp">
/// The acting user's new stamp when the change ended the acting user's own sessions (their own e-mail change, or an
/// ownership transfer that made them an administrator); <see langword="null"/> otherwise. Never another user's stamp.
/// </param>
public sealed record AccountChanged(UserSummary User, string? CallerSecurityStamp)
{
    /// <inheritdoc />
    public override string ToString() => $"AccountChanged {{ User = {User}, CallerSessionEnded = {CallerSecurityStamp is not null} }}";
}
