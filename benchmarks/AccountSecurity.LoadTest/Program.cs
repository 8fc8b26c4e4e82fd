using System.Globalization;
using AccountSecurity.LoadTest;

// The load driver (issue 11): how the library behaves when more people sign in than the machine can hash for, and
// what that does to everything else a console serves meanwhile. `--smoke` runs each scenario for two seconds at a
// test work factor so CI proves it still runs; the published figures come from a full run (see benchmarks/README.md).
var settings = LoadSettings.Parse(args);

// Issue 23, finding 10: a wrong password's time for an existing e-mail against an unknown one (EnumerationTiming.cs).
if (args.Contains(EnumerationTiming.Flag))
{
    return await EnumerationTiming.RunAsync(EnumerationTimingSettings.Parse(args));
}

// Issue 31: this library at its package defaults side by side with ASP.NET Core Identity (VersusIdentity.cs).
if (args.Contains(VersusIdentity.Flag))
{
    return await VersusIdentity.RunAsync(VersusSettings.Parse(args));
}

// Issue 28: the added latency of one abuse-limit check, in process and shared on Redis (LimitCheckLatency.cs).
if (args.Contains(LimitCheckLatency.Flag))
{
    return await LimitCheckLatency.RunAsync(args);
}

var cores = Environment.ProcessorCount;
Console.WriteLine($"AccountSecurity load driver: {cores} cores, work factor {settings.WorkFactor}, {settings.Duration.TotalSeconds:0} s per scenario, audit trail {(settings.AuditTrail ? "on" : "off")}, .NET {Environment.Version}");

// What the audit trail kept and lost over the whole run, from its counter (nothing is dropped silently: a drop would show here).
using var auditRecords = AuditRecordCount.Listen();

var results = new List<ScenarioResult>();
foreach (var multiple in settings.ClientMultiples)
{
    var name = $"in-process, in-memory, {multiple}x cores";
    if (!settings.Runs(name))
    {
        continue;
    }

    await using var instance = LoadInstance.InMemory(settings, LoadInstance.NewSecretKey());
    var clients = multiple * cores;
    var population = await Population.CreateAsync(instance, $"mem{multiple}", clients, settings.TotpStepsPerScenario);
    results.Add(await OverloadScenario.RunAsync(name, [await InProcessTarget.CreateAsync(instance, population)], clients, settings));
}

// A row that really refuses (issue 11's "refused requests answered p99 <= 10 ms"): 20x the cores with the hashing
// queue capped at one computation per core (Hashing.QueueLimit = cores), so most sign-ins find the queue full and are
// answered busy at once, at any work factor (the smoke run refuses too).
if (settings.Runs($"in-process, in-memory, {settings.ClientMultiples[^1]}x cores, Hashing.QueueLimit = {cores}"))
{
    var multiple = settings.ClientMultiples[^1];
    await using var instance = LoadInstance.InMemory(settings, LoadInstance.NewSecretKey(), queueLimit: cores);
    var clients = multiple * cores;
    var population = await Population.CreateAsync(instance, $"memq{multiple}", clients, settings.TotpStepsPerScenario);
    results.Add(await OverloadScenario.RunAsync($"in-process, in-memory, {multiple}x cores, Hashing.QueueLimit = {cores}", [await InProcessTarget.CreateAsync(instance, population)], clients, settings));
}

// Scenario (b): the same through the ASP.NET Core package over real HTTP (Kestrel on a loopback port in this process,
// one HttpClient with its own cookies per simulated client), at 20x the cores with the default queue and with the
// queue capped at one computation per core (the refusing row, answered 503 with Retry-After).
foreach (var queueLimit in new int?[] { null, cores })
{
    var multiple = settings.ClientMultiples[^1];
    var name = queueLimit is null ? $"over HTTP (Kestrel), in-memory, {multiple}x cores" : $"over HTTP (Kestrel), in-memory, {multiple}x cores, Hashing.QueueLimit = {queueLimit}";
    if (!settings.Runs(name))
    {
        continue;
    }

    await using var host = await HttpLoadHost.StartAsync(settings, LoadInstance.NewSecretKey(), queueLimit);
    var clients = multiple * cores;
    var population = await Population.CreateAsync(host.Instance, queueLimit is null ? $"http{multiple}" : $"httpq{multiple}", clients, settings.TotpStepsPerScenario);
    using var target = await HttpTarget.CreateAsync(host, population);
    results.Add(await OverloadScenario.RunAsync(name, [target], clients, settings));
}

