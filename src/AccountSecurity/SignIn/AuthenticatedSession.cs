namespace AccountSecurity.SignIn;

/// <summary>Authentication method references (RFC 8176 style) carried by a session.</summary>
public static class AuthenticationMethods
{
    /// <summary>A password was verified.</summary>
    public const string Password = "pwd";

    /// <summary>A TOTP code was verified.</summary>
    public const string Otp = "otp";

    /// <summary>A one-time recovery code was used instead of a TOTP code.</summary>
    public const string RecoveryCode = "rec";

    /// <summary>A device-bound passkey (a hardware-secured key that cannot be copied) was verified (RFC 8176 <c>hwk</c>).</summary>
    public const string HardwareKey = "hwk";

    /// <summary>A synced passkey (a software-secured key that may be backed up to other devices) was verified (RFC 8176 <c>swk</c>).</summary>
    public const string SoftwareKey = "swk";

    /// <summary>More than one factor was used.</summary>
    public const string MultiFactor = "mfa";
}

/// <summary>
/// What a completed sign-in gives the host to put in its session (cookie, token). The host re-checks it with
/// <see cref="ISignInService.ValidateSessionAsync"/>; a changed security stamp means the session must end.
/// </summary>
/// <param name="UserId">The signed-in user.</param>
/// <param name="ContractId">The user's contract.</param>
/// <param name="SecurityStamp">The user's stamp at sign-in.</param>
/// <param name="Methods">The methods used: <see cref="AuthenticationMethods.Password"/>, plus <see cref="AuthenticationMethods.Otp"/> or <see cref="AuthenticationMethods.RecoveryCode"/> and <see cref="AuthenticationMethods.MultiFactor"/> when a second factor was used.</param>
/// <param name="AuthenticatedAt">When the sign-in completed.</param>
public sealed record AuthenticatedSession(string UserId, string ContractId, string SecurityStamp, IReadOnlyList<string> Methods, DateTimeOffset AuthenticatedAt)
{
    /// <summary>
    /// The server-side session this is (<see cref="Sessions.ISessionService"/>): set on a session begun with
    /// <see cref="Sessions.ISessionService.StartAsync"/> and on every validated one; <see langword="null"/> for a session
    /// the host keeps only in its own token.
    /// </summary>
    public string? SessionId { get; init; }

    /// <summary>
    /// When the session last re-authenticated (<see cref="Reauthentication.IReauthenticationService"/>), for a session
    /// the host keeps only in its own token; <see langword="null"/> when it has not. A server-side session's record is
    /// what counts for it, never this value.
    /// </summary>
    public DateTimeOffset? ReauthenticatedAt { get; init; }

    /// <summary>Whether the sign-in was completed with a second factor.</summary>
    public bool UsedSecondFactor => Methods.Contains(AuthenticationMethods.MultiFactor);

    /// <summary>
    /// The one rule for "this session still stands" on <paramref name="user"/>'s stored state: the account exists, is
    /// active and in the session's contract, and its security stamp is the session's (compared in constant time).
    /// </summary>
    internal bool IsCurrentFor([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] Accounts.UserAccount? user) =>
        user is { IsActive: true } && user.ContractId == ContractId && Accounts.SecurityStamp.Same(user.SecurityStamp, SecurityStamp);

    /// <summary>
    /// Where this session stands on <paramref name="user"/>'s stored state: <see cref="IsCurrentFor"/>, and for a current
    /// session whether its user must change a breached password, or else is forced to use two-factor authentication
    /// without having a second factor yet (<see cref="Accounts.SecondFactors.Any"/>): the password first, because
    /// attackers know it.
    /// </summary>
    internal SessionStatus StatusFor(Accounts.UserAccount? user) =>
        !IsCurrentFor(user) ? SessionStatus.Invalid
        : user.PasswordChangeRequired ? SessionStatus.PasswordChangeRequired
        : user.IsTwoFactorForced && !Accounts.SecondFactors.Any(user) ? SessionStatus.TwoFactorSetupRequired
        : SessionStatus.Valid;

    /// <inheritdoc />
    public override string ToString() =>
        $"AuthenticatedSession {{ UserId = {UserId}, ContractId = {ContractId}, SessionId = {SessionId}, Methods = [{string.Join(", ", Methods)}], AuthenticatedAt = {AuthenticatedAt:O} }}";
}
