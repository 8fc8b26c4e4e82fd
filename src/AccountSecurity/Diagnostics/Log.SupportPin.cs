using Microsoft.Extensions.Logging;

namespace AccountSecurity.Diagnostics;

/// <summary>Support-PIN log lines (event ids 300-399). Ids and codes only: no method here takes a PIN or a hash.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 300, Level = LogLevel.Warning,
        Message = "Stored support PIN hash of user {UserId} is malformed, of an unknown scheme, or needs a pepper that is not configured; verification failed")]
    public static partial void MalformedSupportPinHash(ILogger logger, LogValue userId);

    [LoggerMessage(EventId = 301, Level = LogLevel.Information,
        Message = "Support PIN hash of user {UserId} was upgraded to the configured cost and pepper after a successful verification")]
    public static partial void SupportPinRehashed(ILogger logger, LogValue userId);

    [LoggerMessage(EventId = 302, Level = LogLevel.Information,
        Message = "Support PIN check by agent {AgentId} refused before any comparison: {Code}")]
    public static partial void SupportPinVerificationRefusedInput(ILogger logger, LogValue agentId, LogValue code);

    [LoggerMessage(EventId = 303, Level = LogLevel.Warning,
        Message = "Stored support PIN hash of user {UserId} has a bcrypt cost above Hashing.MaximumWorkFactor ({Code}): it was refused without being computed, and the check was answered and counted as a wrong PIN. Import PIN hashes at a cost no higher than the maximum, or have the user set the PIN again")]
    public static partial void SupportPinHashCostTooHigh(ILogger logger, LogValue userId, LogValue code);
}
