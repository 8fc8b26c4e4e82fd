using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AccountSecurity.Results;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AccountSecurity.LoadTest;

/// <summary>
/// One product's host in the versus-identity mode, with its users created: sign-in clients that send a correct or a
/// wrong password and say how the answer reads, and signed-in clients of its cheap GET.
/// </summary>
internal interface IVersusTarget : IAsyncDisposable
{
    /// <summary>
    /// A sign-in client of the <paramref name="user"/>-th user (its own <see cref="HttpClient"/> and cookies): given
    /// whether to send a wrong password, answers <see cref="AnswerKind.Succeeded"/> (correct, signed in),
    /// <see cref="AnswerKind.Rejected"/> (wrong, rejected as wrong), <see cref="AnswerKind.Busy"/> (503 with
    /// Retry-After), or a wrong answer (<see cref="AnswerKind.Failed"/> with what it was).
    /// </summary>
    Func<bool, Task<SignInAnswer>> SignInClient(int user);

    /// <summary>The <paramref name="checker"/>-th signed-in client's cheap GET: <see langword="null"/> when answered as expected, otherwise what it was.</summary>
    Func<Task<string?>> CheapClient(int checker);
}

/// <summary>A place for one host's data: how its context reaches it, and what to do once the host is gone.</summary>
internal sealed record StoreLease(Action<DbContextOptionsBuilder> Database, Action Release);

/// <summary>
/// The library at its package defaults over HTTP (<see cref="HttpLoadHost"/> on an EF Core store): sign-in
/// <c>POST /account/signin</c>, cheap GET <c>GET /account/session</c> with the session cookie (the package revalidates
/// the server-side session on every request).
/// </summary>
internal sealed class AccountSecurityVersusTarget : IVersusTarget
{
    private readonly HttpLoadHost _host;
    private readonly StoreLease _store;
    private readonly IReadOnlyList<string> _signInEmails;
    private readonly IReadOnlyList<HttpClient> _cheap;
    private readonly List<HttpClient> _clients = [];

    private AccountSecurityVersusTarget(HttpLoadHost host, StoreLease store, IReadOnlyList<string> signInEmails, IReadOnlyList<HttpClient> cheap)
    {
        _host = host;
        _store = store;
        _signInEmails = signInEmails;
        _cheap = cheap;
        _clients.AddRange(cheap);
    }

    public static async Task<AccountSecurityVersusTarget> StartAsync(StoreLease store, int? workFactor, int signInUsers, int cheapClients)
    {
        var host = await HttpLoadHost.StartAsync(options => LoadInstance.ConfigureDefaults(options, workFactor, LoadInstance.NewSecretKey()), security => security.UseEntityFrameworkCore(store.Database));
        await host.Instance.EnsureSchemaAsync();
        var population = await Population.CreateAsync(host.Instance, "versus", signInUsers + cheapClients, 0);
        var cheap = new List<HttpClient>();
        foreach (var email in population.SignInEmails.Skip(signInUsers))
        {
            var client = host.NewClient();
            await HttpTarget.PasswordStepAsync(client, email, "signed_in");
            cheap.Add(client);
        }

        return new AccountSecurityVersusTarget(host, store, population.SignInEmails.Take(signInUsers).ToList(), cheap);
    }

    public Func<bool, Task<SignInAnswer>> SignInClient(int user)
    {
        var email = _signInEmails[user];
        var client = _host.NewClient();
        _clients.Add(client);
        return async wrong =>
        {
            using var response = await client.PostAsJsonAsync("/account/signin", new { email, password = wrong ? VersusIdentity.WrongPassword : LoadSettings.Password });
            var body = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, wrong) switch
            {
                (HttpStatusCode.ServiceUnavailable, _) when response.Headers.RetryAfter?.Delta is { } retryAfter => SignInAnswer.Busy(retryAfter),
                (HttpStatusCode.OK, false) => SignInAnswer.Succeeded,
                (HttpStatusCode.Unauthorized, true) when JsonBody.Property(body, "code") == SecurityErrorCodes.InvalidCredentials => SignInAnswer.Rejected,
                _ => SignInAnswer.Wrong($"{(wrong ? "wrong" : "correct")} password answered {(int)response.StatusCode} {JsonBody.Property(body, "code")}"),
            };
        };
    }

    public Func<Task<string?>> CheapClient(int checker)
    {
        var client = _cheap[checker];
        return async () =>
        {
            using var response = await client.GetAsync("/account/session");
            await response.Content.LoadIntoBufferAsync();
            return response.StatusCode == HttpStatusCode.OK ? null : $"GET /account/session answered {(int)response.StatusCode}";
        };
    }

    public async ValueTask DisposeAsync()
    {
        _clients.ForEach(c => c.Dispose());
        await _host.DisposeAsync();
        _store.Release();
    }
}

