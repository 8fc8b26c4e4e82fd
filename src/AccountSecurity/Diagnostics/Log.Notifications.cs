using AccountSecurity.Events;
using AccountSecurity.Notifications;
using Microsoft.Extensions.Logging;

namespace AccountSecurity.Diagnostics;

/// <summary>Security notifications (event ids 600-699). Ids, kinds, counts and exception type names only: never an address, a subject, a body or an exception message.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 600, Level = LogLevel.Information,
        Message = "Security notifications are off: no ISecurityNotificationSender is registered, so nothing is prepared or queued")]
    public static partial void NotificationsOff(ILogger logger);

    [LoggerMessage(EventId = 601, Level = LogLevel.Warning,
        Message = "A {Kind} notification for user {UserId} was dropped ({Reason}); the operation was not affected")]
    public static partial void NotificationDropped(ILogger logger, SecurityNotificationKind kind, LogValue userId, LogValue reason);

    [LoggerMessage(EventId = 602, Level = LogLevel.Warning,
        Message = "Sending a {Kind} notification for user {UserId} failed with {ExceptionType} (attempt {Attempt} of {MaxAttempts})")]
    public static partial void NotificationAttemptFailed(ILogger logger, SecurityNotificationKind kind, LogValue userId, LogValue exceptionType, int attempt, int maxAttempts);

    [LoggerMessage(EventId = 603, Level = LogLevel.Error,
        Message = "A {Kind} notification for user {UserId} was dropped after {Attempts} failed attempts")]
    public static partial void NotificationGaveUp(ILogger logger, SecurityNotificationKind kind, LogValue userId, int attempts);

    [LoggerMessage(EventId = 604, Level = LogLevel.Information,
        Message = "A {Kind} notification for user {UserId} was not sent: one was sent within the flood interval")]
    public static partial void NotificationSuppressed(ILogger logger, SecurityNotificationKind kind, LogValue userId);

    [LoggerMessage(EventId = 605, Level = LogLevel.Error,
        Message = "Preparing the {Kind} notification for user {UserId} failed with {ExceptionType}; nothing was sent")]
    public static partial void NotificationPreparationFailed(ILogger logger, SecurityNotificationKind kind, LogValue userId, LogValue exceptionType);

    [LoggerMessage(EventId = 606, Level = LogLevel.Debug,
        Message = "A {Kind} notification for user {UserId} was handed to the sender ({EventType})")]
    public static partial void NotificationSent(ILogger logger, SecurityNotificationKind kind, LogValue userId, SecurityEventType? eventType);

    [LoggerMessage(EventId = 607, Level = LogLevel.Error,
        Message = "Security notification work failed with {ExceptionType}; the operation was not affected")]
    public static partial void NotificationWorkFailed(ILogger logger, LogValue exceptionType);
}
