using System.Reflection;
using System.Text.RegularExpressions;
using AccountSecurity.AspNetCore.Endpoints;
using AccountSecurity.Passkeys;
using AccountSecurity.Results;

namespace AccountSecurity.AspNetCore.Tests.Results;

/// <summary>
/// One error-code catalogue and one result shape (issue 24): every code is a unique constant of
/// <see cref="SecurityErrorCodes"/>, documented once in docs/error-codes.md with the status the HTTP layer answers it
/// with, and every public service answers operations that can fail with a <see cref="SecurityResult"/>.
/// </summary>
public sealed partial class ErrorCatalogueTests
{
    private static readonly Assembly[] Packages =
    [
        typeof(SecurityResult).Assembly,
        typeof(SecurityResultProblems).Assembly,
        typeof(IPasskeyService).Assembly,
        typeof(AccountSecurity.EntityFrameworkCore.AccountSecurityDbContext).Assembly,
    ];

    /// <summary>Answers of extension points a host implements (hasher, TOTP provider, protector, store), not of services.</summary>
    private static readonly string[] ExtensionPointAnswers =
        ["PasswordVerificationResult", "StoreWriteResult", "TotpVerificationResult", "SecretUnprotectResult"];

    private static Dictionary<string, string> Catalogue() =>
        typeof(SecurityErrorCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .ToDictionary(f => f.Name, f => (string)f.GetRawConstantValue()!);

    [Test]
    public void EveryCode_IsUnique_AndSnakeCase()
    {
        var codes = Catalogue();

        codes.Should().HaveCountGreaterThan(80, "every package's codes live in the one catalogue");
        codes.Values.GroupBy(v => v).Where(g => g.Count() > 1).Select(g => g.Key).Should().BeEmpty("one code names one failure");
        codes.Values.Should().OnlyContain(v => SnakeCase().IsMatch(v));
    }

    [Test]
    public void NoOtherPublicClass_DeclaresErrorCodes()
    {
        var others = Packages.SelectMany(a => a.GetExportedTypes())
            .Where(t => t != typeof(SecurityErrorCodes) && t.Name.EndsWith("ErrorCodes", StringComparison.Ordinal));

        others.Should().BeEmpty("codes spread over several classes are what the catalogue replaced");
    }

    [Test]
    public void TheDocumentedTable_ListsEveryCodeOnce_WithItsConstantAndHttpStatus()
    {
        var rows = Rows(File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "error-codes.md")));
        var codes = Catalogue();

        rows.Select(r => r.Code).Should().OnlyHaveUniqueItems("each code is documented once");
        rows.Select(r => (r.Constant, r.Code)).Should().BeEquivalentTo(codes.Select(c => (c.Key, c.Value)), "the table lists exactly the catalogue");
        foreach (var row in rows)
        {
            row.Status.Should().Be(SecurityResultProblems.StatusCodeFor(row.Code), "docs/error-codes.md gives {0} the status the HTTP layer answers", row.Code);
        }
    }

    [Test]
    public void EveryPublicServiceOperation_AnswersWithASecurityResult()
    {
        var services = Packages.SelectMany(a => a.GetExportedTypes())
            .Where(t => t.IsInterface && t.Name.StartsWith('I') && t.Name.EndsWith("Service", StringComparison.Ordinal))
            .ToList();
        services.Should().Contain(t => t.Name == "ISignInService").And.Contain(t => t.Name == "ISupportPinService");

        var offenders = new List<string>();
        foreach (var method in services.SelectMany(s => s.GetMethods()))
        {
            var answer = Unwrap(method.ReturnType);
            var isQuery = method.Name.StartsWith("Get", StringComparison.Ordinal) || method.Name.StartsWith("List", StringComparison.Ordinal)
                || method.Name.StartsWith("Is", StringComparison.Ordinal) || method.Name.StartsWith("Validate", StringComparison.Ordinal);
            if (!typeof(SecurityResult).IsAssignableFrom(answer) && !isQuery)
            {
                offenders.Add($"{method.DeclaringType!.Name}.{method.Name} answers {answer.Name}");
            }
        }

        offenders.Should().BeEmpty("an operation that can fail answers in the one result shape; only queries (Get/List/Is/Validate) answer plain values");
    }

    [Test]
    public void EveryPublicResultType_IsASecurityResult_ExceptExtensionPointAnswers()
    {
        var results = Packages.SelectMany(a => a.GetExportedTypes())
            .Where(t => t.Name.EndsWith("Result", StringComparison.Ordinal) || (t.IsGenericType && t.Name.StartsWith("SecurityResult", StringComparison.Ordinal)));

        results.Where(t => !typeof(SecurityResult).IsAssignableFrom(t) && !(t.IsGenericTypeDefinition && t.BaseType == typeof(SecurityResult)))
            .Select(t => t.Name)
            .Should().BeEquivalentTo(ExtensionPointAnswers, "a new result shape is what issue 24 removed");
    }

    private static Type Unwrap(Type type) =>
        type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(Task<>) || type.GetGenericTypeDefinition() == typeof(ValueTask<>))
            ? type.GetGenericArguments()[0]
            : type;

    private static List<(string Code, string Constant, int Status)> Rows(string markdown) =>
        TableRow().Matches(markdown).Select(m => (m.Groups["code"].Value, m.Groups["constant"].Value, int.Parse(m.Groups["status"].Value, System.Globalization.CultureInfo.InvariantCulture))).ToList();

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AccountSecurity.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("AccountSecurity.sln not found above the test directory.");
    }

    [GeneratedRegex("^[a-z]+(_[a-z0-9]+)*$")]
    private static partial Regex SnakeCase();

    [GeneratedRegex(@"^\| `(?<code>[a-z0-9_]+)` \| `(?<constant>\w+)` \| (?<status>\d{3}) \|", RegexOptions.Multiline)]
    private static partial Regex TableRow();
}
