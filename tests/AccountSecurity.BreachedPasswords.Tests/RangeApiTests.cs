using System.Text.RegularExpressions;
using AccountSecurity.BreachedPasswords.Tests.TestSupport;
using AccountSecurity.Passwords.Policy;
using AccountSecurity.Results;
using Microsoft.AspNetCore.Http;

namespace AccountSecurity.BreachedPasswords.Tests;

/// <summary>The range API against a real local HTTP server: verdicts, padding, timeouts, retries, caps, malformed answers.</summary>
public sealed partial class RangeApiTests
{
    private const string Breached = BreachTestHost.BreachedPassword;
    private const string Clean = BreachTestHost.CleanPassword;

    private RangeServer _server = null!;

    [SetUp]
    public async Task StartServerAsync()
    {
        _server = await RangeServer.StartAsync();
        _server.Breached[Breached] = 3;
    }

    [TearDown]
    public async Task StopServerAsync() => await _server.DisposeAsync();

    private Task<BreachTestHost> HostAsync(Action<BreachedPasswordOptions>? configure = null) =>
        BreachTestHost.CreateAsync(
            o =>
            {
                o.ApiBaseAddress = _server.BaseAddress;
                o.RequestTimeout = TimeSpan.FromMilliseconds(300);
                o.TotalTimeout = TimeSpan.FromSeconds(5);
                o.MaxRetries = 2;
                configure?.Invoke(o);
            },
            seed: false);

    private static async Task<SecurityError?> CheckAsync(BreachTestHost host, string password) =>
        await host.Get<IEnumerable<IAsyncPasswordRule>>().Single().ValidateAsync(password, CancellationToken.None);

    [GeneratedRegex("^/range/[0-9A-F]{5}$")]
    private static partial Regex RangePath();

    [Test]
    public async Task APasswordInThePaddedAnswer_IsRefusedAsBreached()
    {
        await using var host = await HostAsync();

        var error = await CheckAsync(host, Breached);

        error!.Code.Should().Be(SecurityErrorCodes.PasswordBreached);
        error.Message.Should().Contain("data breach");
        _server.Requests.Should().ContainSingle();
        _server.Requests[0].Headers.Should().Contain("Add-Padding", "true");
        _server.Requests[0].PathAndQuery.Should().Be("/range/" + PasswordHashRange.Of(Breached).Prefix);
    }

    [Test]
    public async Task APasswordNotInTheAnswer_Passes_AndPaddingCountsForNothing()
    {
        await using var host = await HostAsync();

        (await CheckAsync(host, Clean)).Should().BeNull();
    }

    [Test]
    public async Task ACountBelowTheThreshold_Passes()
    {
        await using var host = await HostAsync(o => o.MinimumBreachCount = 4);

        (await CheckAsync(host, Breached)).Should().BeNull("it appeared 3 times, fewer than 4");
    }

    [Test]
    public async Task ASecondLookupOfTheRange_IsAnsweredFromTheCache()
    {
        await using var host = await HostAsync();

        (await CheckAsync(host, Breached))!.Code.Should().Be(SecurityErrorCodes.PasswordBreached);
        (await CheckAsync(host, Breached))!.Code.Should().Be(SecurityErrorCodes.PasswordBreached);

        _server.Requests.Should().ContainSingle();
        host.MetricTags.Should().Contain("accountsecurity.breached_passwords.lookups cache=hit");
    }

