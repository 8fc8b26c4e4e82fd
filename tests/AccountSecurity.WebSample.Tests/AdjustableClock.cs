namespace AccountSecurity.WebSample.Tests;

/// <summary>
/// The app's clock in the browser tests: the real time plus an offset a test moves forward (<see cref="Advance"/>), so
/// "eleven minutes later" needs no waiting while timers, Kestrel and the browser keep running on real time. Every
/// time-dependent rule of the library (the step-up window, TOTP steps, passkey ceremonies) reads this clock; a test
/// that computes an authenticator code computes it at <see cref="TimeProvider.GetUtcNow"/> of this clock.
/// </summary>
public sealed class AdjustableClock : TimeProvider
{
    private long _offsetTicks;

    /// <summary>How far ahead of the real time the app runs.</summary>
    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;

    /// <summary>Moves the app's time forward by <paramref name="delta"/> (never back: the library's proofs refuse future dates).</summary>
    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        Interlocked.Add(ref _offsetTicks, delta.Ticks);
    }
}
