using System.Diagnostics.Metrics;
using AccountSecurity.Lockout;

namespace AccountSecurity.Events;

/// <summary>
/// Counts security events through <see cref="System.Diagnostics.Metrics"/> (meter <see cref="MeterName"/>), so a host's
/// OpenTelemetry or <c>dotnet-counters</c> sees sign-ins, failures and lockouts without parsing logs.
/// </summary>
/// <remarks>
/// Tags are bounded by construction: the event type and the factor (enums). No user id, contract id, actor id or
/// outcome text is ever a tag, so cardinality stays fixed and no identifier or secret reaches a metric backend.
/// </remarks>
public sealed class MetricsSecurityEventSink : ISecurityEventSink, IDisposable
{
    /// <summary>The meter's name: subscribe to it to collect the counters.</summary>
    public const string MeterName = "AccountSecurity";

    /// <summary>The counter's name.</summary>
    public const string EventsCounterName = "accountsecurity.security_events";

    private readonly Meter _meter;
    private readonly Counter<long> _events;

    /// <summary>Creates the sink with its own meter (or one from <paramref name="meterFactory"/> when the host has one).</summary>
    public MetricsSecurityEventSink(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _events = _meter.CreateCounter<long>(EventsCounterName, unit: "{event}", description: "Security events raised by AccountSecurity, by type and factor.");
    }

    /// <inheritdoc />
    public ValueTask OnEventAsync(SecurityEvent securityEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(securityEvent);
        _events.Add(
            1,
            new KeyValuePair<string, object?>("accountsecurity.event.type", EventTypeName(securityEvent.Type)),
            new KeyValuePair<string, object?>("accountsecurity.factor", FactorName(securityEvent.Factor)));
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();

    private static string EventTypeName(SecurityEventType type) => Enum.IsDefined(type) ? type.ToString() : "Unknown";

    private static string FactorName(AuthenticationFactor? factor) => factor is { } f && Enum.IsDefined(f) ? f.ToString() : "None";
}
