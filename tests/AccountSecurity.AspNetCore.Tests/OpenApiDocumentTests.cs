using System.Text;
using System.Text.Json;
using AccountSecurity.AspNetCore.Endpoints;
using AccountSecurity.AspNetCore.Tests.TestSupport;
using AccountSecurity.Passwords.Reset;
using AccountSecurity.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AccountSecurity.AspNetCore.Tests;

/// <summary>
/// The bundled endpoints in a host's OpenAPI document (Microsoft.AspNetCore.OpenApi): every endpoint of the route group
/// (passkeys included) with its request schema, success schema and every problem status with its codes; and the
/// AspNetCore README's endpoint table says exactly what the document says (issue 24).
/// </summary>
public sealed class OpenApiDocumentTests
{
    private const string Prefix = "/account";
    private const string TableHeader = "| method | path | request | success | problems |";

    private WebApplication _app = null!;
    private JsonElement _document;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IPasswordResetTokenSender, CapturingSender>();
        builder.Services.AddSingleton<AccountSecurity.Accounts.Invitations.IAccountInvitationSender, CapturingInvitationSender>();

        // Every optional endpoint on: invitations and self-registration are in the document and the README's table too.
        builder.Services.AddAccountSecurity(o =>
            {
                AccountSecurityTestOptions.ApplyFastTestDefaults(o);
                o.Registration.Enabled = true;
            })
            .AddAspNetCore(o => o.MapUserCreationEndpoints = true)
            .AddPasskeys(passkeys =>
            {
                passkeys.RelyingPartyId = "localhost";
                passkeys.Origins.Add("http://localhost");
            });
        builder.Services.AddOpenApi();
        _app = builder.Build();
        _app.MapOpenApi();
        _app.MapAccountSecurityApi(Prefix);
        await _app.StartAsync();

        using var client = _app.GetTestClient();
        var json = await client.GetStringAsync("/openapi/v1.json");
        _document = JsonDocument.Parse(json).RootElement.Clone();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [Test]
    public void EveryEndpointOfTheApi_IsInTheDocument_WithItsSchemasAndProblemCodes()
    {
        var endpoints = ApiEndpoints();
        endpoints.Should().HaveCountGreaterThan(30, "the core and the passkey endpoints are mapped");

        foreach (var (endpoint, method) in endpoints)
        {
            var route = $"{method} {endpoint.RoutePattern.RawText}";
            var operation = endpoint.Metadata.GetMetadata<ApiOperation>();
            operation.Should().NotBeNull("{0} declares its OpenAPI description (ApiOperations)", route);
            _document.GetProperty("paths").TryGetProperty(endpoint.RoutePattern.RawText!, out var path).Should().BeTrue("{0} is in the document", route);
            path.TryGetProperty(method.ToLowerInvariant(), out var documented).Should().BeTrue("{0} is in the document", route);

            documented.GetProperty("operationId").GetString().Should().Be(operation!.Name, route);
            documented.GetProperty("summary").GetString().Should().Be(operation.Summary, route);
            documented.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).Should().Equal([ApiOperation.Tag], route);

            if (operation.Request is null)
            {
                documented.TryGetProperty("requestBody", out _).Should().BeFalse("{0} reads no body", route);
            }
            else
            {
                SchemaName(documented.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema"))
                    .Should().Be(operation.Request.Name, "{0} reads a {1}", route, operation.Request.Name);
            }

            var responses = documented.GetProperty("responses");
            responses.EnumerateObject().Select(r => r.Name).Should().BeEquivalentTo(
                [.. operation.Problems.Keys.Append(operation.SuccessStatus).Select(s => s.ToString(System.Globalization.CultureInfo.InvariantCulture))],
                "{0} documents its success and every problem status, nothing else", route);

            var success = responses.GetProperty(operation.SuccessStatus.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (operation.Response is null)
            {
                success.TryGetProperty("content", out _).Should().BeFalse("{0} answers {1} without a body", route, operation.SuccessStatus);
            }
            else
            {
                SchemaName(success.GetProperty("content").GetProperty("application/json").GetProperty("schema")).Should().Be(operation.Response.Name, route);
            }

            foreach (var (status, codes) in operation.Problems)
            {
                var problem = responses.GetProperty(status.ToString(System.Globalization.CultureInfo.InvariantCulture));
                SchemaName(problem.GetProperty("content").GetProperty(ApiOperation.ProblemContentType).GetProperty("schema"))
                    .Should().Be(nameof(ProblemBody), "{0} answers {1} with problem details", route, status);
                codes.Should().NotBeEmpty("{0} says which codes {1} carries", route, status);
                ProblemsOf(documented).ToDictionary().Should().ContainKey(status.ToString(System.Globalization.CultureInfo.InvariantCulture))
                    .WhoseValue.Should().Be(string.Join(", ", codes.Order(StringComparer.Ordinal)), "{0} documents the codes of {1}", route, status);
            }

            ProblemsOf(documented).Select(p => p.Key).Should().BeEquivalentTo(responses.EnumerateObject().Select(r => r.Name).Where(s => !s.StartsWith('2')), "{0} documents codes for every problem status", route);
        }
    }

    [Test]
    public void TheProblemDetails_AreASchemaOfTheDocument()
    {
        var schema = _document.GetProperty("components").GetProperty("schemas").GetProperty(nameof(ProblemBody));

        schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).Should()
            .Equal("type", "title", "status", "detail", "code", "errors", "lockedOutUntil");
    }

