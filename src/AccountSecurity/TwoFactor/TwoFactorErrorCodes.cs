namespace AccountSecurity.TwoFactor;

/// <summary>Stable error codes of two-factor management.</summary>
public static class TwoFactorErrorCodes
{
    /// <summary>Two-factor authentication is forced for this user and cannot be switched off.</summary>
    public const string Forced = "two_factor_forced";

    /// <summary>Two-factor authentication is not active for this user.</summary>
    public const string NotEnabled = "two_factor_not_enabled";

    /// <summary>Two-factor authentication is already active; disable or have it reset first.</summary>
    public const string AlreadyEnabled = "two_factor_already_enabled";

    /// <summary>No setup is pending, or it expired: start setup again.</summary>
    public const string NoPendingSetup = "two_factor_no_pending_setup";

    /// <summary>The code is wrong, malformed, or was already used.</summary>
    public const string InvalidCode = "two_factor_invalid_code";

    /// <summary>
    /// Two-factor authentication is active, and replacing the authenticator or the recovery codes needs the current
    /// second factor (a code from the current authenticator or a recovery code) besides the password; none was given.
    /// </summary>
    public const string CurrentCodeRequired = "two_factor_current_code_required";
}
