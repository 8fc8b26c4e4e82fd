using System.Diagnostics;

namespace AccountSecurity.LoadTest;

/// <summary>What one scenario measured.</summary>
internal sealed record ScenarioResult(
    string Name,
    int Clients,
    double SignInsPerSecond,
    double RawBcryptRate,
    Latencies SignIns,
    Latencies Refused,
    Latencies SessionChecks,
    Latencies TotpSteps,
    int Failures);

/// <summary>
/// The overload scenario: <c>clients</c> concurrent password sign-ins, each for its own user, back to back for the
/// run's duration, while a second group does what the rest of a console does meanwhile — a session check every
/// 20 ms (what every page request costs) and a TOTP second step every 250 ms — on the same thread pool. The same code
/// drives every target (<see cref="ILoadTarget"/>: in-process or over HTTP). Only the hashing limiter's <c>busy</c>
/// counts as refused (with its own latencies); any other answer that is not a success is a failure of the run.
/// </summary>
internal static class OverloadScenario
{
    public static async Task<ScenarioResult> RunAsync(string name, IReadOnlyList<ILoadTarget> targets, int clients, LoadSettings settings)
    {
        // Every client is made before the clock starts (over HTTP: its own HttpClient and cookies).
        var signInClients = Enumerable.Range(0, clients).Select(i => targets[i % targets.Count].SignInClient(i / targets.Count)).ToList();

        // A host measured is a host that has been up for a while: the same load runs first, unmeasured, until the
        // runtime stops compiling (JitSettling.WarmUpAsync says why).
        await JitSettling.WarmUpAsync(
            async length =>
            {
                var warmUp = await DriveAsync(signInClients, targets, length, settings);
                if (warmUp.Failures > 0)
                {
                    throw new InvalidOperationException($"{warmUp.Failures} operations failed during the warm-up: the scenario is broken before it is measured.");
                }
            },
            settings);

        // The machine's bcrypt rate drifts by a tenth or more over minutes (a shared virtual machine), so each row is
        // compared with the raw rate measured right before and right after it, not with one sample from the start.
        var rawBefore = RawBcryptRate.Measure(settings.WorkFactor, settings.RawRateSample);
        Console.WriteLine($"  measuring {name} for {settings.Duration.TotalSeconds:0} s");
        var measured = await DriveAsync(signInClients, targets, settings.Duration, settings);
        var rawAfter = RawBcryptRate.Measure(settings.WorkFactor, settings.RawRateSample);
        return measured with { Name = name, Clients = clients, RawBcryptRate = (rawBefore + rawAfter) / 2 };
    }

    private static async Task<ScenarioResult> DriveAsync(IReadOnlyList<Func<Task<SignInAnswer>>> signInClients, IReadOnlyList<ILoadTarget> targets, TimeSpan duration, LoadSettings settings)
    {
        var signIns = new Latencies();
        var refused = new Latencies();
        var sessionChecks = new Latencies();
        var totpSteps = new Latencies();
        var failures = 0;
        var succeeded = 0L;

        using var stop = new CancellationTokenSource(duration);
        var started = Stopwatch.GetTimestamp();

        var clientTasks = signInClients.Select(signIn => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                // Each sign-in is a new request: queued to the thread pool like a server's next request, rather than
                // run on by a loop that never yields its thread (which would starve everything else on its own).
                await Task.Yield();
                var due = Stopwatch.GetTimestamp();
                var answer = await signIn();
                switch (answer.Kind)
                {
                    case AnswerKind.Succeeded:
                        signIns.RecordSince(due);
                        Interlocked.Increment(ref succeeded);
                        break;
                    case AnswerKind.Busy:
                        refused.RecordSince(due);

                        // A refused client is told when to come back (busy, with a retry-after): a browser or API
                        // client honouring it waits, rather than spinning on the refusal.
                        await Task.Delay(answer.RetryAfter ?? TimeSpan.FromSeconds(1), CancellationToken.None);
                        break;
                    default:
                        Interlocked.Increment(ref failures);
                        break;
                }
            }
        })).ToList();

        // One session checker and one TOTP stepper per scenario, paced by the clock: each operation is due at its slot,
        // and its latency is counted from that slot, so a starved thread pool shows as latency. With several targets
        // (two instances) they take turns, so every instance serves them and every row carries the same cheap load.
        var sessionTurn = 0;
        var totpTurn = 0;
        var cheapTasks = new List<Task>
        {
            PacedAsync(settings.SessionCheckInterval, stop.Token, async () =>
            {
                if (!await targets[sessionTurn++ % targets.Count].CheckSessionAsync())
                {
                    Interlocked.Increment(ref failures);
                }
            }, sessionChecks),
            PacedAsync(settings.TotpStepInterval, stop.Token, async () =>
            {
                if (!await targets[totpTurn++ % targets.Count].SecondStepAsync())
                {
                    Interlocked.Increment(ref failures);
                }
            }, totpSteps),
        };

        await Task.WhenAll(clientTasks.Concat(cheapTasks));
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return new ScenarioResult(string.Empty, signInClients.Count, succeeded / elapsed, 0, signIns, refused, sessionChecks, totpSteps, failures);
    }

    /// <summary>
    /// Runs <paramref name="operation"/> once per <paramref name="interval"/> until <paramref name="stop"/>, recording
    /// each one's latency from the slot it was due in (one client: slots missed while one ran late are skipped).
    /// </summary>
    internal static async Task PacedAsync(TimeSpan interval, CancellationToken stop, Func<Task> operation, Latencies latencies)
    {
        var start = Stopwatch.GetTimestamp();
        var ticksPerInterval = (long)(interval.TotalSeconds * Stopwatch.Frequency);
        for (var slot = 1L; ; slot++)
        {
            var due = start + (slot * ticksPerInterval);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, stop);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            if (stop.IsCancellationRequested)
            {
                return;
            }

            // Counted from the slot, or from the start when the timer fired a little early (Task.Delay works in whole
            // milliseconds on a coarse clock): otherwise an on-time operation would record a negative latency.
            var from = Math.Min(due, Stopwatch.GetTimestamp());
            await operation();
            latencies.RecordSince(from);

            // Slots missed while this one ran late are skipped, not replayed: one client does one thing at a time.
            slot = Math.Max(slot, Stopwatch.GetElapsedTime(start).Ticks / interval.Ticks);
        }
    }
}
