using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AccountSecurity.LoadTest;

/// <summary>
/// A web application on Kestrel in this process, on a free loopback port, with no log output: what every load host
/// runs on (the library's <see cref="HttpLoadHost"/>, and ASP.NET Core Identity's <see cref="IdentityLoadHost"/>).
/// </summary>
internal static class KestrelLoopback
{
    /// <summary>Builds the application with <paramref name="services"/>, maps it with <paramref name="map"/>, starts it and returns it with its address.</summary>
    public static async Task<(WebApplication App, Uri BaseAddress)> StartAsync(Action<WebApplicationBuilder> services, Action<WebApplication> map)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));

        // No log output: writing a console line per request would be measured instead of the library.
        builder.Logging.ClearProviders();
        services(builder);
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new Uri(address));
    }

    /// <summary>A browser-like client of <paramref name="baseAddress"/>: its own connection pool and cookie container.</summary>
    public static HttpClient NewClient(Uri baseAddress) =>
        new(new SocketsHttpHandler { CookieContainer = new CookieContainer(), UseCookies = true }) { BaseAddress = baseAddress };

    public static async ValueTask StopAsync(WebApplication app)
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
