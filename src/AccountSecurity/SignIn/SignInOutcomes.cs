using AccountSecurity.Accounts;
using AccountSecurity.Diagnostics;
using AccountSecurity.Events;
using AccountSecurity.Lockout;
using AccountSecurity.Results;
using AccountSecurity.Stores;
using AccountSecurity.Verification;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AccountSecurity.SignIn;

/// <summary>
/// The one place a sign-in step's outcome becomes a <see cref="SignInResult"/> and its event: a completed sign-in
/// (session built, <see cref="SecurityEventType.SignInSucceeded"/>) or a failed one
/// (<see cref="SecurityEventType.SignInFailed"/> with the code). Every ticket step — the second factor with a TOTP or a
/// recovery code, and the forced setup that completes a sign-in — maps the verifier's outcome here, so the same outcome
/// gives the same answer and the same events whichever step produced it.
/// </summary>
internal sealed class SignInOutcomes
{
    private readonly SecurityEventPublisher _events;
    private readonly TimeProvider _time;
    private readonly UserUpdater _updater;
    private readonly TrustedDeviceOptions _devices;
    private readonly SampledLog? _forged;
    private readonly ILogger _logger;

    public SignInOutcomes(SecurityEventPublisher events, TimeProvider time, UserUpdater updater, TrustedDeviceOptions devices, SampledLog? forged = null, ILogger? logger = null)
    {
        _forged = forged;
        _logger = logger ?? NullLogger.Instance;
        _events = events;
        _time = time;
        _updater = updater;
        _devices = devices;
    }

    /// <summary>
    /// <see cref="SignInTickets.TryParse"/>, and a ticket that is there but malformed — one the server never issued, so
    /// made up or altered by the client — is counted and logged sampled (<see cref="SampledLog"/>). A missing ticket is
    /// not a forgery; a well-formed one that matches nothing may simply have expired, so neither is reported.
    /// </summary>
    public bool TryParseTicket(string? ticket, out string userId, out string ticketHash)
    {
        if (SignInTickets.TryParse(ticket, out userId, out ticketHash))
        {
            return true;
        }

        if (!string.IsNullOrEmpty(ticket) && _forged is not null && _forged.ShouldLog(ForgedStateKind.SignInTicket, out var suppressed))
        {
            Log.SignInTicketForged(_logger, suppressed);
        }

        return false;
    }

    /// <summary>A failure that no user could be tied to (a malformed ticket): no event, since there is nothing to report on.</summary>
    public static SignInResult Failed(string code) => SignInResult.Failed(code);

    /// <summary>
    /// The machine is at its hashing capacity: nothing was checked or counted, so no failure event is raised (the
    /// limiter's metrics count refusals). The host answers "try again" after <see cref="SecurityResult.RetryAfter"/>.
    /// </summary>
    public static SignInResult Busy(SecurityError busy) => SignInResult.Busy(busy);

    /// <summary>
    /// The sign-in completed: the device it came from is remembered (<paramref name="device"/>, when still trusted,
    /// gets a fresh token; otherwise a new device is added), then the session over <paramref name="user"/>'s state as
    /// written, the device token, and the success event. The device write is a separate, best-effort write: when the
    /// store stays busy, or the account changed meanwhile, the sign-in still completes, without a device token.
    /// <paramref name="rememberDevice"/> is <see langword="false"/> for sign-ins that never count against a budget
    /// (passwordless passkeys: nothing to guess), so they neither add nor evict devices.
    /// </summary>
    public async ValueTask<SignInResult> CompletedAsync(UserAccount user, IReadOnlyList<string> methods, CancellationToken cancellationToken, IReadOnlyList<string>? recoveryCodes = null, DeviceClaim? device = null, bool rememberDevice = true)
    {
        var deviceToken = rememberDevice ? await RememberDeviceAsync(user, device, cancellationToken).ConfigureAwait(false) : null;
        await _events.PublishAsync(SecurityEventType.SignInSucceeded, user.Id, user.ContractId, cancellationToken, outcome: string.Join('+', methods)).ConfigureAwait(false);
        return SignInResult.SignedIn(new AuthenticatedSession(user.Id, user.ContractId, user.SecurityStamp, methods, _time.GetUtcNow()), deviceToken, recoveryCodes);
    }

