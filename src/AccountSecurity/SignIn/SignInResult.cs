using AccountSecurity.Results;

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

    /// <summary>Too many failures: the factor is locked until <see cref="SecurityResult.LockedOutUntil"/>.</summary>
    LockedOut = 3,

    /// <summary>Wrong credentials (the same answer for an unknown e-mail, a wrong password and an inactive user), or an invalid ticket or code.</summary>
    Failed = 4,

    /// <summary>
    /// The machine is at its capacity for password checks (<c>busy</c>): nothing was checked or counted, for any
    /// account alike. Ask the user to try again after <see cref="SecurityResult.RetryAfter"/> (HTTP: 503 with Retry-After).
    /// </summary>
    Busy = 5,
}

/// <summary>
/// The outcome of a sign-in step, in the shape of every other result: <see cref="SecurityResult.Succeeded"/> means
/// signed in (<see cref="SecurityResult{T}.Value"/> is the session to establish); anything else carries one error with a
/// stable code — also the steps still open, <c>second_factor_required</c> and <c>two_factor_setup_required</c>, which come
/// with <see cref="Ticket"/> — and <see cref="Status"/> says which case it is. <see cref="ToString"/> never prints the
/// ticket, the device token or a recovery code.
/// </summary>
public sealed class SignInResult : SecurityResult<AuthenticatedSession>
{
    private SignInResult(SignInStatus status, AuthenticatedSession? session, IReadOnlyList<SecurityError> errors, DateTimeOffset? lockedOutUntil)
        : base(session, errors, lockedOutUntil) => Status = status;

    /// <summary>Where the sign-in stands.</summary>
    public SignInStatus Status { get; }

    /// <summary>The session to establish when signed in (<see cref="SecurityResult{T}.Value"/>); <see langword="null"/> otherwise.</summary>
    public AuthenticatedSession? Session => Succeeded ? Value : null;

    /// <summary>
    /// For <see cref="SignInStatus.SecondFactorRequired"/> and <see cref="SignInStatus.TwoFactorSetupRequired"/>: the
    /// short-lived, single-use ticket for the next step; keep it server-side or in a protected cookie. A secret.
    /// </summary>
    public string? Ticket { get; private init; }

    /// <summary>
    /// When signed in: the device token to keep on the device that signed in (a protected, long-lived cookie) and
    /// present at its next password step, so its attempts count in its own failure budget and a lock that strangers
    /// cause does not keep it out. Replaces the token the device presented. <see langword="null"/> when device tokens
    /// are off or could not be written. A secret: never log or display it.
    /// </summary>
    public string? DeviceToken { get; private init; }

    /// <summary>A one-time recovery code list issued when forced setup completed the sign-in; shown once, never stored readable.</summary>
    public IReadOnlyList<string>? RecoveryCodes { get; private init; }

    /// <summary>Signed in as <paramref name="session"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="session"/> is <see langword="null"/>.</exception>
    public static SignInResult SignedIn(AuthenticatedSession session, string? deviceToken = null, IReadOnlyList<string>? recoveryCodes = null)
    {
        ArgumentNullException.ThrowIfNull(session);
        return new(SignInStatus.Succeeded, session, [], null) { DeviceToken = deviceToken, RecoveryCodes = recoveryCodes };
    }

    /// <summary>The password was right; the next step needs the second factor with <paramref name="ticket"/> (code <c>second_factor_required</c>).</summary>
    public static SignInResult SecondFactorRequired(string ticket) =>
        new(SignInStatus.SecondFactorRequired, null, [SignInMessages.Error(SecurityErrorCodes.SecondFactorRequired)], null) { Ticket = ticket };

    /// <summary>The password was right; forced 2FA must be set up with <paramref name="ticket"/> first (code <c>two_factor_setup_required</c>).</summary>
    public static SignInResult TwoFactorSetupRequired(string ticket) =>
        new(SignInStatus.TwoFactorSetupRequired, null, [SignInMessages.Error(SecurityErrorCodes.TwoFactorSetupRequired)], null) { Ticket = ticket };

    /// <summary>Refused with <paramref name="code"/> (<c>invalid_credentials</c>, <c>invalid_ticket</c>, <c>invalid_code</c>, …) and the message that goes with it.</summary>
    public static SignInResult Failed(string code) => new(SignInStatus.Failed, null, [SignInMessages.Error(code)], null);

    /// <summary>Refused because the factor is locked until <paramref name="until"/> (code <c>locked_out</c>).</summary>
    public static SignInResult LockedOut(DateTimeOffset? until) =>
        new(SignInStatus.LockedOut, null, [SignInMessages.Error(SecurityErrorCodes.LockedOut)], until);

    /// <summary>The machine is at its hashing capacity (<paramref name="busy"/>, code <c>busy</c>): nothing was checked or counted.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="busy"/> is <see langword="null"/>.</exception>
    public static SignInResult Busy(SecurityError busy)
    {
        ArgumentNullException.ThrowIfNull(busy);
        return new(SignInStatus.Busy, null, [busy], null);
    }

    /// <summary>This result without its ticket and device token, for a caller that keeps them in cookies instead.</summary>
    internal SignInResult WithoutSecrets() =>
        new(Status, Session, Errors, LockedOutUntil) { RecoveryCodes = RecoveryCodes };

    /// <inheritdoc />
    protected override bool EqualsCore(SecurityResult other) =>
        base.EqualsCore(other) && other is SignInResult sign && sign.Status == Status
        && string.Equals(sign.Ticket, Ticket, StringComparison.Ordinal) && string.Equals(sign.DeviceToken, DeviceToken, StringComparison.Ordinal)
        && (sign.RecoveryCodes ?? []).SequenceEqual(RecoveryCodes ?? [], StringComparer.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => base.Equals(obj);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), Status);

    /// <inheritdoc />
    public override string ToString() => $"SignInResult {{ Status = {Status}, ErrorCode = {ErrorCode}, LockedOutUntil = {LockedOutUntil:O} }}";
}
