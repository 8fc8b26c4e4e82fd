using AccountSecurity.Accounts;
using AccountSecurity.Diagnostics;
using AccountSecurity.Events;
using AccountSecurity.Localization;
using AccountSecurity.Lockout;
using AccountSecurity.Passwords;
using AccountSecurity.Passwords.Hashing;
using AccountSecurity.Results;
using AccountSecurity.Sessions;
using AccountSecurity.SignIn;
using AccountSecurity.Stores;
using AccountSecurity.TwoFactor;
using AccountSecurity.Verification;

namespace AccountSecurity.Reauthentication;

/// <summary>The default <see cref="IReauthenticationService"/>.</summary>
internal sealed class ReauthenticationService : IReauthenticationService
{
    private readonly ReauthenticationGate _gate;
    private readonly GuardedUserStore _users;
    private readonly ISessionStore _sessions;
    private readonly PasswordVerifier _passwords;
    private readonly SecondFactorVerifier _secondFactor;
    private readonly SecurityEventPublisher _events;
    private readonly TimeProvider _time;

    public ReauthenticationService(
        ReauthenticationGate gate,
        GuardedUserStore users,
        ISessionStore sessions,
        PasswordVerifier passwords,
        SecondFactorVerifier secondFactor,
        SecurityEventPublisher events,
        TimeProvider time)
    {
        _gate = gate;
        _users = users;
        _sessions = sessions;
        _passwords = passwords;
        _secondFactor = secondFactor;
        _events = events;
        _time = time;
    }

    /// <inheritdoc />
    public async ValueTask<SecurityResult<ReauthenticationStatus>> GetStatusAsync(AuthenticatedSession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        var standing = await _gate.StandingAsync(session, cancellationToken).ConfigureAwait(false);
        var user = standing is null ? null : await _users.FindByIdAsync(session.UserId, cancellationToken).ConfigureAwait(false);
        if (standing is null || user is not { IsActive: true })
        {
            return SecurityResult<ReauthenticationStatus>.Failed(ReauthenticationGate.SessionEnded());
        }

        var freshUntil = standing.FreshUntil(_time.GetUtcNow(), _gate.Window);
        return SecurityResult<ReauthenticationStatus>.Success(new ReauthenticationStatus(freshUntil is not null, freshUntil, MethodsFor(user)));
    }

    /// <inheritdoc />
    public async ValueTask<SecurityResult<Reauthenticated>> ReauthenticateAsync(AuthenticatedSession session, string? password, string? code = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        using var span = AccountSecurityActivitySource.Start(SpanNames.Reauthenticate);
        using var context = SecurityEventContext.For(session);
        return span.Outcome(await ReauthenticateCoreAsync(session, password, code, cancellationToken).ConfigureAwait(false));
    }

