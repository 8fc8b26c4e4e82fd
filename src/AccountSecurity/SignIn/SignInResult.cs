namespace AccountSecurity.SignIn;

/// <summary>Where a sign-in stands after a step.</summary>
public enum SignInStatus
{
    /// <summary>Signed in: <see cref="SignInResult.Session"/> is set.</summary>
    Succeeded = 0,

    /// <summary>The password was right; ask for a TOTP or recovery code with <see cref="SignInResult.Ticket"/>.</summary>
    SecondFactorRequired = 1,

    /// <summary>Two-factor authentication is forced but not set up: send the user through setup with <see cref="SignInResult.Ticket"/> (<see cref="ISignInService.BeginTwoFactorSetupAsync"/>); completing it (<see cref="ISignInService.TwoFactorSetupSignInAsync"/>) completes the sign-in.</summary>
    TwoFactorSetupRequired = 2,

    /// <summary>Too many failures: the factor is locked until <see cref="SignInResult.LockedOutUntil"/>.</summary>
    LockedOut = 3,

    /// <summary>Wrong credentials (the same answer for an unknown e-mail, a wrong password and an inactive user), or an invalid ticket or code.</summary>
    Failed = 4,

    /// <summary>
    /// The machine is at its capacity for password checks (<c>busy</c>): nothing was checked or counted, for any
    /// account alike. Ask the user to try again after <see cref="SignInResult.RetryAfter"/> (HTTP: 503 with Retry-After).
    /// </summary>
    Busy = 5,
}

/// <summary>The outcome of a sign-in step. <see cref="ToString"/> never prints the ticket, the device token or a recovery code.</summary>
public sealed record SignInResult
{
    /// <summary>Where the sign-in stands.</summary>
    public required SignInStatus Status { get; init; }

    /// <summary>The session to establish when <see cref="Status"/> is <see cref="SignInStatus.Succeeded"/>.</summary>
    public AuthenticatedSession? Session { get; init; }

    /// <summary>The short-lived, single-use ticket for the next step; keep it server-side or in a protected cookie.</summary>
    public string? Ticket { get; init; }

    /// <summary>When the lock ends, for <see cref="SignInStatus.LockedOut"/>.</summary>
    public DateTimeOffset? LockedOutUntil { get; init; }

    /// <summary>For <see cref="SignInStatus.Busy"/>: how long to wait before trying again (whole seconds); otherwise <see langword="null"/>.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>A stable code for a failure (see <see cref="SignInErrorCodes"/>); <see langword="null"/> otherwise.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>Whether the user is signed in.</summary>
    public bool Succeeded => Status == SignInStatus.Succeeded;

    /// <summary>
    /// For <see cref="SignInStatus.Succeeded"/>: the device token to keep on the device that signed in (a protected,
    /// long-lived cookie) and present at its next password step, so its attempts count in its own failure budget and a
    /// lock that strangers cause does not keep it out. Replaces the token the device presented. <see langword="null"/>
    /// when device tokens are off or could not be written. A secret: never log or display it.
    /// </summary>
    public string? DeviceToken { get; init; }

    /// <summary>A one-time recovery code list issued when forced setup completed the sign-in; shown once, never stored readable.</summary>
    public IReadOnlyList<string>? RecoveryCodes { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"SignInResult {{ Status = {Status}, ErrorCode = {ErrorCode}, LockedOutUntil = {LockedOutUntil:O} }}";
}

/// <summary>Stable codes of sign-in failures.</summary>
public static class SignInErrorCodes
{
    /// <summary>Unknown e-mail, wrong password or inactive user: deliberately indistinguishable.</summary>
    public const string InvalidCredentials = "invalid_credentials";

    /// <summary>The ticket is unknown, expired, already used, for another purpose, or its user's stamp changed.</summary>
    public const string InvalidTicket = "invalid_ticket";

    /// <summary>The second-factor code is wrong or malformed.</summary>
    public const string InvalidCode = "invalid_code";

    /// <summary>The TOTP code was already accepted once.</summary>
    public const string CodeReplayed = "code_replayed";
}
