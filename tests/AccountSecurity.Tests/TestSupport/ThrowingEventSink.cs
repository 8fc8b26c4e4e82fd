using AccountSecurity.Events;

namespace AccountSecurity.Tests.TestSupport;

/// <summary>A sink whose audit store is down: every event throws.</summary>
internal sealed class ThrowingEventSink : ISecurityEventSink
{
    public ValueTask OnEventAsync(SecurityEvent securityEvent, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("The audit store is down.");
}
