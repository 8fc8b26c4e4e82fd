using System.Diagnostics.Metrics;
using AccountSecurity.DependencyInjection;
using AccountSecurity.Events;
using AccountSecurity.Passwords.Hashing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AccountSecurity.Tests.Passwords.Hashing;

/// <summary>
/// The bounded-hashing gate on its own: concurrency, the bounded queue, busy answers, cancellation and the queue time.
/// Nothing here is timed: computations block on events the test releases, and the queue time runs on a fake clock.
/// </summary>
public sealed class HashingLimiterTests
{
    [Test]
    public async Task OneAtATimeWithAQueueOfOne_TheThirdConcurrentComputationIsBusyAtOnce_AndNothingIsComputedForIt()
    {
        using var limiter = Limiter(concurrency: 1, queue: 1, out _);
        using var release = new ManualResetEventSlim();
        var computed = 0;
        var first = limiter.RunAsync(() => { release.Wait(); return Interlocked.Increment(ref computed); }, default).AsTask();
        var second = limiter.RunAsync(() => Interlocked.Increment(ref computed), default).AsTask();
        await WaitUntilAsync(() => limiter.QueuedCount == 1);

        var third = limiter.RunAsync(() => Interlocked.Increment(ref computed), default);

        third.IsCompleted.Should().BeTrue("a full queue is answered without waiting");
        var refused = await third;
        refused.Ran.Should().BeFalse();
        refused.RetryAfter.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1));
        release.Set();
        (await first).Ran.Should().BeTrue();
        (await second).Ran.Should().BeTrue();
        computed.Should().Be(2, "the refused computation never ran");
    }

    [Test]
    public async Task ACancelledWaiter_LeavesTheQueue_SoTheNextOneIsQueuedInsteadOfRefused()
    {
        using var limiter = Limiter(concurrency: 1, queue: 1, out _);
        using var release = new ManualResetEventSlim();
        var first = limiter.RunAsync(() => { release.Wait(); return 1; }, default).AsTask();
        using var cancel = new CancellationTokenSource();
        var waiter = limiter.RunAsync(() => 2, cancel.Token).AsTask();
        await WaitUntilAsync(() => limiter.QueuedCount == 1);

        await cancel.CancelAsync();

        await waiter.Invoking(w => w).Should().ThrowAsync<OperationCanceledException>();
        limiter.QueuedCount.Should().Be(0);
        var next = limiter.RunAsync(() => 3, default).AsTask();
        await WaitUntilAsync(() => limiter.QueuedCount == 1);
        release.Set();
        (await first).Value.Should().Be(1);
        var queued = await next;
        queued.Ran.Should().BeTrue();
        queued.Value.Should().Be(3);
    }

    [Test]
    public async Task AWaiterStillQueuedAtTheQueueTime_IsAnsweredBusyThen_NotLater()
    {
        using var limiter = Limiter(concurrency: 1, queue: 10, out var time);
        using var release = new ManualResetEventSlim();
        var first = limiter.RunAsync(() => { release.Wait(); return 1; }, default).AsTask();
        var computedLate = false;
        var waiter = limiter.RunAsync(() => computedLate = true, default).AsTask();
        await WaitUntilAsync(() => limiter.QueuedCount == 1);

        time.Advance(TimeSpan.FromSeconds(2.9));
        await Task.Delay(50);
        waiter.IsCompleted.Should().BeFalse("the queue time (3 s) has not passed");
        time.Advance(TimeSpan.FromSeconds(0.1));
        var answer = await waiter.WaitAsync(TimeSpan.FromSeconds(30));

        answer.Ran.Should().BeFalse();
        limiter.QueuedCount.Should().Be(0);
        release.Set();
        await first;
        computedLate.Should().BeFalse();
    }

    [Test]
    public async Task TheExpectedWait_CountsHowLongTurnsAreHeld_NotOnlyTheirComputation_AndRefusesAtArrivalWithAQuarterInHand()
    {
        using var limiter = Limiter(concurrency: 1, queue: 100, out var time);

        // Turns held a second each while computing nothing (as the pipeline holds one across a slow store write).
        for (var i = 0; i < 40; i++)
        {
            using var turn = await limiter.AcquireAsync(null, default);
            turn.Granted.Should().BeTrue();
            time.Advance(TimeSpan.FromSeconds(1));
        }

        using var running = await limiter.AcquireAsync(null, default);
        var queued = limiter.AcquireAsync(null, default).AsTask();
        await WaitUntilAsync(() => limiter.QueuedCount == 1);

        // Two turns of about a second ahead: within three quarters of the 3 s queue time, so it queues.
        var second = limiter.AcquireAsync(null, default).AsTask();
        await WaitUntilAsync(() => limiter.QueuedCount == 2);

        // Three turns ahead (about 2.9 s): it would be served just before the queue time, if the estimate held. It is
        // answered busy at once instead, rather than risk waiting the whole queue time for a "no".
        var third = limiter.AcquireAsync(null, default);
        third.IsCompleted.Should().BeTrue("an arrival expected to wait past three quarters of the queue time is answered at once");
        using (var refused = await third)
        {
            refused.Granted.Should().BeFalse();
            refused.RetryAfter.Should().Be(TimeSpan.FromSeconds(3));
        }

        running.Dispose();
        (await queued.WaitAsync(TimeSpan.FromSeconds(30))).Dispose();
        (await second.WaitAsync(TimeSpan.FromSeconds(30))).Dispose();
    }

    [Test]
    public async Task Computations_RunOffTheThreadPool_SoPoolThreadsStayFreeForCheapRequests()
    {
        using var limiter = Limiter(concurrency: 2, queue: 2, out _);

        var onPool = await limiter.RunAsync(() => Thread.CurrentThread.IsThreadPoolThread, default);

        onPool.Ran.Should().BeTrue();
        onPool.Value.Should().BeFalse();
    }

    [Test]
    public async Task AnExceptionOfTheComputation_ReachesTheCaller_AndFreesThePermit()
    {
        using var limiter = Limiter(concurrency: 1, queue: 0, out _);

        await limiter.Invoking(l => l.RunAsync<int>(() => throw new FormatException("unparsable hash"), default).AsTask()).Should().ThrowAsync<FormatException>();

        (await limiter.RunAsync(() => 7, default)).Value.Should().Be(7);
    }

    [Test]
    public async Task QueueLengthAndRefusals_AreMeasuredOnTheLibrarysMeter_WithoutTags()
    {
        var refusals = new List<(long Value, int Tags)>();
        var queueLengths = new List<long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == MetricsSecurityEventSink.MeterName && instrument.Name.StartsWith("accountsecurity.hashing.", StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            lock (refusals)
            {
                if (instrument.Name == "accountsecurity.hashing.refused")
                {
                    refusals.Add((value, tags.Length));
                }
                else if (instrument.Name == "accountsecurity.hashing.queue_length")
                {
                    queueLengths.Add(value);
                }
            }
        });
        listener.Start();
        using var limiter = Limiter(concurrency: 1, queue: 1, out _);
        using var release = new ManualResetEventSlim();
        var first = limiter.RunAsync(() => { release.Wait(); return 1; }, default).AsTask();
        var second = limiter.RunAsync(() => 2, default).AsTask();
        await WaitUntilAsync(() => limiter.QueuedCount == 1);

        (await limiter.RunAsync(() => 3, default)).Ran.Should().BeFalse();
        listener.RecordObservableInstruments();
        release.Set();
        await Task.WhenAll(first, second);

        lock (refusals)
        {
            refusals.Should().ContainSingle().Which.Should().Be((1L, 0));
            queueLengths.Should().Contain(1);
        }
    }

    [Test]
    public async Task OneAccountKey_HoldsOnePlace_ASecondComputationIsBusyAtOnce_AnotherKeyRuns_AndThePlaceIsFreedAfter()
    {
        using var limiter = Limiter(concurrency: 4, queue: 10, out _);
        using var release = new ManualResetEventSlim();
        var computed = 0;
        var first = limiter.RunAsync(() => { release.Wait(); return Interlocked.Increment(ref computed); }, "email:A@EXAMPLE.COM", default).AsTask();
        await WaitUntilAsync(() => limiter.AccountsInFlight == 1);

        var second = limiter.RunAsync(() => Interlocked.Increment(ref computed), "email:A@EXAMPLE.COM", default);
        var other = await limiter.RunAsync(() => 42, "email:B@EXAMPLE.COM", default);

        second.IsCompleted.Should().BeTrue("the account's place is taken: answered without waiting");
        var refused = await second;
        refused.Ran.Should().BeFalse();
        refused.RetryAfter.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1));
        other.Ran.Should().BeTrue("another account has its own place");
        release.Set();
        (await first).Ran.Should().BeTrue();
        computed.Should().Be(1, "the refused computation never ran");
        limiter.AccountsInFlight.Should().Be(0, "the place is given back with the lease");
        (await limiter.RunAsync(() => 7, "email:A@EXAMPLE.COM", default)).Value.Should().Be(7, "and the account may compute again");
    }

    [Test]
    public async Task AnAccountKeyWaitingInTheQueue_HoldsItsPlace_AndACancelledOrRefusedWaiterGivesItBack()
    {
        using var limiter = Limiter(concurrency: 1, queue: 1, out _);
        using var release = new ManualResetEventSlim();
        var running = limiter.RunAsync(() => { release.Wait(); return 1; }, "email:RUNNING@EXAMPLE.COM", default).AsTask();
        await WaitUntilAsync(() => limiter.AccountsInFlight == 1);
        using var cancel = new CancellationTokenSource();
        var queued = limiter.RunAsync(() => 2, "email:QUEUED@EXAMPLE.COM", cancel.Token).AsTask();
        await WaitUntilAsync(() => limiter.QueuedCount == 1);

        (await limiter.RunAsync(() => 3, "email:QUEUED@EXAMPLE.COM", default)).Ran.Should().BeFalse("a queued check holds its account's place");
        (await limiter.RunAsync(() => 4, "email:FULL@EXAMPLE.COM", default)).Ran.Should().BeFalse("the queue is full");
        limiter.AccountsInFlight.Should().Be(2, "the refused key holds nothing");
        await cancel.CancelAsync();
        await queued.Invoking(q => q).Should().ThrowAsync<OperationCanceledException>();

        limiter.AccountsInFlight.Should().Be(1, "the cancelled waiter gave its place back");
        release.Set();
        await running;
        limiter.AccountsInFlight.Should().Be(0);
    }

    [Test]
    public async Task ManyConcurrentComputationsForOneAccountKey_ExactlyOneGetsAPlace()
    {
        using var limiter = Limiter(concurrency: 4, queue: 100, out _);
        using var release = new ManualResetEventSlim();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var ran = 0;
        var attempts = Enumerable.Range(0, 32).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            return await limiter.RunAsync(() => { Interlocked.Increment(ref ran); release.Wait(TimeSpan.FromSeconds(30)); return true; }, "email:RACE@EXAMPLE.COM", default);
        })).ToArray();
        start.SetResult();
        await WaitUntilAsync(() => attempts.Count(a => a.IsCompleted) == 31);

        release.Set();
        var outcomes = await Task.WhenAll(attempts);

        outcomes.Count(o => o.Ran).Should().Be(1);
        ran.Should().Be(1);
        limiter.AccountsInFlight.Should().Be(0);
    }

    private static HashingLimiter Limiter(int concurrency, int queue, out FakeTimeProvider time)
    {
        var options = new AccountSecurityOptions();
        options.Hashing.MaxConcurrentComputations = concurrency;
        options.Hashing.QueueLimit = queue;
        options.Hashing.MaxQueueTime = TimeSpan.FromSeconds(3);
        time = new FakeTimeProvider();
        return new HashingLimiter(Options.Create(options), time);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 2000 && !condition(); i++)
        {
            await Task.Delay(5);
        }

        condition().Should().BeTrue("the limiter should have reached the expected state");
    }
}
