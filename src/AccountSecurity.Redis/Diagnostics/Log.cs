using Microsoft.Extensions.Logging;

namespace AccountSecurity.Redis.Diagnostics;

/// <summary>
/// The package's log lines: the limit's name and the kind of failure only, never a partition key (an address, an
/// e-mail, a device id), a Redis key or the client library's message (its timeout messages name the key).
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "Redis did not answer an abuse-limit check of {Limit} ({Reason}): the limits are counted per instance until it does (retried every {RetryInterval}).")]
    public static partial void FellBack(ILogger logger, string limit, string reason, TimeSpan retryInterval);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "Redis answers abuse-limit checks again: the limits are shared by every instance.")]
    public static partial void SharedAgain(ILogger logger);
}
