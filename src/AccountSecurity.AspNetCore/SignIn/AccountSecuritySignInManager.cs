using System.Security.Claims;
using AccountSecurity.AspNetCore.Authentication;
using AccountSecurity.AspNetCore.DependencyInjection;
using AccountSecurity.DependencyInjection;
using AccountSecurity.Localization;
using AccountSecurity.Results;
using AccountSecurity.Sessions;
using AccountSecurity.SignIn;
using AccountSecurity.TwoFactor;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace AccountSecurity.AspNetCore.SignIn;

/// <summary>What a pending sign-in waits for.</summary>
public enum PendingSignInStep
{
    /// <summary>A TOTP or recovery code (<see cref="AccountSecuritySignInManager.SecondFactorSignInAsync"/>, <see cref="AccountSecuritySignInManager.RecoveryCodeSignInAsync"/>).</summary>
    SecondFactor = 0,

    /// <summary>The forced two-factor setup (<see cref="AccountSecuritySignInManager.BeginTwoFactorSetupAsync"/>, then <see cref="AccountSecuritySignInManager.TwoFactorSetupSignInAsync"/>).</summary>
    TwoFactorSetup = 1,
}

/// <summary>
/// The HTTP-aware sign-in facade over <see cref="ISignInService"/> (the counterpart of Identity's <c>SignInManager</c>): it
/// keeps the sign-in ticket in the two-factor pending cookie between the steps and issues the session cookie when a
/// sign-in completes. Every method returns the library's result so the host decides the page; none throws on user
/// input, and none logs a password, code or ticket. Scoped: resolve it per request.
/// </summary>
public sealed class AccountSecuritySignInManager
{
    private readonly IHttpContextAccessor _accessor;
    private readonly ISignInService _signIn;
    private readonly TimeProvider _time;
    private readonly TimeSpan _ticketLifetime;
    private readonly DeviceCookie? _devices;
    private readonly ISessionService _sessions;
    private readonly AccountSecuritySessionHttpOptions _sessionOptions;

    /// <summary>Creates the facade (the container does).</summary>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public AccountSecuritySignInManager(IHttpContextAccessor accessor, ISignInService signIn, ISessionService sessions, TimeProvider time, IOptions<AccountSecurityOptions> options, IOptions<AccountSecurityAspNetCoreOptions> layerOptions)
        : this(accessor, signIn, sessions, time, options, layerOptions, devices: null)
    {
    }

    internal AccountSecuritySignInManager(IHttpContextAccessor accessor, ISignInService signIn, ISessionService sessions, TimeProvider time, IOptions<AccountSecurityOptions> options, IOptions<AccountSecurityAspNetCoreOptions> layerOptions, DeviceCookie? devices)
    {
        ArgumentNullException.ThrowIfNull(accessor);
        ArgumentNullException.ThrowIfNull(signIn);
        ArgumentNullException.ThrowIfNull(sessions);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(layerOptions);
        _accessor = accessor;
        _signIn = signIn;
        _sessions = sessions;
        _time = time;
        _ticketLifetime = options.Value.SignIn.TicketLifetime;
        _devices = options.Value.Lockout.TrustedDevices.Enabled ? devices : null;
        _sessionOptions = layerOptions.Value.Sessions;
    }

    /// <summary>The current request.</summary>
    /// <exception cref="InvalidOperationException">Used outside a request.</exception>
    public HttpContext Context => _accessor.HttpContext ?? throw new InvalidOperationException("AccountSecuritySignInManager is used outside an HTTP request.");