/// <summary>
/// ASP.NET Core Identity over HTTP (<see cref="IdentityLoadHost"/>): sign-in <c>POST /identity/login?useCookies=true</c>,
/// cheap GET <c>GET /me</c> with the cookie, which must answer the user's name.
/// </summary>
internal sealed class IdentityVersusTarget : IVersusTarget
{
    private readonly IdentityLoadHost _host;
    private readonly StoreLease _store;
    private readonly IReadOnlyList<string> _signInEmails;
    private readonly IReadOnlyList<(HttpClient Client, string Email)> _cheap;
    private readonly List<HttpClient> _clients = [];

    private IdentityVersusTarget(IdentityLoadHost host, StoreLease store, IReadOnlyList<string> signInEmails, IReadOnlyList<(HttpClient Client, string Email)> cheap)
    {
        _host = host;
        _store = store;
        _signInEmails = signInEmails;
        _cheap = cheap;
        _clients.AddRange(cheap.Select(c => c.Client));
    }

    public static async Task<IdentityVersusTarget> StartAsync(StoreLease store, int iterations, int signInUsers, int cheapClients)
    {
        var host = await IdentityLoadHost.StartAsync(store.Database, iterations);
        var emails = await host.CreateUsersAsync("versus", signInUsers + cheapClients);
        var cheap = new List<(HttpClient, string)>();
        foreach (var email in emails.Skip(signInUsers))
        {
            var client = host.NewClient();
            using var response = await client.PostAsJsonAsync("/identity/login?useCookies=true", new { email, password = LoadSettings.Password });
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"A set-up sign-in to Identity answered {(int)response.StatusCode}.");
            }

            cheap.Add((client, email));
        }

        return new IdentityVersusTarget(host, store, emails.Take(signInUsers).ToList(), cheap);
    }

    public Func<bool, Task<SignInAnswer>> SignInClient(int user)
    {
        var email = _signInEmails[user];
        var client = _host.NewClient();
        _clients.Add(client);
        return async wrong =>
        {
            using var response = await client.PostAsJsonAsync("/identity/login?useCookies=true", new { email, password = wrong ? VersusIdentity.WrongPassword : LoadSettings.Password });
            var body = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, wrong) switch
            {
                (HttpStatusCode.OK, false) => SignInAnswer.Succeeded,
                (HttpStatusCode.Unauthorized, true) when JsonBody.Property(body, "detail") == "Failed" => SignInAnswer.Rejected,
                _ => SignInAnswer.Wrong($"{(wrong ? "wrong" : "correct")} password answered {(int)response.StatusCode} {JsonBody.Property(body, "detail")}"),
            };
        };
    }

    public Func<Task<string?>> CheapClient(int checker)
    {
        var (client, email) = _cheap[checker];
        return async () =>
        {
            using var response = await client.GetAsync("/me");
            var body = await response.Content.ReadAsStringAsync();
            return response.StatusCode == HttpStatusCode.OK && body == email ? null : $"GET /me answered {(int)response.StatusCode}";
        };
    }

    public async ValueTask DisposeAsync()
    {
        _clients.ForEach(c => c.Dispose());
        await _host.DisposeAsync();
        _store.Release();
    }
}

/// <summary>Reads one string property of an answer's JSON body (an error code, a problem's detail: never a secret).</summary>
internal static class JsonBody
{
    /// <summary>The string property <paramref name="name"/> of <paramref name="body"/>'s top-level object; <see langword="null"/> when there is none or the body is not JSON.</summary>
    public static string? Property(string body, string name)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
