using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;

namespace AccountSecurity.LoadTest;

/// <summary>What one run of <c>--versus-identity</c> does, from its command line.</summary>
/// <param name="Load">The driver's settings (duration, warm-up, stores); the duration defaults to 20 s here (2 s in a smoke run).</param>
/// <param name="Smoke">CI's smoke run: one short round at test costs, the figures meaningless.</param>
/// <param name="WorkFactor">The library's bcrypt work factor; <see langword="null"/> leaves the package default (12).</param>
/// <param name="Rounds">Rounds per store, each running every configuration once on a fresh host.</param>
/// <param name="IdentityIterations">Identity's PBKDF2 iterations at its default (100,000; 1,000 in a smoke run).</param>
internal sealed record VersusSettings(LoadSettings Load, bool Smoke, int? WorkFactor, int Rounds, int IdentityIterations)
{
    /// <summary>Sign-in clients per core: 20x overload.</summary>
    public const int ClientsPerCore = 20;

    /// <summary>Signed-in clients calling the cheap GET, each every <see cref="LoadSettings.SessionCheckInterval"/> (20 ms).</summary>
    public const int CheapClients = 4;

    /// <summary>Every 4th completed attempt of a client sends a wrong password (25 %).</summary>
    public const int WrongEvery = 4;

    /// <summary>The work factor the library runs at: the package default unless a smoke run or <c>--work-factor</c> set one.</summary>
    public int SdkWorkFactor => WorkFactor ?? 12;

    public static VersusSettings Parse(string[] args)
    {
        var smoke = args.Contains("--smoke");
        var load = LoadSettings.Parse(args);
        if (!args.Contains("--duration"))
        {
            load = load with { Duration = TimeSpan.FromSeconds(smoke ? 2 : 20) };
        }

        var rounds = smoke ? 1 : 3;
        var index = Array.IndexOf(args, "--rounds");
        if (index >= 0 && index < args.Length - 1)
        {
            rounds = int.Parse(args[index + 1], CultureInfo.InvariantCulture);
        }

        int? workFactor = smoke || args.Contains("--work-factor") ? load.WorkFactor : null;
        return new VersusSettings(load, smoke, workFactor, rounds, smoke ? 1_000 : 100_000);
    }
}

/// <summary>
/// Issue 31: this library at its package defaults side by side with ASP.NET Core Identity 10, over HTTP on the same
/// durable stores (a SQLite file, and PostgreSQL when <c>ACCOUNTSECURITY_POSTGRES</c> is set), driven by one load client
/// in this process with the same scenario: 20x the cores signing in back to back (every 4th attempt of each client a
/// wrong password), and 4 signed-in clients calling the cheap GET every 20 ms. Interleaved: per store, rounds of
/// [library, Identity at PBKDF2's default iterations, Identity at the iterations that cost one bcrypt verify], each on
/// a fresh host and database; each product's raw hash rate on every core is sampled before and after the store's rounds.
/// Any answer that is not a success, a wrong password's rejection or busy is a wrong answer: printed for both, and a
/// failure of the run (exit 1) for the library.
/// </summary>
internal static class VersusIdentity
{
    /// <summary>The command-line flag that runs this mode instead of the overload scenarios.</summary>
    public const string Flag = "--versus-identity";

    /// <summary>The name <c>--only</c> matches (a smoke run runs this mode after the scenarios).</summary>
    public const string Name = "versus identity";

    /// <summary>The wrong password every 4th attempt sends.</summary>
    public const string WrongPassword = "Quartz meadow lantern 24";

    private const string Library = "AccountSecurity";

