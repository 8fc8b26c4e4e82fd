using AccountSecurity.Accounts;
using AccountSecurity.Auditing;
using AccountSecurity.Events;
using AccountSecurity.Lockout;
using AccountSecurity.Results;
using AccountSecurity.SignIn;
using AccountSecurity.Stores;
using NUnit.Framework;

namespace AccountSecurity.Testing.Stores;

/// <summary>
/// The contract every <see cref="IAuditStore"/> must honour, with the permission rules of <see cref="IAuditTrailService"/>
/// over it, as NUnit tests. Derive a <c>[TestFixture]</c>, give each test fresh storage in
/// <see cref="StoreConformanceTests{TStore}.InitializeStorageAsync"/>, hand out audit stores over it from
/// <see cref="StoreConformanceTests{TStore}.CreateStore"/> (one per concurrent worker), user stores over the same storage
/// from <see cref="CreateUserStore"/>, the service from <see cref="CreateService"/>, and tamper with stored rows behind
/// the store's back in <see cref="AlterStoredRecordAsync"/>, <see cref="DeleteStoredRecordAsync"/> and
/// <see cref="InsertStoredRecordAsync"/> (what an attacker with database access would do).
/// </summary>
public abstract class AuditStoreConformanceTests : StoreConformanceTests<IAuditStore>
{
    private const string C1 = "c1";
    private const string C2 = "c2";

    /// <summary>A user store over the current test's storage.</summary>
    protected abstract IUserStore CreateUserStore();

    /// <summary>
    /// An <see cref="IAuditTrailService"/> over <paramref name="audit"/> and <paramref name="users"/> (for example from
    /// <c>AddAccountSecurity()</c> with both registered), with the audit trail's own writer off
    /// (<see cref="AuditTrailOptions.Enabled"/> false) so the service's refusals add no records to what the test counts,
    /// and <see cref="AuditTrailOptions.SupportAgentsMayReadUserRecords"/> set to <paramref name="supportAgentsMayRead"/>,
    /// on the system clock (changing the retention is a sensitive operation: the test's owner signs in just before, and
    /// a day before to be refused).
    /// </summary>
    protected abstract IAuditTrailService CreateService(IAuditStore audit, IUserStore users, bool supportAgentsMayRead);

    /// <summary>Changes the outcome of stored record <paramref name="sequence"/> of <paramref name="contractId"/> in place, without touching its hash.</summary>
    protected abstract Task AlterStoredRecordAsync(string contractId, long sequence, string outcome);

    /// <summary>Deletes stored record <paramref name="sequence"/> of <paramref name="contractId"/>, leaving the chain head as it is.</summary>
    protected abstract Task DeleteStoredRecordAsync(string contractId, long sequence);

    /// <summary>Stores <paramref name="record"/> as it is (sequence and hashes included), leaving the chain head as it is.</summary>
    protected abstract Task InsertStoredRecordAsync(AuditRecord record);

    private static DateTimeOffset Now => StoreConformanceData.Instant;

    /// <summary>A record with every field set round-trips every field, and the store linked it.</summary>
    [Test]
    public async Task Append_FullyPopulated_RoundTripsEveryFieldAndLinksIt()
    {
        var record = Full(C1, "u1");

        var linked = await Store().AppendAsync(C1, [record], Timeout);

        Assert.That(linked, Has.Count.EqualTo(1));
        var read = (await Store().ReadChainAsync(C1, 0, 10, Timeout)).Single();
        Assert.That(read, Is.EqualTo(linked[0]));
        Assert.That(read with { Sequence = 0, PreviousHash = "", Hash = "" }, Is.EqualTo(record));
        Assert.That(read.Sequence, Is.EqualTo(1));
        Assert.That(read.PreviousHash, Is.EqualTo(AuditChain.GenesisHash));
        Assert.That(AuditChain.HasValidHash(read), Is.True);
        Assert.That(read.OccurredAt.UtcTicks, Is.EqualTo(record.OccurredAt.UtcTicks), "instants are kept to the tick");
    }

