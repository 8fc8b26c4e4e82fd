using System.Globalization;
using AccountSecurity.Localization;
using AccountSecurity.Results;
using Microsoft.AspNetCore.Http;

namespace AccountSecurity.AspNetCore.Endpoints;

/// <summary>RFC 9457 problem details carrying the library's stable code (extension member <c>code</c>).</summary>
internal static class Problems
{
    /// <summary>
    /// The problem type of <c>reauthentication_required</c>: a 401 that does not mean "sign in" but "confirm it is you,
    /// then repeat the request" (<c>GET /reauthentication</c> lists the ways). A URN, so clients match it exactly.
    /// </summary>
    public const string ReauthenticationRequiredType = "urn:accountsecurity:problem:reauthentication-required";

    public static Task WriteAsync(HttpContext context, int status, string code, string message, IReadOnlyList<SecurityError>? errors = null, DateTimeOffset? lockedOutUntil = null)
    {
        var problem = new ProblemBody
        {
            Type = code == SecurityErrorCodes.ReauthenticationRequired
                ? ReauthenticationRequiredType
                : "https://www.rfc-editor.org/rfc/rfc9110#section-15." + (status >= 500 ? "6." : "5.") + ((status % 100) + 1).ToString(CultureInfo.InvariantCulture),
            Title = Title(status),
            Status = status,
            Detail = message,
            Code = code,
            Errors = errors is { Count: > 0 } ? errors.Select(e => new ProblemError { Code = e.Code, Message = e.Message, Field = ProblemFields.Of(context, e) }).ToList() : null,
            LockedOutUntil = lockedOutUntil,
        };
        context.Response.StatusCode = status;
        ApiResponseHeaders.Apply(context.Response);
        return context.Response.WriteAsJsonAsync(problem, AccountSecurityJsonContext.Default.ProblemBody, "application/problem+json", context.RequestAborted);
    }

    /// <summary>The problem for a failed library result, with the status <see cref="SecurityResultProblems.StatusCodeFor(SecurityResult)"/> gives.</summary>
    public static Task FromResultAsync(HttpContext context, SecurityResult result)
    {
        var first = result.Errors[0];
        if (first.Code == SecurityErrorCodes.Busy)
        {
            return BusyAsync(context, first.RetryAfter, first.Message);
        }

        if (first.Code == SecurityErrorCodes.RateLimited)
        {
            return RateLimitedAsync(context, first.RetryAfter);
        }

        return WriteAsync(context, SecurityResultProblems.StatusCodeFor(result), first.Code, first.Message, result.Errors, result.LockedOutUntil);
    }

    /// <summary>
    /// 400 <c>invalid_input</c> for a body that is not the endpoint's JSON object; names the member that could not be
    /// read when there is one (recorded by the body reader), never its value.
    /// </summary>
    public static Task InvalidInputAsync(HttpContext context)
    {
        if (context.Items.TryGetValue(InvalidFieldKey, out var value) && value is string field)
        {
            var message = Localized.Format(UserMessages.FieldInvalid, field);
            return WriteAsync(context, StatusCodes.Status400BadRequest, SecurityErrorCodes.InvalidInput, message, [new SecurityError(SecurityErrorCodes.InvalidInput, message) { Field = field }]);
        }

        return WriteAsync(context, StatusCodes.Status400BadRequest, SecurityErrorCodes.InvalidInput, UserMessages.RequestBodyInvalid);
    }

    /// <summary>The key under which the body reader leaves the name of the JSON member it could not read.</summary>
    internal static readonly object InvalidFieldKey = new();

    public static Task RateLimitedAsync(HttpContext context, TimeSpan? retryAfter)
    {
        var seconds = (int)Math.Ceiling(Math.Max(1, retryAfter?.TotalSeconds ?? 60));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return WriteAsync(context, StatusCodes.Status429TooManyRequests, SecurityErrorCodes.RateLimited, UserMessages.RateLimited);
    }

    /// <summary>
    /// The machine is at its hashing capacity (the library's <c>busy</c>): 503 with Retry-After, so clients and load
    /// balancers back off. Nothing was checked or counted.
    /// </summary>
    public static Task BusyAsync(HttpContext context, TimeSpan? retryAfter, string message)
    {
        var seconds = (int)Math.Ceiling(Math.Max(1, retryAfter?.TotalSeconds ?? 1));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return WriteAsync(context, StatusCodes.Status503ServiceUnavailable, SecurityErrorCodes.Busy, message);
    }

    private static string Title(int status) => status switch
    {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        413 => "Content Too Large",
        429 => "Too Many Requests",
        503 => "Service Unavailable",
        _ => "Error",
    };
}
