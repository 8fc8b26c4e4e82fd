using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AccountSecurity.BreachedPasswords.Tests.TestSupport;

/// <summary>One request as the server saw it: everything that was sent, for the "only the prefix leaves" checks.</summary>
internal sealed record SeenRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string AllText() => $"{Method} {PathAndQuery}\n{string.Join("\n", Headers.Select(h => h.Key + ": " + h.Value))}\n{Body}";
}

/// <summary>
/// A real range server: Kestrel on 127.0.0.1, a port the OS picks, answering <c>GET /range/{prefix}</c> with what the
/// test sets in <see cref="Respond"/> (by default a padded answer from <see cref="Breached"/>). Logs every request.
/// </summary>
internal sealed class RangeServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<SeenRequest> _requests = new();

    private RangeServer(WebApplication app)
    {
        _app = app;
    }

    /// <summary>The breached passwords the default answer holds, with their counts.</summary>
    public ConcurrentDictionary<string, int> Breached { get; } = new(StringComparer.Ordinal);

    /// <summary>How every request is answered; the default serves <see cref="PaddedAnswer"/>.</summary>
    public Func<HttpContext, string, int, Task>? Respond { get; set; }

    public Uri BaseAddress { get; private set; } = null!;

    public IReadOnlyList<SeenRequest> Requests => [.. _requests];

    public static async Task<RangeServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new RangeServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        return server;
    }

    /// <summary>
    /// The padded answer for <paramref name="prefix"/>: the breached suffixes of that prefix with their counts, and
    /// <paramref name="padding"/> random suffixes with count 0, as the service pads.
    /// </summary>
    public string PaddedAnswer(string prefix, int padding = 800)
    {
        var lines = new List<string>();
        foreach (var (password, count) in Breached)
        {
            var range = PasswordHashRange.Of(password);
            if (range.Prefix == prefix)
            {
                lines.Add($"{range.Suffix}:{count}");
            }
        }

        for (var i = 0; i < padding; i++)
        {
            lines.Add(Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(18))[..35] + ":0");
        }

        lines.Sort(StringComparer.Ordinal);
        return string.Join("\r\n", lines);
    }

    private async Task HandleAsync(HttpContext context)
    {
        string body;
        using (var reader = new StreamReader(context.Request.Body, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync(context.RequestAborted);
        }

        _requests.Enqueue(new SeenRequest(
            context.Request.Method,
            context.Request.Path + context.Request.QueryString,
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body));
        var attempt = _requests.Count;
        var path = context.Request.Path.Value ?? "";
        var prefix = path.StartsWith("/range/", StringComparison.Ordinal) ? path["/range/".Length..] : "";
        if (Respond is { } respond)
        {
            await respond(context, prefix, attempt);
            return;
        }

        context.Response.ContentType = "text/plain";
        await context.Response.WriteAsync(PaddedAnswer(prefix), context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
