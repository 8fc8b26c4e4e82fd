using AccountSecurity.AspNetCore.RateLimiting;
using Microsoft.Extensions.Logging;

namespace AccountSecurity.AspNetCore.Diagnostics;

/// <summary>The layer's log lines: ids, operations and codes only, never a password, code, PIN, ticket, token or cookie.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Session of user {UserId} rejected: its security stamp changed, the user is gone or inactive, or the cookie is malformed.")]
    public static partial void SessionRejected(ILogger logger, string? userId);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Rate limit reached for {Operation} per {Partition}.")]
    public static partial void RateLimited(ILogger logger, AbuseOperation operation, string partition);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Request to {Path} refused: missing or invalid antiforgery token.")]
    public static partial void AntiforgeryRefused(ILogger logger, string path);
}
