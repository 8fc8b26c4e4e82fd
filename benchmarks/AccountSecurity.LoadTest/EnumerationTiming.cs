using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AccountSecurity.Results;
using AccountSecurity.SignIn;
using AccountSecurity.Stores;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AccountSecurity.LoadTest;

/// <summary>What one run of <c>--enumeration-timing</c> does, from its command line.</summary>
/// <param name="Smoke">CI's smoke run: tiny counts at a test work factor, the figures meaningless.</param>
/// <param name="WorkFactor">The bcrypt work factor; <see langword="null"/> leaves the package default (12).</param>
/// <param name="Pairs">Measured pairs per row.</param>
/// <param name="WarmUpPairs">Unmeasured pairs per transport before the first row of a store.</param>
/// <param name="Accounts">Existing accounts seeded per store; each is used a few times at most (the password lock needs 10 failures).</param>
/// <param name="Clients">Clients of the rows under load (each runs whole pairs, all at once); 0 leaves those rows out.</param>
/// <param name="PostgresConnectionString">The PostgreSQL server to measure on, when set; its own database <c>accountsecurity_timing</c> is re-created.</param>
/// <param name="RequirePostgres">CI: a missing PostgreSQL fails the run instead of skipping its rows.</param>
internal sealed record EnumerationTimingSettings(
    bool Smoke,
    int? WorkFactor,
    int Pairs,
    int WarmUpPairs,
    int Accounts,
    int Clients,
    string? PostgresConnectionString,
    bool RequirePostgres)
{
    public static EnumerationTimingSettings Parse(string[] args)
    {
        var smoke = args.Contains("--smoke");
        int? workFactor = smoke ? 4 : null;
        var pairs = smoke ? 4 : 50;
        var clients = smoke ? 2 : 4;
        for (var i = 0; i < args.Length - 1; i++)
        {
            switch (args[i])
            {
                case "--work-factor":
                    workFactor = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
                    break;
                case "--pairs":
                    pairs = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
                    break;
                case "--clients":
                    clients = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
                    break;
            }
        }

        var warmUp = smoke ? 2 : 10;

        // Every row takes one account per pair, round the seeded accounts in turn: enough accounts that none is used
        // more than 3 times (2 in a smoke run) over a store's rows, far from the 10 failures that lock a password.
        var uses = 2 * (warmUp + pairs + (clients > 0 ? pairs : 0));
        var accounts = (uses + (smoke ? 1 : 2)) / (smoke ? 2 : 3);
        return new EnumerationTimingSettings(
            smoke,
            workFactor,
            pairs,
            warmUp,
            accounts,
            clients,
            Environment.GetEnvironmentVariable("ACCOUNTSECURITY_POSTGRES"),
            Environment.GetEnvironmentVariable("ACCOUNTSECURITY_REQUIRE_SERVICES") == "1");
    }
}

/// <summary>
/// Issue 23, finding 10: can a wrong password tell an existing e-mail from an unknown one by its time? Measured at the
/// package defaults on the durable stores (a SQLite file, and PostgreSQL when <c>ACCOUNTSECURITY_POSTGRES</c> is set),
/// in-process through <see cref="ISignInService"/> and over HTTP through the JSON API (<c>POST /account/signin</c>),
/// as interleaved pairs: an existing e-mail with a wrong password and an unknown e-mail, which goes first alternating.
/// Each answer must be the expected <c>invalid_credentials</c> (HTTP 401), or the run aborts: a lock, a 429 or a busy
/// answer would measure something else.
/// </summary>
internal static class EnumerationTiming
{
    /// <summary>The command-line flag that runs this mode instead of the overload scenarios.</summary>
    public const string Flag = "--enumeration-timing";

    /// <summary>The name <c>--only</c> matches (a smoke run runs this mode after the scenarios).</summary>
    public const string Name = "enumeration timing";

    /// <summary>Wrong for every seeded account, and the password sent with every unknown e-mail: the same bytes on both sides.</summary>
    private const string WrongPassword = "Quartz meadow lantern 24";

