using System.Diagnostics.Metrics;
using AccountSecurity.Events;

namespace AccountSecurity.Diagnostics;

/// <summary>
/// Client state or protected data the library refused because it was forged, altered or sealed under a key it does not
/// have. Each is a bounded metric tag value (<see cref="SampledLog.TagValue"/>), never anything from the request.
/// </summary>
internal enum ForgedStateKind
{
    /// <summary>A protected value (a sealed passkey ceremony state, a TOTP secret) named a key id that is not configured.</summary>
    ProtectedSecretUnknownKey,

    /// <summary>A protected value failed authentication: altered, or sealed for another context.</summary>
    ProtectedSecretTampered,

    /// <summary>A device cookie that ASP.NET Core Data Protection would not unprotect.</summary>
    DeviceCookie,

    /// <summary>A sign-in ticket of a shape the server never issues (made up or altered).</summary>
    SignInTicket,
}

/// <summary>
/// The one rule for logging refusals of forged state, which a client can send as fast as it likes: every refusal is
/// counted (<see cref="CounterName"/>, tagged by kind), but of each kind only the first refusal of a window is logged,
/// carrying how many refusals of that kind went unlogged since the last line. So a flood of forged requests costs one
/// line per kind per window, while a single one is still seen at once. Sites ask <see cref="ShouldLog"/> and, when it
/// says so, write their own source-generated line with the count. Thread-safe; one per service provider.
/// </summary>
internal sealed class SampledLog : IDisposable
{
    /// <summary>The counter of refusals, tagged <see cref="KindTag"/>.</summary>
    public const string CounterName = "accountsecurity.forged_state.refused";

    /// <summary>The counter's tag naming the kind of state refused.</summary>
    public const string KindTag = "accountsecurity.state";

    /// <summary>The default window: at most one line per kind per minute.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromMinutes(1);

    private static readonly int KindCount = Enum.GetValues<ForgedStateKind>().Length;

    private readonly TimeProvider _time;
    private readonly TimeSpan _window;
    private readonly Meter _meter;
    private readonly Counter<long> _refusals;
    private readonly Window[] _windows;

    public SampledLog(TimeProvider time, IMeterFactory? meterFactory = null, TimeSpan? window = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _window = window ?? DefaultWindow;
        _meter = meterFactory?.Create(MetricsSecurityEventSink.MeterName) ?? new Meter(MetricsSecurityEventSink.MeterName);
        _refusals = _meter.CreateCounter<long>(CounterName, unit: "{refusal}", description: "Forged, altered or foreign client state and protected values refused, by kind (logged sampled: one line per kind per minute).");
        _windows = [.. Enumerable.Range(0, KindCount).Select(_ => new Window())];
    }

    /// <summary>The metric tag value of <paramref name="kind"/> (snake case, bounded).</summary>
    public static string TagValue(ForgedStateKind kind) => kind switch
    {
        ForgedStateKind.ProtectedSecretUnknownKey => "protected_secret_unknown_key",
        ForgedStateKind.ProtectedSecretTampered => "protected_secret_tampered",
        ForgedStateKind.DeviceCookie => "device_cookie",
        ForgedStateKind.SignInTicket => "sign_in_ticket",
        _ => "other",
    };

    /// <summary>
    /// Counts one refusal of <paramref name="kind"/> and says whether to log it: <see langword="true"/> for the first of a
    /// window, with <paramref name="suppressed"/> the refusals of that kind left unlogged since the last line;
    /// <see langword="false"/> otherwise (the refusal is then among the next line's count).
    /// </summary>
    public bool ShouldLog(ForgedStateKind kind, out long suppressed)
    {
        _refusals.Add(1, new KeyValuePair<string, object?>(KindTag, TagValue(kind)));
        var window = _windows[(int)kind];
        var now = _time.GetUtcNow();
        lock (window)
        {
            if (window.NextLogAt is { } next && now < next)
            {
                window.Suppressed++;
                suppressed = 0;
                return false;
            }

            suppressed = window.Suppressed;
            window.Suppressed = 0;
            window.NextLogAt = now + _window;
            return true;
        }
    }

    public void Dispose() => _meter.Dispose();

    private sealed class Window
    {
        public DateTimeOffset? NextLogAt { get; set; }

        public long Suppressed { get; set; }
    }
}
