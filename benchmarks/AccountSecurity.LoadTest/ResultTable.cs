using System.Globalization;
using System.Text;

namespace AccountSecurity.LoadTest;

/// <summary>The load table as Markdown, ready for benchmarks/README.md.</summary>
internal static class ResultTable
{
    public static string Format(IReadOnlyList<ScenarioResult> results)
    {
        var table = new StringBuilder();
        table.AppendLine("| scenario | clients | sign-ins/s | raw bcrypt/s | × raw | sign-in p50 / p99 / max | refused: count, p50 / p99 | session check p50 / p99 (n) | TOTP step p50 / p99 (n) |");
        table.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            table.AppendLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {r.Name} | {r.Clients} | {r.SignInsPerSecond:0.0} | {r.RawBcryptRate:0.0} | {r.SignInsPerSecond / r.RawBcryptRate:0.00} | {Ms(r.SignIns.Percentile(50))} / {Ms(r.SignIns.Percentile(99))} / {Ms(r.SignIns.Max)} | {r.Refused.Count}, {Ms(r.Refused.Percentile(50))} / {Ms(r.Refused.Percentile(99))} | {Ms(r.SessionChecks.Percentile(50))} / {Ms(r.SessionChecks.Percentile(99))} ({r.SessionChecks.Count}) | {Ms(r.TotpSteps.Percentile(50))} / {Ms(r.TotpSteps.Percentile(99))} ({r.TotpSteps.Count}) |"));
        }

        return table.ToString();
    }

    internal static string Ms(double? milliseconds) => milliseconds switch
    {
        null => "–",
        < 10 => string.Create(CultureInfo.InvariantCulture, $"{milliseconds:0.0} ms"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{milliseconds:0} ms"),
    };
}