    private async ValueTask<SecurityResult<Reauthenticated>> ReauthenticateCoreAsync(AuthenticatedSession session, string? password, string? code, CancellationToken cancellationToken)
    {
        var standing = await _gate.StandingAsync(session, cancellationToken).ConfigureAwait(false);
        var user = standing is null ? null : await _users.FindByIdAsync(session.UserId, cancellationToken).ConfigureAwait(false);
        if (standing is null || user is not { IsActive: true })
        {
            return SecurityResult<Reauthenticated>.Failed(ReauthenticationGate.SessionEnded());
        }

        var methods = MethodsFor(user);
        var withCode = methods.Contains(ReauthenticationMethods.PasswordAndCode);
        if (!withCode && !methods.Contains(ReauthenticationMethods.Password))
        {
            return await FailedAsync(user, new SecurityError(SecurityErrorCodes.ReauthenticationMethodUnavailable, UserMessages.ConfirmWithPasskey), AuthenticationFactor.Password, cancellationToken).ConfigureAwait(false);
        }

        if (withCode && string.IsNullOrWhiteSpace(code))
        {
            // Refused before anything is counted, as a 2FA change without its code is.
            return SecurityResult<Reauthenticated>.Failed(new SecurityError(SecurityErrorCodes.TwoFactorCurrentCodeRequired, UserMessages.EnterCurrentCode) { Field = "code" });
        }

        if (withCode && RecoveryCodes.IsWellFormed(code))
        {
            // Not verified, so not spent: a recovery code is the way back into an account, not a proof for changing it.
            return await FailedAsync(user, new SecurityError(SecurityErrorCodes.InvalidCode, UserMessages.RecoveryCodeCannotConfirm) { Field = "code" }, AuthenticationFactor.SecondFactor, cancellationToken).ConfigureAwait(false);
        }

        var passwordCheck = await _passwords.CheckAsync(user, password, SecurityErrorCodes.PasswordWrongCurrent, cancellationToken).ConfigureAwait(false);
        if (!passwordCheck.Succeeded)
        {
            await PublishFailedAsync(user, passwordCheck.Result.Errors[0].Code, AuthenticationFactor.Password, cancellationToken).ConfigureAwait(false);
            return SecurityResult<Reauthenticated>.From(passwordCheck.Result);
        }

        if (withCode)
        {
            var check = await _secondFactor.VerifyTotpAsync(passwordCheck.User!, code, pending: false, current => current.IsActive && current.TwoFactor.IsEnabled, null, cancellationToken).ConfigureAwait(false);
            if (!check.IsVerified)
            {
                var failure = check switch
                {
                    { IsLocked: true } => PasswordVerifier.LockedOut(check.LockedUntil!.Value),
                    { Status: FactorStatus.Replayed } => SecurityResult.Failed(SignInMessages.Error(SecurityErrorCodes.CodeReplayed) with { Field = "code" }),
                    { Status: FactorStatus.Busy or FactorStatus.Unavailable or FactorStatus.NotFound } => SecurityResult.Failed(PasswordVerifier.Busy()),
                    { Status: FactorStatus.Overloaded } => SecurityResult.Failed(HashingLimiter.BusyError(check.RetryAfter!.Value)),
                    _ => SecurityResult.Failed(new SecurityError(SecurityErrorCodes.InvalidCode, UserMessages.CodeInvalidEnterCurrent) { Field = "code" }),
                };
                await PublishFailedAsync(user, failure.Errors[0].Code, AuthenticationFactor.SecondFactor, cancellationToken).ConfigureAwait(false);
                return SecurityResult<Reauthenticated>.From(failure);
            }
        }

        return await RecordAsync(session, user, withCode ? ReauthenticationMethods.PasswordAndCode : ReauthenticationMethods.Password, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Records a completed re-authentication of <paramref name="session"/> (by <paramref name="method"/>, one of
    /// <see cref="ReauthenticationMethods"/>): on the session's record when it is server-side, and as an event. For the
    /// passkey ceremony of the passkeys package too, after it verified an assertion with user verification.
    /// </summary>
    internal async ValueTask<SecurityResult<Reauthenticated>> RecordAsync(AuthenticatedSession session, UserAccount user, string method, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (session.SessionId is { } sessionId && !await _sessions.MarkReauthenticatedAsync(session.UserId, sessionId, now, cancellationToken).ConfigureAwait(false))
        {
            return SecurityResult<Reauthenticated>.Failed(ReauthenticationGate.SessionEnded());
        }

        await _events.PublishAsync(SecurityEventType.Reauthenticated, user.Id, user.ContractId, cancellationToken, outcome: method).ConfigureAwait(false);
        return SecurityResult<Reauthenticated>.Success(new Reauthenticated(session with { ReauthenticatedAt = now }, now, now + _gate.Window));
    }

    /// <summary>
    /// The ways <paramref name="user"/> can re-authenticate, strongest first: a passkey when they have one; the password
    /// with the code when the authenticator app is on; the password alone only for an account without a second factor.
    /// </summary>
    internal static IReadOnlyList<string> MethodsFor(UserAccount user)
    {
        var methods = new List<string>(2);
        if (user.Passkeys.Length > 0)
        {
            methods.Add(ReauthenticationMethods.Passkey);
        }

        if (user.PasswordHash is not null)
        {
            if (user.TwoFactor.IsEnabled)
            {
                methods.Add(ReauthenticationMethods.PasswordAndCode);
            }
            else if (user.Passkeys.Length == 0)
            {
                methods.Add(ReauthenticationMethods.Password);
            }
        }

        return methods;
    }

    private async ValueTask<SecurityResult<Reauthenticated>> FailedAsync(UserAccount user, SecurityError error, AuthenticationFactor factor, CancellationToken cancellationToken)
    {
        await PublishFailedAsync(user, error.Code, factor, cancellationToken).ConfigureAwait(false);
        return SecurityResult<Reauthenticated>.Failed(error);
    }

    private ValueTask PublishFailedAsync(UserAccount user, string code, AuthenticationFactor factor, CancellationToken cancellationToken) =>
        _events.PublishAsync(SecurityEventType.ReauthenticationFailed, user.Id, user.ContractId, cancellationToken, outcome: code, factor: factor);
}
