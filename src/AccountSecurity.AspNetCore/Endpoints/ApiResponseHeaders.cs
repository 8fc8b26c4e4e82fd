using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AccountSecurity.AspNetCore.Endpoints;

/// <summary>
/// The headers every answer of the JSON API carries, success or error: <c>Cache-Control: no-store</c> (answers carry
/// session data, setup keys, recovery codes, verification results: no cache or back button may keep them) and
/// <c>X-Content-Type-Options: nosniff</c> (a JSON answer is never sniffed into something a browser runs). Set in this one
/// place, on the route group, so no handler — ours, a factor package's, or one the host maps on the returned group —
/// can forget them.
/// </summary>
internal static class ApiResponseHeaders
{
    private static readonly Func<object, Task> OnStarting = static state =>
    {
        Apply(((HttpContext)state).Response);
        return Task.CompletedTask;
    };

    /// <summary>Sets both headers on <paramref name="response"/> (problem answers written outside an endpoint use it: 401/403 of the cookie events).</summary>
    public static void Apply(HttpResponse response)
    {
        response.Headers.CacheControl = "no-store";
        response.Headers.XContentTypeOptions = "nosniff";
    }

    /// <summary>
    /// Wraps every endpoint of <paramref name="group"/> so that its response gets both headers when it starts, whatever
    /// the handler wrote, answered early or threw (an error page's response starts later and still gets them).
    /// </summary>
    public static void AddTo(RouteGroupBuilder group) =>
        ((IEndpointConventionBuilder)group).Add(endpoint =>
        {
            if (endpoint.RequestDelegate is { } next)
            {
                endpoint.RequestDelegate = context =>
                {
                    context.Response.OnStarting(OnStarting, context);
                    return next(context);
                };
            }
        });
}
