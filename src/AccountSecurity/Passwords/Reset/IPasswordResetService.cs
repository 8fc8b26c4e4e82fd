using AccountSecurity.Results;

namespace AccountSecurity.Passwords.Reset;

/// <summary>
/// Password reset by e-mail: a single-use, expiring token, stored only as a hash, that sets a new password under
/// the policy. A reset never switches off or bypasses the second factor: the next sign-in still asks for it.
/// </summary>
public interface IPasswordResetService
{
    /// <summary>
    /// Requests a reset for <paramref name="email"/>. Succeeds the same way whether or not an active account has that
    /// address (no enumeration); only a malformed address fails (<c>invalid_input</c>). The answer comes before any
    /// store or mail work and after the same steps for every address: the lookup, the new token (when the account
    /// exists and had none in the last <see cref="PasswordResetOptions.MinimumIntervalBetweenTokens"/>; older tokens
    /// beyond <see cref="PasswordResetOptions.MaxOutstandingTokens"/> are dropped) and the hand-over to
    /// <see cref="IPasswordResetTokenSender"/> run afterwards, in a DI scope of their own. Their failures are logged
    /// (never with the token), not returned; the work finishes before the service provider is disposed.
    /// </summary>
    ValueTask<SecurityResult> RequestResetAsync(string? email, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets a new password with a reset token. An unknown e-mail and an unknown, expired or used token all fail alike
    /// with <c>reset_token_invalid</c>. Otherwise every problem with the new password is returned together
    /// (<c>password_mismatch</c>, policy violations, <c>password_reused</c>) and the token stays usable. On success
    /// the token and every other reset token die, the security stamp changes, the password lockout is cleared (the
    /// owner's way back in when strangers locked the account and their device is new), and every trusted device is
    /// forgotten (a thief's browser keeps no budget of its own); two-factor settings are untouched.
    /// </summary>
    ValueTask<SecurityResult> ResetPasswordAsync(
        string? email,
        string? token,
        string? newPassword,
        string? newPasswordRepeated,
        CancellationToken cancellationToken = default);
}
