using AccountSecurity.Diagnostics;
using Microsoft.Extensions.Logging;

namespace AccountSecurity.Events;

/// <summary>
/// The default sink: writes each event to <see cref="ILogger"/> (failures as warnings). Logs ids and codes only, each
/// escaped and bounded (control, line-separator, invisible and bidi characters as <c>\uXXXX</c>, at most 256
/// characters), so an event with hostile ids cannot forge or flood a log line.
/// </summary>
public sealed class LoggingSecurityEventSink : ISecurityEventSink
{
    private readonly ILogger<LoggingSecurityEventSink> _logger;

    /// <summary>Creates the sink.</summary>
    public LoggingSecurityEventSink(ILogger<LoggingSecurityEventSink> logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _logger = logger;
    }

    /// <inheritdoc />
    public ValueTask OnEventAsync(SecurityEvent securityEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(securityEvent);
        if (IsFailure(securityEvent.Type))
        {
            Log.SecurityWarning(_logger, securityEvent.Type, securityEvent.UserId, securityEvent.ContractId, securityEvent.ActorId, securityEvent.Factor, securityEvent.Outcome);
        }
        else
        {
            Log.SecurityInformation(_logger, securityEvent.Type, securityEvent.UserId, securityEvent.ContractId, securityEvent.ActorId, securityEvent.Factor, securityEvent.Outcome);
        }

        return ValueTask.CompletedTask;
    }

    private static bool IsFailure(SecurityEventType type) => type is SecurityEventType.SignInFailed
        or SecurityEventType.LockedOut
        or SecurityEventType.TrustedDeviceLockedOut
        or SecurityEventType.PasswordChangeFailed
        or SecurityEventType.PasswordResetFailed
        or SecurityEventType.SecondFactorFailed
        or SecurityEventType.ReplayRejected
        or SecurityEventType.AuthorizationRefused
        or SecurityEventType.SupportPinVerificationFailed
        or SecurityEventType.SupportPinVerificationRefused
        or SecurityEventType.SupportPinChangeFailed
        or SecurityEventType.EmailChangeFailed;
}
