using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;

namespace AccountSecurity.LoadTest;

/// <summary>Totals the audit trail's <c>accountsecurity.audit.records</c> counter by outcome over a run (written, and each kind of drop).</summary>
internal sealed class AuditRecordCount : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _byOutcome = new(StringComparer.Ordinal);

    private AuditRecordCount()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "AccountSecurity" && instrument.Name == "accountsecurity.audit.records")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var outcome = "unknown";
            foreach (var tag in tags)
            {
                if (tag.Key == "outcome")
                {
                    outcome = tag.Value?.ToString() ?? outcome;
                }
            }

            _byOutcome.AddOrUpdate(outcome, value, (_, total) => total + value);
        });
        _listener.Start();
    }

    public static AuditRecordCount Listen() => new();

    public string Summary() => _byOutcome.IsEmpty
        ? "audit trail: no records (off)"
        : "audit trail: " + string.Join(", ", _byOutcome.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value}")));

    public void Dispose() => _listener.Dispose();
}
