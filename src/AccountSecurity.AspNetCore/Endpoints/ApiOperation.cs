using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;

namespace AccountSecurity.AspNetCore.Endpoints;

/// <summary>
/// What one bundled endpoint declares to OpenAPI: its name, summary, request body, success answer and every problem
/// status with the codes it can carry. The one place an endpoint's problem codes are listed (the catalogues
/// <see cref="ApiOperations"/> and the passkeys package's): <see cref="ApiOperationExtensions.Describe{TBuilder}"/> turns
/// it into the framework's own endpoint metadata, which the host's <c>Microsoft.AspNetCore.OpenApi</c> (or any
/// ApiExplorer reader) puts in its document; the README's endpoint table is checked against that document by a test.
/// </summary>
internal sealed class ApiOperation
{
    /// <summary>The tag of every bundled endpoint.</summary>
    public const string Tag = "AccountSecurity";

    /// <summary>The content type of every problem answer.</summary>
    public const string ProblemContentType = "application/problem+json";

    /// <summary>What a problem response's description says before its codes.</summary>
    public const string ProblemCodesPrefix = "Problem details; code: ";

    /// <summary>
    /// What the operation's description says before every problem status and its codes (<see cref="ProblemSummary"/>):
    /// the part of the document every OpenAPI generator shows (Microsoft.AspNetCore.OpenApi 10.0 does not carry a minimal
    /// API response's own description into the document).
    /// </summary>
    public const string ProblemsPrefix = "Problem codes: ";

    /// <summary>The operation id, unique in the app: <c>AccountSecurity.</c> and the operation (<c>AccountSecurity.SignIn</c>).</summary>
    public required string Name { get; init; }

    /// <summary>One line for the document's summary.</summary>
    public required string Summary { get; init; }

    /// <summary>The JSON body the endpoint reads, or <see langword="null"/> for none.</summary>
    public Type? Request { get; init; }

    /// <summary>The success status (200, 202 or 204).</summary>
    public int SuccessStatus { get; init; } = StatusCodes.Status200OK;

    /// <summary>The JSON body of the success answer, or <see langword="null"/> for none (204).</summary>
    public Type? Response { get; init; }

    /// <summary>Every problem status the endpoint answers with, and the codes each can carry.</summary>
    public required IReadOnlyDictionary<int, IReadOnlyList<string>> Problems { get; init; }

    /// <summary>The description of <paramref name="status"/>'s problem response: <see cref="ProblemCodesPrefix"/> and its codes, sorted.</summary>
    public string ProblemDescription(int status) =>
        ProblemCodesPrefix + string.Join(", ", Problems[status].Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));

    /// <summary>Every problem status and its codes, as the README's table writes them: <c>400 a, b; 401 c</c> (statuses and codes sorted).</summary>
    public string ProblemSummary() =>
        string.Join("; ", Problems.Keys.Order().Select(status => $"{status} {ProblemDescription(status)[ProblemCodesPrefix.Length..]}"));

    /// <summary>The request and response metadata this description stands for (accepts, produces).</summary>
    public IEnumerable<object> Metadata()
    {
        if (Request is not null)
        {
            // "*/*" after the JSON: routing's content-type matcher reads this metadata too, and would answer any other
            // content type with a bare 415; the handler answers it with the documented 400 invalid_input problem instead.
            yield return new AcceptsMetadata(["application/json", "*/*"], Request);
        }

        yield return Response is null
            ? new ProducesResponseTypeMetadata(SuccessStatus, typeof(void))
            : new ProducesResponseTypeMetadata(SuccessStatus, Response, ["application/json"]);
        foreach (var status in Problems.Keys.Order())
        {
            yield return new ProducesResponseTypeMetadata(status, typeof(ProblemBody), [ProblemContentType]) { Description = ProblemDescription(status) };
        }
    }
}

/// <summary>Puts an <see cref="ApiOperation"/> on an endpoint.</summary>
internal static class ApiOperationExtensions
{
    /// <summary>
    /// Names the endpoint, gives it the summary and the <see cref="ApiOperation.Tag"/>, and adds the request and response
    /// metadata (<see cref="ApiOperation.Metadata"/>) and the operation itself (so tests can enumerate what was declared).
    /// </summary>
    public static TBuilder Describe<TBuilder>(this TBuilder builder, ApiOperation operation)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.WithName(operation.Name).WithSummary(operation.Summary).WithTags(ApiOperation.Tag)
            .WithDescription(operation.Problems.Count == 0 ? operation.Summary : ApiOperation.ProblemsPrefix + operation.ProblemSummary()).WithMetadata([.. operation.Metadata(), operation]);

        // ApiExplorer (and so every OpenAPI generator on it) describes only endpoints whose metadata has the handler's
        // MethodInfo, which a RequestDelegate endpoint lacks. Its only parameter is the HttpContext, which ApiExplorer
        // skips; everything else comes from the metadata above, nothing is inferred.
        builder.Add(static endpoint =>
        {
            if (endpoint.RequestDelegate is { } handler && !endpoint.Metadata.Any(m => m is MethodInfo))
            {
                endpoint.Metadata.Add(handler.Method);
            }
        });
        return builder;
    }
}
