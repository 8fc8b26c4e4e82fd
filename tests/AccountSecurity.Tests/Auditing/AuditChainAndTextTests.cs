using AccountSecurity.Auditing;
using AccountSecurity.Events;
using AccountSecurity.Lockout;
using AccountSecurity.Tests.TestSupport;

namespace AccountSecurity.Tests.Auditing;

public sealed class AuditChainAndTextTests
{
    private static readonly AuditRecord Sample = new()
    {
        ContractId = "c1",
        OccurredAt = new DateTimeOffset(2030, 1, 1, 10, 42, 0, TimeSpan.Zero),
        EventType = SecurityEventType.SignInSucceeded,
        UserId = "u1",
        SignInMethods = AuditSignInMethods.Password | AuditSignInMethods.AuthenticatorApp | AuditSignInMethods.MultiFactor,
        Outcome = "pwd+otp+mfa",
        DeviceLabel = "Firefox on Windows",
    };

    [Test]
    public void Hash_OfEncodingVersion1_IsPinned()
    {
        // Changing the encoding breaks every stored chain: this value may only change with a new EncodingVersion.
        AuditChain.Link(Sample, 1, AuditChain.GenesisHash).Hash.Should().Be(AuditChain.ComputeHash(Sample with { Sequence = 1, PreviousHash = AuditChain.GenesisHash }));
        AuditChain.Link(Sample, 1, AuditChain.GenesisHash).Hash.Should().MatchRegex("^[0-9a-f]{64}$");
        AuditChain.Link(Sample, 1, AuditChain.GenesisHash).Hash.Should().Be(PinnedHash);
    }

    [Test]
    public void Hash_CoversEveryFieldAndItsBoundaries()
    {
        var linked = AuditChain.Link(Sample, 1, AuditChain.GenesisHash);
        AuditRecord[] variants =
        [
            linked with { ContractId = "c2" },
            linked with { Sequence = 2 },
            linked with { OccurredAt = linked.OccurredAt.AddTicks(1) },
            linked with { EventType = SecurityEventType.SignInFailed },
            linked with { UserId = null },
            linked with { UserId = "" },
            linked with { ActorId = "a" },
            linked with { Factor = AuthenticationFactor.Password },
            linked with { SignInMethods = AuditSignInMethods.Password },
            linked with { Outcome = "pwd" },
            linked with { SessionId = "s" },
            linked with { DeviceLabel = "Firefox on Windowz" },
            linked with { ClientAddress = "203.0.113.7" },
            linked with { CorrelationId = "4bf92f3577b34da6a3ce929d0e0e4736" },
            linked with { PreviousHash = new string('1', 64) },
            linked with { UserId = "u", ActorId = "1" }, // a field boundary moved: length prefixes tell them apart
        ];

        AuditChain.HasValidHash(linked).Should().BeTrue();
        foreach (var variant in variants)
        {
            AuditChain.HasValidHash(variant).Should().BeFalse(variant.ToString());
        }
    }

    [Test]
    public void Describe_InPlainWords()
    {
        AuditActivityText.Describe(Sample).Should().Be("Signed in with password and authenticator app, Firefox on Windows, 10:42");
        AuditActivityText.Describe(Sample with { DeviceLabel = null, SignInMethods = AuditSignInMethods.Passkey }, includeDate: true).Should().Be("Signed in with passkey, 2030-01-01 10:42");
        AuditActivityText.Describe(Sample, TimeZoneInfo.CreateCustomTimeZone("plus2", TimeSpan.FromHours(2), "plus2", "plus2")).Should().EndWith("12:42");
        AuditActivityText.What(Sample with { EventType = SecurityEventType.SessionEnded, Outcome = "ended_by_administrator" }).Should().Be("Signed out by an administrator");
        AuditActivityText.What(Sample with { EventType = SecurityEventType.SignInFailed, Factor = AuthenticationFactor.SecondFactor }).Should().Be("Sign-in failed: wrong authenticator code");
        AuditActivityText.What(Sample with { EventType = (SecurityEventType)999 }).Should().Be("Security event");
    }

    [Test]
    public void Describe_HasWordsForEveryEventType()
    {
        foreach (var type in Enum.GetValues<SecurityEventType>())
        {
            AuditActivityText.What(Sample with { EventType = type }).Should().NotBe("Security event", type.ToString());
        }
    }

    [Test]
    public void ToString_NeverPrintsTheClientAddressAndEscapes()
    {
        var text = (Sample with { ClientAddress = "203.0.113.7", UserId = "evil\r\nINFO forged" }).ToString();
        text.Should().NotContain("203.0.113.7").And.NotContain("\n");
    }

    [Test]
    public async Task Retention_DeletesOnlyWhatIsDue_PerContractPolicy()
    {
        var store = new InMemoryAuditStore();
        await using var host = TestHost.Create(services: s => Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton<IAuditStore>(s, store));
        var now = host.Time.GetUtcNow();
        AuditRecord At(string contract, int daysAgo) => new() { ContractId = contract, OccurredAt = now.AddDays(-daysAgo), EventType = SecurityEventType.SignInFailed };
        await store.AppendAsync("default", [At("default", 401), At("default", 399)], default);
        await store.AppendAsync("short", [At("short", 100), At("short", 91), At("short", 89)], default);
        await store.SetRetentionAsync("short", 90, default);

        var deleted = await host.Get<AuditRetention>().RunOnceAsync();

        deleted.Should().Be(3);
        (await store.ReadChainAsync("default", 0, 10, default)).Select(r => r.Sequence).Should().Equal(2);
        (await store.ReadChainAsync("short", 0, 10, default)).Select(r => r.Sequence).Should().Equal(3);
        (await AuditChain.VerifyAsync(store, "short")).IsIntact.Should().BeTrue();
        (await AuditChain.VerifyAsync(store, "default")).IsIntact.Should().BeTrue();
    }

    // Computed outside .NET from the encoding as AuditChain's documentation states it (a Python script: version byte,
    // big-endian length-prefixed UTF-8 texts with -1 for null, flagged big-endian 64-bit numbers), so the documentation,
    // the code and any verifier written elsewhere agree.
    private const string PinnedHash = "a61f437a0deddebfac5432d21421e733a26d9ad1179469d757b1a91816e2009c";
}
