using System.Collections.Concurrent;
using AccountSecurity.Accounts.Administration;
using AccountSecurity.AspNetCore.Authentication;
using AccountSecurity.Events;
using AccountSecurity.Sessions;
using Microsoft.AspNetCore.DataProtection;

namespace AccountSecurity.WebSample.Infrastructure;

/// <summary>Why a session ended, as far as the person holding it may know.</summary>
public enum SessionEndReason
{
    /// <summary>The sample cannot tell (e.g. it was restarted since): a neutral message.</summary>
    Unknown,

    /// <summary>The password was changed (in another session) or reset.</summary>
    PasswordChanged,

    /// <summary>The contract owner or an administrator reset the user's two-factor authentication.</summary>
    TwoFactorReset,

    /// <summary>The user changed their own two-factor settings in another session.</summary>
    TwoFactorChanged,

    /// <summary>The account was deactivated.</summary>
    Deactivated,

    /// <summary>The account's e-mail address or role changed.</summary>
    AccountChanged,

    /// <summary>The user signed this session out from another of their sessions ("Devices and sessions").</summary>
    EndedByUser,

    /// <summary>An administrator signed the user out everywhere.</summary>
    EndedByAdministrator,

    /// <summary>A newer sign-in went beyond the contract's number of sessions per user, and this was the oldest.</summary>
    SessionLimit,
}

/// <summary>
/// Tells a user whose session was ended why. The library's session check answers only valid or not, so the sample
/// keeps its own record: an event sink that remembers, per user, the last library event that ends sessions (security
/// stamp changed, account deactivated). When the package's per-request check rejects a cookie (its
/// <c>Cookies.OnSessionRejected</c> hook calls <see cref="RememberAsync"/>), the newest such event after the session's sign-in
/// is the reason; it goes into a short-lived data-protected cookie (a reason code, nothing secret) for the
/// <c>/session-ended</c> page, where the hook also sends the browser. The record lives in memory: after a restart the page says only that the session ended.
/// It never names who acted, nor anything about other users.
/// </summary>
public sealed class SessionEnded(IDataProtectionProvider dataProtection) : ISecurityEventSink
{
    private const string CookieName = "as.ended";
    /// <summary>The page that says why; a rejected session's browser page is sent here instead of sign-in.</summary>
    public const string PagePath = "/session-ended";