    public static async Task<int> RunAsync(EnumerationTimingSettings settings)
    {
        Console.WriteLine();
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Enumeration timing (issue 23, finding 10): {Environment.ProcessorCount} cores, .NET {Environment.Version}, work factor {(settings.WorkFactor is { } wf ? wf.ToString(CultureInfo.InvariantCulture) : "12 (package default)")}, other options at their defaults; load average {LoadAverage()}"));
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"  {settings.Pairs} interleaved pairs per row (existing e-mail + wrong password, unknown e-mail; which goes first alternates) after {settings.WarmUpPairs} warm-up pairs per transport; {settings.Accounts} seeded accounts per store, taken in turn; every unknown e-mail distinct."));
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"  HTTP host: sign-in abuse limits raised to {HttpLoadHost.RaisedAbuseLimit:N0} a minute per client and per account (the limiter stays on), RevealLockout on (a lock would answer 403 and abort the run)."));

        var rows = new List<TimingRow>();
        try
        {
            var sqlite = DurableStores.NewSqliteFile("timing");
            try
            {
                rows.AddRange(await MeasureStoreAsync("SQLite file", "sqlite", db => db.UseSqlite($"Data Source={sqlite}"), settings));
            }
            finally
            {
                DurableStores.DeleteSqliteFile(sqlite);
            }

            if (settings.PostgresConnectionString is { } postgres)
            {
                var connection = DurableStores.PostgresDatabase(postgres, "accountsecurity_timing");
                rows.AddRange(await MeasureStoreAsync("PostgreSQL", "pg", db => db.UseNpgsql(connection), settings));
            }
            else if (settings.RequirePostgres)
            {
                Console.Error.WriteLine("ACCOUNTSECURITY_REQUIRE_SERVICES=1 but ACCOUNTSECURITY_POSTGRES is not set: the PostgreSQL rows of the enumeration timing cannot run.");
                return 1;
            }
            else
            {
                Console.WriteLine("(PostgreSQL rows skipped: set ACCOUNTSECURITY_POSTGRES to a connection string to run them)");
            }
        }
        catch (UnexpectedAnswerException e)
        {
            Console.Error.WriteLine($"Enumeration timing aborted: {e.Message}");
            return 1;
        }

        Console.WriteLine();
        Console.WriteLine(Format(rows));
        if (settings.Smoke)
        {
            Console.WriteLine("  (smoke run: a few pairs at work factor 4, to prove the mode still runs; the figures mean nothing)");
        }

        foreach (var row in rows.Where(r => !settings.Smoke && Math.Abs(r.DifferencePercent) > 5))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  above 5 %: {row.Store}, {row.Transport}, {row.ClientsText}: {row.DifferencePercent:+0.0;-0.0} %"));
        }

        Console.WriteLine($"Load average at the end: {LoadAverage()}");
        return 0;
    }

    /// <summary>One store's rows: a host on it (HTTP and in-process share its services), accounts seeded, both transports warmed, then the rows.</summary>
    private static async Task<List<TimingRow>> MeasureStoreAsync(string store, string prefix, Action<DbContextOptionsBuilder> database, EnumerationTimingSettings settings)
    {
        var key = LoadInstance.NewSecretKey();
        await using var host = await HttpLoadHost.StartAsync(
            options => LoadInstance.ConfigureDefaults(options, settings.WorkFactor, key),
            security => security.UseEntityFrameworkCore(database),
            aspNetCore => aspNetCore.RevealLockout = true);
        await host.Instance.EnsureSchemaAsync();

        var started = Stopwatch.GetTimestamp();
        var population = await Population.CreateAsync(host.Instance, $"{prefix}-timing", settings.Accounts, 0);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{store}: {settings.Accounts} accounts seeded in {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s"));
        var accounts = new Accounts(population.SignInEmails, prefix);
        Console.WriteLine(await StoreCostsAsync(store, host.Instance, population.SignInEmails, settings.Smoke ? 4 : 50));

        ITimingTransport[] transports = [new InProcessTransport(host.Instance), new HttpTransport(host)];
        foreach (var transport in transports)
        {
            await RunPairsAsync(transport, accounts, settings.WarmUpPairs, clients: 1);
        }

        // The runtime recompiles hot methods in the background: let it finish before anything is measured.
        await JitSettling.WaitAsync(TimeSpan.FromSeconds(settings.Smoke ? 1 : 6));

        var rows = new List<TimingRow>();
        foreach (var clients in settings.Clients > 0 ? new[] { 1, settings.Clients } : [1])
        {
            foreach (var transport in transports)
            {
                var before = LoadAverage();
                var pairs = await RunPairsAsync(transport, accounts, settings.Pairs, clients);
                var row = new TimingRow(store, transport.Name, clients, pairs, before);
                Console.WriteLine(row.Summary());
                rows.Add(row);
            }
        }

        return rows;
    }

    /// <summary>
    /// <paramref name="count"/> pairs on <paramref name="clients"/> clients (each its own connection, running whole
    /// pairs one request at a time, taking the next pair number until none is left); even pairs send the existing
    /// e-mail first, odd ones the unknown e-mail.
    /// </summary>
    private static async Task<PairTiming[]> RunPairsAsync(ITimingTransport transport, Accounts accounts, int count, int clients)
    {
        var pairs = new PairTiming[count];
        var next = -1;
        using var connections = new Connections();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            var client = transport.NewClient(connections);
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                var existing = accounts.NextExisting();
                var unknown = accounts.NextUnknown();
                double existingMs, unknownMs;
                if (i % 2 == 0)
                {
                    existingMs = await TimeAsync(client, existing, transport);
                    unknownMs = await TimeAsync(client, unknown, transport);
                }
                else
                {
                    unknownMs = await TimeAsync(client, unknown, transport);
                    existingMs = await TimeAsync(client, existing, transport);
                }

                pairs[i] = new PairTiming(existingMs, unknownMs);
            }
        })));
        return pairs;
    }

    private static async Task<double> TimeAsync(Func<string, Task<string?>> client, string email, ITimingTransport transport)
    {
        var started = Stopwatch.GetTimestamp();
        var unexpected = await client(email);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        return unexpected is null
            ? elapsed
            : throw new UnexpectedAnswerException($"{transport.Name}: a wrong password for {email} was answered {unexpected}, not invalid_credentials.");
    }

    /// <summary>
    /// What the store part of each path costs, measured straight on the host's <see cref="IUserStore"/> (a scope per
    /// call, interleaved): the unknown path's one read, the existing path's reservation (a version-checked update of
    /// one row, here changing only its version), and an update that matches no row (a candidate for making the
    /// unknown path do the same work). Each seeded account's version moves on; nothing else changes.
    /// </summary>
    private static async Task<string> StoreCostsAsync(string store, LoadInstance instance, IReadOnlyList<string> emails, int count)
    {
        var read = new List<double>();
        var write = new List<double>();
        var noRow = new List<double>();
        for (var i = 0; i < count; i++)
        {
            var user = await instance.InScopeAsync(s => s.GetRequiredService<IUserStore>().FindByEmailAsync(emails[i % emails.Count], default))
                ?? throw new UnexpectedAnswerException($"{emails[i % emails.Count]} was not found.");
            read.Add(await TimeStoreAsync(instance, s => s.FindByEmailAsync(string.Create(CultureInfo.InvariantCulture, $"store-cost-nobody{i}@load.example"), default), r => r is null));
            write.Add(await TimeStoreAsync(instance, s => s.UpdateAsync(user, default), r => r == StoreWriteResult.Success));
            noRow.Add(await TimeStoreAsync(instance, s => s.UpdateAsync(user with { Id = string.Create(CultureInfo.InvariantCulture, $"store-cost-nobody{i}") }, default), r => r == StoreWriteResult.NotFound));
        }

        return string.Create(
            CultureInfo.InvariantCulture,
            $"{store}: store calls, median of {count} (a scope each): find an unknown e-mail {Median(read):0.00} ms, version-checked update of one row {Median(write):0.00} ms, update matching no row {Median(noRow):0.00} ms");
    }

    private static async Task<double> TimeStoreAsync<T>(LoadInstance instance, Func<IUserStore, ValueTask<T>> call, Func<T, bool> expected)
    {
        var started = Stopwatch.GetTimestamp();
        var answer = await instance.InScopeAsync(s => call(s.GetRequiredService<IUserStore>()));
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        return expected(answer) ? elapsed : throw new UnexpectedAnswerException($"A store call answered {answer}.");
    }

    private static string Format(IReadOnlyList<TimingRow> rows)
    {
        var table = new StringBuilder();
        table.AppendLine("| store | transport | clients | existing e-mail, wrong password: median | unknown e-mail: median | difference | existing slower in | median of pair differences |");
        table.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (var r in rows)
        {
            table.AppendLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {r.Store} | {r.Transport} | {r.ClientsText} | {r.MedianExisting:0.0} ms | {r.MedianUnknown:0.0} ms | {r.DifferencePercent:+0.0;-0.0;0.0} % | {r.ExistingSlower} of {r.Pairs.Count} pairs | {r.MedianPairDifference:+0.0;-0.0;0.0} ms |"));
        }

        return table.ToString();
    }

    /// <summary>The 1-, 5- and 15-minute load averages (Linux), so a table says how quiet the machine was.</summary>
    internal static string LoadAverage()
    {
        const string path = "/proc/loadavg";
        return File.Exists(path) ? string.Join(' ', File.ReadAllText(path).Split(' ').Take(3)) : "n/a";
    }

    internal static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /// <summary>One pair's two latencies, in milliseconds.</summary>
    private readonly record struct PairTiming(double Existing, double Unknown);

    /// <summary>One row of the table: a store, a transport, and how many clients ran pairs at once.</summary>
    private sealed record TimingRow(string Store, string Transport, int Clients, IReadOnlyList<PairTiming> Pairs, string LoadBefore)
    {
        public double MedianExisting => Median(Pairs.Select(p => p.Existing));

        public double MedianUnknown => Median(Pairs.Select(p => p.Unknown));

        public double DifferencePercent => ((MedianExisting / MedianUnknown) - 1) * 100;

        public int ExistingSlower => Pairs.Count(p => p.Existing > p.Unknown);

        public double MedianPairDifference => Median(Pairs.Select(p => p.Existing - p.Unknown));

        public string ClientsText => Clients == 1 ? "1 (sequential)" : Clients.ToString(CultureInfo.InvariantCulture);

        public string Summary() => string.Create(
            CultureInfo.InvariantCulture,
            $"  {Store}, {Transport}, {ClientsText}: existing {MedianExisting:0.0} ms, unknown {MedianUnknown:0.0} ms, {DifferencePercent:+0.0;-0.0;0.0} %, existing slower in {ExistingSlower} of {Pairs.Count} pairs (load average before: {LoadBefore})");
    }

    /// <summary>The seeded accounts taken in turn, and a fresh unknown e-mail of the same shape each time.</summary>
    private sealed class Accounts(IReadOnlyList<string> existing, string prefix)
    {
        private int _existing = -1;
        private int _unknown = -1;

        public string NextExisting() => existing[(int)((uint)Interlocked.Increment(ref _existing) % (uint)existing.Count)];

        public string NextUnknown() => string.Create(CultureInfo.InvariantCulture, $"{prefix}-timing-nobody{Interlocked.Increment(ref _unknown)}@load.example");
    }

    /// <summary>How a row's clients send a wrong password: each answer is <see langword="null"/> when it is the expected <c>invalid_credentials</c>, otherwise what it was.</summary>
    private interface ITimingTransport
    {
        string Name { get; }

        Func<string, Task<string?>> NewClient(Connections connections);
    }

    /// <summary>In-process: <see cref="ISignInService.PasswordSignInAsync(string?, string?, CancellationToken)"/> in a scope per call, as a host runs a request.</summary>
    private sealed class InProcessTransport(LoadInstance instance) : ITimingTransport
    {
        public string Name => "in-process";

        public Func<string, Task<string?>> NewClient(Connections connections) => async email =>
        {
            var result = await instance.SignInAsync(s => s.PasswordSignInAsync(email, WrongPassword));
            return result is { Status: SignInStatus.Failed, ErrorCode: SecurityErrorCodes.InvalidCredentials } ? null : $"{result.Status} {result.ErrorCode}";
        };
    }

    /// <summary>Over HTTP: <c>POST /account/signin</c>, one <see cref="HttpClient"/> (its own connection) per client; the body read before the clock stops.</summary>
    private sealed class HttpTransport(HttpLoadHost host) : ITimingTransport
    {
        public string Name => "HTTP";

        public Func<string, Task<string?>> NewClient(Connections connections)
        {
            var client = connections.Add(host.NewClient());
            return async email =>
            {
                using var response = await client.PostAsJsonAsync("/account/signin", new { email, password = WrongPassword });
                await response.Content.LoadIntoBufferAsync();
                if (response.StatusCode != HttpStatusCode.Unauthorized)
                {
                    return $"{(int)response.StatusCode}";
                }

                var body = await response.Content.ReadFromJsonAsync<JsonElement>();
                var code = body.TryGetProperty("code", out var c) ? c.GetString() : null;
                return code == SecurityErrorCodes.InvalidCredentials ? null : $"401 {code}";
            };
        }
    }

    /// <summary>The clients a row opened, disposed with it.</summary>
    private sealed class Connections : IDisposable
    {
        private readonly List<HttpClient> _clients = [];

        public HttpClient Add(HttpClient client)
        {
            lock (_clients)
            {
                _clients.Add(client);
            }

            return client;
        }

        public void Dispose()
        {
            lock (_clients)
            {
                _clients.ForEach(c => c.Dispose());
            }
        }
    }

    private sealed class UnexpectedAnswerException(string message) : Exception(message);
}
