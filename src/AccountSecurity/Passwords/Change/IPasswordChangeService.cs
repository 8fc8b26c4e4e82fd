using AccountSecurity.Results;

namespace AccountSecurity.Passwords.Change;

/// <summary>
/// "Change password" on the Password &amp; Security page: current password, new password, repetition.
/// </summary>
public interface IPasswordChangeService
{
    /// <summary>
    /// Changes the password of the user of <paramref name="session"/> (the signed-in user). A sensitive operation
    /// (<see cref="Reauthentication.SensitiveOperation.ChangePassword"/>): with <paramref name="currentPassword"/> given,
    /// it is checked first, under the password lockout (<c>password_wrong_current</c>, <c>locked_out</c>), and only the
    /// session's user id is used; with <see langword="null"/>, the session must have re-authenticated within the window
    /// (<c>reauthentication_required</c>, <c>not_authenticated</c>) — which is also how an account without a password
    /// (passkey only) sets one. Then every other problem is
    /// returned together: <c>password_mismatch</c>, each policy violation, <c>password_same_as_current</c>,
    /// <c>password_reused</c>. On success the new hash is stored, the security stamp changes (other sessions end),
    /// outstanding reset tokens die, and the result carries the stamp to re-issue the caller's session with.
    /// Never logs or echoes any of the passwords.
    /// </summary>
    ValueTask<SecurityResult<PasswordChanged>> ChangePasswordAsync(
        SignIn.AuthenticatedSession session,
        string? currentPassword,
        string? newPassword,
        string? newPasswordRepeated,
        CancellationToken cancellationToken = default);
}
