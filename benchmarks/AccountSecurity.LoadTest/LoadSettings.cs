namespace AccountSecurity.LoadTest;

/// <summary>What one run of the load driver does, from its command line.</summary>
internal sealed record LoadSettings(
    TimeSpan Duration,
    TimeSpan WarmUp,
    int WarmUpRounds,
    int WorkFactor,
    IReadOnlyList<int> ClientMultiples,
    TimeSpan SessionCheckInterval,
    TimeSpan TotpStepInterval,
    string? PostgresConnectionString,
    bool RequirePostgres,
    string? Only = null,
    string? Redis = null,
    bool AuditTrail = true)
{
    public const string Password = "Quartz meadow lantern 42";

    public static LoadSettings Parse(string[] args)
    {
        var smoke = args.Contains("--smoke");
        var duration = TimeSpan.FromSeconds(smoke ? 2 : 10);
        var warmUp = TimeSpan.FromSeconds(smoke ? 1 : 3);
        var workFactor = smoke ? 4 : 10;
        string? only = null;

        // The audit trail (issue 30) is on, as it is by default in the library; `--audit-trail off` measures without it.
        var auditTrail = true;
        for (var i = 0; i < args.Length - 1; i++)
        {
            switch (args[i])
            {
                case "--duration":
                    duration = TimeSpan.FromSeconds(int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture));
                    break;
                case "--warm-up":
                    warmUp = TimeSpan.FromSeconds(int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture));
                    break;
                case "--only":
                    only = args[i + 1];
                    break;
                case "--audit-trail":
                    auditTrail = args[i + 1] != "off";
                    break;
                case "--work-factor":
                    workFactor = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture);
                    break;
            }
        }

        return new LoadSettings(
            duration,
            warmUp,
            smoke ? 1 : 6,
            workFactor,
            [1, 4, 20],
            TimeSpan.FromMilliseconds(20),
            TimeSpan.FromMilliseconds(smoke ? 100 : 250),
            Environment.GetEnvironmentVariable("ACCOUNTSECURITY_POSTGRES"),
            Environment.GetEnvironmentVariable("ACCOUNTSECURITY_REQUIRE_SERVICES") == "1",
            only,
            Environment.GetEnvironmentVariable("ACCOUNTSECURITY_REDIS"),
            auditTrail);
    }

    /// <summary>Whether the scenario named <paramref name="name"/> runs: every one, unless <c>--only TEXT</c> picked those whose name contains TEXT.</summary>
    public bool Runs(string name) => Only is null || name.Contains(Only, StringComparison.OrdinalIgnoreCase);

    /// <summary>How long the raw bcrypt rate is sampled before and after each measured run.</summary>
    public TimeSpan RawRateSample => Duration < TimeSpan.FromSeconds(3) ? Duration : TimeSpan.FromSeconds(3);

    /// <summary>How many TOTP second steps one scenario needs tickets for, warm-up included (one user each: a code is accepted once per time step).</summary>
    public int TotpStepsPerScenario => (int)Math.Ceiling((Duration + (WarmUp * WarmUpRounds)) / TotpStepInterval) + 4;
}
