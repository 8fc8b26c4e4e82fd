using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AccountSecurity.Accounts;
using AccountSecurity.AspNetCore.Authorization;
using AccountSecurity.AspNetCore.DependencyInjection;
using AccountSecurity.DependencyInjection;
using AccountSecurity.EntityFrameworkCore;
using AccountSecurity.EntityFrameworkCore.Tests.Infrastructure;
using AccountSecurity.Passwords.Reset;
using AccountSecurity.Resources;
using AccountSecurity.Testing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using HttpResults = Microsoft.AspNetCore.Http.Results;

namespace AccountSecurity.AspNetCore.Tests.TestSupport;

/// <summary>A resource of the test app.</summary>
internal sealed record TestResource(string Id, bool SecAuthProtection) : ISecAuthProtectedResource;

/// <summary>
/// An in-process host on the real ASP.NET Core pipeline (TestServer): the package's endpoints on EF Core SQLite (in
/// memory) or PostgreSQL (a fresh database per host, dropped on dispose), a fake clock, every log line captured. Seeds two
/// contracts: c1 (owner1, alice) and c2 (owner2).
/// </summary>
internal sealed class ApiHost : IAsyncDisposable
{
    public const string Password = "violet-Harbor-lantern-93";
    public const string OwnerEmail = "owner1@example.com";
    public const string AliceEmail = "alice@example.com";
    public const string Owner2Email = "owner2@example.com";

    /// <summary>The request header a test sets to give a request its client address (TestServer gives none).</summary>
    public const string ClientAddressHeader = "X-Test-Client-Address";

    private readonly IAsyncDisposable _storage;

    private ApiHost(WebApplication app, IAsyncDisposable storage)
    {
        App = app;
        _storage = storage;
    }

    public WebApplication App { get; }

    public FakeTimeProvider Time => (FakeTimeProvider)App.Services.GetRequiredService<TimeProvider>();

    public CollectingLoggerProvider Logs => App.Services.GetRequiredService<CollectingLoggerProvider>();

    public CapturingSender Mail => App.Services.GetRequiredService<CapturingSender>();

    public CapturingInvitationSender Invitations => App.Services.GetRequiredService<CapturingInvitationSender>();

    public static readonly TestResource[] Resources = [new("open", false), new("vault", true)];

    /// <summary>Starts a host on <paramref name="provider"/> (<see cref="TestDatabase.Sqlite"/> or <see cref="TestDatabase.PostgreSql"/>).</summary>
    /// <remarks>PostgreSQL needs <c>ACCOUNTSECURITY_POSTGRES</c>: without it the test is ignored, or fails under <c>ACCOUNTSECURITY_REQUIRE_SERVICES=1</c>.</remarks>
    public static async Task<ApiHost> StartAsync(Action<AccountSecurityAspNetCoreOptions>? configure = null, Action<AccountSecurityOptions>? core = null, string provider = TestDatabase.Sqlite, Action<IServiceCollection>? services = null)
    {
        IAsyncDisposable storage;
        Action<DbContextOptionsBuilder> database;
        if (provider == TestDatabase.Sqlite)
        {
            var connection = new SqliteConnection($"Data Source=file:as-{Guid.NewGuid():N}?mode=memory&cache=shared");
            await connection.OpenAsync();
            storage = connection;
            database = db => db.UseSqlite(connection.ConnectionString);
        }
        else
        {
            var created = await TestDatabase.CreateAsync(provider);
            storage = created;
            database = created.Configure;
        }

        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        var logs = new CollectingLoggerProvider();
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Trace);
        var hostServices = builder.Services;
        hostServices.AddSingleton(logs);
        hostServices.AddSingleton<TimeProvider>(new FakeTimeProvider(DateTimeOffset.UtcNow));
        hostServices.AddSingleton<CapturingSender>();
        hostServices.AddSingleton<IPasswordResetTokenSender>(sp => sp.GetRequiredService<CapturingSender>());
        hostServices.AddSingleton<CapturingInvitationSender>();
        hostServices.AddSingleton<AccountSecurity.Accounts.Invitations.IAccountInvitationSender>(sp => sp.GetRequiredService<CapturingInvitationSender>());
        hostServices.AddAccountSecurity(o =>
            {
                AccountSecurityTestOptions.ApplyFastTestDefaults(o);
                core?.Invoke(o);
            })
            .UseEntityFrameworkCore(database)
            .AddAspNetCore(configure)
            .AddPasskeys(passkeys =>
            {
                // TestServer's requests come from http://localhost, the origin a browser would report.
                passkeys.RelyingPartyId = "localhost";
                passkeys.Origins.Add("http://localhost");
            });
        services?.Invoke(hostServices);

        var app = builder.Build();

        // TestServer has no client address: a test names one per request, as clients at different addresses would have.
        app.Use((context, next) =>
        {
            if (context.Request.Headers.TryGetValue(ClientAddressHeader, out var address) && System.Net.IPAddress.TryParse(address, out var ip))
            {
                context.Connection.RemoteIpAddress = ip;
            }

            return next(context);
        });
        app.MapAccountSecurityApi("/account");
        app.MapGet("/protected", () => "secret area").RequireAuthorization(AccountSecurityPolicies.SecondFactor);
        app.MapGet("/resources", async Task<List<string>> (HttpContext c) => (await c.FilterSecAuthProtectedAsync(Resources)).Select(r => r.Id).ToList())
            .RequireAuthorization(AccountSecurityPolicies.SignedIn);
        app.MapGet("/resources/{id}", async (string id, HttpContext c, IAuthorizationService auth) =>
                Resources.FirstOrDefault(r => r.Id == id) is not { } resource ? HttpResults.NotFound()
                : (await auth.AuthorizeAsync(c.User, resource, SecAuthProtectionRequirement.Instance)).Succeeded ? HttpResults.Ok(resource.Id)
                : HttpResults.Forbid())
            .RequireAuthorization(AccountSecurityPolicies.SignedIn);
        app.MapGet("/page", () => HttpResults.Text("<p>page</p>", "text/html")).RequireAuthorization(AccountSecurityPolicies.SignedIn);
        await app.StartAsync();