    public static async Task<int> RunAsync(VersusSettings settings)
    {
        var cores = Environment.ProcessorCount;
        var clients = VersusSettings.ClientsPerCore * cores;
        Console.WriteLine();
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Versus ASP.NET Core Identity (issue 31): {cores} cores, .NET {Environment.Version}, {clients} sign-in clients (every {VersusSettings.WrongEvery}th attempt a wrong password) + {VersusSettings.CheapClients} cheap-GET clients every {settings.Load.SessionCheckInterval.TotalMilliseconds:0} ms, {settings.Load.Duration.TotalSeconds:0} s per run, {settings.Rounds} round(s) per store; load average {EnumerationTiming.LoadAverage()}"));

        // Matched cost: PBKDF2 iterations that make one Identity verify cost what one bcrypt verify of the library costs,
        // measured now, one thread, on this machine (the median of 5 each, scaled linearly: PBKDF2's cost is its iterations).
        var bcryptOne = RawHashRate.OneVerify(RawBcryptRate.Verifier(settings.SdkWorkFactor), 5);
        var pbkdf2One = RawHashRate.OneVerify(IdentityLoadHost.Pbkdf2Verifier(settings.IdentityIterations), 5);
        var matched = (int)Math.Max(1_000, Math.Round(settings.IdentityIterations * (bcryptOne / pbkdf2One) / 1_000) * 1_000);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"  matched cost: one bcrypt-{settings.SdkWorkFactor} verify {bcryptOne.TotalMilliseconds:0.0} ms, one PBKDF2-{settings.IdentityIterations:N0} verify {pbkdf2One.TotalMilliseconds:0.0} ms (one thread, median of 5) -> {settings.IdentityIterations:N0} x {bcryptOne / pbkdf2One:0.00} = {matched:N0} iterations"));

        var configs = new VersusConfig[]
        {
            new($"{Library}, package defaults (bcrypt {settings.SdkWorkFactor}{(settings.WorkFactor is null ? string.Empty : ", smoke")})", RawBcryptRate.Verifier(settings.SdkWorkFactor), async store => await AccountSecurityVersusTarget.StartAsync(store, settings.WorkFactor, clients, VersusSettings.CheapClients)),
            new($"Identity, PBKDF2 {settings.IdentityIterations:N0} ({(settings.Smoke ? "smoke" : "default")})", IdentityLoadHost.Pbkdf2Verifier(settings.IdentityIterations), async store => await IdentityVersusTarget.StartAsync(store, settings.IdentityIterations, clients, VersusSettings.CheapClients)),
            new($"Identity, PBKDF2 {matched:N0} (matched cost)", IdentityLoadHost.Pbkdf2Verifier(matched), async store => await IdentityVersusTarget.StartAsync(store, matched, clients, VersusSettings.CheapClients)),
        };

        var stores = new List<(string Name, Func<string, StoreLease> Open)> { ("SQLite file", SqliteLease) };
        if (settings.Load.PostgresConnectionString is { } postgres)
        {
            stores.Add(("PostgreSQL", product => PostgresLease(postgres, product)));
        }
        else if (settings.Load.RequirePostgres)
        {
            Console.Error.WriteLine("ACCOUNTSECURITY_REQUIRE_SERVICES=1 but ACCOUNTSECURITY_POSTGRES is not set: the PostgreSQL rows of the versus-identity run cannot run.");
            return 1;
        }
        else
        {
            Console.WriteLine("(PostgreSQL rows skipped: set ACCOUNTSECURITY_POSTGRES to a connection string to run them)");
        }

        var rows = new List<VersusRow>();
        foreach (var (storeName, open) in stores)
        {
            // The machine's hash rates drift over minutes: sampled right before and right after the store's rounds.
            var before = configs.Select(c => RawHashRate.OnEveryCore(c.Verify, settings.Load.RawRateSample)).ToArray();
            Console.WriteLine($"{storeName}: raw hash rates before, on every core: {RawRates(configs, before)}");
            var storeRows = new List<(int Config, int Round, VersusMeasure Measure)>();
            for (var round = 1; round <= settings.Rounds; round++)
            {
                for (var c = 0; c < configs.Length; c++)
                {
                    var config = configs[c];
                    await using var target = await config.StartAsync(open(config.Product));
                    Console.WriteLine($"  {storeName}, {config.Product}, round {round}");
                    var measure = await VersusScenario.RunAsync(target, clients, settings.Load, failsOnWrongAnswer: c == 0);
                    Console.WriteLine("    " + measure.Summary());
                    storeRows.Add((c, round, measure));
                }
            }

            var after = configs.Select(c => RawHashRate.OnEveryCore(c.Verify, settings.Load.RawRateSample)).ToArray();
            Console.WriteLine($"{storeName}: raw hash rates after, on every core: {RawRates(configs, after)}");
            rows.AddRange(storeRows.Select(r => new VersusRow(storeName, configs[r.Config].Product, r.Round, (before[r.Config] + after[r.Config]) / 2, r.Measure)));
        }

        Console.WriteLine();
        Console.WriteLine("sign-ins/s: completed attempts (signed in, or a wrong password rejected) over the time from the start until the last attempt in flight at the end finished (as the overload scenarios count); sign-in latencies from sending, refused ones from sending to the 503; cheap GETs from when each was due, and how many completed of those due (slots missed while one ran late are skipped). Raw hash/s: each product's hash at that configuration on every core, the mean of the samples before and after the store's rounds.");
        Console.WriteLine();
        Console.WriteLine(Format(rows));
        Console.WriteLine(FormatMedians(rows));
        if (settings.Smoke)
        {
            Console.WriteLine("  (smoke run: one short round at test costs, to prove the mode still runs; the figures mean nothing)");
        }

        foreach (var row in rows.Where(r => r.Measure.WrongAnswers.Count > 0))
        {
            Console.WriteLine($"  wrong answers, {row.Store}, {row.Product}, round {row.Round}: {string.Join("; ", row.Measure.WrongAnswers.OrderBy(w => w.Key, StringComparer.Ordinal).Select(w => $"{w.Value} x {w.Key}"))}");
        }

        Console.WriteLine($"Load average at the end: {EnumerationTiming.LoadAverage()}");
        var libraryWrong = rows.Where(r => r.Product.StartsWith(Library, StringComparison.Ordinal)).Sum(r => r.Measure.WrongAnswerCount);
        if (libraryWrong > 0)
        {
            Console.Error.WriteLine($"{libraryWrong} wrong answers from {Library}: see above.");
            return 1;
        }

        return 0;
    }

    /// <summary>A fresh SQLite file per host (in the temp directory), deleted with it.</summary>
    private static StoreLease SqliteLease(string product)
    {
        var file = DurableStores.NewSqliteFile("versus");
        return new StoreLease(db => db.UseSqlite($"Data Source={file}"), () => DurableStores.DeleteSqliteFile(file));
    }

    /// <summary>Each product's own database (re-created by each host); the pools are cleared so the drop finds no idle connection of the host before.</summary>
    private static StoreLease PostgresLease(string server, string product)
    {
        Npgsql.NpgsqlConnection.ClearAllPools();
        var database = product.StartsWith(Library, StringComparison.Ordinal) ? "accountsecurity_versus" : "accountsecurity_versus_identity";
        var connection = DurableStores.PostgresDatabase(server, database);
        return new StoreLease(db => db.UseNpgsql(connection), Npgsql.NpgsqlConnection.ClearAllPools);
    }

    private static string RawRates(IReadOnlyList<VersusConfig> configs, IReadOnlyList<double> rates) =>
        string.Join(", ", configs.Select((c, i) => string.Create(CultureInfo.InvariantCulture, $"{c.Product}: {rates[i]:0.0}/s")));

    private static string Format(IReadOnlyList<VersusRow> rows)
    {
        var table = new StringBuilder();
        table.AppendLine("| store | product, configuration | round | sign-ins/s | raw hash/s | × raw | sign-in p50 / p99 | refused: count, p50 / p99 | wrong answers | cheap GET p50 / p99 | cheap GETs completed |");
        table.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in rows)
        {
            var m = r.Measure;
            table.AppendLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {r.Store} | {r.Product} | {r.Round} | {m.AttemptsPerSecond:0.0} | {r.RawRate:0.0} | {m.AttemptsPerSecond / r.RawRate:0.00} | {ResultTable.Ms(m.SignIns.Percentile(50))} / {ResultTable.Ms(m.SignIns.Percentile(99))} | {m.Refused.Count}, {ResultTable.Ms(m.Refused.Percentile(50))} / {ResultTable.Ms(m.Refused.Percentile(99))} | {m.WrongAnswerCount} | {ResultTable.Ms(m.Cheap.Percentile(50))} / {ResultTable.Ms(m.Cheap.Percentile(99))} | {m.CheapCompleted:N0} of {m.CheapDue:N0} |"));
        }

        return table.ToString();
    }

    /// <summary>Per store and configuration, the median over the rounds of each column.</summary>
    private static string FormatMedians(IReadOnlyList<VersusRow> rows)
    {
        var table = new StringBuilder();
        table.AppendLine("Median over the rounds:");
        table.AppendLine();
        table.AppendLine("| store | product, configuration | rounds | sign-ins/s | raw hash/s | × raw | sign-in p50 / p99 | refused: count, p50 / p99 | wrong answers | cheap GET p50 / p99 | cheap GETs completed |");
        table.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var group in rows.GroupBy(r => (r.Store, r.Product)))
        {
            var g = group.ToList();
            double? Of(Func<VersusRow, double?> value) => g.Select(value).OfType<double>().ToList() is { Count: > 0 } values ? EnumerationTiming.Median(values) : null;
            table.AppendLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {group.Key.Store} | {group.Key.Product} | {g.Count} | {Of(r => r.Measure.AttemptsPerSecond):0.0} | {Of(r => r.RawRate):0.0} | {Of(r => r.Measure.AttemptsPerSecond / r.RawRate):0.00} | {ResultTable.Ms(Of(r => r.Measure.SignIns.Percentile(50)))} / {ResultTable.Ms(Of(r => r.Measure.SignIns.Percentile(99)))} | {Of(r => r.Measure.Refused.Count):0}, {ResultTable.Ms(Of(r => r.Measure.Refused.Percentile(50)))} / {ResultTable.Ms(Of(r => r.Measure.Refused.Percentile(99)))} | {Of(r => r.Measure.WrongAnswerCount):0} | {ResultTable.Ms(Of(r => r.Measure.Cheap.Percentile(50)))} / {ResultTable.Ms(Of(r => r.Measure.Cheap.Percentile(99)))} | {Of(r => r.Measure.CheapCompleted):N0} of {Of(r => r.Measure.CheapDue):N0} |"));
        }

        return table.ToString();
    }

    /// <summary>One product and configuration: its hash for the raw rate, and how to start its host on a store.</summary>
    private sealed record VersusConfig(string Product, Func<bool> Verify, Func<StoreLease, Task<IVersusTarget>> StartAsync);

    private sealed record VersusRow(string Store, string Product, int Round, double RawRate, VersusMeasure Measure);
}

