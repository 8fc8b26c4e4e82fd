using System.Collections.Concurrent;
using AccountSecurity.Events;

namespace AccountSecurity.Tests.TestSupport;

/// <summary>Keeps every security event it receives.</summary>
internal sealed class CollectingEventSink : ISecurityEventSink
{
    private readonly ConcurrentQueue<SecurityEvent> _events = new();

    public IReadOnlyList<SecurityEvent> Events => [.. _events];

    public IReadOnlyList<SecurityEvent> OfType(SecurityEventType type) => [.. _events.Where(e => e.Type == type)];

    public ValueTask OnEventAsync(SecurityEvent securityEvent, CancellationToken cancellationToken)
    {
        _events.Enqueue(securityEvent);
        return ValueTask.CompletedTask;
    }
}

/// <summary>A sink that always fails, to prove a broken audit trail never breaks an operation.</summary>
internal sealed class ThrowingEventSink : ISecurityEventSink
{
    public ValueTask OnEventAsync(SecurityEvent securityEvent, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("The audit store is down.");
}
