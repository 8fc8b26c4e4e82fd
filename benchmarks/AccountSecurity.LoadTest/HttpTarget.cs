using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AccountSecurity.AspNetCore.DependencyInjection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;

namespace AccountSecurity.LoadTest;

/// <summary>
/// A web application on Kestrel in this process, on a free loopback port: the library on its in-memory stores with the
/// ASP.NET Core package and its JSON endpoints (<c>MapAccountSecurityApi("/account")</c>), as a host would map them.
/// </summary>
internal sealed class HttpLoadHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private HttpLoadHost(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
        Instance = LoadInstance.Over(app.Services);
    }

    /// <summary>The sign-in abuse limits (per client address and per account, a minute) every load host runs with: out of reach.</summary>
    public const int RaisedAbuseLimit = 1_000_000;

    public Uri BaseAddress { get; }

    /// <summary>The host's own services, for creating the accounts before the clock starts.</summary>
    public LoadInstance Instance { get; }

    public static Task<HttpLoadHost> StartAsync(LoadSettings settings, byte[] secretKey, int? queueLimit = null) =>
        StartAsync(options => LoadInstance.Configure(options, settings, secretKey, queueLimit));

    /// <summary>
    /// Starts a host with the library configured by <paramref name="configure"/>, on the in-memory stores unless
    /// <paramref name="store"/> plugs in another (the enumeration timing's SQLite file and PostgreSQL), with the abuse
    /// limits raised out of reach; <paramref name="aspNetCore"/> adjusts the ASP.NET Core package's options further.
    /// </summary>
    public static async Task<HttpLoadHost> StartAsync(
        Action<AccountSecurity.DependencyInjection.AccountSecurityOptions> configure,
        Action<AccountSecurity.DependencyInjection.AccountSecurityBuilder>? store = null,
        Action<AccountSecurityAspNetCoreOptions>? aspNetCore = null)
    {
        var (app, address) = await KestrelLoopback.StartAsync(
            builder =>
            {
                var security = builder.Services.AddAccountSecurity(configure);
                store?.Invoke(security);
                security.AddAspNetCore(options =>
                    {
                        // Every simulated client comes from 127.0.0.1 and signs in again and again, so the package's abuse
                        // limits (30 sign-ins a minute per client address, 10 per account) would answer 429 to nearly all of
                        // the load. The load measures the hashing limiter and the cheap paths beside it, not the abuse limiter:
                        // its limits are raised out of reach here, the limiter itself stays on (and a 429 is a failure of the run).
                        options.RateLimits.SignInPerClient = new AbuseLimit(RaisedAbuseLimit, TimeSpan.FromMinutes(1));
                        options.RateLimits.SignInPerAccount = new AbuseLimit(RaisedAbuseLimit, TimeSpan.FromMinutes(1));

                        // The load sends no reset mail: without the reset endpoints the host needs no IPasswordResetTokenSender.
                        options.MapPasswordResetEndpoints = false;
                        aspNetCore?.Invoke(options);
                    });
            },
            app => app.MapAccountSecurityApi("/account"));
        return new HttpLoadHost(app, address);
    }

    /// <summary>A browser-like client: its own connection pool and cookie container.</summary>
    public HttpClient NewClient() => KestrelLoopback.NewClient(BaseAddress);

    public ValueTask DisposeAsync() => KestrelLoopback.StopAsync(_app);
}

/// <summary>
/// The scenario over real HTTP, through the package's JSON endpoints: <c>POST /account/signin</c> for the password
/// sign-ins, <c>GET /account/session</c> with the owner's session cookie for the session checks (the package validates
/// the cookie's session on every request), and <c>POST /account/signin/second-factor</c> with the pending cookie and the
/// antiforgery header for the TOTP steps. One <see cref="HttpClient"/> with its own cookies per simulated client.
/// </summary>
internal sealed class HttpTarget : ILoadTarget, IDisposable
{
    private readonly HttpLoadHost _host;
    private readonly IReadOnlyList<string> _emails;
    private readonly HttpClient _owner;
    private readonly Queue<PendingHttpStep> _secondSteps;
    private readonly List<HttpClient> _clients = [];