/// <summary>What one versus run measured on one host.</summary>
internal sealed class VersusMeasure
{
    /// <summary>Completed attempts (signed in, or a wrong password rejected) per second.</summary>
    public double AttemptsPerSecond { get; set; }

    /// <summary>Completed attempts' latencies, from sending.</summary>
    public Latencies SignIns { get; } = new();

    /// <summary>Busy answers' latencies, from sending to the 503.</summary>
    public Latencies Refused { get; } = new();

    /// <summary>Cheap GETs' latencies, from when each was due.</summary>
    public Latencies Cheap { get; } = new();

    public int CheapDue { get; set; }

    public int CheapCompleted => Cheap.Count - _cheapFailures;

    /// <summary>Each kind of wrong answer (sign-ins and cheap GETs) with how often it came.</summary>
    public ConcurrentDictionary<string, int> WrongAnswers { get; } = new(StringComparer.Ordinal);

    public int WrongAnswerCount => WrongAnswers.Values.Sum();

    private int _cheapFailures;

    public void Wrong(string what) => WrongAnswers.AddOrUpdate(what, 1, (_, n) => n + 1);

    public void CheapFailed(string what)
    {
        Interlocked.Increment(ref _cheapFailures);
        Wrong(what);
    }

    public string Summary() => string.Create(
        CultureInfo.InvariantCulture,
        $"{AttemptsPerSecond:0.0} attempts/s, sign-in p50 {ResultTable.Ms(SignIns.Percentile(50))} p99 {ResultTable.Ms(SignIns.Percentile(99))}, refused {Refused.Count}, wrong answers {WrongAnswerCount}, cheap GET p99 {ResultTable.Ms(Cheap.Percentile(99))} ({CheapCompleted} of {CheapDue})");
}

