namespace AccountSecurity.Passwords.Reset;

/// <summary>
/// Delivers a password-reset token to the account's owner (typically as a link in an e-mail). The host implements
/// it; the token is handed over once and never stored by the library in readable form.
/// </summary>
/// <remarks>
/// The library calls it after the reset request has been answered, from a background worker, in a DI scope of its
/// own (a scoped sender gets a fresh instance): its time never shows in the answer. A send still holds one of few
/// workers and is cancelled after 30 seconds, so queue the message rather than talking to a slow mail server in
/// line. An exception it throws is logged by type (never its message, which could quote the token).
/// </remarks>
public interface IPasswordResetTokenSender
{
    /// <summary>Delivers <paramref name="message"/>. Must never log <see cref="PasswordResetMessage.Token"/>.</summary>
    ValueTask SendAsync(PasswordResetMessage message, CancellationToken cancellationToken);
}

/// <summary>A reset token on its way to the account's owner.</summary>
/// <param name="UserId">The account.</param>
/// <param name="Email">The address to send to.</param>
/// <param name="Token">The one-time token, at least 128 bits; <see cref="ToString"/> never prints it.</param>
/// <param name="ExpiresAt">When it stops working.</param>
public sealed record PasswordResetMessage(string UserId, string Email, string Token, DateTimeOffset ExpiresAt)
{
    /// <inheritdoc />
    public override string ToString() => $"PasswordResetMessage {{ UserId = {UserId}, ExpiresAt = {ExpiresAt:O} }}";
}