    /// <summary>
    /// The password step. On <see cref="SignInStatus.Succeeded"/> the session cookie is issued; on
    /// <see cref="SignInStatus.SecondFactorRequired"/> or <see cref="SignInStatus.TwoFactorSetupRequired"/> the ticket goes
    /// into the pending cookie (never into the result the host renders: <see cref="SignInResult.Ticket"/> is cleared).
    /// Failures (<c>invalid_credentials</c>, also for an unknown e-mail; <see cref="SignInStatus.LockedOut"/>) issue nothing.
    /// The device cookie's token for <paramref name="email"/>, when this browser has one, is presented, so a browser that
    /// signed in before counts in its own failure budget; a completed sign-in renews it. Never logs the password or a token.
    /// </summary>
    public async Task<SignInResult> PasswordSignInAsync(string? email, string? password, CancellationToken cancellationToken = default)
    {
        var deviceToken = _devices?.TokenFor(Context, email);
        var result = await _signIn.PasswordSignInAsync(email, password, deviceToken, cancellationToken).ConfigureAwait(false);
        switch (result.Status)
        {
            case SignInStatus.Succeeded:
                result = await CompleteAsync(result, email).ConfigureAwait(false);
                break;
            case SignInStatus.SecondFactorRequired:
                await SetPendingAsync(PendingSignInStep.SecondFactor, result.Ticket!, email).ConfigureAwait(false);
                break;
            case SignInStatus.TwoFactorSetupRequired:
                await SetPendingAsync(PendingSignInStep.TwoFactorSetup, result.Ticket!, email).ConfigureAwait(false);
                break;
        }

        return result.WithoutSecrets();
    }

    /// <summary>
    /// The second step with a TOTP code, against the pending cookie. Issues the session cookie (methods <c>pwd</c>,
    /// <c>otp</c>, <c>mfa</c>) and spends the pending cookie on success. Fails with <c>invalid_ticket</c> without a
    /// pending cookie, when it expired, was already used or is for setup; with <c>invalid_code</c>, <c>code_replayed</c>
    /// or <see cref="SignInStatus.LockedOut"/> otherwise (the pending cookie stays for another try until it expires).
    /// </summary>
    public Task<SignInResult> SecondFactorSignInAsync(string? code, CancellationToken cancellationToken = default) =>
        SecondStepAsync(PendingSignInStep.SecondFactor, ticket => _signIn.SecondFactorSignInAsync(ticket, code, cancellationToken));

    /// <summary>The second step with a one-time recovery code; see <see cref="SecondFactorSignInAsync"/>.</summary>
    public Task<SignInResult> RecoveryCodeSignInAsync(string? recoveryCode, CancellationToken cancellationToken = default) =>
        SecondStepAsync(PendingSignInStep.SecondFactor, ticket => _signIn.RecoveryCodeSignInAsync(ticket, recoveryCode, cancellationToken));