/// <summary>
/// The versus scenario on one host: warmed up as every scenario of the driver is (<see cref="JitSettling.WarmUpAsync"/>),
/// then measured for the run's duration. Each sign-in client signs in back to back; every 4th completed attempt sends a
/// wrong password; a busy answer is waited out for its Retry-After and the same attempt sent again. The cheap clients
/// are paced as the overload scenario's session checker is (<see cref="OverloadScenario.PacedAsync"/>).
/// </summary>
internal static class VersusScenario
{
    public static async Task<VersusMeasure> RunAsync(IVersusTarget target, int clients, LoadSettings settings, bool failsOnWrongAnswer)
    {
        var signIns = Enumerable.Range(0, clients).Select(i => new Client(target.SignInClient(i))).ToList();
        var cheap = Enumerable.Range(0, VersusSettings.CheapClients).Select(target.CheapClient).ToList();
        await JitSettling.WarmUpAsync(
            async length =>
            {
                var warmUp = await DriveAsync(signIns, cheap, length, settings.SessionCheckInterval);
                if (warmUp.WrongAnswerCount > 0)
                {
                    var what = string.Join("; ", warmUp.WrongAnswers.Select(w => $"{w.Value} x {w.Key}"));
                    Console.WriteLine($"    warm-up wrong answers: {what}");
                    if (failsOnWrongAnswer)
                    {
                        throw new InvalidOperationException($"Wrong answers during the warm-up ({what}): the scenario is broken before it is measured.");
                    }
                }
            },
            settings);
        return await DriveAsync(signIns, cheap, settings.Duration, settings.SessionCheckInterval);
    }

