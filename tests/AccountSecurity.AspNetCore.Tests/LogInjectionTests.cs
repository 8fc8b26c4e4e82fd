using System.Net;
using System.Text;
using System.Text.Json;
using AccountSecurity.AspNetCore.Authentication;
using AccountSecurity.AspNetCore.Tests.TestSupport;
using AccountSecurity.SignIn;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using static AccountSecurity.AspNetCore.Tests.TestSupport.Flows;

namespace AccountSecurity.AspNetCore.Tests;

/// <summary>
/// Issue 23, finding 4: no value of a request (path, route value, query, header, cookie, body) can forge, hide or flood
/// a log line of the packages. The JSON API is driven with hostile values through every kind of refusal (antiforgery,
/// rate limit, rejected session, authorization, bad input) and every line the packages wrote is scanned.
/// </summary>
public sealed class LogInjectionTests
{
    private const string ForgedLine = "INFO AccountSecurity: Security event SignInSucceeded for user owner1";

    /// <summary>Hostile values: line breaks (raw and as the forged line), NUL, Unicode line separators, NEL, an ANSI escape, a tab, a huge value.</summary>
    private static readonly string[] Hostile =
    [
        "x\r\n" + ForgedLine,
        "lf\n" + ForgedLine,
        "nul\0byte",
        "ls\u2028ps\u2029end",
        "nel\u0085end",
        "\u001b[31mred\u001b[0m",
        "tab\there",
        new string('A', 20_000) + "\r\n" + ForgedLine,
    ];

    [Test]
    public async Task HostileRequestValues_ThroughEveryRefusal_NeverReachALogLineRaw()
    {
        await using var host = await ApiHost.StartAsync(o =>
        {
            o.RateLimits.SignInPerAccount = new(1, TimeSpan.FromMinutes(1));
            o.RateLimits.PasswordResetPerAccount = new(1, TimeSpan.FromMinutes(1));
        });
        using var owner = host.CreateClient();
        (await PasswordAsync(owner, ApiHost.OwnerEmail)).StatusCode.Should().Be(HttpStatusCode.OK);
        var ownerCookie = owner.Cookies.GetCookieHeader(owner.BaseAddress);
        host.Logs.Clear();

        foreach (var value in Hostile)
        {
            // "\r\n" travels as %0D%0A and is decoded into the path and route value. A server refuses %00 in a path
            // (Kestrel and TestServer alike), so NUL goes in the query here and raw in the path below.
            var escaped = Uri.EscapeDataString(value);
            var segment = value.Contains('\0', StringComparison.Ordinal) ? "nul" : escaped;
            var forcePath = "/account/admin/users/" + segment + "/two-factor/force?returnUrl=" + escaped;

            // Antiforgery refusal (its line names the decoded path), then the same request with the token (the core's lines).
            (await owner.PostAsync(forcePath, new { forced = true }, antiforgery: false)).StatusCode.Should().Be(HttpStatusCode.BadRequest);
            await owner.PostAsync(forcePath, new { forced = true });
            await owner.PostAsync("/account/admin/users/" + segment + "/two-factor/reset?q=" + escaped);

            // The same with the raw characters in path, query and headers, as a hostile proxy or client could deliver them.
            (await SendRawAsync(host, "POST", "/account/admin/users/" + value + "/two-factor/force", value, ownerCookie)).Response.StatusCode.Should().Be(StatusCodes.Status400BadRequest);
            await SendRawAsync(host, "GET", "/account/session", value, cookie: null);
            await SendRawAsync(host, "POST", "/account/signin/second-factor", value, cookie: null);

            // Rate limiter: the second sign-in and reset per account are refused.
            using var anonymous = host.CreateClient();
            for (var i = 0; i < 2; i++)
            {
                await PasswordAsync(anonymous, value + "@example.com", "wrong-password-" + value);
                await anonymous.PostAsync("/account/password/reset", new { email = value + "@example.com" }, antiforgery: false);
            }

            // A rejected session whose (authentic) cookie names a hostile user id.
            (await SendRawAsync(host, "GET", "/account/session", value, ForgedSessionCookie(host, value))).Response.StatusCode.Should().Be(StatusCodes.Status401Unauthorized);
        }

        var lines = host.Logs.Entries.Where(e => e.Category.StartsWith("AccountSecurity", StringComparison.Ordinal)).ToList();
        lines.Should().Contain(e => e.EventId.Id == 2003, "the antiforgery refusals were logged");
        lines.Should().Contain(e => e.EventId.Id == 2002, "the rate-limited requests were logged");
        lines.Should().Contain(e => e.EventId.Id == 2001, "the rejected sessions were logged");
        var offending = lines
            .SelectMany(e => e.State.Select(kv => (Name: kv.Key, Text: kv.Value ?? string.Empty)).Prepend((Name: "message", Text: e.Message)).Select(v => (Entry: e, v.Name, v.Text)))
            .Where(v => v.Text.Any(IsForbidden) || v.Text.Length > 4_000)
            .Select(v => $"event {v.Entry.EventId.Id} ({v.Entry.Category}) {v.Name}: {Visible(v.Text)}")
            .ToList();
        offending.Should().BeEmpty("no log line may carry a raw control or line-separator character, or an unbounded value, from a request");
        lines.Where(e => e.EventId.Id is 2001 or 2003).Should().Contain(e => e.Message.Contains(@"\u000D\u000A" + ForgedLine, StringComparison.Ordinal), "a line break is written as an escape");
    }