        await using (var scope = app.Services.CreateAsyncScope())
        {
            await AccountSecurityDatabase.EnsureCreatedAsync(scope.ServiceProvider.GetRequiredService<AccountSecurityDbContext>());
            var provisioning = scope.ServiceProvider.GetRequiredService<IAccountProvisioningService>();
            (await provisioning.CreateContractAsync(new NewContract { ContractId = "c1", ContractName = "Contract 1", OwnerUserId = "owner1", OwnerEmail = OwnerEmail, OwnerPassword = Password })).Succeeded.Should().BeTrue();
            (await provisioning.CreateUserAsync("owner1", new NewUser { UserId = "alice", Email = AliceEmail, Role = UserRole.User, InitialPassword = Password })).Succeeded.Should().BeTrue();
            (await provisioning.CreateContractAsync(new NewContract { ContractId = "c2", ContractName = "Contract 2", OwnerUserId = "owner2", OwnerEmail = Owner2Email, OwnerPassword = Password })).Succeeded.Should().BeTrue();
        }

        return new ApiHost(app, storage);
    }

    public Client CreateClient(bool https = false) => new(this, https);

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        await _storage.DisposeAsync();
    }

    /// <summary>A browser-like client: keeps cookies, fetches a fresh antiforgery token before each state change.</summary>
    internal sealed class Client : IDisposable
    {
        private readonly HttpClient _http;

        public Client(ApiHost host, bool https)
        {
            Cookies = new CookieContainer();
            BaseAddress = new Uri(https ? "https://localhost" : "http://localhost");
            _http = new HttpClient(new CookieContainerHandler(Cookies) { InnerHandler = host.App.GetTestServer().CreateHandler() }) { BaseAddress = BaseAddress };
        }

        public CookieContainer Cookies { get; }

        public Uri BaseAddress { get; }

        public HttpClient Http => _http;

        public Task<HttpResponseMessage> GetAsync(string path) => _http.GetAsync(path);

        /// <summary>POSTs JSON with a fresh antiforgery token in its header.</summary>
        public async Task<HttpResponseMessage> PostAsync(string path, object? body = null, bool antiforgery = true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body ?? new { }) };
            if (antiforgery)
            {
                await AddAntiforgeryTokenAsync(request);
            }

            return await _http.SendAsync(request);
        }

        /// <summary>Fetches a fresh antiforgery token (and its cookie) and puts it in the header the API names.</summary>
        public async Task AddAntiforgeryTokenAsync(HttpRequestMessage request)
        {
            using var tokenResponse = await _http.GetAsync("/account/antiforgery");
            var token = await tokenResponse.Content.ReadFromJsonAsync<JsonElement>();
            request.Headers.Add(token.GetProperty("headerName").GetString()!, token.GetProperty("token").GetString());
        }

        public void Dispose() => _http.Dispose();
    }
}

/// <summary>Keeps the reset messages the library sends.</summary>
internal sealed class CapturingSender : IPasswordResetTokenSender
{
    private readonly List<PasswordResetMessage> _sent = [];

    public IReadOnlyList<PasswordResetMessage> Sent
    {
        get
        {
            lock (_sent)
            {
                return [.. _sent];
            }
        }
    }

    public ValueTask SendAsync(PasswordResetMessage message, CancellationToken cancellationToken)
    {
        lock (_sent)
        {
            _sent.Add(message);
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>Keeps the invitations and account notices the library sends.</summary>
internal sealed class CapturingInvitationSender : AccountSecurity.Accounts.Invitations.IAccountInvitationSender
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<AccountSecurity.Accounts.Invitations.AccountInvitationMessage> _invitations = new();
    private readonly System.Collections.Concurrent.ConcurrentQueue<AccountSecurity.Accounts.Invitations.AccountExistsNotice> _notices = new();

    public IReadOnlyList<AccountSecurity.Accounts.Invitations.AccountInvitationMessage> Invitations => [.. _invitations];

    public IReadOnlyList<AccountSecurity.Accounts.Invitations.AccountExistsNotice> Notices => [.. _notices];

    /// <summary>Waits (at most 10 s) until <paramref name="count"/> mails (invitations and notices) were handed over: the work runs after the answer.</summary>
    public async Task WaitForAsync(int count)
    {
        for (var i = 0; i < 1000 && _invitations.Count + _notices.Count < count; i++)
        {
            await Task.Delay(10);
        }
    }

    public ValueTask SendInvitationAsync(AccountSecurity.Accounts.Invitations.AccountInvitationMessage message, CancellationToken cancellationToken)
    {
        _invitations.Enqueue(message);
        return ValueTask.CompletedTask;
    }

    public ValueTask SendAccountExistsNoticeAsync(AccountSecurity.Accounts.Invitations.AccountExistsNotice notice, CancellationToken cancellationToken)
    {
        _notices.Enqueue(notice);
        return ValueTask.CompletedTask;
    }
}
