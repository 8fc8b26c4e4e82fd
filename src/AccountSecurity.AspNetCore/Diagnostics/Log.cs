using AccountSecurity.AspNetCore.RateLimiting;
using AccountSecurity.Diagnostics;
using Microsoft.Extensions.Logging;

namespace AccountSecurity.AspNetCore.Diagnostics;

/// <summary>
/// The layer's log lines: ids, operations and codes only, never a password, code, PIN, ticket, token or cookie. Every
/// text parameter is the core's <see cref="LogValue"/>, so a value from a request (a decoded path with <c>%0D%0A</c> in
/// a route value, an id from a cookie) is escaped and bounded by the core's one rule whoever calls: it cannot forge a
/// line, hide text or flood the log (a test holds every method to it).
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Session {SessionId} of user {UserId} rejected (ended: {EndReason}): it was ended, idle or expired, its security stamp changed, the user is gone or inactive, or the cookie is malformed.")]
    public static partial void SessionRejected(ILogger logger, LogValue userId, LogValue sessionId, LogValue endReason);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Rate limit reached for {Operation} per {Partition}.")]
    public static partial void RateLimited(ILogger logger, AbuseOperation operation, LogValue partition);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Request to {Path} refused: missing or invalid antiforgery token.")]
    public static partial void AntiforgeryRefused(ILogger logger, LogValue path);

    // Sampled by the core's SampledLog: the first refusal of a minute, with the count of those left unlogged before it.
    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "A device cookie that does not unprotect was ignored: altered, not this application's, or under a retired key ({Suppressed} more since the last such line, logged at most once a minute).")]
    public static partial void DeviceCookieRefused(ILogger logger, long suppressed);
}
