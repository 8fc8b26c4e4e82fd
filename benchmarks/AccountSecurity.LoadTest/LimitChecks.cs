using System.Diagnostics.Metrics;
using System.Globalization;

namespace AccountSecurity.LoadTest;

/// <summary>The abuse-limit checks of the two-instance row (both instances' latencies), and how many fell back.</summary>
internal sealed record LimitCheckSummary(Latencies First, Latencies Second, long Fallbacks)
{
    public string Format()
    {
        var all = new Latencies();
        all.AddFrom(First);
        all.AddFrom(Second);
        return string.Create(CultureInfo.InvariantCulture, $"abuse-limit check before each sign-in (client address + account, shared on Redis): p50 {all.Percentile(50):0.00} ms / p99 {all.Percentile(99):0.00} ms / max {all.Max:0.00} ms ({all.Count} checks, {Fallbacks} fell back to in-process)");
    }
}

/// <summary>
/// Counts the checks answered by the in-process fallback (the package's <c>accountsecurity.abuse_limits.fallbacks</c>
/// counter): any fails the run, since the row would then not measure shared limits.
/// </summary>
internal sealed class FallbackListener : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _count;

    public FallbackListener()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "AccountSecurity" && instrument.Name == "accountsecurity.abuse_limits.fallbacks")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _count, value));
        _listener.Start();
    }

    public long Count => Interlocked.Read(ref _count);

    public void Dispose() => _listener.Dispose();
}
