namespace AccountSecurity.LoadTest;

/// <summary>What one run of the load driver does, from its command line.</summary>
internal sealed record LoadSettings(
    TimeSpan Duration,
    int WorkFactor,
    IReadOnlyList<int> ClientMultiples,
    TimeSpan SessionCheckInterval,
    TimeSpan TotpStepInterval,
    string? PostgresConnectionString,
    bool RequirePostgres)
{
    public const string Password = "Quartz meadow lantern 42";

    public static LoadSettings Parse(string[] args)
    {
        var smoke = args.Contains("--smoke");
        var duration = TimeSpan.FromSeconds(smoke ? 2 : 10);
        var workFactor = smoke ? 4 : 10;
        for (var i = 0; i < args.Length - 1; i++)
        {
            switch (args[i])
            {
                case "--duration":
                    duration = TimeSpan.FromSeconds(int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture));
                    break;
                case "--work-factor":
                    workFactor = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture);
                    break;
            }
        }

        return new LoadSettings(
            duration,
            workFactor,
            [1, 4, 20],
            TimeSpan.FromMilliseconds(20),
            TimeSpan.FromMilliseconds(smoke ? 100 : 250),
            Environment.GetEnvironmentVariable("ACCOUNTSECURITY_POSTGRES"),
            Environment.GetEnvironmentVariable("ACCOUNTSECURITY_REQUIRE_SERVICES") == "1");
    }

    /// <summary>How many TOTP second steps one scenario needs tickets for (one user each: a code is accepted once per time step).</summary>
    public int TotpStepsPerScenario => (int)Math.Ceiling(Duration / TotpStepInterval) + 2;
}