    /// <summary>
    /// Starts the forced setup of a pending sign-in: the QR code, URI and manual key to show (the secret stays pending).
    /// Fails with <c>invalid_ticket</c> without a pending setup cookie (none, expired, used, or for the code step).
    /// </summary>
    public async Task<SecurityResult<TwoFactorSetup>> BeginTwoFactorSetupAsync(CancellationToken cancellationToken = default)
    {
        var ticket = await GetPendingTicketAsync(PendingSignInStep.TwoFactorSetup).ConfigureAwait(false);
        if (ticket is null)
        {
            return SecurityResult<TwoFactorSetup>.Failed(new SecurityError(SecurityErrorCodes.InvalidTicket, UserMessages.SignInExpired));
        }

        return await _signIn.BeginTwoFactorSetupAsync(ticket, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Completes a forced setup with a code from the new secret: 2FA becomes active, the session cookie is issued and
    /// the result carries the recovery codes to show once. Fails as <see cref="SecondFactorSignInAsync"/> does.
    /// </summary>
    public Task<SignInResult> TwoFactorSetupSignInAsync(string? code, CancellationToken cancellationToken = default) =>
        SecondStepAsync(PendingSignInStep.TwoFactorSetup, ticket => _signIn.TwoFactorSetupSignInAsync(ticket, code, cancellationToken));

    /// <summary>What the current pending sign-in waits for, or <see langword="null"/> (none, expired, tampered).</summary>
    public async Task<PendingSignInStep?> GetPendingStepAsync()
    {
        var pending = await ReadPendingAsync().ConfigureAwait(false);
        return pending?.Step;
    }

    /// <summary>
    /// The session of the current request, authenticated with the session scheme (so validated against the store once per
    /// request), or <see langword="null"/> when there is none or it was ended.
    /// </summary>
    public async Task<AuthenticatedSession?> GetSessionAsync()
    {
        var result = await Context.AuthenticateAsync(AccountSecurityAuthenticationDefaults.SessionScheme).ConfigureAwait(false);
        return result.Succeeded ? result.Principal.GetAccountSecuritySession() : null;
    }

    /// <summary>
    /// Begins a server-side session for <paramref name="session"/> (a completed sign-in), issues the session cookie with
    /// its reference and ends any pending sign-in. <see langword="false"/> (and nothing issued) when the session could not
    /// begin (the store is busy).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="session"/> is <see langword="null"/>.</exception>
    public async Task<bool> SignInAsync(AuthenticatedSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return (await CompleteAsync(SignInResult.SignedIn(session), account: null).ConfigureAwait(false)).Succeeded;
    }

    /// <summary>
    /// Keeps the caller's session after their own security change (password, 2FA, passkeys), and ends every other
    /// session of the user (ASVS V7.4.3): <see cref="RefreshSignInAsync(string?, bool)"/> with
    /// <c>signOutOtherSessions</c> <see langword="true"/>.
    /// </summary>
    public Task<bool> RefreshSignInAsync(string? newSecurityStamp) => RefreshSignInAsync(newSecurityStamp, signOutOtherSessions: true);

    /// <summary>
    /// Keeps the caller's session after their own security change (password, 2FA, passkeys), which gave the user a new
    /// stamp: the server-side session adopts <paramref name="newSecurityStamp"/>
    /// (<see cref="ISessionService.AdoptStampAsync"/>), and every other session of the user ends when
    /// <paramref name="signOutOtherSessions"/> (the default choice, ASVS V7.4.3) or keeps going with the new stamp
    /// otherwise. Pass the stamp the library returned with the change (<c>PasswordChanged.SecurityStamp</c>,
    /// <c>TwoFactorChanged.SecurityStamp</c>, <c>AccountChanged.CallerSecurityStamp</c>). Call it right after the change,
    /// in the same request; the cookie stays as it is (it holds only the session's reference). Returns
    /// <see langword="false"/> when there is no current session or <paramref name="newSecurityStamp"/> is
    /// <see langword="null"/> or empty.
    /// </summary>
    public async Task<bool> RefreshSignInAsync(string? newSecurityStamp, bool signOutOtherSessions)
    {
        if (string.IsNullOrEmpty(newSecurityStamp))
        {
            return false;
        }

        var session = await GetSessionAsync().ConfigureAwait(false);
        if (session?.SessionId is not { } sessionId)
        {
            return false;
        }

        var adopted = await _sessions.AdoptStampAsync(session.UserId, sessionId, newSecurityStamp, signOutOtherSessions, Context.RequestAborted).ConfigureAwait(false);
        return adopted.Succeeded;
    }

    /// <summary>
    /// Ends every other session of the caller's user, keeping this one (after a change that leaves the stamp as it was,
    /// such as new recovery codes, or from "Sign out of all other sessions"). How many were ended; 0 without a session.
    /// </summary>
    public async Task<int> EndOtherSessionsAsync()
    {
        var session = await GetSessionAsync().ConfigureAwait(false);
        if (session?.SessionId is not { } sessionId)
        {
            return 0;
        }

        var ended = await _sessions.EndOthersAsync(session.UserId, sessionId, Context.RequestAborted).ConfigureAwait(false);
        return ended.Succeeded ? ended.Value : 0;
    }

    /// <summary>
    /// Completes the pending sign-in's <paramref name="step"/> with a step of another factor package (passkeys):
    /// <paramref name="verify"/> gets the ticket from the pending cookie and returns the library's answer; on success the
    /// session cookie is issued and the pending cookie spent, exactly as for a TOTP code. Without a pending cookie for
    /// <paramref name="step"/>, fails with <c>invalid_ticket</c> and never calls <paramref name="verify"/>.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="verify"/> is <see langword="null"/>.</exception>
    public Task<SignInResult> CompletePendingStepAsync(PendingSignInStep step, Func<string, ValueTask<SignInResult>> verify)
    {
        ArgumentNullException.ThrowIfNull(verify);
        return SecondStepAsync(step, verify);
    }

    /// <summary>
    /// Runs <paramref name="use"/> with the ticket of the pending sign-in waiting for <paramref name="step"/>
    /// (<see langword="null"/> when there is none), to start a ceremony bound to it (a passkey challenge). Issues nothing.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="use"/> is <see langword="null"/>.</exception>
    public async Task<T> WithPendingTicketAsync<T>(PendingSignInStep step, Func<string?, ValueTask<T>> use)
    {
        ArgumentNullException.ThrowIfNull(use);
        return await use(await GetPendingTicketAsync(step).ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <summary>
    /// Signs out: ends the current session on the server (<see cref="ISessionService.SignOutAsync"/>, so a copy of the
    /// cookie is worthless from now on, ASVS V7.4.1), then deletes the session and pending cookies.
    /// </summary>
    public async Task SignOutAsync()
    {
        if (await CurrentReferenceAsync().ConfigureAwait(false) is { } reference)
        {
            await _sessions.SignOutAsync(reference, Context.RequestAborted).ConfigureAwait(false);
        }

        await Context.SignOutAsync(AccountSecurityAuthenticationDefaults.SessionScheme).ConfigureAwait(false);
        await Context.SignOutAsync(AccountSecurityAuthenticationDefaults.PendingScheme).ConfigureAwait(false);
    }

    /// <summary>Deletes the session cookie only (its server-side session was already ended, as by ending the current session from the list).</summary>
    internal Task ClearSessionCookieAsync() => Context.SignOutAsync(AccountSecurityAuthenticationDefaults.SessionScheme);

    private async Task<SignInResult> SecondStepAsync(PendingSignInStep step, Func<string, ValueTask<SignInResult>> verify)
    {
        var pending = await ReadPendingAsync().ConfigureAwait(false);
        if (pending is not { } p || p.Step != step)
        {
            return SignInResult.Failed(SecurityErrorCodes.InvalidTicket);
        }

        var result = await verify(p.Ticket).ConfigureAwait(false);
        if (result.Succeeded)
        {
            result = await CompleteAsync(result, p.Account).ConfigureAwait(false);
        }
        else if (result.ErrorCode == SecurityErrorCodes.InvalidTicket)
        {
            // Spent, expired or revoked in the library: the cookie can never succeed again.
            await Context.SignOutAsync(AccountSecurityAuthenticationDefaults.PendingScheme).ConfigureAwait(false);
        }

        return result.WithoutSecrets();
    }

    /// <summary>
    /// The one completion of every sign-in (password, second factor, recovery code, forced setup, passkeys,
    /// passwordless): ends the session this browser had before, if any (a new session at every sign-in, ASVS V7.2.4),
    /// begins a server-side session from this request's device, issues the session cookie with its reference only, ends
    /// the pending sign-in, and keeps the result's device token in the device cookie under <paramref name="account"/>
    /// (the e-mail of the password step; without one, as after a passwordless sign-in, no device cookie is written, since
    /// the abuse limits key trusted devices by e-mail). When the session cannot begin (the store is busy) nothing is
    /// issued and the result is the failure.
    /// </summary>
    private async Task<SignInResult> CompleteAsync(SignInResult result, string? account)
    {
        if (await CurrentReferenceAsync().ConfigureAwait(false) is { } previous)
        {
            await _sessions.SignOutAsync(previous, Context.RequestAborted).ConfigureAwait(false);
        }

        var started = await _sessions.StartAsync(result.Session!, DeviceOf(Context), Context.RequestAborted).ConfigureAwait(false);
        if (!started.Succeeded)
        {
            return SignInResult.Busy(started.Errors[0]);
        }

        await Context.SignOutAsync(AccountSecurityAuthenticationDefaults.PendingScheme).ConfigureAwait(false);

        // A browser-session cookie whose ticket is never renewed: the server-side session alone decides how long it lasts.
        var now = _time.GetUtcNow();
        var properties = new AuthenticationProperties { IssuedUtc = now, AllowRefresh = false, IsPersistent = false };
        await Context.SignInAsync(AccountSecurityAuthenticationDefaults.SessionScheme, AccountSecurityPrincipal.ForCookie(started.Value.Reference), properties).ConfigureAwait(false);
        if (_devices is not null && result.DeviceToken is { } token && !string.IsNullOrWhiteSpace(account))
        {
            _devices.Remember(Context, account, token);
        }

        return result;
    }

    /// <summary>The reference of this request's valid session (the session scheme validates it once per request), or <see langword="null"/>.</summary>
    private async Task<string?> CurrentReferenceAsync()
    {
        if (AccountSecuritySessionValidator.ReferenceOf(Context) is { } known)
        {
            return known;
        }

        var authenticated = await Context.AuthenticateAsync(AccountSecurityAuthenticationDefaults.SessionScheme).ConfigureAwait(false);
        return authenticated.Succeeded ? AccountSecuritySessionValidator.ReferenceOf(Context) : null;
    }

    /// <summary>The device of this request as the host chose to record it: the User-Agent's label and the (anonymised) client address.</summary>
    private SessionDevice? DeviceOf(HttpContext context)
    {
        var label = _sessionOptions.DescribeUserAgent?.Invoke(context.Request.Headers.UserAgent.ToString());
        var address = _sessionOptions.RecordClientAddress && context.Connection.RemoteIpAddress is { } ip ? _sessionOptions.AnonymizeClientAddress?.Invoke(ip) : null;
        return label is null && address is null ? null : new SessionDevice(label, address);
    }

    private Task SetPendingAsync(PendingSignInStep step, string ticket, string? account)
    {
        var identity = new ClaimsIdentity(
            [
                new Claim(AccountSecurityClaimTypes.PendingTicket, ticket),
                new Claim(AccountSecurityClaimTypes.PendingStep, step.ToString()),
                new Claim(AccountSecurityClaimTypes.PendingAccount, account ?? string.Empty),
            ],
            AccountSecurityAuthenticationDefaults.PendingScheme);
        var now = _time.GetUtcNow();

        // The cookie lives exactly as long as the library's ticket, and is never renewed.
        var properties = new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = now + _ticketLifetime, AllowRefresh = false, IsPersistent = false };
        return Context.SignInAsync(AccountSecurityAuthenticationDefaults.PendingScheme, new ClaimsPrincipal(identity), properties);
    }

    private async Task<string?> GetPendingTicketAsync(PendingSignInStep step)
    {
        var pending = await ReadPendingAsync().ConfigureAwait(false);
        return pending is { } p && p.Step == step ? p.Ticket : null;
    }

    private async Task<(PendingSignInStep Step, string Ticket, string? Account)?> ReadPendingAsync()
    {
        var result = await Context.AuthenticateAsync(AccountSecurityAuthenticationDefaults.PendingScheme).ConfigureAwait(false);
        var ticket = result.Succeeded ? result.Principal.FindFirst(AccountSecurityClaimTypes.PendingTicket)?.Value : null;
        var stepText = result.Succeeded ? result.Principal.FindFirst(AccountSecurityClaimTypes.PendingStep)?.Value : null;
        if (string.IsNullOrEmpty(ticket) || !Enum.TryParse<PendingSignInStep>(stepText, ignoreCase: false, out var step) || !Enum.IsDefined(step))
        {
            return null;
        }

        return (step, ticket, result.Principal!.FindFirst(AccountSecurityClaimTypes.PendingAccount)?.Value);
    }
}
