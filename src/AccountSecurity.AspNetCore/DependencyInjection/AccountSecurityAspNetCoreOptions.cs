using AccountSecurity.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace AccountSecurity.AspNetCore.DependencyInjection;

/// <summary>Options of the ASP.NET Core layer, set in <c>AddAspNetCore(o =&gt; …)</c> and validated when the host starts.</summary>
public sealed class AccountSecurityAspNetCoreOptions
{
    /// <summary>The session and two-factor pending cookies.</summary>
    public AccountSecurityCookieOptions Cookies { get; } = new();

    /// <summary>How the session cookie's server-side sessions are begun (device label, client address) and cleaned up.</summary>
    public AccountSecuritySessionHttpOptions Sessions { get; } = new();

    /// <summary>The abuse limits of the JSON endpoints (and of <see cref="RateLimiting.AccountSecurityRateLimiter"/> for a host's own pages).</summary>
    public AccountSecurityRateLimitOptions RateLimits { get; } = new();

    /// <summary>
    /// Whether the JSON endpoints tell a locked account apart from a wrong password or code.
    /// </summary>
    /// <value>
    /// <see langword="false"/>: a lock is answered exactly like a wrong password (or, at the second step, a wrong code), so
    /// an attacker cannot tell which accounts exist or are under attack; the library still raises its lockout event, so
    /// the host can tell the real owner. <see langword="true"/> answers <c>403</c> with the code <c>locked_out</c> and the
    /// time the lock ends.
    /// </value>
    public bool RevealLockout { get; set; }

    /// <summary>
    /// Whether <c>MapAccountSecurityApi</c> maps the password reset endpoints (<c>POST {prefix}/password/reset</c> and
    /// <c>POST {prefix}/password/reset/complete</c>). They need an
    /// <see cref="AccountSecurity.Passwords.Reset.IPasswordResetTokenSender"/> (it delivers the reset link); a host that
    /// maps them without one fails at start-up, never with a <c>500</c> at the first request. Turn them off for a host
    /// that sends no reset mail (or resets passwords through its own pages): then it needs no sender for the JSON
    /// endpoints. Never turns off <see cref="AccountSecurity.Passwords.Reset.IPasswordResetService"/> itself.
    /// </summary>
    /// <value><see langword="true"/>.</value>
    public bool MapPasswordResetEndpoints { get; set; } = true;

    /// <summary>
    /// Whether <c>MapAccountSecurityApi</c> maps <c>POST {prefix}/admin/users</c> (an owner or administrator invites a
    /// user by e-mail) and <c>POST {prefix}/invitations/accept</c> (the invitee sets a password). Both need an
    /// <see cref="AccountSecurity.Accounts.Invitations.IAccountInvitationSender"/>, checked at start-up. Self-registration
    /// (<c>POST {prefix}/register</c>) is mapped by <c>AccountSecurityOptions.Registration.Enabled</c> instead, and maps
    /// the accept endpoint too. Never turns off <see cref="AccountSecurity.Accounts.Invitations.IAccountInvitationService"/> itself.
    /// </summary>
    /// <value><see langword="false"/>: a host opts in when it delivers invitation mail.</value>
    public bool MapUserCreationEndpoints { get; set; }
}

/// <summary>The cookies the layer issues. All are <c>HttpOnly</c> and <c>Secure</c> whenever the request is HTTPS.</summary>
public sealed class AccountSecurityCookieOptions
{
    /// <summary>The session cookie's name.</summary>
    /// <value><c>.AccountSecurity.Session</c>.</value>
    public string SessionCookieName { get; set; } = ".AccountSecurity.Session";

    /// <summary>The two-factor pending cookie's name (it holds the sign-in ticket between the password and the second factor).</summary>
    /// <value><c>.AccountSecurity.TwoFactor</c>.</value>
    public string PendingCookieName { get; set; } = ".AccountSecurity.TwoFactor";

    /// <summary>
    /// The device cookie's name: the long-lived, encrypted cookie that keeps the device tokens of the accounts this
    /// browser signed in to, so their attempts count in the device's own failure budget and a lock that strangers cause
    /// does not keep the owner out (see <see cref="AccountSecurity.Lockout.TrustedDeviceOptions"/>; it lives as long as
    /// <c>Lockout.TrustedDevices.Lifetime</c>). Not issued when device tokens are off.
    /// </summary>
    /// <value><c>.AccountSecurity.Device</c>.</value>
    public string DeviceCookieName { get; set; } = ".AccountSecurity.Device";

    /// <summary>The path the pending cookie is sent to; narrow it to the host's sign-in pages when they share a prefix.</summary>
    /// <value><c>/</c>.</value>
    public string PendingCookiePath { get; set; } = "/";

