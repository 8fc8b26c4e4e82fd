using System.Net;
using System.Text.Json;
using AccountSecurity.AspNetCore.Tests.TestSupport;
using static AccountSecurity.AspNetCore.Tests.TestSupport.Flows;

namespace AccountSecurity.AspNetCore.Tests;

/// <summary>The audit trail's JSON endpoints: who sees what, filters, export, verification and retention.</summary>
public sealed class AuditEndpointTests
{
    private const string Firefox = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0";

    [Test]
    public async Task ForcedTwoFactor_AppearsInTheOwnersActivity_WithActorDeviceAndWords()
    {
        await using var host = await ApiHost.StartAsync();
        using var owner = await SignedInAsync(host, ApiHost.OwnerEmail, Firefox);
        (await owner.PostAsync("/account/admin/users/alice/two-factor/force", new { forced = true })).StatusCode.Should().Be(HttpStatusCode.NoContent);

        var records = await EventuallyAsync(owner, "/account/audit?eventType=TwoFactorForced&userId=alice", 1);

        var forced = records.Single();
        forced.GetProperty("eventType").GetString().Should().Be("TwoFactorForced");
        forced.GetProperty("userId").GetString().Should().Be("alice");
        forced.GetProperty("actorId").GetString().Should().Be("owner1");
        forced.GetProperty("deviceLabel").GetString().Should().Be("Firefox on Windows");
        forced.GetProperty("description").GetString().Should().Be("Two-factor authentication required by an administrator");
        forced.GetProperty("hash").GetString().Should().MatchRegex("^[0-9a-f]{64}$");

        var verify = await JsonAsync(await owner.GetAsync("/account/audit/verify"));
        verify.GetProperty("intact").GetBoolean().Should().BeTrue();
        verify.GetProperty("break").GetString().Should().Be("none");
    }

    [Test]
    public async Task AUser_SeesOwnActivityOnly_AndNotTheContract_AndAnotherContractSeesNothingOfIt()
    {
        await using var host = await ApiHost.StartAsync();
        using var alice = await SignedInAsync(host, ApiHost.AliceEmail, Firefox);
        using var owner2 = await SignedInAsync(host, ApiHost.Owner2Email);

        var own = await EventuallyAsync(alice, "/account/audit/me?eventType=SessionStarted", 1);
        own.Single().GetProperty("description").GetString().Should().Be("Signed in with password");
        own.Single().GetProperty("signInMethods").EnumerateArray().Select(m => m.GetString()).Should().Equal("Password");

        var contract = await alice.GetAsync("/account/audit");
        contract.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await CodeOfAsync(contract)).Should().Be("not_authorized");
        (await alice.GetAsync("/account/audit/me?userId=owner1")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await alice.GetAsync("/account/audit/export")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await alice.GetAsync("/account/audit/verify")).StatusCode.Should().Be(HttpStatusCode.Forbidden);

        var foreign = await JsonAsync(await owner2.GetAsync("/account/audit?userId=alice"));
        foreign.GetProperty("records").GetArrayLength().Should().Be(0, "an owner reads their own contract only");
        (await owner2.GetAsync("/account/audit")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Test]
    public async Task Export_IsAFileOfEveryMatchingRecord()
    {
        await using var host = await ApiHost.StartAsync();
        using var owner = await SignedInAsync(host, ApiHost.OwnerEmail);
        await EventuallyAsync(owner, "/account/audit?eventType=SessionStarted", 1);

        var csv = await owner.GetAsync("/account/audit/export?format=csv&eventType=SessionStarted");
        csv.StatusCode.Should().Be(HttpStatusCode.OK);
        csv.Content.Headers.ContentType!.MediaType.Should().Be("text/csv");
        csv.Content.Headers.ContentDisposition!.FileName!.Trim('"').Should().Be("security-activity.csv");
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(2);
        lines[1].Should().Contain("\"SessionStarted\"").And.Contain("\"owner1\"");

        var jsonl = await owner.GetAsync("/account/audit/export?format=jsonl");
        jsonl.Content.Headers.ContentType!.MediaType.Should().Be("application/jsonl");
        foreach (var line in (await jsonl.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            JsonDocument.Parse(line).RootElement.GetProperty("contractId").GetString().Should().Be("c1");
        }

        (await CodeOfAsync(await owner.GetAsync("/account/audit/export?format=xml"))).Should().Be("audit_query_invalid");
    }

    [TestCase("eventType=NoSuchEvent")]
    [TestCase("eventType=999")]
    [TestCase("from=yesterday")]
    [TestCase("pageSize=0")]
    [TestCase("pageSize=abc")]
    [TestCase("cursor=xyz")]
    [TestCase("from=2030-01-02T00:00:00Z&to=2030-01-01T00:00:00Z")]
    public async Task MalformedFilters_Answer400(string query)
    {
        await using var host = await ApiHost.StartAsync();
        using var owner = await SignedInAsync(host, ApiHost.OwnerEmail);

        var response = await owner.GetAsync("/account/audit?" + query);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await CodeOfAsync(response)).Should().Be("audit_query_invalid");
    }

    [Test]
    public async Task Retention_TheOwnerSetsIt_WithinBounds()
    {
        await using var host = await ApiHost.StartAsync();
        using var owner = await SignedInAsync(host, ApiHost.OwnerEmail);
        using var alice = await SignedInAsync(host, ApiHost.AliceEmail);

        var policy = await JsonAsync(await owner.GetAsync("/account/audit/retention"));
        policy.GetProperty("retentionDays").GetInt32().Should().Be(400);
        policy.GetProperty("isDefault").GetBoolean().Should().BeTrue();

        (await owner.PostAsync("/account/audit/retention", new { retentionDays = 10 })).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await alice.PostAsync("/account/audit/retention", new { retentionDays = 500 })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await owner.PostAsync("/account/audit/retention", new { retentionDays = 500 })).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await JsonAsync(await owner.GetAsync("/account/audit/retention"))).GetProperty("retentionDays").GetInt32().Should().Be(500);
        (await EventuallyAsync(owner, "/account/audit?eventType=AuditRetentionChanged", 1)).Single().GetProperty("outcome").GetString().Should().Be("days_500");
    }

    private static async Task<ApiHost.Client> SignedInAsync(ApiHost host, string email, string? userAgent = null)
    {
        var client = host.CreateClient();
        if (userAgent is not null)
        {
            client.Http.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", userAgent);
        }

        var signIn = await PasswordAsync(client, email);
        signIn.StatusCode.Should().Be(HttpStatusCode.OK, await signIn.Content.ReadAsStringAsync());
        return client;
    }

    /// <summary>The records at <paramref name="path"/> once there are <paramref name="count"/>: the trail is written in the background.</summary>
    private static async Task<List<JsonElement>> EventuallyAsync(ApiHost.Client client, string path, int count)
    {
        using var ceiling = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var response = await client.GetAsync(path);
            response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            var records = (await JsonAsync(response)).GetProperty("records").EnumerateArray().ToList();
            if (records.Count >= count)
            {
                return records;
            }

            await Task.Delay(50, ceiling.Token);
        }
    }
}
