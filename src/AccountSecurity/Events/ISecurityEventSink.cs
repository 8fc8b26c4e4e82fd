namespace AccountSecurity.Events;

/// <summary>
/// Receives every <see cref="SecurityEvent"/>. Register any number with
/// <c>services.AddAccountSecurity().AddEventSink&lt;T&gt;()</c>; a sink that logs is registered by default.
/// </summary>
/// <remarks>
/// Sinks run in line with the operation: keep them fast (queue, don't send). An exception from a sink is logged
/// and swallowed so that a broken audit trail cannot lock users out; the operation's outcome is unchanged.
/// </remarks>
public interface ISecurityEventSink
{
    /// <summary>Handles one event.</summary>
    ValueTask OnEventAsync(SecurityEvent securityEvent, CancellationToken cancellationToken);
}
