using AccountSecurity.Events;
using AccountSecurity.Lockout;
using Microsoft.Extensions.Logging;

namespace AccountSecurity.Diagnostics;

/// <summary>
/// Every log line the package writes, source-generated, with stable event ids. Parameters are ids, codes and
/// counts only: no method here takes a password, code, PIN, secret, token or hash. Every text parameter is a
/// <see cref="LogValue"/>, so each value is escaped and bounded in that one place whoever calls (a test holds every
/// method to it).
/// </summary>
/// <remarks>Event id ranges: 1-99 events and infrastructure, 100-199 passwords, 200-299 two-factor, 300-399 support PIN, 400-499 stores, 600-699 security notifications.</remarks>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "Security event {EventType} for user {UserId} in contract {ContractId} by {ActorId} (factor {Factor}): {Outcome}")]
    public static partial void SecurityInformation(ILogger logger, SecurityEventType eventType, LogValue userId, LogValue contractId, LogValue actorId, AuthenticationFactor? factor, LogValue outcome);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning,
        Message = "Security event {EventType} for user {UserId} in contract {ContractId} by {ActorId} (factor {Factor}): {Outcome}")]
    public static partial void SecurityWarning(ILogger logger, SecurityEventType eventType, LogValue userId, LogValue contractId, LogValue actorId, AuthenticationFactor? factor, LogValue outcome);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error,
        Message = "Security event sink {Sink} threw {ExceptionType} while handling {EventType}; the operation continues")]
    public static partial void EventSinkFailed(ILogger logger, LogValue sink, SecurityEventType eventType, LogValue exceptionType);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning,
        Message = "Update of user {UserId} gave up after {Attempts} concurrency conflicts")]
    public static partial void ConcurrencyRetriesExhausted(ILogger logger, LogValue userId, int attempts);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning,
        Message = "Update of contract {ContractId} gave up after {Attempts} concurrency conflicts")]
    public static partial void ContractConcurrencyRetriesExhausted(ILogger logger, LogValue contractId, int attempts);

    [LoggerMessage(EventId = 100, Level = LogLevel.Warning,
        Message = "Stored password hash of user {UserId} is malformed or uses an unknown scheme; verification failed")]
    public static partial void MalformedPasswordHash(ILogger logger, LogValue userId);

    [LoggerMessage(EventId = 101, Level = LogLevel.Error,
        Message = "Delivering a password-reset token to user {UserId} failed with {ExceptionType}; the request was answered as usual")]
    public static partial void ResetDeliveryFailed(ILogger logger, LogValue userId, LogValue exceptionType);

    [LoggerMessage(EventId = 105, Level = LogLevel.Error,
        Message = "Delivering an invitation or account notice failed with {ExceptionType}; the request was answered as usual")]
    public static partial void InvitationDeliveryFailed(ILogger logger, LogValue exceptionType);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning,
        Message = "A password-reset request was not queued ({Reason}); it was answered as usual and nothing was sent")]
    public static partial void ResetRequestDropped(ILogger logger, LogValue reason);

    [LoggerMessage(EventId = 103, Level = LogLevel.Error,
        Message = "The work behind a password-reset request failed with {ExceptionType}; the request had been answered as usual")]
    public static partial void ResetRequestFailed(ILogger logger, LogValue exceptionType);

    [LoggerMessage(EventId = 106, Level = LogLevel.Warning,
        Message = "A breached-password check after a sign-in was skipped ({Reason}); the sign-in was answered as usual")]
    public static partial void SignInScreeningDropped(ILogger logger, LogValue reason);

    [LoggerMessage(EventId = 107, Level = LogLevel.Error,
        Message = "A breached-password check after a sign-in failed with {ExceptionType}; the sign-in was answered as usual")]
    public static partial void SignInScreeningFailed(ILogger logger, LogValue exceptionType);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning,
        Message = "Stored password hash of user {UserId} has a bcrypt cost above Hashing.MaximumWorkFactor ({Code}): it was refused without being computed, and the attempt was answered and counted as a wrong password. Import hashes at a cost no higher than the maximum (rehash them where they come from), or have the user reset the password")]
    public static partial void PasswordHashCostTooHigh(ILogger logger, LogValue userId, LogValue code);
}