    private static async Task<VersusMeasure> DriveAsync(IReadOnlyList<Client> signIns, IReadOnlyList<Func<Task<string?>>> cheap, TimeSpan duration, TimeSpan interval)
    {
        var measure = new VersusMeasure { CheapDue = cheap.Count * (int)(duration / interval) };
        var completed = 0L;
        using var stop = new CancellationTokenSource(duration);
        var started = Stopwatch.GetTimestamp();
        var clientTasks = signIns.Select(client => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                // A new request each time, queued to the thread pool like a server's next request (as OverloadScenario does).
                await Task.Yield();
                var wrong = (client.Completed + 1) % VersusSettings.WrongEvery == 0;
                var sent = Stopwatch.GetTimestamp();
                var answer = await client.SignIn(wrong);
                switch (answer.Kind)
                {
                    case AnswerKind.Succeeded or AnswerKind.Rejected:
                        measure.SignIns.RecordSince(sent);
                        Interlocked.Increment(ref completed);
                        client.Completed++;
                        break;
                    case AnswerKind.Busy:
                        // Told when to come back: a client honouring Retry-After waits, then sends the same attempt again.
                        measure.Refused.RecordSince(sent);
                        await Task.Delay(answer.RetryAfter ?? TimeSpan.FromSeconds(1), CancellationToken.None);
                        break;
                    default:
                        measure.Wrong(answer.Detail ?? "an unreadable answer");
                        client.Completed++;
                        break;
                }
            }
        })).ToList();

        var cheapTasks = cheap.Select(check => OverloadScenario.PacedAsync(interval, stop.Token, async () =>
        {
            if (await check() is { } failed)
            {
                measure.CheapFailed(failed);
            }
        }, measure.Cheap));

        await Task.WhenAll(clientTasks.Concat(cheapTasks));
        measure.AttemptsPerSecond = completed / Stopwatch.GetElapsedTime(started).TotalSeconds;
        return measure;
    }

    /// <summary>One sign-in client and how many attempts it completed (its own loop only touches it).</summary>
    private sealed class Client(Func<bool, Task<SignInAnswer>> signIn)
    {
        public Func<bool, Task<SignInAnswer>> SignIn { get; } = signIn;

        public long Completed { get; set; }
    }
}
