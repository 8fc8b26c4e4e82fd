namespace AccountSecurity.Passwords.Reset;

/// <summary>
/// Delivers a password-reset token to the account's owner (typically as a link in an e-mail). The host implements
/// it; the token is handed over once and never stored by the library in readable form.
/// </summary>
/// <remarks>
/// Queue the message rather than sending it in line: the reset request answers the same whether or not the
/// account exists, and a slow synchronous send would make the two cases distinguishable by timing.
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
