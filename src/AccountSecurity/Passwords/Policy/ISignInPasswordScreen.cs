namespace AccountSecurity.Passwords.Policy;

/// <summary>
/// A check of the password a user just signed in with, run in the background after the sign-in answered (for
/// example a breached-password lookup): when it finds the password compromised, the account is marked
/// <see cref="Accounts.UserAccount.PasswordChangeRequired"/>, its sessions are sent to the password change
/// (<see cref="SignIn.SessionStatus.PasswordChangeRequired"/>) and the owner gets a
/// <see cref="Notifications.SecurityNotificationKind.PasswordFoundInBreach"/> notification.
/// </summary>
public interface ISignInPasswordScreen
{
    /// <summary>
    /// Called on the sign-in request, right after <paramref name="password"/> was verified. Returns the check to run
    /// later, which must not hold the password (derive what it needs now, such as a hash range), or
    /// <see langword="null"/> to skip. The check answers whether the password is compromised; it never throws for an
    /// unreachable source (it answers <see langword="false"/>).
    /// </summary>
    Func<CancellationToken, ValueTask<bool>>? Prepare(string password);
}
