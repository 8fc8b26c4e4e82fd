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
/// What both products' targets share: each sign-in client its own <see cref="HttpClient"/> and cookies, posting JSON
/// <c>{ email, password }</c> to the product's sign-in path; the cheap clients signed in before the clock starts. How an
/// answer reads: 503 with Retry-After is busy; a correct password answered 200 signed in; a wrong one answered 401 with
/// the product's "wrong password" error (<see cref="RejectedError"/> in the body's <see cref="ErrorProperty"/>) was
/// rejected; anything else is a wrong answer, described by its status and that error.
/// </summary>
internal abstract class HttpVersusTarget : IVersusTarget
{
    private readonly IAsyncDisposable _host;
    private readonly Uri _baseAddress;
    private readonly StoreLease _store;
    private readonly IReadOnlyList<string> _signInEmails;
    private readonly IReadOnlyList<(HttpClient Client, string Email)> _cheap;
    private readonly List<HttpClient> _clients = [];

    protected HttpVersusTarget(IAsyncDisposable host, Uri baseAddress, StoreLease store, IReadOnlyList<string> signInEmails, IReadOnlyList<(HttpClient Client, string Email)> cheap)
    {
        _host = host;
        _baseAddress = baseAddress;
        _store = store;
        _signInEmails = signInEmails;
        _cheap = cheap;
        _clients.AddRange(cheap.Select(c => c.Client));
    }

    protected abstract string SignInPath { get; }

    protected abstract string CheapPath { get; }

    /// <summary>The JSON property of an error answer that says what the error was (an error code, a problem's detail).</summary>
    protected abstract string ErrorProperty { get; }

    /// <summary>What <see cref="ErrorProperty"/> says when a wrong password is rejected as wrong.</summary>
    protected abstract string RejectedError { get; }

    public Func<bool, Task<SignInAnswer>> SignInClient(int user)
    {
        var email = _signInEmails[user];
        var client = KestrelLoopback.NewClient(_baseAddress);
        _clients.Add(client);
        return async wrong =>
        {
            using var response = await client.PostAsJsonAsync(SignInPath, new { email, password = wrong ? VersusIdentity.WrongPassword : LoadSettings.Password });
            var body = await response.Content.ReadAsStringAsync();
            var error = JsonBody.Property(body, ErrorProperty);
            return (response.StatusCode, wrong) switch
            {
                (HttpStatusCode.ServiceUnavailable, _) when response.Headers.RetryAfter?.Delta is { } retryAfter => SignInAnswer.Busy(retryAfter),
                (HttpStatusCode.OK, false) => SignInAnswer.Succeeded,
                (HttpStatusCode.Unauthorized, true) when error == RejectedError => SignInAnswer.Rejected,
                _ => SignInAnswer.Wrong($"{(wrong ? "wrong" : "correct")} password answered {(int)response.StatusCode} {error}"),
            };
        };
    }

    public Func<Task<string?>> CheapClient(int checker)
    {
        var (client, email) = _cheap[checker];
        return async () =>
        {
            using var response = await client.GetAsync(CheapPath);
            var body = await response.Content.ReadAsStringAsync();
            return response.StatusCode == HttpStatusCode.OK && CheapAnswered(body, email) ? null : $"GET {CheapPath} answered {(int)response.StatusCode}";
        };
    }

    public async ValueTask DisposeAsync()
    {
        _clients.ForEach(c => c.Dispose());
        await _host.DisposeAsync();
        _store.Release();
    }

    /// <summary>Whether a 200 of the cheap GET says what it should for the signed-in <paramref name="email"/>.</summary>
    protected virtual bool CheapAnswered(string body, string email) => true;
}

/// <summary>
/// The library at its package defaults over HTTP (<see cref="HttpLoadHost"/> on an EF Core store): sign-in
/// <c>POST /account/signin</c> (a wrong password: 401 <c>invalid_credentials</c>), cheap GET <c>GET /account/session</c>
/// with the session cookie (the package revalidates the server-side session on every request).
/// </summary>
internal sealed class AccountSecurityVersusTarget(HttpLoadHost host, StoreLease store, IReadOnlyList<string> signInEmails, IReadOnlyList<(HttpClient Client, string Email)> cheap)
    : HttpVersusTarget(host, host.BaseAddress, store, signInEmails, cheap)
{
    protected override string SignInPath => "/account/signin";

    protected override string CheapPath => "/account/session";

    protected override string ErrorProperty => "code";

    protected override string RejectedError => SecurityErrorCodes.InvalidCredentials;

    public static async Task<AccountSecurityVersusTarget> StartAsync(StoreLease store, int? workFactor, int signInUsers, int cheapClients)
    {
        var host = await HttpLoadHost.StartAsync(options => LoadInstance.ConfigureDefaults(options, workFactor, LoadInstance.NewSecretKey()), security => security.UseEntityFrameworkCore(store.Database));
        await host.Instance.EnsureSchemaAsync();
        var population = await Population.CreateAsync(host.Instance, "versus", signInUsers + cheapClients, 0);
        var cheap = new List<(HttpClient, string)>();
        foreach (var email in population.SignInEmails.Skip(signInUsers))
        {
            var client = host.NewClient();
            await HttpTarget.PasswordStepAsync(client, email, "signed_in");
            cheap.Add((client, email));
        }

        return new AccountSecurityVersusTarget(host, store, population.SignInEmails.Take(signInUsers).ToList(), cheap);
    }
}

/// <summary>
/// ASP.NET Core Identity over HTTP (<see cref="IdentityLoadHost"/>): sign-in <c>POST /identity/login?useCookies=true</c>
/// (a wrong password: 401 with the problem detail <c>Failed</c>; <c>Lockedout</c> would be a wrong answer), cheap GET
/// <c>GET /me</c> with the cookie, which must answer the user's name.
/// </summary>
internal sealed class IdentityVersusTarget(IdentityLoadHost host, StoreLease store, IReadOnlyList<string> signInEmails, IReadOnlyList<(HttpClient Client, string Email)> cheap)
    : HttpVersusTarget(host, host.BaseAddress, store, signInEmails, cheap)
{
    protected override string SignInPath => "/identity/login?useCookies=true";

    protected override string CheapPath => "/me";

    protected override string ErrorProperty => "detail";

    protected override string RejectedError => "Failed";

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

    protected override bool CheapAnswered(string body, string email) => body == email;
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