    /// <summary>The SameSite mode of both cookies.</summary>
    /// <value><see cref="SameSiteMode.Strict"/>.</value>
    public SameSiteMode SameSite { get; set; } = SameSiteMode.Strict;

    /// <summary>
    /// No longer used: a session lasts as long as its server-side record allows (the contract's idle timeout and absolute
    /// lifetime, <c>AccountSecurityOptions.Sessions</c>, see docs/sessions.md). The cookie itself is a browser-session
    /// cookie whose protected ticket is never renewed and expires after <c>Sessions.MaxAbsoluteLifetime</c>, so it never
    /// outlives the longest session the server allows and the server alone decides when a session ends.
    /// </summary>
    [Obsolete("Ignored since sessions are server-side: set AccountSecurityOptions.Sessions (DefaultIdleTimeout, DefaultAbsoluteLifetime) or the contract's session policy instead.")]
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>No longer used: the server-side session's idle timeout replaces sliding expiration (see <see cref="SessionLifetime"/>).</summary>
    [Obsolete("Ignored since sessions are server-side: the session's idle timeout (AccountSecurityOptions.Sessions.DefaultIdleTimeout) replaces sliding expiration.")]
    public bool SlidingExpiration { get; set; } = true;

    /// <summary>
    /// Where a browser page that needs a session is redirected. Requests to the JSON endpoints and other API requests
    /// (no <c>text/html</c> in <c>Accept</c>, or <c>X-Requested-With</c>) always get <c>401</c>, never a redirect.
    /// </summary>
    /// <value>Empty: every unauthenticated request gets <c>401</c>.</value>
    public PathString LoginPath { get; set; }

    /// <summary>
    /// Where a browser page is redirected when its session must first set up the two-factor authentication an
    /// administrator forced (the user has no second factor yet; see
    /// <see cref="Authorization.ForcedTwoFactorSetupRequirement"/>): the host's setup page, which with the endpoints it
    /// posts to is marked <c>.AllowDuringTwoFactorSetup()</c>. The session is not ended. API requests always get
    /// <c>403</c> with the code <c>two_factor_setup_required</c>, never a redirect. A local path only: one that browsers
    /// read as another site (<c>//host</c>, <c>/\host</c>) fails the start.
    /// </summary>
    /// <value>Empty: such a page gets <c>403</c> with the code <c>two_factor_setup_required</c> too.</value>
    public PathString TwoFactorSetupPath { get; set; }

    /// <summary>
    /// Where a browser page is redirected when its session must first change a password that was found in a data breach
    /// after a sign-in (see <see cref="Authorization.ForcedPasswordChangeRequirement"/>): the host's password change page,
    /// which with the endpoints it posts to and reads is marked <c>.AllowDuringPasswordChange()</c>. The session is not
    /// ended. API requests always get <c>403</c> with the code <c>password_change_required</c>, never a redirect. A local
    /// path only: one that browsers read as another site (<c>//host</c>, <c>/\host</c>) fails the start.
    /// </summary>
    /// <value>Empty: such a page gets <c>403</c> with the code <c>password_change_required</c> too.</value>
    public PathString PasswordChangePath { get; set; }

    /// <summary>Where a browser page the user may not open is redirected; API requests always get <c>403</c>.</summary>
    /// <value>Empty: every forbidden request gets <c>403</c>.</value>
    public PathString AccessDeniedPath { get; set; }

    /// <summary>
    /// Called when the per-request check (<see cref="AccountSecuritySessionValidator"/>) rejects a session cookie (a changed
    /// stamp, a deactivated or deleted user, a malformed cookie), after the principal was rejected and the session cookie
    /// deleted: the place to remember why for the user, or to send the browser to a page that says so
    /// (<see cref="SessionRejectedContext.RedirectPath"/>). Not called for a request without a session cookie.
    /// An exception it throws propagates to the host (it fails the request).
    /// </summary>
    /// <value><see langword="null"/>: nothing beyond the rejection.</value>
    public Func<SessionRejectedContext, Task>? OnSessionRejected { get; set; }
}

/// <summary>
/// How the layer begins and cleans up server-side sessions (<see cref="AccountSecurity.Sessions.ISessionService"/>): what
/// it records of the device at sign-in, and how often it deletes ended and expired sessions. The session rules
/// themselves (timeouts, the maximum per user) are the core's <c>AccountSecurityOptions.Sessions</c>.
/// </summary>
public sealed class AccountSecuritySessionHttpOptions
{
    /// <summary>
    /// Whether a session records the client address it was signed in from (<c>HttpContext.Connection.RemoteIpAddress</c>,
    /// so behind a proxy only with the host's forwarded-headers middleware), passed through
    /// <see cref="AnonymizeClientAddress"/> first. Shown to the user in their list of sessions. Personal data: turn it
    /// off where the host has no use for it.
    /// </summary>
    /// <value><see langword="true"/>.</value>
    public bool RecordClientAddress { get; set; } = true;

