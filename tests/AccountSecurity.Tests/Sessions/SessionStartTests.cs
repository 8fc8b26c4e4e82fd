using System.Security.Cryptography;
using System.Text;
using AccountSecurity.Events;
using AccountSecurity.Sessions;
using AccountSecurity.SignIn;
using AccountSecurity.Testing;
using AccountSecurity.Tests.TestSupport;

namespace AccountSecurity.Tests.Sessions;

/// <summary>Beginning a session: a fresh 128-bit id and a reference whose secret is kept only as a hash, the contract's policy, a cleaned device, the oldest ending at the limit.</summary>
public sealed class SessionStartTests
{
    [Test]
    public async Task Start_GivesANewBase64Url128BitIdEveryTime_AndAnIdDotSecretReference()
    {
        await using var host = await SessionTestHost.CreateAsync();

        var started = new List<StartedSession>();
        for (var i = 0; i < 5; i++)
        {
            started.Add(await host.StartAsync());
        }

        started.Select(s => s.Session.SessionId).Should().OnlyHaveUniqueItems();
        started.Select(s => s.Reference).Should().OnlyHaveUniqueItems();
        foreach (var session in started)
        {
            var parts = session.Reference.Split('.');
            parts.Should().HaveCount(2);
            parts[0].Should().Be(session.Session.SessionId);
            parts[0].Should().MatchRegex("^[A-Za-z0-9_-]+$");
            System.Buffers.Text.Base64Url.DecodeFromChars(parts[0]).Length.Should().BeGreaterThanOrEqualTo(16, "the id carries at least 128 random bits");
            parts[1].Should().MatchRegex("^[A-Za-z0-9_-]+$");
            System.Buffers.Text.Base64Url.DecodeFromChars(parts[1]).Length.Should().BeGreaterThanOrEqualTo(32);
        }
    }