    /// <summary>A record with only its required fields round-trips its nulls as nulls.</summary>
    [Test]
    public async Task Append_Minimal_RoundTripsNulls()
    {
        var record = new AuditRecord { ContractId = AuditRecord.NoContract, OccurredAt = Now, EventType = SecurityEventType.SignInFailed };

        await Store().AppendAsync(AuditRecord.NoContract, [record], Timeout);

        var read = (await Store().ReadChainAsync(AuditRecord.NoContract, 0, 10, Timeout)).Single();
        Assert.That(read with { Sequence = 0, PreviousHash = "", Hash = "" }, Is.EqualTo(record));
        Assert.That(await AuditChain.VerifyAsync(Store(), AuditRecord.NoContract, Timeout), Has.Property(nameof(AuditChainVerification.IsIntact)).True);
    }

    /// <summary>Sequences count per contract from 1 without gaps, and each record links to the one before it.</summary>
    [Test]
    public async Task Append_SequencesPerContract_AndLinksEachToThePrevious()
    {
        await Store().AppendAsync(C1, [Event(C1, "u1", 1), Event(C1, "u1", 2)], Timeout);
        await Store().AppendAsync(C2, [Event(C2, "v1", 3)], Timeout);
        await Store().AppendAsync(C1, [Event(C1, "u2", 4)], Timeout);

        var chain = await Store().ReadChainAsync(C1, 0, 10, Timeout);
        Assert.That(chain.Select(r => r.Sequence), Is.EqualTo(new long[] { 1, 2, 3 }));
        Assert.That(chain[1].PreviousHash, Is.EqualTo(chain[0].Hash));
        Assert.That(chain[2].PreviousHash, Is.EqualTo(chain[1].Hash));
        var head = await Store().FindChainAsync(C1, Timeout);
        Assert.That(head, Is.EqualTo(new AuditChainHead(C1, 3, chain[2].Hash, 0, AuditChain.GenesisHash, null)));
        Assert.That((await Store().ReadChainAsync(C2, 0, 10, Timeout)).Single().Sequence, Is.EqualTo(1));
        Assert.That(await Store().FindChainAsync("c-none", Timeout), Is.Null);
    }

    /// <summary>Writers racing on one contract (each with its own store) never repeat or skip a sequence, and the chain verifies.</summary>
    [Test]
    public async Task Append_Concurrently_KeepsTheChainGaplessAndLinked()
    {
        const int Workers = 16;
        const int PerWorker = 10;
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(w => Task.Run(async () =>
        {
            var store = Store();
            for (var i = 0; i < PerWorker; i++)
            {
                await store.AppendAsync(C1, [Event(C1, "u" + w, i), Event(C1, "u" + w, i)], Timeout);
            }
        })));