    [Test]
    public void EveryLogMethodOfThePackages_TakesTextOnlyAsLogValue()
    {
        var assemblies = new[] { typeof(AccountSecurityPrincipal).Assembly, typeof(AccountSecurity.Passkeys.PasskeyOptions).Assembly };
        var methods = assemblies.SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetMethods(System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.DeclaredOnly))
            .Where(m => m.GetCustomAttributes(typeof(LoggerMessageAttribute), false).Length > 0)
            .ToList();

        methods.Should().NotBeEmpty();
        methods.SelectMany(m => m.GetParameters().Where(p => p.ParameterType == typeof(string)).Select(p => $"{m.DeclaringType!.FullName}.{m.Name}({p.Name})"))
            .Should().BeEmpty("every text value is escaped and bounded by the core's LogValue, so no log method may take a raw string");
        methods.SelectMany(m => m.GetParameters()).Where(p => p.ParameterType.Name == "LogValue").Should().NotBeEmpty();
    }

    private static bool IsForbidden(char c) => char.IsControl(c) || c is '\u2028' or '\u2029';

    private static string Visible(string text)
    {
        var builder = new StringBuilder();
        foreach (var c in text.Length > 200 ? text[..200] : text)
        {
            builder.Append(IsForbidden(c) ? $"<U+{(int)c:X4}>" : c.ToString());
        }

        return builder.ToString();
    }

    /// <summary>A request built directly on the server: raw characters in the path, the query and headers, which no client library would send.</summary>
    private static Task<HttpContext> SendRawAsync(ApiHost host, string method, string path, string value, string? cookie) =>
        host.App.GetTestServer().SendAsync(context =>
        {
            context.Request.Method = method;
            context.Request.Scheme = "http";
            context.Request.Host = new HostString("localhost");
            context.Request.Path = new PathString(path);
            context.Request.QueryString = new QueryString("?q=" + value);
            context.Request.Headers.UserAgent = value;
            context.Request.Headers["X-Forwarded-For"] = value;
            context.Request.Headers["X-Requested-With"] = value;
            context.Request.Headers.Accept = value;
            context.Request.Headers["RequestVerificationToken"] = value;
            if (cookie is not null)
            {
                context.Request.Headers.Cookie = cookie;
            }

            if (method == "POST")
            {
                context.Request.ContentType = "application/json";
                context.Request.Body = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(new { code = value, email = value, forced = true }));
            }
        });

    /// <summary>An authentic session cookie (protected with the host's keys) whose user id is <paramref name="userId"/>: no such session stands.</summary>
    private static string ForgedSessionCookie(ApiHost host, string userId)
    {
        var options = host.App.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(AccountSecurityAuthenticationDefaults.SessionScheme);
        var principal = AccountSecurityPrincipal.Create(new AuthenticatedSession(userId, "c1", "stamp-" + userId, [AuthenticationMethods.Password], host.Time.GetUtcNow()));
        return options.Cookie.Name + "=" + options.TicketDataFormat.Protect(new AuthenticationTicket(principal, AccountSecurityAuthenticationDefaults.SessionScheme));
    }
}