    private HttpTarget(HttpLoadHost host, IReadOnlyList<string> emails, HttpClient owner, Queue<PendingHttpStep> secondSteps)
    {
        _host = host;
        _emails = emails;
        _owner = owner;
        _secondSteps = secondSteps;
        _clients.Add(owner);
        _clients.AddRange(secondSteps.Select(s => s.Client));
    }

    /// <summary>
    /// Signs the owner in over HTTP (its client keeps the session cookie) and takes every 2FA user through the password
    /// step on a client of its own (which keeps the pending cookie), fetching the antiforgery token the second step
    /// needs, as a sign-in page does when it shows the code field.
    /// </summary>
    public static async Task<HttpTarget> CreateAsync(HttpLoadHost host, Population population)
    {
        var owner = host.NewClient();
        await PasswordStepAsync(owner, population.OwnerEmail, "signed_in");
        var pending = new PendingHttpStep[population.TwoFactorUsers.Count];
        await Parallel.ForAsync(0, pending.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, async (i, cancel) =>
        {
            var user = population.TwoFactorUsers[i];
            var client = host.NewClient();
            await PasswordStepAsync(client, user.Email, "second_factor_required");
            var token = await client.GetFromJsonAsync<JsonElement>("/account/antiforgery", cancel);
            pending[i] = new PendingHttpStep(client, token.GetProperty("headerName").GetString()!, token.GetProperty("token").GetString()!, user.App);
        });
        return new HttpTarget(host, population.SignInEmails, owner, new Queue<PendingHttpStep>(pending));
    }

    public Func<Task<SignInAnswer>> SignInClient(int user)
    {
        var email = _emails[user];
        var client = _host.NewClient();
        lock (_clients)
        {
            _clients.Add(client);
        }

        return async () =>
        {
            using var response = await client.PostAsJsonAsync("/account/signin", new { email, password = LoadSettings.Password });
            await response.Content.LoadIntoBufferAsync();
            return response.StatusCode switch
            {
                HttpStatusCode.OK => SignInAnswer.Succeeded,
                HttpStatusCode.ServiceUnavailable when response.Headers.RetryAfter?.Delta is { } retryAfter => SignInAnswer.Busy(retryAfter),
                _ => SignInAnswer.Failed,
            };
        };
    }

    public async Task<bool> CheckSessionAsync()
    {
        using var response = await _owner.GetAsync("/account/session");
        await response.Content.LoadIntoBufferAsync();
        return response.StatusCode == HttpStatusCode.OK;
    }

    public async Task<bool> SecondStepAsync()
    {
        PendingHttpStep? next;
        lock (_secondSteps)
        {
            _secondSteps.TryDequeue(out next);
        }

        if (next is null)
        {
            return false;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "/account/signin/second-factor") { Content = JsonContent.Create(new { code = next.App.ComputeTotp() }) };
        request.Headers.Add(next.AntiforgeryHeader, next.AntiforgeryToken);
        using var response = await next.Client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response.StatusCode == HttpStatusCode.OK;
    }

    public void Dispose()
    {
        lock (_clients)
        {
            _clients.ForEach(c => c.Dispose());
            _clients.Clear();
        }
    }

    /// <summary>A password step in the set-up, waiting out busy answers; throws unless the answer's status is <paramref name="expected"/>.</summary>
    internal static async Task PasswordStepAsync(HttpClient client, string email, string expected)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var response = await client.PostAsJsonAsync("/account/signin", new { email, password = LoadSettings.Password });
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable && attempt < 20)
            {
                await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
                continue;
            }

            var body = response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonElement>() : default;
            var status = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("status", out var s) ? s.GetString() : null;
            if (status != expected)
            {
                throw new InvalidOperationException($"A set-up password step over HTTP answered {(int)response.StatusCode} {status}, not {expected}.");
            }

            return;
        }
    }

    /// <summary>A client at the second step: its pending cookie, the antiforgery token for it, and the authenticator app.</summary>
    private sealed record PendingHttpStep(HttpClient Client, string AntiforgeryHeader, string AntiforgeryToken, Totp App);
}