    private const int Capacity = 10_000;
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);
    private readonly ConcurrentDictionary<string, (SessionEndReason Reason, DateTimeOffset At)> _last = new(StringComparer.Ordinal);
    private readonly IDataProtector _protector = dataProtection.CreateProtector("AccountSecurity.WebSample.SessionEnded");

    /// <inheritdoc />
    public ValueTask OnEventAsync(SecurityEvent securityEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(securityEvent);
        var reason = securityEvent.Type switch
        {
            SecurityEventType.PasswordChanged or SecurityEventType.PasswordResetCompleted => SessionEndReason.PasswordChanged,
            SecurityEventType.TwoFactorReset => SessionEndReason.TwoFactorReset,
            SecurityEventType.TwoFactorEnabled or SecurityEventType.TwoFactorDisabled or SecurityEventType.RecoveryCodesRegenerated => SessionEndReason.TwoFactorChanged,
            SecurityEventType.UserDeactivated => SessionEndReason.Deactivated,
            SecurityEventType.EmailChanged or SecurityEventType.RoleChanged or SecurityEventType.ContractOwnershipTransferred => SessionEndReason.AccountChanged,
            _ => SessionEndReason.Unknown,
        };
        if (reason != SessionEndReason.Unknown && securityEvent.UserId is { } userId)
        {
            if (_last.Count >= Capacity)
            {
                _last.Clear();
            }

            _last[userId] = (reason, securityEvent.OccurredAt);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// The package's <c>OnSessionRejected</c> hook: remembers why the session ended for the next page, and sends a browser
    /// page that needed the session to <see cref="PagePath"/> instead of sign-in.
    /// </summary>
    public async Task RememberAsync(SessionRejectedContext rejected)
    {
        ArgumentNullException.ThrowIfNull(rejected);
        var context = rejected.HttpContext;
        var session = rejected.Session;
        rejected.RedirectPath = PagePath;
        // The server-side session says who ended it when the user or an administrator did; for a credential change,
        // a deactivation or a timeout the sample's own record below says more.
        var reason = rejected.EndReason switch
        {
            SessionEndReasons.EndedByUser => SessionEndReason.EndedByUser,
            SessionEndReasons.EndedByAdministrator => SessionEndReason.EndedByAdministrator,
            SessionEndReasons.SessionLimit => SessionEndReason.SessionLimit,
            SessionEndReasons.Deactivated => SessionEndReason.Deactivated,
            _ => SessionEndReason.Unknown,
        };
        if (reason == SessionEndReason.Unknown && session is not null)
        {
            // Events are stamped to the second's fraction, the session's sign-in time to the second.
            if (_last.TryGetValue(session.UserId, out var last) && last.At >= session.AuthenticatedAt)
            {
                reason = last.Reason;
            }
            else if (!(await context.RequestServices.GetRequiredService<IAccountAdministrationService>().GetUserAsync(session.UserId, session.UserId, context.RequestAborted)).Succeeded)
            {
                // Without a record (after a restart), an account that cannot read itself is gone or deactivated.
                reason = SessionEndReason.Deactivated;
            }
        }

        context.Response.Cookies.Append(CookieName, _protector.Protect(reason.ToString()), Options(context));
    }

    /// <summary>The reason remembered for this browser, or <see cref="SessionEndReason.Unknown"/>.</summary>
    public SessionEndReason Read(HttpContext context)
    {
        if (!context.Request.Cookies.TryGetValue(CookieName, out var value) || string.IsNullOrEmpty(value))
        {
            return SessionEndReason.Unknown;
        }

        try
        {
            return Enum.TryParse<SessionEndReason>(_protector.Unprotect(value), out var reason) ? reason : SessionEndReason.Unknown;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return SessionEndReason.Unknown;
        }
    }

    /// <summary>Forgets the reason (after the next sign-in).</summary>
    public static void Clear(HttpContext context) => context.Response.Cookies.Delete(CookieName, Options(context));

    /// <summary>What the page says for <paramref name="reason"/>: what happened and what to do next.</summary>
    public static string Message(SessionEndReason reason) => reason switch
    {
        SessionEndReason.PasswordChanged => "Your password was changed in another session or through a reset link, so every other session was signed out. Sign in with the new password. If you did not change it, reset it now and tell your administrator.",
        SessionEndReason.TwoFactorReset => "An administrator reset your two-factor authentication, so your sessions were signed out. Sign in with your password; if two-factor authentication is required for you, you will be asked to set it up again.",
        SessionEndReason.TwoFactorChanged => "Your two-factor authentication settings were changed in another session, so this session was signed out. Sign in again.",
        SessionEndReason.Deactivated => "Your account has been deactivated, so your sessions were signed out. Contact your administrator if you need access again.",
        SessionEndReason.AccountChanged => "Your account's e-mail address or role was changed, so your sessions were signed out. Sign in again.",
        SessionEndReason.EndedByUser => "This session was signed out from another of your sessions (Devices and sessions). Sign in again. If that was not you, reset your password.",
        SessionEndReason.EndedByAdministrator => "An administrator of your contract signed you out everywhere. Sign in again; ask your administrator if you do not know why.",
        SessionEndReason.SessionLimit => "You signed in on more devices than your contract allows at once, so this session, the oldest, was signed out. Sign in again.",
        _ => "Your session has ended. Please sign in again.",
    };

    private static CookieOptions Options(HttpContext context) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Lax,
        Secure = context.Request.IsHttps,
        Path = "/",
        MaxAge = Lifetime,
        IsEssential = true,
    };
}
