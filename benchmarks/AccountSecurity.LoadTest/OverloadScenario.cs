using System.Diagnostics;

namespace AccountSecurity.LoadTest;

/// <summary>What one scenario measured.</summary>
internal sealed record ScenarioResult(
    string Name,
    int Clients,
    double SignInsPerSecond,
    Latencies SignIns,
    Latencies Refused,
    Latencies SessionChecks,
    Latencies TotpSteps,
    int Failures);

/// <summary>
/// The overload scenario: <c>clients</c> concurrent password sign-ins, each for its own user, back to back for the
/// run's duration, while a second group does what the rest of a console does meanwhile — a session check every
/// 20 ms (what every page request costs) and a TOTP second step every 250 ms — on the same thread pool. Sign-ins
/// answered with anything but success count as refused (with their own latencies); anything else unexpected is a
/// failure.
/// </summary>
internal static class OverloadScenario
{
    public static async Task<ScenarioResult> RunAsync(string name, IReadOnlyList<LoadInstance> instances, IReadOnlyList<Population> populations, int clients, LoadSettings settings)
    {
        var signIns = new Latencies();
        var refused = new Latencies();
        var sessionChecks = new Latencies();
        var totpSteps = new Latencies();
        var failures = 0;
        var succeeded = 0L;
        using var stop = new CancellationTokenSource(settings.Duration);
        var started = Stopwatch.GetTimestamp();

        var clientTasks = Enumerable.Range(0, clients).Select(i => Task.Run(async () =>
        {
            var instance = instances[i % instances.Count];
            var email = populations[i % populations.Count].SignInEmails[i / populations.Count];
            while (!stop.IsCancellationRequested)
            {
                // Each sign-in is a new request: queued to the thread pool like a server's next request, rather than
                // run on by a loop that never yields its thread (which would starve everything else on its own).
                await Task.Yield();
                var due = Stopwatch.GetTimestamp();
                var result = await instance.SignInAsync(s => s.PasswordSignInAsync(email, LoadSettings.Password));
                if (result.Succeeded)
                {
                    signIns.RecordSince(due);
                    Interlocked.Increment(ref succeeded);
                }
                else
                {
                    refused.RecordSince(due);

                    // A refused client is told when to come back (busy, with a retry-after): a browser or API client
                    // honouring it waits, rather than spinning on the refusal.
                    if (result.RetryAfter is { } retryAfter)
                    {
                        await Task.Delay(retryAfter, CancellationToken.None);
                    }
                }
            }
        })).ToList();

        // One session checker and one TOTP stepper per instance, paced by the clock: each operation is due at its
        // slot, and its latency is counted from that slot, so a starved thread pool shows as latency.
        var cheapTasks = new List<Task>();
        for (var i = 0; i < instances.Count; i++)
        {
            var instance = instances[i];
            var population = populations[i];
            cheapTasks.Add(PacedAsync(settings.SessionCheckInterval, stop.Token, async () =>
            {
                if (!await instance.SignInAsync(s => s.ValidateSessionAsync(population.OwnerSession)))
                {
                    Interlocked.Increment(ref failures);
                }
            }, sessionChecks));
            cheapTasks.Add(PacedAsync(settings.TotpStepInterval, stop.Token, async () =>
            {
                PendingSecondStep? next;
                lock (population.SecondSteps)
                {
                    population.SecondSteps.TryDequeue(out next);
                }

                if (next is null || !(await instance.SignInAsync(s => s.SecondFactorSignInAsync(next.Ticket, next.App.ComputeTotp()))).Succeeded)
                {
                    Interlocked.Increment(ref failures);
                }
            }, totpSteps));
        }

        await Task.WhenAll(clientTasks.Concat(cheapTasks));
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return new ScenarioResult(name, clients, succeeded / elapsed, signIns, refused, sessionChecks, totpSteps, failures);
    }

    private static async Task PacedAsync(TimeSpan interval, CancellationToken stop, Func<Task> operation, Latencies latencies)
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

            await operation();
            latencies.RecordSince(due);

            // Slots missed while this one ran late are skipped, not replayed: one client does one thing at a time.
            slot = Math.Max(slot, Stopwatch.GetElapsedTime(start).Ticks / interval.Ticks);
        }
    }
}
