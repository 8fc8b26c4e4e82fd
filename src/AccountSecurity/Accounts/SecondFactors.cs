namespace AccountSecurity.Accounts;

/// <summary>
/// The one rule for "this user has a second factor": an active authenticator app (TOTP) or at least one passkey.
/// Sign-in asks for a second step, forced 2FA counts as satisfied, and <c>secAuthProtection</c> resources open, on
/// exactly this rule; nothing else in the library decides it.
/// </summary>
public static class SecondFactors
{
    /// <summary>Whether <paramref name="user"/> has an active second factor (TOTP or a passkey).</summary>
    public static bool Any(UserAccount user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.TwoFactor.IsEnabled || !user.Passkeys.IsDefaultOrEmpty;
    }

    /// <summary>
    /// Whether <paramref name="user"/> would still satisfy forced 2FA after losing what <paramref name="without"/>
    /// removes (a forced user may drop a factor only while another remains).
    /// </summary>
    public static bool ForcedStillSatisfied(UserAccount user, Func<UserAccount, UserAccount> without)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(without);
        return !user.IsTwoFactorForced || Any(without(user));
    }
}