    [Test]
    public void TheReadmeEndpointTable_IsTheDocument()
    {
        var documented = DocumentRows();
        var readme = ReadmeRows();

        var problems = new List<string>();
        foreach (var (key, row) in documented.Where(d => !readme.ContainsKey(d.Key)))
        {
            problems.Add($"missing from the README: {row}");
        }

        foreach (var (key, row) in readme.Where(r => !documented.ContainsKey(r.Key)))
        {
            problems.Add($"in the README, not in the document: {row}");
        }

        foreach (var (key, row) in readme.Where(r => documented.TryGetValue(r.Key, out var d) && d != r.Value))
        {
            problems.Add($"{key} differs:\n  README:   {row}\n  document: {documented[key]}");
        }

        problems.Should().BeEmpty("the README's endpoint table (src/AccountSecurity.AspNetCore/README.md) lists every endpoint as the OpenAPI document does");
    }

    /// <summary>Every endpoint the route group mapped (the core's and the passkeys package's), with its one method.</summary>
    private List<(RouteEndpoint Endpoint, string Method)> ApiEndpoints() =>
        [.. ((IEndpointRouteBuilder)_app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<AccountSecurityApiEndpointMetadata>() is not null)
            .Select(e => (e, e.Metadata.GetRequiredMetadata<HttpMethodMetadata>().HttpMethods.Single()))];

    /// <summary>The document's operations as README rows, keyed by method and path under the prefix.</summary>
    private Dictionary<string, string> DocumentRows()
    {
        var rows = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in _document.GetProperty("paths").EnumerateObject().Where(p => p.Name.StartsWith(Prefix + "/", StringComparison.Ordinal)))
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var method = operation.Name.ToUpperInvariant();
                var route = path.Name[Prefix.Length..];
                var request = operation.Value.TryGetProperty("requestBody", out var body)
                    ? Fields(body.GetProperty("content").GetProperty("application/json").GetProperty("schema"))
                    : string.Empty;
                var responses = operation.Value.GetProperty("responses").EnumerateObject().ToList();
                var success = responses.Single(r => r.Name.StartsWith('2'));
                var answer = success.Value.TryGetProperty("content", out var content)
                    ? $"{success.Name} {Fields(content.GetProperty("application/json").GetProperty("schema"))}"
                    : success.Name;
                var problems = string.Join("; ", ProblemsOf(operation.Value).Select(p => $"{p.Key} {p.Value}"));
                rows.Add($"{method} {route}", Row(method, route, request, answer, problems));
            }
        }

        return rows;
    }

    /// <summary>The rows of the README's endpoint table (backticks and ✱ marks dropped), keyed by method and path.</summary>
    private static Dictionary<string, string> ReadmeRows()
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryRoot(), "src", "AccountSecurity.AspNetCore", "README.md"));
        var header = Array.FindIndex(lines, l => l.Replace(" ", string.Empty, StringComparison.Ordinal).StartsWith("|method|path|request|success|problems", StringComparison.OrdinalIgnoreCase));
        header.Should().BeGreaterThanOrEqualTo(0, "the README has the endpoint table (| method | path | request | success | problems |)");

        var rows = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(header + 2).TakeWhile(l => l.StartsWith('|')))
        {
            var cells = line.Trim().Trim('|').Split('|').Select(c => c.Replace("`", string.Empty, StringComparison.Ordinal).Replace("✱", string.Empty, StringComparison.Ordinal).Trim()).ToArray();
            cells.Should().HaveCount(5, "every row of the endpoint table has five cells: {0}", line);
            rows.Add($"{cells[0]} {cells[1]}", Row(cells[0], cells[1], cells[2], cells[3], cells[4]));
        }

        return rows;
    }

    private static string Row(string method, string path, string request, string success, string problems) =>
        $"| {method} | {path} | {request} | {success} | {problems} |";

    /// <summary>A schema's members as the README writes them: <c>{ email, password }</c>.</summary>
    private string Fields(JsonElement schema)
    {
        var name = SchemaName(schema);
        var properties = _document.GetProperty("components").GetProperty("schemas").GetProperty(name!).GetProperty("properties");
        return "{ " + string.Join(", ", properties.EnumerateObject().Select(p => p.Name)) + " }";
    }

    private static string? SchemaName(JsonElement schema) =>
        schema.TryGetProperty("$ref", out var reference) ? reference.GetString()!.Split('/')[^1] : null;

    /// <summary>
    /// The problem statuses and their codes an operation documents, from its description ("Problem codes: 400 a, b; 401 c"):
    /// status → "a, b", in the document's order.
    /// </summary>
    private static List<KeyValuePair<string, string>> ProblemsOf(JsonElement operation)
    {
        if (!operation.TryGetProperty("description", out var text) || !text.GetString()!.StartsWith(ApiOperation.ProblemsPrefix, StringComparison.Ordinal))
        {
            return [];
        }

        return [.. text.GetString()![ApiOperation.ProblemsPrefix.Length..].Split("; ").Select(p => p.Split(' ', 2)).Select(p => KeyValuePair.Create(p[0], p[1]))];
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "AccountSecurity.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("The repository root (AccountSecurity.sln) was not found above the test directory.");
    }

    [Test]
    [Explicit("Prints the README's endpoint table as the document has it: copy a new endpoint's row from here.")]
    public void PrintReadmeTable()
    {
        TestContext.Out.WriteLine(TableHeader);
        TestContext.Out.WriteLine("|---|---|---|---|---|");
        foreach (var row in DocumentRows().Values)
        {
            TestContext.Out.WriteLine(row);
        }
    }

    [Test]
    [Explicit("Prints the document, to read it.")]
    public void PrintDocument() => TestContext.Out.WriteLine(Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(_document, new JsonSerializerOptions { WriteIndented = true })));
}