    [Test]
    public async Task ASlowServer_TimesOutEachAttempt_RetriesAndIsUnavailable_AllowedByDefault()
    {
        _server.Respond = async (context, _, _) =>
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
            }
        };
        await using var host = await HostAsync();

        var error = await CheckAsync(host, Breached);

        error.Should().BeNull("the default is allow-and-log");
        _server.Requests.Should().HaveCount(3, "one attempt and two retries, each cut off after its timeout");
        host.Logs.AllText().Should().Contain(t => t.Contains("could not answer") && t.Contains("timeout") && t.Contains("allowed"));
        host.MetricTags.Should().Contain("accountsecurity.breached_passwords.unavailable reason=timeout")
            .And.Contain("accountsecurity.breached_passwords.unavailable decision=allowed");
    }

    [Test]
    public async Task ASlowServer_WithRefuse_AnswersTryAgain()
    {
        _server.Respond = async (context, _, _) => await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        await using var host = await HostAsync(o =>
        {
            o.WhenUnavailable = BreachSourceUnavailableBehavior.Refuse;
            o.MaxRetries = 0;
        });

        var error = await CheckAsync(host, Clean);

        error!.Code.Should().Be(SecurityErrorCodes.PasswordBreachCheckUnavailable);
        error.Message.Should().Contain("Try again");
        _server.Requests.Should().ContainSingle();
    }

    [Test]
    public async Task TheTotalTimeout_EndsTheLookupBeforeEveryRetryIsSpent()
    {
        _server.Respond = async (context, _, _) => await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        await using var host = await HostAsync(o =>
        {
            o.RequestTimeout = TimeSpan.FromMilliseconds(400);
            o.TotalTimeout = TimeSpan.FromSeconds(1);
            o.MaxRetries = 5;
        });

        (await CheckAsync(host, Clean)).Should().BeNull();

        _server.Requests.Count.Should().BeLessThan(6, "the one-second budget ends the lookup before six 400 ms attempts");
        host.MetricTags.Should().Contain("accountsecurity.breached_passwords.unavailable reason=timeout");
    }

    [Test]
    public async Task TheCallersCancellation_IsTheCallers()
    {
        _server.Respond = async (context, _, _) => await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        await using var host = await HostAsync(o =>
        {
            o.RequestTimeout = TimeSpan.FromSeconds(20);
            o.TotalTimeout = TimeSpan.FromSeconds(20);
            o.MaxRetries = 0;
        });
        using var caller = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var act = async () => await host.Get<IEnumerable<IAsyncPasswordRule>>().Single().ValidateAsync(Clean, caller.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    [Test]
    public async Task ServerErrors_AreRetried_ThenUnavailable()
    {
        _server.Respond = (context, _, _) =>
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return Task.CompletedTask;
        };
        await using var host = await HostAsync();

        (await CheckAsync(host, Breached)).Should().BeNull();

        _server.Requests.Should().HaveCount(3);
        host.MetricTags.Should().Contain("accountsecurity.breached_passwords.unavailable reason=http_status");
    }

    [Test]
    public async Task AServerErrorThenAnAnswer_IsRetriedToTheVerdict()
    {
        _server.Respond = async (context, prefix, attempt) =>
        {
            if (attempt == 1)
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return;
            }

            await context.Response.WriteAsync(_server.PaddedAnswer(prefix));
        };
        await using var host = await HostAsync();

        (await CheckAsync(host, Breached))!.Code.Should().Be(SecurityErrorCodes.PasswordBreached);
        _server.Requests.Should().HaveCount(2);
    }

    [Test]
    public async Task AnOversizedBody_WithContentLength_IsRefusedUnread()
    {
        _server.Respond = async (context, prefix, _) =>
        {
            var body = _server.PaddedAnswer(prefix, padding: 2000);
            context.Response.ContentLength = body.Length;
            await context.Response.WriteAsync(body);
        };
        await using var host = await HostAsync(o => o.MaxResponseBytes = 16 * 1024);

        (await CheckAsync(host, Breached)).Should().BeNull("unavailable, allowed by default");
        host.MetricTags.Should().Contain("accountsecurity.breached_passwords.unavailable reason=oversized");
    }

    [Test]
    public async Task AnOversizedBody_Chunked_IsCutOffAtTheCap()
    {
        _server.Respond = async (context, _, _) =>
        {
            var line = new string('A', 35) + ":1\r\n";
            for (var i = 0; i < 20_000; i++)
            {
                await context.Response.WriteAsync(line, context.RequestAborted);
            }
        };
        await using var host = await HostAsync(o => o.MaxResponseBytes = 64 * 1024);

        (await CheckAsync(host, Breached)).Should().BeNull();
        host.MetricTags.Should().Contain("accountsecurity.breached_passwords.unavailable reason=oversized");
    }

    [Test]
    public async Task MalformedLines_AreSkippedAndCounted_AndTheValidOnesStillDecide()
    {
        _server.Respond = async (context, prefix, _) =>
            await context.Response.WriteAsync("garbage\r\n<html>\r\n" + _server.PaddedAnswer(prefix, padding: 10) + "\r\nZZZ:1\r\n");
        await using var host = await HostAsync();

        (await CheckAsync(host, Breached))!.Code.Should().Be(SecurityErrorCodes.PasswordBreached);
        host.MetricTags.Should().Contain("accountsecurity.breached_passwords.malformed_lines source=api");
        host.Logs.AllText().Should().Contain(t => t.Contains("3 malformed lines"));
    }

    [Test]
    public async Task AnAnswerWithNoValidLine_IsUnavailable_NotClean()
    {
        _server.Respond = async (context, _, _) => await context.Response.WriteAsync("<html>maintenance</html>");
        await using var host = await HostAsync(o => o.WhenUnavailable = BreachSourceUnavailableBehavior.Refuse);

        (await CheckAsync(host, Clean))!.Code.Should().Be(SecurityErrorCodes.PasswordBreachCheckUnavailable);
    }

    [Test]
    public async Task AnUnreachableServer_IsUnavailable_WithoutAnException()
    {
        var address = _server.BaseAddress;
        await _server.DisposeAsync();
        _server = await RangeServer.StartAsync();
        await using var host = await BreachTestHost.CreateAsync(o =>
        {
            o.ApiBaseAddress = address; // nothing listens there any more
            o.MaxRetries = 1;
        }, seed: false);

        (await CheckAsync(host, Clean)).Should().BeNull();
        host.MetricTags.Should().Contain("accountsecurity.breached_passwords.unavailable reason=network");
    }

    [Test]
    public async Task TheRequestLog_ShowsOnlyPrefixes()
    {
        await using var host = await HostAsync();
        var passwords = new[] { Breached, Clean, "Another-Long-Passphrase-77", "ünïcödé-Pässwört-2031" };

        foreach (var password in passwords)
        {
            await CheckAsync(host, password);
        }

        _server.Requests.Should().HaveCount(passwords.Length);
        foreach (var request in _server.Requests)
        {
            request.Method.Should().Be("GET");
            RangePath().IsMatch(request.PathAndQuery).Should().BeTrue(request.PathAndQuery);
            request.Body.Should().BeEmpty();
            foreach (var password in passwords)
            {
                var range = PasswordHashRange.Of(password);
                request.AllText().Should().NotContain(password).And.NotContainEquivalentOf(range.Suffix).And.NotContainEquivalentOf(range.Prefix + range.Suffix);
            }
        }
    }
}