        var chain = await Store().ReadChainAsync(C1, 0, 10_000, Timeout);
        Assert.That(chain.Select(r => r.Sequence), Is.EqualTo(Enumerable.Range(1, Workers * PerWorker * 2).Select(i => (long)i)));
        var verification = await AuditChain.VerifyAsync(Store(), C1, Timeout, pageSize: 7);
        Assert.That(verification.IsIntact, Is.True, verification.ToString());
        Assert.That(verification.RecordsChecked, Is.EqualTo(Workers * PerWorker * 2));
    }

    /// <summary>A query reads one contract only, newest first, at most its limit, before its cursor.</summary>
    [Test]
    public async Task Query_OneContract_NewestFirst_LimitAndCursor()
    {
        await Store().AppendAsync(C1, [.. Enumerable.Range(0, 5).Select(i => Event(C1, "u1", i))], Timeout);
        await Store().AppendAsync(C2, [Event(C2, "u1", 9)], Timeout);

        var first = await Store().QueryAsync(new AuditStoreQuery { ContractId = C1, Limit = 2 }, Timeout);
        var next = await Store().QueryAsync(new AuditStoreQuery { ContractId = C1, Limit = 10, BeforeSequence = first[^1].Sequence }, Timeout);

        Assert.That(first.Select(r => r.Sequence), Is.EqualTo(new long[] { 5, 4 }));
        Assert.That(next.Select(r => r.Sequence), Is.EqualTo(new long[] { 3, 2, 1 }));
        Assert.That(next.All(r => r.ContractId == C1), Is.True);
    }

    /// <summary>Each filter (user, event types, from, to) narrows the answer as <see cref="AuditStoreQuery.Matches"/> says, and together they all apply.</summary>
    [Test]
    public async Task Query_Filters_UserTypesAndTimeRange()
    {
        await Store().AppendAsync(
            C1,
            [
                Event(C1, "u1", 0, SecurityEventType.SignInSucceeded),
                Event(C1, "u2", 1, SecurityEventType.SignInFailed),
                Event(C1, "u1", 2, SecurityEventType.SignInFailed),
                Event(C1, "u1", 3, SecurityEventType.TwoFactorForced),
                Event(C1, "u2", 4, SecurityEventType.PasswordChanged),
            ],
            Timeout);

        async Task<long[]> Seqs(AuditStoreQuery q) => [.. (await Store().QueryAsync(q, Timeout)).Select(r => r.Sequence)];
        var all = new AuditStoreQuery { ContractId = C1, Limit = 100 };

        Assert.That(await Seqs(all with { UserId = "u1" }), Is.EqualTo(new long[] { 4, 3, 1 }));
        Assert.That(await Seqs(all with { UserId = "U1" }), Is.Empty, "user ids are compared exactly");
        Assert.That(await Seqs(all with { EventTypes = [SecurityEventType.SignInFailed, SecurityEventType.TwoFactorForced] }), Is.EqualTo(new long[] { 4, 3, 2 }));
        Assert.That(await Seqs(all with { From = Now.AddMinutes(2) }), Is.EqualTo(new long[] { 5, 4, 3 }));
        Assert.That(await Seqs(all with { To = Now.AddMinutes(2) }), Is.EqualTo(new long[] { 2, 1 }), "the end is exclusive");
        Assert.That(await Seqs(all with { UserId = "u1", EventTypes = [SecurityEventType.SignInFailed], From = Now.AddMinutes(1), To = Now.AddMinutes(3) }), Is.EqualTo(new long[] { 3 }));
        Assert.That(await Seqs(all with { ContractId = "c-none" }), Is.Empty);
    }

    /// <summary>Chains are listed in ordinal contract order, a page after a contract id at a time.</summary>
    [Test]
    public async Task ListChains_PagesInOrdinalOrder()
    {
        foreach (var contract in new[] { "b", "a", "c" })
        {
            await Store().AppendAsync(contract, [Event(contract, "u", 0)], Timeout);
        }

        var first = await Store().ListChainsAsync(null, 2, Timeout);
        var rest = await Store().ListChainsAsync(first[^1].ContractId, 2, Timeout);

        Assert.That(first.Select(h => h.ContractId), Is.EqualTo(new[] { "a", "b" }));
        Assert.That(rest.Select(h => h.ContractId), Is.EqualTo(new[] { "c" }));
    }

    /// <summary>A retention is kept per contract, on a contract with no records yet too, and cleared back to the default.</summary>
    [Test]
    public async Task SetRetention_KeepsItPerContract()
    {
        await Store().AppendAsync(C1, [Event(C1, "u1", 0)], Timeout);

        Assert.That(await Store().SetRetentionAsync(C1, 500, Timeout), Is.EqualTo(StoreWriteResult.Success));
        Assert.That(await Store().SetRetentionAsync(C2, 120, Timeout), Is.EqualTo(StoreWriteResult.Success));

        Assert.That((await Store().FindChainAsync(C1, Timeout))!.RetentionDays, Is.EqualTo(500));
        Assert.That((await Store().FindChainAsync(C1, Timeout))!.LastSequence, Is.EqualTo(1), "setting retention leaves the chain alone");
        Assert.That((await Store().FindChainAsync(C2, Timeout))!.RetentionDays, Is.EqualTo(120));
        await Store().SetRetentionAsync(C1, null, Timeout);
        Assert.That((await Store().FindChainAsync(C1, Timeout))!.RetentionDays, Is.Null);

        await Store().AppendAsync(C2, [Event(C2, "u1", 0)], Timeout);
        Assert.That((await Store().ReadChainAsync(C2, 0, 10, Timeout)).Single().PreviousHash, Is.EqualTo(AuditChain.GenesisHash));
    }

    /// <summary>Retention deletes the oldest records in batches, stops at the first young one, moves the anchor, and what is kept still verifies.</summary>
    [Test]
    public async Task DeleteExpired_DeletesOldestInBatches_AndTheRestStillVerifies()
    {
        await Store().AppendAsync(C1, [.. Enumerable.Range(0, 6).Select(i => Event(C1, "u1", i))], Timeout);
        await Store().AppendAsync(C2, [Event(C2, "u1", 0)], Timeout);

        Assert.That(await Store().DeleteExpiredAsync(C1, Now.AddMinutes(4), 3, Timeout), Is.EqualTo(3));
        Assert.That(await Store().DeleteExpiredAsync(C1, Now.AddMinutes(4), 3, Timeout), Is.EqualTo(1));
        Assert.That(await Store().DeleteExpiredAsync(C1, Now.AddMinutes(4), 3, Timeout), Is.EqualTo(0));

        var kept = await Store().ReadChainAsync(C1, 0, 10, Timeout);
        Assert.That(kept.Select(r => r.Sequence), Is.EqualTo(new long[] { 5, 6 }));
        var head = (await Store().FindChainAsync(C1, Timeout))!;
        Assert.That(head.AnchorSequence, Is.EqualTo(4));
        Assert.That(head.AnchorHash, Is.EqualTo(kept[0].PreviousHash));
        Assert.That((await AuditChain.VerifyAsync(Store(), C1, Timeout)).IsIntact, Is.True);
        Assert.That(await Store().ReadChainAsync(C2, 0, 10, Timeout), Has.Count.EqualTo(1), "other contracts are untouched");

        await Store().AppendAsync(C1, [Event(C1, "u1", 9)], Timeout);
        Assert.That((await Store().FindChainAsync(C1, Timeout))!.LastSequence, Is.EqualTo(7));
        Assert.That((await AuditChain.VerifyAsync(Store(), C1, Timeout)).IsIntact, Is.True);
    }

    /// <summary>A stored record altered behind the store's back breaks the chain at that record.</summary>
    [Test]
    public async Task Verify_AlteredRow_IsFoundAtItsSequence()
    {
        await Store().AppendAsync(C1, [.. Enumerable.Range(0, 5).Select(i => Event(C1, "u1", i))], Timeout);

        await AlterStoredRecordAsync(C1, 3, "tampered");

        var verification = await AuditChain.VerifyAsync(Store(), C1, Timeout);
        Assert.That(verification.Break, Is.EqualTo(AuditChainBreak.Altered));
        Assert.That(verification.BrokenAtSequence, Is.EqualTo(3));
        Assert.That(verification.RecordsChecked, Is.EqualTo(2));
    }

    /// <summary>A stored record deleted behind the store's back (in the middle or the last) is found missing.</summary>
    [TestCase(2)]
    [TestCase(5)]
    public async Task Verify_DeletedRow_IsFoundMissing(long sequence)
    {
        await Store().AppendAsync(C1, [.. Enumerable.Range(0, 5).Select(i => Event(C1, "u1", i))], Timeout);

        await DeleteStoredRecordAsync(C1, sequence);

        var verification = await AuditChain.VerifyAsync(Store(), C1, Timeout);
        Assert.That(verification.Break, Is.EqualTo(AuditChainBreak.Missing));
        Assert.That(verification.BrokenAtSequence, Is.EqualTo(sequence));
    }

    /// <summary>A row slipped in after the last one, even correctly linked by someone who knows the encoding, is found: the head does not know it.</summary>
    [Test]
    public async Task Verify_InsertedRow_IsFoundUnexpected()
    {
        var linked = await Store().AppendAsync(C1, [.. Enumerable.Range(0, 3).Select(i => Event(C1, "u1", i))], Timeout);

        await InsertStoredRecordAsync(AuditChain.Link(Event(C1, "u1", 7, SecurityEventType.TwoFactorDisabled), 4, linked[^1].Hash));

        var verification = await AuditChain.VerifyAsync(Store(), C1, Timeout);
        Assert.That(verification.Break, Is.EqualTo(AuditChainBreak.Unexpected));
        Assert.That(verification.BrokenAtSequence, Is.EqualTo(4));
    }

    /// <summary>The owner and an administrator page through their own contract, filtered, and never see another contract's records.</summary>
    [TestCase("owner")]
    [TestCase("admin")]
    public async Task Service_OwnerAndAdministrator_PageThroughTheirContract(string actor)
    {
        var (service, sessions) = await SeedAsync(supportAgentsMayRead: false);

        var first = await service.QueryContractAsync(sessions[actor], new AuditQuery { PageSize = 3 }, Timeout);
        Assert.That(first.Succeeded, Is.True, first.ToString());
        Assert.That(first.Value.Records.Select(r => r.Sequence), Is.EqualTo(new long[] { 6, 5, 4 }));
        Assert.That(first.Value.NextCursor, Is.Not.Null);
        var second = await service.QueryContractAsync(sessions[actor], new AuditQuery { PageSize = 3, Cursor = first.Value.NextCursor }, Timeout);
        Assert.That(second.Value.Records.Select(r => r.Sequence), Is.EqualTo(new long[] { 3, 2, 1 }));
        Assert.That(second.Value.NextCursor, Is.Null, "the last page has no cursor");
        Assert.That(second.Value.Records.Concat(first.Value.Records).All(r => r.ContractId == C1), Is.True);

        var filtered = await service.QueryContractAsync(
            sessions[actor],
            new AuditQuery { UserId = "user", EventTypes = [SecurityEventType.SignInFailed, SecurityEventType.TwoFactorForced], From = Now.AddMinutes(1), To = Now.AddMinutes(10) },
            Timeout);
        Assert.That(filtered.Value.Records.Select(r => r.EventType), Is.EqualTo(new[] { SecurityEventType.TwoFactorForced, SecurityEventType.SignInFailed }));
    }

    /// <summary>A plain user may not read the contract, with or without a user filter; a session of a deactivated or re-stamped user is refused.</summary>
    [Test]
    public async Task Service_PlainUserAndStaleSessions_AreRefusedTheContract()
    {
        var (service, sessions) = await SeedAsync(supportAgentsMayRead: false);

        foreach (var session in new[] { sessions["user"], sessions["stale-admin"], sessions["inactive-admin"] })
        {
            var result = await service.QueryContractAsync(session, new AuditQuery(), Timeout);
            Assert.That(result.ErrorCode, Is.EqualTo(SecurityErrorCodes.NotAuthorized), session.UserId);
        }

        Assert.That((await service.QueryContractAsync(sessions["user"], new AuditQuery { UserId = "user" }, Timeout)).ErrorCode, Is.EqualTo(SecurityErrorCodes.NotAuthorized));
        Assert.That((await service.VerifyChainAsync(sessions["user"], Timeout)).ErrorCode, Is.EqualTo(SecurityErrorCodes.NotAuthorized));
        using var sink = new MemoryStream();
        Assert.That((await service.ExportAsync(sessions["user"], new AuditQuery(), AuditExportFormat.Csv, sink, Timeout)).ErrorCode, Is.EqualTo(SecurityErrorCodes.NotAuthorized));
        Assert.That(sink.Length, Is.Zero, "a refused export writes nothing");
    }

    /// <summary>Every user sees the records about their own account only, and may not ask for someone else's.</summary>
    [Test]
    public async Task Service_OwnRecords_AreTheUsersOnly()
    {
        var (service, sessions) = await SeedAsync(supportAgentsMayRead: false);

        var own = await service.QueryOwnAsync(sessions["user"], new AuditQuery(), Timeout);
        Assert.That(own.Succeeded, Is.True);
        Assert.That(own.Value.Records.Select(r => r.Sequence), Is.EqualTo(new long[] { 5, 4, 2 }));
        Assert.That(own.Value.Records.All(r => r.UserId == "user"), Is.True);
        var filtered = await service.QueryOwnAsync(sessions["user"], new AuditQuery { EventTypes = [SecurityEventType.TwoFactorForced] }, Timeout);
        Assert.That(filtered.Value.Records.Select(r => r.Sequence), Is.EqualTo(new long[] { 4 }));
        Assert.That((await service.QueryOwnAsync(sessions["user"], new AuditQuery { UserId = "admin" }, Timeout)).ErrorCode, Is.EqualTo(SecurityErrorCodes.NotAuthorized));
        Assert.That((await service.QueryOwnAsync(sessions["stale-admin"], new AuditQuery(), Timeout)).ErrorCode, Is.EqualTo(SecurityErrorCodes.NotAuthorized));
        Assert.That((await service.QueryOwnAsync(sessions["other"], new AuditQuery(), Timeout)).Value.Records.Select(r => r.ContractId), Is.All.EqualTo(C2));
    }

    /// <summary>
    /// A support agent (an administrator of another contract, or staff of the host through the authorizer) sees nothing by
    /// default; when the policy allows, an agent who may verify a user sees that user's records only.
    /// </summary>
    [Test]
    public async Task Service_SupportAgent_SeesOnlyWhatThePolicyAllows()
    {
        var (closed, sessions) = await SeedAsync(supportAgentsMayRead: false);
        var foreign = await closed.QueryContractAsync(sessions["other"], new AuditQuery { UserId = "user" }, Timeout);
        Assert.That(foreign.Value.Records, Is.Empty, "another contract's administrator reads their own contract, where the user is not");
        Assert.That((await closed.QueryContractAsync(sessions["user"], new AuditQuery { UserId = "user" }, Timeout)).ErrorCode, Is.EqualTo(SecurityErrorCodes.NotAuthorized));

        var open = CreateService(Store(), CreateUserStore(), supportAgentsMayRead: true);
        Assert.That((await open.QueryContractAsync(sessions["other"], new AuditQuery { UserId = "user" }, Timeout)).Value.Records, Is.Empty, "never across contracts");
        Assert.That((await open.QueryContractAsync(sessions["user"], new AuditQuery(), Timeout)).ErrorCode, Is.EqualTo(SecurityErrorCodes.NotAuthorized), "no agent reads a whole contract");
        Assert.That((await open.QueryContractAsync(sessions["user"], new AuditQuery { UserId = "admin" }, Timeout)).ErrorCode, Is.EqualTo(SecurityErrorCodes.NotAuthorized), "a plain user is no agent");
        var admin = await open.QueryContractAsync(sessions["admin"], new AuditQuery { UserId = "user" }, Timeout);
        Assert.That(admin.Value.Records.Select(r => r.UserId), Is.All.EqualTo("user"));
    }

    /// <summary>Malformed queries are refused with <c>audit_query_invalid</c> and the field, never an exception.</summary>
    [Test]
    public async Task Service_MalformedQueries_AreRefused()
    {
        var (service, sessions) = await SeedAsync(supportAgentsMayRead: false);
        AuditQuery[] bad =
        [
            new() { PageSize = 0 },
            new() { PageSize = AuditQuery.MaxPageSize + 1 },
            new() { Cursor = "abc" },
            new() { Cursor = "-1" },
            new() { Cursor = "99999999999999999999999" },
            new() { UserId = "bad\nid" },
            new() { UserId = new string('x', 10_000) },
            new() { EventTypes = [(SecurityEventType)9999] },
            new() { From = Now, To = Now.AddDays(-1) },
        ];

        foreach (var query in bad)
        {
            var result = await service.QueryContractAsync(sessions["owner"], query, Timeout);
            Assert.That(result.ErrorCode, Is.EqualTo(SecurityErrorCodes.AuditQueryInvalid), query.ToString());
            Assert.That(result.Errors[0].Field, Is.Not.Null);
        }
    }

    /// <summary>An export writes every matching record, newest first, as JSON lines or CSV, and only for administrators.</summary>
    [Test]
    public async Task Service_Export_WritesEveryMatchingRecord()
    {
        var (service, sessions) = await SeedAsync(supportAgentsMayRead: false);

        using var jsonl = new MemoryStream();
        var json = await service.ExportAsync(sessions["admin"], new AuditQuery { UserId = "user", PageSize = 1 }, AuditExportFormat.JsonLines, jsonl, Timeout);
        var lines = System.Text.Encoding.UTF8.GetString(jsonl.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(json.Value, Is.EqualTo(3));
        Assert.That(lines, Has.Length.EqualTo(3));
        Assert.That(lines[0], Does.Contain("\"sequence\":5").And.Contain("\"userId\":\"user\""));

        using var csv = new MemoryStream();
        var table = await service.ExportAsync(sessions["owner"], new AuditQuery(), AuditExportFormat.Csv, csv, Timeout);
        var rows = System.Text.Encoding.UTF8.GetString(csv.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.That(table.Value, Is.EqualTo(6));
        Assert.That(rows, Has.Length.EqualTo(7));
        Assert.That(rows[0], Does.StartWith("contractId,sequence,occurredAt,eventType"));
    }

    /// <summary>Only the owner sets the retention, within the bounds; administrators read it; the chain verifies for administrators.</summary>
    [Test]
    public async Task Service_Retention_OwnerSetsAdministratorsRead()
    {
        var (service, sessions) = await SeedAsync(supportAgentsMayRead: false);

        Assert.That((await service.GetRetentionAsync(sessions["admin"], Timeout)).Value, Is.EqualTo(new AuditRetentionPolicy(400, true, 90, 3650)));
        Assert.That((await service.SetRetentionAsync(sessions["admin"], 500, Timeout)).ErrorCode, Is.EqualTo(SecurityErrorCodes.NotAuthorized));
        Assert.That((await service.SetRetentionAsync(sessions["owner"], 30, Timeout)).ErrorCode, Is.EqualTo(SecurityErrorCodes.AuditRetentionInvalid));
        Assert.That((await service.SetRetentionAsync(sessions["owner"], 4000, Timeout)).ErrorCode, Is.EqualTo(SecurityErrorCodes.AuditRetentionInvalid));
        var signedInLongAgo = sessions["owner"] with { AuthenticatedAt = TimeProvider.System.GetUtcNow().AddDays(-1) };
        Assert.That((await service.SetRetentionAsync(signedInLongAgo, 500, Timeout)).ErrorCode, Is.EqualTo(SecurityErrorCodes.ReauthenticationRequired), "a shorter retention deletes records: the owner proves themself first");
        Assert.That((await service.GetRetentionAsync(sessions["owner"], Timeout)).Value?.RetentionDays, Is.EqualTo(400), "the refused change changed nothing");
        var signedInJustNow = sessions["owner"] with { AuthenticatedAt = TimeProvider.System.GetUtcNow() };
        Assert.That((await service.SetRetentionAsync(signedInJustNow, 500, Timeout)).Succeeded, Is.True);
        Assert.That((await service.GetRetentionAsync(sessions["owner"], Timeout)).Value, Is.EqualTo(new AuditRetentionPolicy(500, false, 90, 3650)));
        Assert.That((await service.GetRetentionAsync(sessions["user"], Timeout)).ErrorCode, Is.EqualTo(SecurityErrorCodes.NotAuthorized));

        var verified = await service.VerifyChainAsync(sessions["admin"], Timeout);
        Assert.That(verified.Value, Is.EqualTo(new AuditChainVerification(C1, 6, null, AuditChainBreak.None)));
    }

    private static AuditRecord Event(string contractId, string userId, int minute, SecurityEventType type = SecurityEventType.SignInSucceeded) => new()
    {
        ContractId = contractId,
        OccurredAt = Now.AddMinutes(minute),
        EventType = type,
        UserId = userId,
        Outcome = "pwd",
    };

    private static AuditRecord Full(string contractId, string userId) => new()
    {
        ContractId = contractId,
        OccurredAt = Now,
        EventType = SecurityEventType.TwoFactorForced,
        UserId = userId,
        ActorId = "admin-" + new string('a', 120),
        Factor = AuthenticationFactor.SecondFactor,
        SignInMethods = AuditSignInMethods.Password | AuditSignInMethods.AuthenticatorApp | AuditSignInMethods.MultiFactor,
        Outcome = "pwd+otp+mfa",
        SessionId = "Zm9vYmFyYmF6cXV4cXV1eA",
        DeviceLabel = "Firefox on Windows – ünïcödé 🔐",
        ClientAddress = "2001:db8:85a3::8a2e:370:7334",
        CorrelationId = "4bf92f3577b34da6a3ce929d0e0e4736",
    };

    /// <summary>
    /// Contract c1 with an owner, an administrator, a plain user, a deactivated administrator and a session whose stamp is
    /// stale; contract c2 with an administrator. Six records in c1 (three about the user), two in c2.
    /// </summary>
    private async Task<(IAuditTrailService Service, Dictionary<string, AuthenticatedSession> Sessions)> SeedAsync(bool supportAgentsMayRead)
    {
        var users = CreateUserStore();
        var sessions = new Dictionary<string, AuthenticatedSession>();
        async Task User(string id, string contractId, UserRole role, bool active = true, string key = "")
        {
            var user = StoreConformanceData.MinimalUser(id, contractId, id + "@example.test") with { Role = role, IsActive = active };
            Assert.That(await users.CreateAsync(user, Timeout), Is.EqualTo(StoreWriteResult.Success));
            sessions[key.Length > 0 ? key : id] = new AuthenticatedSession(id, contractId, user.SecurityStamp, [AuthenticationMethods.Password], Now);
        }

        await User("owner", C1, UserRole.ContractOwner);
        await User("admin", C1, UserRole.Administrator);
        await User("user", C1, UserRole.User);
        await User("inactive-admin", C1, UserRole.Administrator, active: false);
        await User("other", C2, UserRole.Administrator);
        sessions["stale-admin"] = sessions["admin"] with { SecurityStamp = "stale" };

        await Store().AppendAsync(
            C1,
            [
                Event(C1, "admin", 0),
                Event(C1, "user", 1, SecurityEventType.SignInFailed),
                Event(C1, "owner", 2, SecurityEventType.SignInSucceeded),
                Event(C1, "user", 3, SecurityEventType.TwoFactorForced) with { ActorId = "admin" },
                Event(C1, "user", 20, SecurityEventType.SignInSucceeded),
                Event(C1, "admin", 21, SecurityEventType.PasswordChanged),
            ],
            Timeout);
        await Store().AppendAsync(C2, [Event(C2, "other", 0), Event(C2, "other", 1)], Timeout);
        return (CreateService(Store(), users, supportAgentsMayRead), sessions);
    }
}
