namespace AccountSecurity.Results;

/// <summary>
/// Stable error codes shared by every capability. Codes never change once shipped; hosts may switch on them.
/// </summary>
public static class SecurityErrorCodes
{
    /// <summary>The user, contract or account named does not exist (only where saying so leaks nothing).</summary>
    public const string NotFound = "not_found";

    /// <summary>The acting user may not perform this operation.</summary>
    public const string NotAuthorized = "not_authorized";

    /// <summary>The user account is deactivated.</summary>
    public const string UserInactive = "user_inactive";

    /// <summary>Too many failed attempts; the factor is locked until <see cref="SecurityResult.LockedOutUntil"/>.</summary>
    public const string LockedOut = "locked_out";

    /// <summary>The account changed concurrently too many times in a row; the caller may try again.</summary>
    public const string ConcurrencyConflict = "concurrency_conflict";

    /// <summary>
    /// The machine is at its capacity for password and PIN checks: nothing was checked, counted or changed. Try again
    /// after <see cref="SecurityError.RetryAfter"/> (see <see cref="Passwords.Hashing.PasswordHashingOptions.MaxQueueTime"/>).
    /// </summary>
    public const string Busy = "busy";

    /// <summary>An input was missing, empty, too long or malformed.</summary>
    public const string InvalidInput = "invalid_input";

    /// <summary>An account with this e-mail or id already exists.</summary>
    public const string Duplicate = "duplicate";
}
