using System.Collections.Concurrent;
using AccountSecurity.Events;

namespace AccountSecurity.Testing;

/// <summary>
/// An <see cref="ISecurityEventSink"/> that keeps every event in memory, in arrival order, for tests to assert on.
/// Thread-safe. Register the instance with <c>services.AddAccountSecurity().AddEventSink(sink)</c>.
/// </summary>
public sealed class CollectingSecurityEventSink : ISecurityEventSink
{
    private readonly ConcurrentQueue<SecurityEvent> _events = new();

    /// <summary>A snapshot of the events received so far, oldest first.</summary>
    public IReadOnlyList<SecurityEvent> Events => [.. _events];

    /// <summary>The events of type <paramref name="type"/> received so far, oldest first.</summary>
    public IReadOnlyList<SecurityEvent> OfType(SecurityEventType type) => [.. _events.Where(e => e.Type == type)];

    /// <summary>Every event rendered as text (its record form), for asserting that no secret appears in any of them.</summary>
    public IReadOnlyList<string> AllText() => [.. _events.Select(e => e.ToString())];

    /// <summary>Forgets every event received so far.</summary>
    public void Clear() => _events.Clear();

    /// <inheritdoc />
    public ValueTask OnEventAsync(SecurityEvent securityEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(securityEvent);
        _events.Enqueue(securityEvent);
        return ValueTask.CompletedTask;
    }
}
