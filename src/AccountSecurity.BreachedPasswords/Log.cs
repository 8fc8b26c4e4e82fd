using Microsoft.Extensions.Logging;

namespace AccountSecurity.BreachedPasswords;

/// <summary>
/// Every log line of the package, source-generated, with stable event ids (2200-2299; the core package owns 1-1999, ASP.NET Core 2000-2099, Redis 2100-2199). Parameters are range prefixes
/// (5 hex characters, the only part of a hash that is ever sent), fixed words and counts: no method here takes a
/// password, a suffix or a full hash.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2201, Level = LogLevel.Warning,
        Message = "The breached-password source ({Source}) could not answer for range {Prefix} ({Reason}); the password was {Decision}")]
    public static partial void SourceUnavailable(ILogger logger, string source, string prefix, string reason, string decision);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Warning,
        Message = "The breached-password source ({Source}) answered range {Prefix} with {Count} malformed lines; they were skipped")]
    public static partial void MalformedLines(ILogger logger, string source, string prefix, int count);

    [LoggerMessage(EventId = 2203, Level = LogLevel.Error,
        Message = "The breached-password check threw {ExceptionType}; handled as an unavailable source")]
    public static partial void CheckFailed(ILogger logger, string exceptionType);
}
