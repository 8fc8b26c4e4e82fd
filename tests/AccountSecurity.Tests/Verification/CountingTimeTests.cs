using AccountSecurity.Verification;
using Microsoft.Extensions.Time.Testing;

namespace AccountSecurity.Tests.Verification;

/// <summary>
/// Issue 23, finding 10: a dummy check sleeps as long as a recent count took. On a fake clock (a count "takes" the
/// time the test advances while it runs), with the sleeps recorded instead of slept.
/// </summary>
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public sealed class CountingTimeTests
{
    private static readonly TimeSpan WriteTime = TimeSpan.FromMilliseconds(40);

    private readonly FakeTimeProvider _time = new();
    private readonly List<TimeSpan> _slept = [];

    private CountingTime NewCounting() => new(_time, _slept.Add);

    private void Count(CountingTime counting, TimeSpan took)
    {
        var started = counting.Start();
        _time.Advance(took);
        counting.Counted(started);
    }

    [Test]
    public void Spend_BeforeAnyCountWasMeasured_DoesNotSleep()
    {
        NewCounting().Spend();

        _slept.Should().BeEmpty();
    }

    [Test]
    public void Spend_AfterACountThatTook40Ms_Sleeps40Ms()
    {
        var counting = NewCounting();
        Count(counting, WriteTime);

        counting.Spend();

        _slept.Should().Equal(WriteTime);
    }

    [Test]
    public void Spend_WhenCountsTookNoTime_DoesNotSleep()
    {
        var counting = NewCounting();
        Count(counting, TimeSpan.Zero);

        counting.Spend();

        _slept.Should().BeEmpty();
    }

    [Test]
    public void Spend_AfterCountsOfAFractionOfAMillisecond_SleepsWholeMillisecondsThatAreRightOnAverage()
    {
        // 0.25 ms: a 1 ms sleep one time in four (4,000 draws: 1,000 expected, the bounds are more than 5 standard deviations out).
        var counting = NewCounting();
        Count(counting, TimeSpan.FromMilliseconds(0.25));

        for (var i = 0; i < 4_000; i++)
        {
            counting.Spend();
        }

        _slept.Should().OnlyContain(s => s == TimeSpan.FromMilliseconds(1));
        _slept.Count.Should().BeInRange(850, 1_150);
    }

    [Test]
    public void Spend_AfterACountOf2Point4Ms_Sleeps2Or3Ms()
    {
        var counting = NewCounting();
        Count(counting, TimeSpan.FromMilliseconds(2.4));

        for (var i = 0; i < 200; i++)
        {
            counting.Spend();
        }

        _slept.Distinct().Should().BeEquivalentTo([TimeSpan.FromMilliseconds(2), TimeSpan.FromMilliseconds(3)]);
    }

    [Test]
    public void Spend_AfterAStalledWrite_SleepsNoLongerThanMaxWait()
    {
        var counting = NewCounting();
        Count(counting, TimeSpan.FromMinutes(5));

        counting.Spend();

        _slept.Should().Equal(CountingTime.MaxWait);
    }

    [Test]
    public void Spend_PicksOnlyAmongTheLastKeptCounts()
    {
        var counting = NewCounting();
        for (var i = 0; i < CountingTime.Kept; i++)
        {
            Count(counting, TimeSpan.FromMilliseconds(5));
        }

        for (var i = 0; i < CountingTime.Kept; i++)
        {
            Count(counting, WriteTime);
        }

        for (var i = 0; i < 100; i++)
        {
            counting.Spend();
        }

        // Every older 5 ms count was pushed out.
        _slept.Should().HaveCount(100).And.OnlyContain(s => s == WriteTime);
    }

    [Test]
    public void Spend_PicksAmongTheKeptCountsAtRandom()
    {
        var counting = NewCounting();
        Count(counting, TimeSpan.FromMilliseconds(10));
        Count(counting, TimeSpan.FromMilliseconds(20));

        for (var i = 0; i < 200; i++)
        {
            counting.Spend();
        }

        // Both, so the sleeps follow the counts' spread, not one value (a 1 in 2^199 chance of a false failure).
        _slept.Distinct().Should().BeEquivalentTo([TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(20)]);
    }
}
