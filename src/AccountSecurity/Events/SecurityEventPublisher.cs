using AccountSecurity.Accounts;
using AccountSecurity.Diagnostics;
using AccountSecurity.Lockout;
using AccountSecurity.Results;
using Microsoft.Extensions.Logging;

namespace AccountSecurity.Events;

/// <summary>Fans an event out to every registered sink; a failing sink is logged and never fails the operation.</summary>
internal sealed class SecurityEventPublisher
{
    private readonly ISecurityEventSink[] _sinks;
    private readonly TimeProvider _time;
    private readonly ILogger<SecurityEventPublisher> _logger;

    public SecurityEventPublisher(IEnumerable<ISecurityEventSink> sinks, TimeProvider time, ILogger<SecurityEventPublisher> logger)
    {
        _sinks = [.. sinks];
        _time = time;
        _logger = logger;
    }

    public ValueTask PublishAsync(
        SecurityEventType type,
        string? userId,
        string? contractId,
        CancellationToken cancellationToken,
        string? outcome = null,
        string? actorId = null,
        AuthenticationFactor? factor = null) =>
        PublishAsync(
            new SecurityEvent
            {
                Type = type,
                OccurredAt = _time.GetUtcNow(),
                UserId = IdOrNull(userId),
                ContractId = IdOrNull(contractId),
                ActorId = IdOrNull(actorId),
                Factor = factor,
                Outcome = outcome,
                SessionId = SecurityEventContext.SessionId,
            },
            cancellationToken);

    /// <summary>
    /// Ids reach events from hosts (an acting user's, an agent's): one that cannot be an id (CR/LF, NUL, 10 MB, a bidi
    /// override) is recorded as absent, so no sink — a log, an audit table, a SIEM — is handed hostile text. The event
    /// itself still records that the refused request happened.
    /// </summary>
    private static string? IdOrNull(string? id) => InputText.IsId(id) ? id : null;

    /// <summary>
    /// Publishes the event of a finished change on <paramref name="user"/>: <paramref name="succeeded"/> when
    /// <paramref name="result"/> succeeded, otherwise <paramref name="failed"/> with the first error's code as the
    /// outcome (a stable code, never the error's message).
    /// </summary>
    public ValueTask PublishResultAsync(
        SecurityResult result,
        SecurityEventType succeeded,
        SecurityEventType failed,
        UserAccount user,
        CancellationToken cancellationToken) =>
        PublishAsync(
            result.Succeeded ? succeeded : failed,
            user.Id,
            user.ContractId,
            cancellationToken,
            outcome: result.Succeeded ? null : result.Errors[0].Code);

    public async ValueTask PublishAsync(SecurityEvent securityEvent, CancellationToken cancellationToken)
    {
        foreach (var sink in _sinks)
        {
            try
            {
                await sink.OnEventAsync(securityEvent, cancellationToken).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // A broken audit sink must not turn into a denial of service for sign-in.
            catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
            {
                Log.EventSinkFailed(_logger, sink.GetType().Name, securityEvent.Type, ex.GetType().Name);
            }
        }
    }
}
