using System.Net;
using AccountSecurity.AspNetCore.Tests.TestSupport;
using AccountSecurity.Events;
using static AccountSecurity.AspNetCore.Tests.TestSupport.Flows;

namespace AccountSecurity.AspNetCore.Tests;

/// <summary>
/// Issue 23, finding 1, end to end over HTTP: anybody who knows an e-mail address must not be able to keep its owner
/// out, neither through the lockout nor through the per-account rate limit.
/// </summary>
public sealed class TargetedLockoutTests
{
    // With the default limits the per-account rate limit is what the attackers exhaust (10 a minute); with a generous
    // one, ten wrong passwords reach the library and lock the account's untrusted budget. The owner gets in either way.
    [TestCase(false, TestName = "TwoHundredWrongAttemptsFromTwentyAddresses_DefaultLimits_TheOwnersKnownDevice_SignsInOnTheFirstTry")]
    [TestCase(true, TestName = "TwoHundredWrongAttemptsFromTwentyAddresses_LockedAccount_TheOwnersKnownDevice_SignsInOnTheFirstTry")]
    public async Task TwoHundredWrongAttemptsFromTwentyAddresses_TheOwnersKnownDevice_SignsInOnTheFirstTry(bool generousAccountLimit)
    {
        await using var host = await ApiHost.StartAsync(o =>
        {
            if (generousAccountLimit)
            {
                o.RateLimits.SignInPerAccount = new(1000, TimeSpan.FromMinutes(1));
            }
        });
        using var owner = host.CreateClient();
        owner.Http.DefaultRequestHeaders.Add(ApiHost.ClientAddressHeader, "198.51.100.7");
        (await JsonAsync(await PasswordAsync(owner, ApiHost.AliceEmail))).GetProperty("status").GetString().Should().Be("signed_in");
        owner.Cookies.GetCookies(owner.BaseAddress)[".AccountSecurity.Device"].Should().NotBeNull("a completed sign-in leaves a device cookie");
        (await owner.PostAsync("/account/signout")).EnsureSuccessStatusCode();

        var answers = new Dictionary<HttpStatusCode, int>();
        for (var address = 1; address <= 20; address++)
        {
            using var attacker = host.CreateClient();
            attacker.Http.DefaultRequestHeaders.Add(ApiHost.ClientAddressHeader, $"203.0.113.{address}");
            for (var attempt = 0; attempt < 10; attempt++)
            {
                using var response = await PasswordAsync(attacker, ApiHost.AliceEmail, "wrong-Password-" + attempt);
                answers[response.StatusCode] = answers.GetValueOrDefault(response.StatusCode) + 1;
            }
        }

        answers.Keys.Should().OnlyContain(s => s == HttpStatusCode.Unauthorized || s == HttpStatusCode.TooManyRequests);
        answers.Values.Sum().Should().Be(200);
        if (generousAccountLimit)
        {
            answers.Should().NotContainKey(HttpStatusCode.TooManyRequests);
            host.Logs.AllText().Should().ContainSingle(t => t.Contains("Security event " + nameof(SecurityEventType.LockedOut) + " for user alice", StringComparison.Ordinal), "the untrusted budget locked, and the owner is told");
        }
        else
        {
            answers.Should().ContainKey(HttpStatusCode.TooManyRequests, "the account's limit for strangers is spent");
        }

        using var signedIn = await PasswordAsync(owner, ApiHost.AliceEmail);
        signedIn.StatusCode.Should().Be(HttpStatusCode.OK, await signedIn.Content.ReadAsStringAsync());
        (await JsonAsync(signedIn)).GetProperty("status").GetString().Should().Be("signed_in");
        (await owner.GetAsync("/resources")).StatusCode.Should().Be(HttpStatusCode.OK, "the session works");

        using var newDevice = host.CreateClient();
        newDevice.Http.DefaultRequestHeaders.Add(ApiHost.ClientAddressHeader, "198.51.100.7");
        using var refused = await PasswordAsync(newDevice, ApiHost.AliceEmail);
        refused.StatusCode.Should().BeOneOf([HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], "a brand-new device of the owner is a stranger: locked like one (the way back in is a reset by e-mail)");
        (await CodeOfAsync(refused)).Should().BeOneOf("invalid_credentials", "rate_limited");
    }

    [Test]
    public async Task ExhaustingTheAccountsRateLimit_DoesNotRefuseTheOwnersKnownDevice()
    {
        await using var host = await ApiHost.StartAsync(o => o.RateLimits.SignInPerAccount = new(4, TimeSpan.FromMinutes(10)));
        using var owner = host.CreateClient();
        owner.Http.DefaultRequestHeaders.Add(ApiHost.ClientAddressHeader, "198.51.100.8");
        (await PasswordAsync(owner, ApiHost.AliceEmail)).StatusCode.Should().Be(HttpStatusCode.OK, "a stranger's first sign-in, counted in the shared limit");

        using var attacker = host.CreateClient();
        attacker.Http.DefaultRequestHeaders.Add(ApiHost.ClientAddressHeader, "203.0.113.99");
        for (var i = 0; i < 3; i++)
        {
            (await PasswordAsync(attacker, ApiHost.AliceEmail, "wrong-Password-x")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }

        (await PasswordAsync(attacker, ApiHost.AliceEmail)).StatusCode.Should().Be(HttpStatusCode.TooManyRequests, "strangers share the account's limit");
        using var stranger = host.CreateClient();
        stranger.Http.DefaultRequestHeaders.Add(ApiHost.ClientAddressHeader, "198.51.100.8");
        (await PasswordAsync(stranger, ApiHost.AliceEmail)).StatusCode.Should().Be(HttpStatusCode.TooManyRequests, "a browser without the device cookie is a stranger, whatever its address");
        (await PasswordAsync(owner, ApiHost.AliceEmail)).StatusCode.Should().Be(HttpStatusCode.OK, "the owner's known browser keeps its own limit");
    }

    [Test]
    public async Task ATamperedDeviceCookie_IsAStranger()
    {
        await using var host = await ApiHost.StartAsync(o => o.RateLimits.SignInPerAccount = new(3, TimeSpan.FromMinutes(10)));
        using var owner = host.CreateClient();
        (await PasswordAsync(owner, ApiHost.AliceEmail)).StatusCode.Should().Be(HttpStatusCode.OK);
        var cookie = owner.Cookies.GetCookies(owner.BaseAddress)[".AccountSecurity.Device"]!;

        using var forger = host.CreateClient();
        forger.Cookies.Add(forger.BaseAddress, new Cookie(".AccountSecurity.Device", cookie.Value[..^4] + "AAAA"));
        (await PasswordAsync(forger, ApiHost.AliceEmail, "wrong-Password-1")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await PasswordAsync(forger, ApiHost.AliceEmail, "wrong-Password-2")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await PasswordAsync(forger, ApiHost.AliceEmail)).StatusCode.Should().Be(HttpStatusCode.TooManyRequests, "a cookie that does not unprotect buys no partition of its own");
        var refused = host.Logs.Entries.Where(e => e.EventId.Id == 2004).ToList();
        refused.Should().ContainSingle("refusals of forged state are logged sampled: one line per kind per minute, however many requests").Which.Level.Should().Be(Microsoft.Extensions.Logging.LogLevel.Warning);
        refused[0].AllText().Should().NotContain(cookie.Value[..^4], "never the cookie's value");
    }
}