// Two replicas behind a load balancer: one PostgreSQL, and (issue 28) the abuse limits shared on one Redis server,
// checked before every sign-in as a host's page does (raised out of reach: their cost is measured, not their refusals).
var twoInstances = $"two instances, one PostgreSQL, limits on Redis, {settings.ClientMultiples[^1]}x cores";
LimitCheckSummary? limitChecks = null;
if (!settings.Runs(twoInstances))
{
    // Left out by --only.
}
else if (settings.PostgresConnectionString is { } postgres && settings.Redis is { } redis)
{
    var connection = new Npgsql.NpgsqlConnectionStringBuilder(postgres) { Database = Environment.GetEnvironmentVariable("ACCOUNTSECURITY_LOAD_DATABASE") ?? "accountsecurity_load", NoResetOnClose = true, MaxAutoPrepare = 16 }.ConnectionString;
    var key = LoadInstance.NewSecretKey();
    var prefix = $"asload:{Guid.NewGuid():N}:";
    using var fallbacks = new FallbackListener();
    await using var first = LoadInstance.OnPostgres(settings, key, connection, redis, prefix);
    await using var second = LoadInstance.OnPostgres(settings, key, connection, redis, prefix);
    await first.EnsureSchemaAsync();
    var multiple = settings.ClientMultiples[^1];
    var clients = multiple * cores;
    // Each instance's checkers use accounts created through that instance; the sign-in clients alternate instances.
    var populations = new[]
    {
        await Population.CreateAsync(first, "pg-a", (clients + 1) / 2, settings.TotpStepsPerScenario),
        await Population.CreateAsync(second, "pg-b", clients / 2, settings.TotpStepsPerScenario),
    };
    ILoadTarget[] targets = [await InProcessTarget.CreateAsync(first, populations[0]), await InProcessTarget.CreateAsync(second, populations[1])];
    var result = await OverloadScenario.RunAsync(twoInstances, targets, clients, settings);
    results.Add(result);
    limitChecks = new LimitCheckSummary(first.LimitChecks, second.LimitChecks, fallbacks.Count);
}
else if (settings.RequirePostgres)
{
    Console.Error.WriteLine("ACCOUNTSECURITY_REQUIRE_SERVICES=1 but ACCOUNTSECURITY_POSTGRES or ACCOUNTSECURITY_REDIS is not set: the two-instance scenario cannot run.");
    return 1;
}
else
{
    Console.WriteLine("(two-instance scenario skipped: set ACCOUNTSECURITY_POSTGRES to a connection string and ACCOUNTSECURITY_REDIS to host:port to run it)");
}

Console.WriteLine();
Console.WriteLine(ResultTable.Format(results));
if (limitChecks is not null)
{
    Console.WriteLine(limitChecks.Format());
}

Console.WriteLine(auditRecords.Summary());
var failures = results.Sum(r => r.Failures) + (int)(limitChecks?.Fallbacks ?? 0);
if (failures > 0)
{
    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{failures} operations failed (a session check refused, a TOTP step not accepted, or a sign-in answered neither success nor busy): see above."));
    return 1;
}

// The smoke run also measures the abuse-limit check at tiny counts, runs the comparison with Identity in its short
// form, then ends with the enumeration timing, so no mode can rot.
if (args.Contains("--smoke") && settings.Runs("limit check") && await LimitCheckLatency.RunAsync(args) is not 0 and var code)
{
    return code;
}

if (args.Contains("--smoke") && settings.Runs(VersusIdentity.Name) && await VersusIdentity.RunAsync(VersusSettings.Parse(args)) is not 0 and var versusCode)
{
    return versusCode;
}

if (args.Contains("--smoke") && settings.Runs(EnumerationTiming.Name))
{
    return await EnumerationTiming.RunAsync(EnumerationTimingSettings.Parse(args));
}

return 0;