    private async ValueTask<string?> RememberDeviceAsync(UserAccount user, DeviceClaim? device, CancellationToken cancellationToken)
    {
        if (!_devices.Enabled)
        {
            return null;
        }

        return await _updater.UpdateAsync(
            user.Id,
            current =>
            {
                // Only on the state the sign-in completed on: a deactivation or a stamp change since gives no device trust.
                if (current is null || !current.IsActive || !string.Equals(current.SecurityStamp, user.SecurityStamp, StringComparison.Ordinal))
                {
                    return UserChange.Keep<string?>(null);
                }

                var (next, token) = TrustedDevices.Remember(current, device, _time.GetUtcNow(), _devices);
                return UserChange.Save<string?>(next, token);
            },
            () => null,
            cancellationToken,
            user).ConfigureAwait(false);
    }

    /// <summary>A failed step of <paramref name="user"/> (or of no known user): the failure event with <paramref name="code"/>, then the answer.</summary>
    public async ValueTask<SignInResult> FailedAsync(UserAccount? user, string code, AuthenticationFactor factor, CancellationToken cancellationToken)
    {
        await _events.PublishAsync(SecurityEventType.SignInFailed, user?.Id, user?.ContractId, cancellationToken, outcome: code, factor: factor).ConfigureAwait(false);
        return Failed(code);
    }

    /// <summary>A step refused because <paramref name="factor"/> is locked (or this failure locked it): the failure event with <c>locked_out</c>, and when the lock ends.</summary>
    public async ValueTask<SignInResult> LockedOutAsync(UserAccount user, DateTimeOffset? until, AuthenticationFactor factor, CancellationToken cancellationToken)
    {
        await _events.PublishAsync(SecurityEventType.SignInFailed, user.Id, user.ContractId, cancellationToken, outcome: SecurityErrorCodes.LockedOut, factor: factor).ConfigureAwait(false);
        return SignInResult.LockedOut(until);
    }

    /// <summary>
    /// The second-factor outcome of a ticket step for <paramref name="user"/> (the state the step decided on): success
    /// completes the sign-in with <c>pwd</c>, <paramref name="method"/> and <c>mfa</c> (and <paramref name="recoveryCodes"/>,
    /// when the step issued them); every failure is a failed sign-in — <c>locked_out</c>, <c>code_replayed</c>,
    /// <c>invalid_ticket</c> (the ticket or the setup it stood for was no longer live at the write),
    /// <c>concurrency_conflict</c> or <c>invalid_code</c>.
    /// </summary>
    public ValueTask<SignInResult> FromSecondFactorAsync(UserAccount user, FactorCheck check, string method, CancellationToken cancellationToken, IReadOnlyList<string>? recoveryCodes = null, DeviceClaim? device = null) =>
        check switch
        {
            { IsVerified: true } => CompletedAsync(check.User!, [AuthenticationMethods.Password, method, AuthenticationMethods.MultiFactor], cancellationToken, recoveryCodes, device),
            { IsLocked: true } => LockedOutAsync(user, check.LockedUntil, AuthenticationFactor.SecondFactor, cancellationToken),
            { Status: FactorStatus.Replayed } => FailedAsync(user, SecurityErrorCodes.CodeReplayed, AuthenticationFactor.SecondFactor, cancellationToken),
            { Status: FactorStatus.Unavailable or FactorStatus.NotFound } => FailedAsync(user, SecurityErrorCodes.InvalidTicket, AuthenticationFactor.SecondFactor, cancellationToken),
            { Status: FactorStatus.Busy } => FailedAsync(user, SecurityErrorCodes.ConcurrencyConflict, AuthenticationFactor.SecondFactor, cancellationToken),
            { Status: FactorStatus.Overloaded } => ValueTask.FromResult(Busy(Passwords.Hashing.HashingLimiter.BusyError(check.RetryAfter!.Value))),
            _ => FailedAsync(user, SecurityErrorCodes.InvalidCode, AuthenticationFactor.SecondFactor, cancellationToken),
        };
}
