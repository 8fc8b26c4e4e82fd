using AccountSecurity.Results;

namespace AccountSecurity.Passwords.Change;

/// <summary>
/// "Change password" on the Password &amp; Security page: current password, new password, repetition.
/// </summary>
public interface IPasswordChangeService
{
    /// <summary>
    /// Changes the password of <paramref name="userId"/> (the signed-in user). The current password is checked first,
    /// under the password lockout (<c>password_wrong_current</c>, <c>locked_out</c>). Then every other problem is
    /// returned together: <c>password_mismatch</c>, each policy violation, <c>password_same_as_current</c>,
    /// <c>password_reused</c>. On success the new hash is stored, the security stamp changes (other sessions end),
    /// outstanding reset tokens die, and the result carries the stamp to re-issue the caller's session with.
    /// Never logs or echoes any of the passwords.
    /// </summary>
    ValueTask<SecurityResult<PasswordChanged>> ChangePasswordAsync(
        string userId,
        string? currentPassword,
        string? newPassword,
        string? newPasswordRepeated,
        CancellationToken cancellationToken = default);
}