    [Test]
    public async Task Start_StoresOnlyTheSha256OfTheSecret_NeverTheSecretOrTheReference()
    {
        await using var host = await SessionTestHost.CreateAsync();

        var started = await host.StartAsync(device: new SessionDevice("Firefox on Windows", "203.0.113.0"));

        var secret = started.Reference.Split('.')[1];
        var record = (await host.RecordAsync(started.Session.SessionId!))!;
        record.SecretHash.Should().Be(Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret))));
        string?[] texts = [record.Id, record.SecretHash, record.UserId, record.ContractId, record.SecurityStamp, record.DeviceLabel, record.ClientAddress, record.EndReason, .. record.Methods];
        texts.Should().NotContain(t => t != null && (t.Contains(secret, StringComparison.Ordinal) || t.Contains(started.Reference, StringComparison.Ordinal)));
    }

    [Test]
    public async Task Start_RecordsUserContractStampAndMethods_AndTheSessionInTheResult()
    {
        await using var host = await SessionTestHost.CreateAsync();
        var signedIn = await host.SignedInAsync(TestHost.UserId, AuthenticationMethods.Password, AuthenticationMethods.Otp, AuthenticationMethods.MultiFactor);

        var started = (await host.Sessions.StartAsync(signedIn)).Value;

        started.Session.Should().BeEquivalentTo(signedIn with { SessionId = started.Session.SessionId });
        var record = (await host.RecordAsync(started.Session.SessionId!))!;
        record.UserId.Should().Be(TestHost.UserId);
        record.ContractId.Should().Be(TestHost.ContractId);
        record.SecurityStamp.Should().Be(signedIn.SecurityStamp);
        record.Methods.Should().Equal(AuthenticationMethods.Password, AuthenticationMethods.Otp, AuthenticationMethods.MultiFactor);
        record.UsedSecondFactor.Should().BeTrue();
        host.Host.Events.OfType(SecurityEventType.SessionStarted).Should().ContainSingle(e => e.UserId == TestHost.UserId && e.ContractId == TestHost.ContractId && e.Outcome == "mfa");
    }

    [Test]
    public async Task Start_WithDefaultPolicy_Idle30Minutes_ExpiresTwelveHoursAfterCreation()
    {
        await using var host = await SessionTestHost.CreateAsync();

        var started = await host.StartAsync();

        var record = (await host.RecordAsync(started.Session.SessionId!))!;
        record.CreatedAt.Should().Be(TestHost.Start);
        record.LastSeenAt.Should().Be(TestHost.Start);
        record.IdleTimeout.Should().Be(TimeSpan.FromMinutes(30));
        record.ExpiresAt.Should().Be(TestHost.Start + TimeSpan.FromHours(12));
        record.EndedAt.Should().BeNull();
    }

    [Test]
    public async Task Start_AppliesTheContractsPolicy_IdleTimeoutAndAbsoluteExpiryIsCreatedPlusLifetime()
    {
        await using var host = await SessionTestHost.CreateAsync();
        (await host.Sessions.SetPolicyAsync(await TestSessions.FreshAsync(host.Host.Services, TestHost.OwnerId), new SessionPolicySettings(TimeSpan.FromMinutes(10), TimeSpan.FromHours(3)))).Succeeded.Should().BeTrue();
        host.Host.Time.Advance(TimeSpan.FromMinutes(7));

        var started = await host.StartAsync();

        var record = (await host.RecordAsync(started.Session.SessionId!))!;
        record.IdleTimeout.Should().Be(TimeSpan.FromMinutes(10));
        record.CreatedAt.Should().Be(TestHost.Start + TimeSpan.FromMinutes(7));
        record.ExpiresAt.Should().Be(record.CreatedAt + TimeSpan.FromHours(3));
    }

    private static IEnumerable<TestCaseData> Devices()
    {
        yield return new TestCaseData("Firefox on Windows", "203.0.113.7", "Firefox on Windows", "203.0.113.7").SetArgDisplayNames("plain");
        yield return new TestCaseData(null, null, null, null).SetArgDisplayNames("none");
        yield return new TestCaseData("   ", "\t\r\n", null, null).SetArgDisplayNames("whitespace");
        yield return new TestCaseData("\0\u0007\u200B\u202E", "\u2066\uFEFF", null, null).SetArgDisplayNames("only control and format characters");
        yield return new TestCaseData("Fire\0fox\r\n on\u202E Win\u200Bdows\u0085", "2001:db8::\u00001", "Firefox on Windows", "2001:db8::1").SetArgDisplayNames("control and format characters dropped");
        yield return new TestCaseData("  Safari on macOS  ", " 198.51.100.0 ", "Safari on macOS", "198.51.100.0").SetArgDisplayNames("trimmed");
        yield return new TestCaseData("Chrome on " + '\uD800' + "Linux", "10.0.0.1" + '\uDC00', "Chrome on Linux", "10.0.0.1").SetArgDisplayNames("lone surrogates dropped");
        yield return new TestCaseData(new string('L', 150), new string('9', 80), new string('L', 100), new string('9', 64)).SetArgDisplayNames("cut to 100 and 64");
        yield return new TestCaseData(new string('L', 10_000_000), new string('9', 10_000_000), new string('L', 100), new string('9', 64)).SetArgDisplayNames("10 MB each");
    }

    [TestCaseSource(nameof(Devices))]
    public async Task Start_CleansTheDevice_DroppingControlAndFormatCharacters_CuttingTo100And64(string? label, string? address, string? expectedLabel, string? expectedAddress)
    {
        await using var host = await SessionTestHost.CreateAsync();

        var started = await host.StartAsync(device: new SessionDevice(label, address));

        var record = (await host.RecordAsync(started.Session.SessionId!))!;
        record.DeviceLabel.Should().Be(expectedLabel);
        record.ClientAddress.Should().Be(expectedAddress);
        (await host.Sessions.ListAsync(TestHost.UserId, null)).Should().ContainSingle(s => s.DeviceLabel == expectedLabel && s.ClientAddress == expectedAddress);
    }

    [Test]
    public async Task Start_AtTheContractsLimit_EndsTheOldest_NeverTheNewOne()
    {
        await using var host = await SessionTestHost.CreateAsync();
        (await host.Sessions.SetPolicyAsync(await TestSessions.FreshAsync(host.Host.Services, TestHost.OwnerId), new SessionPolicySettings(MaxSessionsPerUser: 3))).Succeeded.Should().BeTrue();
        var started = new List<StartedSession>();
        for (var i = 0; i < 3; i++)
        {
            started.Add(await host.StartAsync());
            host.Host.Time.Advance(TimeSpan.FromSeconds(10));
        }

        var other = await host.StartAsync(TestHost.AdminId);
        host.Host.Events.Clear();

        var newest = await host.StartAsync();

        (await host.StatusAsync(newest)).Should().Be(SessionStatus.Valid);
        (await host.StatusAsync(started[0])).Should().Be(SessionStatus.Invalid);
        (await host.StatusAsync(started[1])).Should().Be(SessionStatus.Valid);
        (await host.StatusAsync(started[2])).Should().Be(SessionStatus.Valid);
        (await host.StatusAsync(other)).Should().Be(SessionStatus.Valid, "another user's sessions do not count");
        var oldest = (await host.RecordAsync(started[0].Session.SessionId!))!;
        oldest.EndReason.Should().Be(SessionEndReasons.SessionLimit);
        oldest.EndedAt.Should().Be(host.Host.Time.GetUtcNow());
        host.Host.Events.OfType(SecurityEventType.SessionEnded).Should().ContainSingle()
            .Which.Should().Match<SecurityEvent>(e => e.UserId == TestHost.UserId && e.ContractId == TestHost.ContractId && e.Outcome == SessionEndReasons.SessionLimit);
        (await host.Sessions.ListAsync(TestHost.UserId, null)).Select(s => s.Id).Should().Equal(
            newest.Session.SessionId, started[2].Session.SessionId, started[1].Session.SessionId);
    }

    [Test]
    public async Task Start_AtALimitOfOne_EndsTheOtherSession_AndSignedInAtTheSameInstant_StillKeepsTheNewOne()
    {
        await using var host = await SessionTestHost.CreateAsync();
        (await host.Sessions.SetPolicyAsync(await TestSessions.FreshAsync(host.Host.Services, TestHost.OwnerId), new SessionPolicySettings(MaxSessionsPerUser: 1))).Succeeded.Should().BeTrue();

        var first = await host.StartAsync();
        var second = await host.StartAsync();

        (await host.StatusAsync(first)).Should().Be(SessionStatus.Invalid);
        (await host.StatusAsync(second)).Should().Be(SessionStatus.Valid);
    }

    [Test]
    public async Task Start_AfterTheLimitWasLowered_EndsAsManyOldestAsNeeded()
    {
        await using var host = await SessionTestHost.CreateAsync();
        var started = new List<StartedSession>();
        for (var i = 0; i < 4; i++)
        {
            started.Add(await host.StartAsync());
            host.Host.Time.Advance(TimeSpan.FromSeconds(1));
        }

        (await host.Sessions.SetPolicyAsync(await TestSessions.FreshAsync(host.Host.Services, TestHost.OwnerId), new SessionPolicySettings(MaxSessionsPerUser: 2))).Succeeded.Should().BeTrue();
        host.Host.Events.Clear();
        var newest = await host.StartAsync();

        var live = await host.Sessions.ListAsync(TestHost.UserId, newest.Session.SessionId);
        live.Select(s => s.Id).Should().Equal(newest.Session.SessionId, started[3].Session.SessionId);
        host.Host.Events.OfType(SecurityEventType.SessionEnded).Should().HaveCount(3).And.OnlyContain(e => e.Outcome == SessionEndReasons.SessionLimit);
    }

    [Test]
    public async Task Start_ExpiredSessionsDoNotCountTowardsTheLimit()
    {
        await using var host = await SessionTestHost.CreateAsync();
        (await host.Sessions.SetPolicyAsync(await TestSessions.FreshAsync(host.Host.Services, TestHost.OwnerId), new SessionPolicySettings(MaxSessionsPerUser: 2))).Succeeded.Should().BeTrue();
        await host.StartAsync();
        host.Host.Time.Advance(TimeSpan.FromMinutes(31));
        var live = await host.StartAsync();
        host.Host.Events.Clear();

        var newest = await host.StartAsync();

        (await host.StatusAsync(live)).Should().Be(SessionStatus.Valid);
        (await host.StatusAsync(newest)).Should().Be(SessionStatus.Valid);
        host.Host.Events.OfType(SecurityEventType.SessionEnded).Should().BeEmpty();
    }

    [Test]
    public async Task Start_WithoutASignIn_Throws()
    {
        await using var host = await SessionTestHost.CreateAsync();

        await host.Invoking(async h => await h.Sessions.StartAsync(null!)).Should().ThrowAsync<ArgumentNullException>();
    }
}