    /// <summary>
    /// What of the client address is recorded (<see langword="null"/> records nothing). Return
    /// <c>address.ToString()</c> to keep it whole, or anything coarser.
    /// </summary>
    /// <value>
    /// <see cref="Sessions.SessionDevices.AnonymizeAddress"/>: the IPv4 address without its last octet, the IPv6
    /// address without its last 80 bits. A user still recognises the network (home, office, another country); the
    /// record no longer singles out a subscriber, which is all "Devices and sessions" needs (data minimisation, GDPR
    /// Art. 5(1)(c)).
    /// </value>
    public Func<System.Net.IPAddress, string?> AnonymizeClientAddress { get; set; } = Sessions.SessionDevices.AnonymizeAddress;

    /// <summary>The readable label of a session's device, from the request's <c>User-Agent</c> (<see langword="null"/> records none).</summary>
    /// <value><see cref="Sessions.SessionDevices.LabelFromUserAgent"/> ("Firefox on Windows"; unknown agents get no label).</value>
    public Func<string?, string?> DescribeUserAgent { get; set; } = Sessions.SessionDevices.LabelFromUserAgent;

    /// <summary>
    /// How often the hosted service <c>AddAspNetCore()</c> registers runs <see cref="AccountSecurity.Sessions.SessionCleanup.RunOnceAsync"/>
    /// (deletes ended and expired sessions in batches). <see langword="null"/> turns it off, for a host that schedules the
    /// clean-up itself (one instance of many, a job runner). Between 1 minute and 1 day. Validation never depends on it.
    /// </summary>
    /// <value>1 hour.</value>
    public TimeSpan? CleanUpInterval { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>A fixed-window limit: at most <see cref="PermitLimit"/> attempts per <see cref="Window"/> and partition.</summary>
public sealed class AbuseLimit
{
    /// <summary>Creates a limit.</summary>
    /// <param name="permitLimit">Attempts allowed per window (at least 1).</param>
    /// <param name="window">The window (positive).</param>
    public AbuseLimit(int permitLimit, TimeSpan window)
    {
        PermitLimit = permitLimit;
        Window = window;
    }

    /// <summary>Attempts allowed per window and partition (at least 1).</summary>
    public int PermitLimit { get; set; }

    /// <summary>The window's length (positive, at most a day).</summary>
    public TimeSpan Window { get; set; }
}

/// <summary>
/// Abuse limits per client address and per account, on the platform's <c>System.Threading.RateLimiting</c> fixed-window
/// limiters. They come on top of the library's per-factor lockout: they slow spraying across accounts and floods of
/// reset mails, which a per-account lockout cannot.
/// </summary>
public sealed class AccountSecurityRateLimitOptions
{
    /// <summary>Whether the limits apply at all.</summary>
    /// <value><see langword="true"/>.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>Sign-in attempts (password and second-factor steps) per client address.</summary>
    /// <value>30 per minute.</value>
    public AbuseLimit SignInPerClient { get; set; } = new(30, TimeSpan.FromMinutes(1));

    /// <summary>Sign-in attempts per account (the e-mail at the password step).</summary>
    /// <value>10 per minute.</value>
    public AbuseLimit SignInPerAccount { get; set; } = new(10, TimeSpan.FromMinutes(1));

    /// <summary>Password reset requests and completions per client address.</summary>
    /// <value>10 per 10 minutes.</value>
    public AbuseLimit PasswordResetPerClient { get; set; } = new(10, TimeSpan.FromMinutes(10));

    /// <summary>Password reset requests and completions per e-mail.</summary>
    /// <value>5 per 10 minutes.</value>
    public AbuseLimit PasswordResetPerAccount { get; set; } = new(5, TimeSpan.FromMinutes(10));

    /// <summary>Support PIN verifications per client address.</summary>
    /// <value>30 per minute.</value>
    public AbuseLimit SupportPinPerClient { get; set; } = new(30, TimeSpan.FromMinutes(1));

    /// <summary>Support PIN verifications per verified account (e-mail or user id).</summary>
    /// <value>10 per 10 minutes.</value>
    public AbuseLimit SupportPinPerAccount { get; set; } = new(10, TimeSpan.FromMinutes(10));

    /// <summary>Invitations, registrations and their acceptance per client address.</summary>
    /// <value>10 per 10 minutes.</value>
    public AbuseLimit UserCreationPerClient { get; set; } = new(10, TimeSpan.FromMinutes(10));

    /// <summary>Invitations and registrations per target e-mail address (so nobody floods one inbox).</summary>
    /// <value>3 per 10 minutes.</value>
    public AbuseLimit UserCreationPerAccount { get; set; } = new(3, TimeSpan.FromMinutes(10));
}
