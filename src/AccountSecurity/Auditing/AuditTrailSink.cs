using AccountSecurity.Events;

namespace AccountSecurity.Auditing;

/// <summary>
/// The sink that keeps every security event in the audit trail: it only queues (<see cref="AuditTrailWriter"/>), so an
/// operation never waits for the store. Registered by <c>AddAccountSecurity()</c> unless
/// <see cref="AuditTrailOptions.Enabled"/> is off.
/// </summary>
internal sealed class AuditTrailSink : ISecurityEventSink
{
    private readonly Lazy<AuditTrailWriter?> _writer;

    /// <param name="writer">
    /// Resolves the writer on the first event rather than with the sink: the writer is then created after the stores an
    /// operation used, so the container disposes it (and it writes what is queued) before them.
    /// </param>
    public AuditTrailSink(Func<AuditTrailWriter?> writer) => _writer = new Lazy<AuditTrailWriter?>(writer);

    /// <inheritdoc />
    public ValueTask OnEventAsync(SecurityEvent securityEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(securityEvent);
        _writer.Value?.TryEnqueue(securityEvent);
        return ValueTask.CompletedTask;
    }
}
