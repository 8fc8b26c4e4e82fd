using AccountSecurity.Accounts;
using AccountSecurity.Lockout;
using AccountSecurity.Stores;
using NUnit.Framework;

namespace AccountSecurity.Testing.Stores;

/// <summary>
/// The contract every <see cref="IUserStore"/> must honour, as NUnit tests. Derive a <c>[TestFixture]</c> from it,
/// give each test fresh, empty storage in <see cref="StoreConformanceTests{TStore}.InitializeStorageAsync"/>, and hand out stores over that storage
/// from <see cref="StoreConformanceTests{TStore}.CreateStore"/>. The in-memory store and the EF Core stores run this same suite.
/// </summary>
/// <remarks>
/// Stores are used the way the library uses them: each concurrent worker gets its own instance from
/// <see cref="StoreConformanceTests{TStore}.CreateStore"/>, so a store that is not thread-safe on its own (one EF Core <c>DbContext</c>) may be
/// tested; a thread-safe store may return one shared instance. Stored instants must keep at least microsecond
/// precision.
/// </remarks>
public abstract class UserStoreConformanceTests : StoreConformanceTests<IUserStore>
{
    private const int ConcurrentWorkers = 8;
    private const int IncrementsPerWorker = 25;

    /// <summary>Creating a user stores it with version 1, whatever version the caller passed.</summary>
    [Test]
    public async Task Create_NewUser_StoresItWithVersionOne()
    {
        var store = Store();
        var user = StoreConformanceData.MinimalUser("u1", "c1", "alice@example.com") with { Version = 42 };

        Assert.That(await store.CreateAsync(user, Timeout), Is.EqualTo(StoreWriteResult.Success));

        var found = await store.FindByIdAsync("u1", Timeout);
        Assert.That(found, Is.Not.Null);
        Assert.That(found!.Version, Is.EqualTo(1));
        SuiteAssert.Equivalent(found, user with { Version = 1 });
    }

    /// <summary>A second user with a taken id is refused and the first one stays as it was.</summary>
    [Test]
    public async Task Create_WithTakenId_ReturnsDuplicateAndKeepsTheFirst()
    {
        var store = Store();
        var first = StoreConformanceData.MinimalUser("u1", "c1", "alice@example.com");
        await CreateAsync(store, first);

        Assert.That(await store.CreateAsync(StoreConformanceData.MinimalUser("u1", "c2", "bob@example.com"), Timeout),
            Is.EqualTo(StoreWriteResult.Duplicate));

        SuiteAssert.Equivalent(await store.FindByIdAsync("u1", Timeout), first with { Version = 1 });
        Assert.That(await store.FindByEmailAsync("bob@example.com", Timeout), Is.Null);
    }

    /// <summary>A second user whose e-mail differs from a stored one only in case and surrounding spaces is refused.</summary>
    [TestCase("alice@example.com")]
    [TestCase("ALICE@EXAMPLE.COM")]
    [TestCase("  Alice@Example.Com ")]
    public async Task Create_WithTakenEmailInAnyCase_ReturnsDuplicate(string email)
    {
        var store = Store();
        await CreateAsync(store, StoreConformanceData.MinimalUser("u1", "c1", "alice@example.com"));

        Assert.That(await store.CreateAsync(StoreConformanceData.MinimalUser("u2", "c1", email), Timeout),
            Is.EqualTo(StoreWriteResult.Duplicate));

        Assert.That(await store.FindByIdAsync("u2", Timeout), Is.Null);
    }

    /// <summary>Finding an unknown id answers null.</summary>
    [Test]
    public async Task FindById_Unknown_ReturnsNull()
    {
        var store = Store();
        await CreateAsync(store, StoreConformanceData.MinimalUser("u1", "c1", "alice@example.com"));

        Assert.That(await store.FindByIdAsync("u2", Timeout), Is.Null);
        Assert.That(await store.FindByIdAsync("U1", Timeout), Is.Null, "ids are compared exactly");
    }

    /// <summary>Finding by e-mail ignores case and surrounding spaces, and keeps the address as entered.</summary>
    [TestCase("alice@example.com")]
    [TestCase("ALICE@EXAMPLE.COM")]
    [TestCase("aLiCe@eXaMpLe.CoM")]
    [TestCase("  alice@example.com\t")]
    public async Task FindByEmail_InAnyCase_FindsTheUser(string email)
    {
        var store = Store();
        await CreateAsync(store, StoreConformanceData.MinimalUser("u1", "c1", "Alice@Example.com"));

        var found = await store.FindByEmailAsync(email, Timeout);

        Assert.That(found, Is.Not.Null);
        Assert.That(found!.Id, Is.EqualTo("u1"));
        Assert.That(found.Email, Is.EqualTo("Alice@Example.com"));
    }

    /// <summary>Finding an unknown e-mail answers null.</summary>
    [Test]
    public async Task FindByEmail_Unknown_ReturnsNull()
    {
        var store = Store();
        await CreateAsync(store, StoreConformanceData.MinimalUser("u1", "c1", "alice@example.com"));

        Assert.That(await store.FindByEmailAsync("alice@example.org", Timeout), Is.Null);
        Assert.That(await store.FindByEmailAsync("", Timeout), Is.Null);
    }

    /// <summary>Listing a contract's users returns exactly that contract's users.</summary>
    [Test]
    public async Task ListByContract_ReturnsOnlyThatContractsUsers()
    {
        var store = Store();
        await CreateAsync(store, StoreConformanceData.MinimalUser("u1", "c1", "a@example.com"));
        await CreateAsync(store, StoreConformanceData.FullyPopulatedUser("u2", "c1", "b@example.com"));
        await CreateAsync(store, StoreConformanceData.MinimalUser("u3", "c2", "c@example.com"));

        var users = await store.ListByContractAsync("c1", Timeout);

        Assert.That(users.Select(u => u.Id), Is.EquivalentTo(new[] { "u1", "u2" }));
        SuiteAssert.Equivalent(
            users.Single(u => u.Id == "u2"),
            StoreConformanceData.FullyPopulatedUser("u2", "c1", "b@example.com") with { Version = 1 },
            excluding: nameof(UserAccount.SecurityStamp));
        Assert.That(await store.ListByContractAsync("c3", Timeout), Is.Empty);
    }

    /// <summary>An update stating the stored version is written and increments the version.</summary>
    [Test]
    public async Task Update_WithCurrentVersion_WritesAndIncrementsVersion()
    {
        var store = Store();
        await CreateAsync(store, StoreConformanceData.MinimalUser("u1", "c1", "alice@example.com"));
        var read = (await store.FindByIdAsync("u1", Timeout))!;

        Assert.That(await store.UpdateAsync(read with { IsActive = false, Role = UserRole.Administrator }, Timeout),
            Is.EqualTo(StoreWriteResult.Success));
        var second = (await store.FindByIdAsync("u1", Timeout))!;
        Assert.That(await store.UpdateAsync(second with { Lockouts = second.Lockouts.With(AuthenticationFactor.Password, new FactorLockoutState(1, null, 0)) }, Timeout),
            Is.EqualTo(StoreWriteResult.Success));

        var stored = (await store.FindByIdAsync("u1", Timeout))!;
        Assert.That(stored.Version, Is.EqualTo(3));
        Assert.That(stored.IsActive, Is.False);
        Assert.That(stored.Role, Is.EqualTo(UserRole.Administrator));
        Assert.That(stored.Lockouts[AuthenticationFactor.Password], Is.EqualTo(new FactorLockoutState(1, null, 0)));
    }

    /// <summary>An update stating an old version is refused as a conflict and writes nothing.</summary>
    [Test]
    public async Task Update_WithStaleVersion_ReturnsConflictAndWritesNothing()
    {
        var store = Store();
        await CreateAsync(store, StoreConformanceData.MinimalUser("u1", "c1", "alice@example.com"));
        var stale = (await store.FindByIdAsync("u1", Timeout))!;
        Assert.That(await store.UpdateAsync(stale with { Role = UserRole.Administrator }, Timeout), Is.EqualTo(StoreWriteResult.Success));
        var current = (await store.FindByIdAsync("u1", Timeout))!;

        Assert.That(await store.UpdateAsync(stale with { IsActive = false, Email = "mallory@example.com" }, Timeout),
            Is.EqualTo(StoreWriteResult.Conflict));
        Assert.That(await store.UpdateAsync(current with { Version = current.Version + 1, IsActive = false }, Timeout),
            Is.EqualTo(StoreWriteResult.Conflict), "a version from the future is as wrong as one from the past");

        var stored = (await store.FindByIdAsync("u1", Timeout))!;
        SuiteAssert.Equivalent(stored, current);
        Assert.That(await store.FindByEmailAsync("mallory@example.com", Timeout), Is.Null);
    }

    /// <summary>Updating a user that does not exist answers NotFound and creates nothing.</summary>
    [Test]
    public async Task Update_MissingUser_ReturnsNotFound()
    {
        var store = Store();

        Assert.That(await store.UpdateAsync(StoreConformanceData.MinimalUser("ghost", "c1", "ghost@example.com") with { Version = 1 }, Timeout),
            Is.EqualTo(StoreWriteResult.NotFound));

        Assert.That(await store.FindByIdAsync("ghost", Timeout), Is.Null);
        Assert.That(await store.FindByEmailAsync("ghost@example.com", Timeout), Is.Null);
    }

    /// <summary>Changing the e-mail to another user's address (in any case) is refused and writes nothing.</summary>
    [TestCase("bob@example.com")]
    [TestCase(" BOB@example.COM ")]
    public async Task Update_EmailToTakenAddress_ReturnsDuplicateAndWritesNothing(string email)
    {
        var store = Store();
        await CreateAsync(store, StoreConformanceData.MinimalUser("u1", "c1", "alice@example.com"));
        await CreateAsync(store, StoreConformanceData.MinimalUser("u2", "c1", "bob@example.com"));
        var alice = (await store.FindByIdAsync("u1", Timeout))!;

        Assert.That(await store.UpdateAsync(alice with { Email = email, IsActive = false }, Timeout), Is.EqualTo(StoreWriteResult.Duplicate));

        SuiteAssert.Equivalent(await store.FindByIdAsync("u1", Timeout), alice);
        Assert.That((await store.FindByEmailAsync("bob@example.com", Timeout))!.Id, Is.EqualTo("u2"));
    }

    /// <summary>A passkey user handle names one account: a second user taking it, by create or by update, is refused and nothing is written.</summary>
    [Test]
    public async Task PasskeyUserHandle_TakenByAnotherUser_ReturnsDuplicateAndWritesNothing()
    {
        var store = Store();
        await CreateAsync(store, StoreConformanceData.MinimalUser("u1", "c1", "alice@example.com") with { PasskeyUserHandle = "handle-1" });
        await CreateAsync(store, StoreConformanceData.MinimalUser("u2", "c1", "bob@example.com"));
        var bob = (await store.FindByIdAsync("u2", Timeout))!;

        Assert.That(await store.CreateAsync(StoreConformanceData.MinimalUser("u3", "c1", "carol@example.com") with { PasskeyUserHandle = "handle-1" }, Timeout),
            Is.EqualTo(StoreWriteResult.Duplicate));
        Assert.That(await store.UpdateAsync(bob with { PasskeyUserHandle = "handle-1" }, Timeout), Is.EqualTo(StoreWriteResult.Duplicate));

        Assert.That(await store.FindByIdAsync("u3", Timeout), Is.Null);
        SuiteAssert.Equivalent(await store.FindByIdAsync("u2", Timeout), bob);
        Assert.That((await store.FindByPasskeyUserHandleAsync("handle-1", Timeout))!.Id, Is.EqualTo("u1"));
        Assert.That(await store.UpdateAsync(bob with { PasskeyUserHandle = "handle-2" }, Timeout), Is.EqualTo(StoreWriteResult.Success), "a free handle can be taken");
    }

    /// <summary>
    /// A passkey credential id names one account (WebAuthn §7.1 step 22): a second user taking one another user holds, by
    /// create or by update, is refused and nothing of the write is kept.
    /// </summary>
    [Test]
    public async Task PasskeyCredentialId_HeldByAnotherUser_ReturnsDuplicateAndWritesNothing()
    {
        var store = Store();
        var held = StoreConformanceData.FullyPopulatedUser("u1", "c1", "alice@example.com").Passkeys[0];
        await CreateAsync(store, StoreConformanceData.MinimalUser("u1", "c1", "alice@example.com") with { Passkeys = [held] });
        await CreateAsync(store, StoreConformanceData.MinimalUser("u2", "c1", "bob@example.com"));
        var bob = (await store.FindByIdAsync("u2", Timeout))!;

        Assert.That(await store.UpdateAsync(bob with { Passkeys = [held with { Name = "Bob's copy" }], IsActive = false }, Timeout), Is.EqualTo(StoreWriteResult.Duplicate));
        Assert.That(await store.CreateAsync(StoreConformanceData.MinimalUser("u3", "c1", "carol@example.com") with { Passkeys = [held] }, Timeout),
            Is.EqualTo(StoreWriteResult.Duplicate));

        SuiteAssert.Equivalent(await store.FindByIdAsync("u2", Timeout), bob);
        Assert.That(await store.FindByIdAsync("u3", Timeout), Is.Null);
        Assert.That((await store.FindByIdAsync("u1", Timeout))!.Passkeys.Single().CredentialId, Is.EqualTo(held.CredentialId));
        var other = StoreConformanceData.FullyPopulatedUser("u2", "c1", "bob@example.com").Passkeys[0];
        Assert.That(await store.UpdateAsync(bob with { Passkeys = [other] }, Timeout), Is.EqualTo(StoreWriteResult.Success), "a credential nobody holds can be taken");
    }

    /// <summary>
    /// A user keeps their own credential ids through every later write, and a credential id their update removes is free
    /// for another user at once (and then no longer theirs to add back).
    /// </summary>
    [Test]
    public async Task PasskeyCredentialId_KeptByItsUser_IsNotADuplicate_AndOnceRemovedIsFree()
    {
        var store = Store();
        var passkeys = StoreConformanceData.FullyPopulatedUser("u1", "c1", "alice@example.com").Passkeys;
        await CreateAsync(store, StoreConformanceData.MinimalUser("u1", "c1", "alice@example.com") with { Passkeys = passkeys });
        await CreateAsync(store, StoreConformanceData.MinimalUser("u2", "c1", "bob@example.com"));
        var alice = (await store.FindByIdAsync("u1", Timeout))!;

        Assert.That(await store.UpdateAsync(alice with { IsActive = false }, Timeout), Is.EqualTo(StoreWriteResult.Success), "keeping one's own credentials");
        alice = (await store.FindByIdAsync("u1", Timeout))!;
        Assert.That(await store.UpdateAsync(alice with { Passkeys = [passkeys[1]] }, Timeout), Is.EqualTo(StoreWriteResult.Success));
        alice = (await store.FindByIdAsync("u1", Timeout))!;

        var bob = (await store.FindByIdAsync("u2", Timeout))!;
        Assert.That(await store.UpdateAsync(bob with { Passkeys = [passkeys[0]] }, Timeout), Is.EqualTo(StoreWriteResult.Success), "the removed credential is free");
        Assert.That(await store.UpdateAsync(alice with { Passkeys = passkeys }, Timeout), Is.EqualTo(StoreWriteResult.Duplicate), "and now bob's");
        Assert.That((await store.FindByIdAsync("u1", Timeout))!.Passkeys.Single().CredentialId, Is.EqualTo(passkeys[1].CredentialId));
    }

    /// <summary>
    /// Of several users registering one credential id at the same moment, exactly one succeeds: the check is atomic with
    /// the write (in a database, the database decides), and every loser answers Duplicate, never an exception.
    /// </summary>
    [Test]
    public async Task PasskeyCredentialId_ConcurrentRegistrationsByDifferentUsers_ExactlyOneSucceeds()
    {
        var shared = StoreConformanceData.FullyPopulatedUser("shared", "c1", "shared@example.com").Passkeys[0];
        for (var i = 0; i < ConcurrentWorkers; i++)
        {
            await CreateAsync(Store(), StoreConformanceData.MinimalUser("u" + i, "c1", $"user{i}@example.com"));
        }

        var users = await Task.WhenAll(Enumerable.Range(0, ConcurrentWorkers).Select(async i => (await Store().FindByIdAsync("u" + i, Timeout).ConfigureAwait(false))!));
        var results = await Task.WhenAll(users.Select(u => Task.Run(async () =>
            await Store().UpdateAsync(u with { Passkeys = [shared] }, Timeout).ConfigureAwait(false))));

        Assert.That(results.Count(r => r == StoreWriteResult.Success), Is.EqualTo(1));
        Assert.That(results.Count(r => r == StoreWriteResult.Duplicate), Is.EqualTo(ConcurrentWorkers - 1));
        var holders = (await Store().ListByContractAsync("c1", Timeout)).Where(u => u.Passkeys.Any(p => p.CredentialId == shared.CredentialId)).ToList();
        Assert.That(holders, Has.Count.EqualTo(1));
        Assert.That(holders[0].Id, Is.EqualTo("u" + Array.IndexOf(results, StoreWriteResult.Success)));
    }

    /// <summary>The user's culture is stored, changed and cleared like any other field (and, like the id, kept exactly as given).</summary>
    [TestCase("de-DE")]
    [TestCase("zh-Hant-TW")]
    [TestCase("en")]
    public async Task Culture_SetChangedAndCleared_RoundTrips(string culture)
    {
        var store = Store();
        await CreateAsync(store, StoreConformanceData.MinimalUser("u1", "c1", "alice@example.com") with { Culture = culture });
        var read = (await store.FindByIdAsync("u1", Timeout))!;
        Assert.That(read.Culture, Is.EqualTo(culture));

        Assert.That(await store.UpdateAsync(read with { Culture = "fr-CH" }, Timeout), Is.EqualTo(StoreWriteResult.Success));
        read = (await store.FindByIdAsync("u1", Timeout))!;
        Assert.That(read.Culture, Is.EqualTo("fr-CH"));

        Assert.That(await store.UpdateAsync(read with { Culture = null }, Timeout), Is.EqualTo(StoreWriteResult.Success));
        Assert.That((await store.FindByEmailAsync("alice@example.com", Timeout))!.Culture, Is.Null);
    }

    /// <summary>The forced-2FA requirement is the account's: it is stored apart from the authenticator-app state and survives that state being cleared.</summary>
    [Test]
    public async Task TwoFactorForced_SurvivesClearingTheTotpState()
    {
        var store = Store();
        var full = StoreConformanceData.FullyPopulatedUser("u1", "c1", "alice@example.com");
        await CreateAsync(store, StoreConformanceData.MinimalUser("u1", "c1", "alice@example.com") with { IsTwoFactorForced = true, TwoFactor = full.TwoFactor });
        var read = (await store.FindByIdAsync("u1", Timeout))!;
        Assert.That(read.IsTwoFactorForced, Is.True);

        Assert.That(await store.UpdateAsync(read with { TwoFactor = TwoFactorState.None }, Timeout), Is.EqualTo(StoreWriteResult.Success));
        read = (await store.FindByIdAsync("u1", Timeout))!;
        Assert.That(read.IsTwoFactorForced, Is.True);
        Assert.That(read.TwoFactor.IsEnabled, Is.False);

        Assert.That(await store.UpdateAsync(read with { IsTwoFactorForced = false }, Timeout), Is.EqualTo(StoreWriteResult.Success));
        Assert.That((await store.FindByIdAsync("u1", Timeout))!.IsTwoFactorForced, Is.False);
    }

    /// <summary>The "must change password" mark is stored, read back and cleared like any field.</summary>
    [Test]
    public async Task PasswordChangeRequired_RoundTrips()
    {
        var store = Store();
        await CreateAsync(store, StoreConformanceData.MinimalUser("u1", "c1", "alice@example.com") with { PasswordChangeRequired = true });
        var read = (await store.FindByIdAsync("u1", Timeout))!;
        Assert.That(read.PasswordChangeRequired, Is.True);

        Assert.That(await store.UpdateAsync(read with { PasswordChangeRequired = false }, Timeout), Is.EqualTo(StoreWriteResult.Success));
        Assert.That((await store.FindByIdAsync("u1", Timeout))!.PasswordChangeRequired, Is.False);
    }

    /// <summary>Changing the e-mail to a free address moves the look-up: the new address finds the user, the old one nothing, and the old one is free again.</summary>
    [Test]
    public async Task Update_EmailToFreeAddress_MovesTheLookUp()
    {
        var store = Store();
        await CreateAsync(store, StoreConformanceData.MinimalUser("u1", "c1", "alice@example.com"));
        var alice = (await store.FindByIdAsync("u1", Timeout))!;

        Assert.That(await store.UpdateAsync(alice with { Email = "alice@example.org" }, Timeout), Is.EqualTo(StoreWriteResult.Success));

        Assert.That((await store.FindByEmailAsync("ALICE@example.org", Timeout))!.Id, Is.EqualTo("u1"));
        Assert.That(await store.FindByEmailAsync("alice@example.com", Timeout), Is.Null);
        Assert.That(await store.CreateAsync(StoreConformanceData.MinimalUser("u2", "c1", "alice@example.com"), Timeout),
            Is.EqualTo(StoreWriteResult.Success));
    }

    /// <summary>Changing only the case of one's own e-mail is not a duplicate of oneself.</summary>
    [Test]
    public async Task Update_EmailCaseOfOwnAddress_Succeeds()
    {
        var store = Store();
        await CreateAsync(store, StoreConformanceData.MinimalUser("u1", "c1", "alice@example.com"));
        var alice = (await store.FindByIdAsync("u1", Timeout))!;

        Assert.That(await store.UpdateAsync(alice with { Email = "Alice@Example.com" }, Timeout), Is.EqualTo(StoreWriteResult.Success));

        Assert.That((await store.FindByEmailAsync("alice@example.com", Timeout))!.Email, Is.EqualTo("Alice@Example.com"));
    }

    /// <summary>Every field of a fully populated user, nested records included, comes back from create exactly.</summary>
    [Test]
    public async Task Create_FullyPopulatedUser_RoundTripsEveryField()
    {
        var store = Store();
        var user = StoreConformanceData.FullyPopulatedUser("u1", "c1", "Full.User@Example.com");

        await CreateAsync(store, user);

        var byId = await store.FindByIdAsync("u1", Timeout);
        SuiteAssert.Equivalent(byId, user with { Version = 1 });
        AssertSameInstants(byId!, user);
        SuiteAssert.Equivalent(await store.FindByEmailAsync("full.user@example.com", Timeout), user with { Version = 1 });
    }

    /// <summary>An update can set every field and clear it again: values, nulls and empty collections all round-trip.</summary>
    [Test]
    public async Task Update_SettingAndClearingEveryField_RoundTrips()
    {
        var store = Store();
        var minimal = StoreConformanceData.MinimalUser("u1", "c1", "alice@example.com");
        await CreateAsync(store, minimal);
        var full = StoreConformanceData.FullyPopulatedUser("u1", "c1", "alice@example.com") with { Version = 1 };

        Assert.That(await store.UpdateAsync(full, Timeout), Is.EqualTo(StoreWriteResult.Success));
        var stored = (await store.FindByIdAsync("u1", Timeout))!;
        SuiteAssert.Equivalent(stored, full with { Version = 2 });
        AssertSameInstants(stored, full);

        Assert.That(await store.UpdateAsync(minimal with { Version = 2 }, Timeout), Is.EqualTo(StoreWriteResult.Success));
        var cleared = (await store.FindByIdAsync("u1", Timeout))!;
        SuiteAssert.Equivalent(cleared, minimal with { Version = 3 });
        Assert.That(cleared.TwoFactor.RecoveryCodeHashes.IsDefault, Is.False, "collections come back empty, never default");
        Assert.That(cleared.PasswordHistory.IsDefault, Is.False);
        Assert.That(cleared.PasswordResetTokens.IsDefault, Is.False);
        Assert.That(cleared.Passkeys.IsDefault, Is.False);
        Assert.That(cleared.SpentPasskeyChallenges.IsDefault, Is.False);
    }

    /// <summary>Collections keep their order: password history is newest first, and order is part of the data.</summary>
    [Test]
    public async Task Update_CollectionOrder_IsKept()
    {
        var store = Store();
        var user = StoreConformanceData.FullyPopulatedUser("u1", "c1", "alice@example.com");
        var reversed = user with
        {
            PasswordHistory = [.. user.PasswordHistory.Reverse()],
            TwoFactor = user.TwoFactor with { RecoveryCodeHashes = [.. user.TwoFactor.RecoveryCodeHashes.Reverse()] },
            PasswordResetTokens = [.. user.PasswordResetTokens.Reverse()],
            Passkeys = [.. user.Passkeys.Reverse().Select(p => p with { Transports = [.. p.Transports.Reverse()] })],
            SpentPasskeyChallenges = [.. user.SpentPasskeyChallenges.Reverse()],
        };
        await CreateAsync(store, reversed);

        var stored = (await store.FindByIdAsync("u1", Timeout))!;

        Assert.That(stored.PasswordHistory.ToArray(), Is.EqualTo(reversed.PasswordHistory.ToArray()));
        Assert.That(stored.TwoFactor.RecoveryCodeHashes.ToArray(), Is.EqualTo(reversed.TwoFactor.RecoveryCodeHashes.ToArray()));
        Assert.That(stored.PasswordResetTokens.ToArray(), Is.EqualTo(reversed.PasswordResetTokens.ToArray()));
        Assert.That(stored.Passkeys.Select(p => p.CredentialId).ToArray(), Is.EqualTo(reversed.Passkeys.Select(p => p.CredentialId).ToArray()));
        Assert.That(stored.Passkeys.Select(p => string.Join(",", p.Transports)).ToArray(), Is.EqualTo(reversed.Passkeys.Select(p => string.Join(",", p.Transports)).ToArray()));
        Assert.That(stored.SpentPasskeyChallenges.ToArray(), Is.EqualTo(reversed.SpentPasskeyChallenges.ToArray()));
    }

    /// <summary>What a read returns is the caller's: deriving changed copies from it, without writing, changes nothing stored.</summary>
    [Test]
    public async Task Find_ReturnedObject_CannotChangeStoredState()
    {
        var store = Store();
        var user = StoreConformanceData.FullyPopulatedUser("u1", "c1", "alice@example.com");
        await CreateAsync(store, user);

        var read = (await store.FindByIdAsync("u1", Timeout))!;
        _ = read with
        {
            PasswordHash = null,
            PasswordHistory = read.PasswordHistory.Add("x"),
            TwoFactor = read.TwoFactor with { RecoveryCodeHashes = read.TwoFactor.RecoveryCodeHashes.RemoveAt(0) },
            Lockouts = FactorLockouts.None,
            Passkeys = read.Passkeys.SetItem(0, read.Passkeys[0] with { SignatureCounter = 0 }),
            PasskeyUserHandle = null,
        };
        var listed = await store.ListByContractAsync("c1", Timeout);
        if (listed is IList<UserAccount> { IsReadOnly: false } list)
        {
            list.Clear();
        }

        SuiteAssert.Equivalent(await store.FindByIdAsync("u1", Timeout), user with { Version = 1 });
        Assert.That(await store.ListByContractAsync("c1", Timeout), Has.Count.EqualTo(1));
    }

    /// <summary>Parallel read-increment-write loops that retry on conflict lose no increment: every success is one write.</summary>
    [Test]
    public async Task Update_ConcurrentReadModifyWriteWithRetry_LosesNoUpdate()
    {
        await CreateAsync(Store(), StoreConformanceData.MinimalUser("u1", "c1", "alice@example.com"));
        var conflicts = 0;

        var workers = Enumerable.Range(0, ConcurrentWorkers).Select(_ => Task.Run(async () =>
        {
            var store = Store();
            for (var i = 0; i < IncrementsPerWorker; i++)
            {
                while (true)
                {
                    var read = (await store.FindByIdAsync("u1", Timeout).ConfigureAwait(false))!;
                    var next = read with
                    {
                        Lockouts = read.Lockouts.With(AuthenticationFactor.Password, read.Lockouts[AuthenticationFactor.Password] with { FailedCount = read.Lockouts[AuthenticationFactor.Password].FailedCount + 1 }),
                    };
                    var result = await store.UpdateAsync(next, Timeout).ConfigureAwait(false);
                    if (result == StoreWriteResult.Success)
                    {
                        break;
                    }

                    Assert.That(result, Is.EqualTo(StoreWriteResult.Conflict));
                    Interlocked.Increment(ref conflicts);
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);

        var stored = (await Store().FindByIdAsync("u1", Timeout))!;
        Assert.That(stored.Lockouts[AuthenticationFactor.Password].FailedCount, Is.EqualTo(ConcurrentWorkers * IncrementsPerWorker));
        Assert.That(stored.Version, Is.EqualTo(1 + (ConcurrentWorkers * IncrementsPerWorker)));
        TestContext.Out.WriteLine($"{conflicts} conflicts retried.");
    }

    /// <summary>Of several writers stating the same version, exactly one succeeds; the rest see a conflict.</summary>
    [Test]
    public async Task Update_ConcurrentWritersOfOneVersion_ExactlyOneSucceeds()
    {
        await CreateAsync(Store(), StoreConformanceData.MinimalUser("u1", "c1", "alice@example.com"));
        var read = (await Store().FindByIdAsync("u1", Timeout))!;

        var results = await Task.WhenAll(Enumerable.Range(0, ConcurrentWorkers).Select(i => Task.Run(async () =>
            await Store().UpdateAsync(read with { Lockouts = read.Lockouts.With(AuthenticationFactor.Password, new FactorLockoutState(i + 1, null, 0)) }, Timeout).ConfigureAwait(false))));

        Assert.That(results.Count(r => r == StoreWriteResult.Success), Is.EqualTo(1));
        Assert.That(results.Count(r => r == StoreWriteResult.Conflict), Is.EqualTo(ConcurrentWorkers - 1));
        var stored = (await Store().FindByIdAsync("u1", Timeout))!;
        Assert.That(stored.Version, Is.EqualTo(2));
        var winner = Array.IndexOf(results, StoreWriteResult.Success);
        Assert.That(stored.Lockouts[AuthenticationFactor.Password].FailedCount, Is.EqualTo(winner + 1), "the stored state is the winner's");
    }

    /// <summary>Of several concurrent creates with the same e-mail in different cases, exactly one succeeds.</summary>
    [Test]
    public async Task Create_ConcurrentSameEmail_ExactlyOneSucceeds()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, ConcurrentWorkers).Select(i => Task.Run(async () =>
            await Store().CreateAsync(
                StoreConformanceData.MinimalUser("u" + i, "c1", i % 2 == 0 ? "race@example.com" : "RACE@example.com"), Timeout).ConfigureAwait(false))));

        Assert.That(results.Count(r => r == StoreWriteResult.Success), Is.EqualTo(1));
        Assert.That(results.Count(r => r == StoreWriteResult.Duplicate), Is.EqualTo(ConcurrentWorkers - 1));
        Assert.That(await Store().ListByContractAsync("c1", Timeout), Has.Count.EqualTo(1));
    }

    /// <summary>
    /// A user with two passkeys (every credential field set, instants at non-UTC offsets), a user handle, a pending
    /// registration and two spent challenges comes back exactly from create through every read: by id, by e-mail, by
    /// user handle and in the contract's list.
    /// </summary>
    [Test]
    public async Task Create_UserWithPasskeys_RoundTripsThroughEveryRead()
    {
        var store = Store();
        var user = StoreConformanceData.FullyPopulatedUser("u1", "c1", "alice@example.com");
        Assert.That(user.Passkeys.Length, Is.EqualTo(2), "the sample data must exercise more than one passkey");
        await CreateAsync(store, user);
        await CreateAsync(store, StoreConformanceData.MinimalUser("u2", "c1", "bob@example.com"));
        var expected = user with { Version = 1 };

        foreach (var read in await ReadEveryWayAsync(Store(), expected))
        {
            SuiteAssert.Equivalent(read, expected);
            AssertSameInstants(read, expected);
        }
    }

    /// <summary>
    /// An update can add the passkey state to a user and remove it again; every read sees each state, and once the
    /// handle is removed it finds nobody.
    /// </summary>
    [Test]
    public async Task Update_SettingAndClearingPasskeys_RoundTripsThroughEveryRead()
    {
        var store = Store();
        var minimal = StoreConformanceData.MinimalUser("u1", "c1", "alice@example.com");
        await CreateAsync(store, minimal);
        var full = StoreConformanceData.FullyPopulatedUser("u1", "c1", "alice@example.com");
        var withPasskeys = minimal with
        {
            Passkeys = full.Passkeys,
            PasskeyUserHandle = full.PasskeyUserHandle,
            PendingPasskeyRegistration = full.PendingPasskeyRegistration,
            SpentPasskeyChallenges = full.SpentPasskeyChallenges,
            Version = 1,
        };

        Assert.That(await store.UpdateAsync(withPasskeys, Timeout), Is.EqualTo(StoreWriteResult.Success));
        foreach (var read in await ReadEveryWayAsync(Store(), withPasskeys with { Version = 2 }))
        {
            SuiteAssert.Equivalent(read, withPasskeys with { Version = 2 });
            AssertSamePasskeyInstants(read, withPasskeys);
        }

        var cleared = minimal with { Version = 2 };
        Assert.That(await store.UpdateAsync(cleared, Timeout), Is.EqualTo(StoreWriteResult.Success));
        var stored = (await Store().FindByIdAsync("u1", Timeout))!;
        SuiteAssert.Equivalent(stored, cleared with { Version = 3 });
        Assert.That(stored.Passkeys.IsDefault, Is.False, "collections come back empty, never default");
        Assert.That(stored.SpentPasskeyChallenges.IsDefault, Is.False);
        Assert.That(await Store().FindByPasskeyUserHandleAsync(full.PasskeyUserHandle!, Timeout), Is.Null, "the handle was removed");
        var listed = await Store().ListByContractAsync("c1", Timeout);
        Assert.That(listed, Has.Count.EqualTo(1));
        SuiteAssert.Equivalent(listed[0], cleared with { Version = 3 });
    }

    /// <summary>Finding by user handle finds the one user with that handle, not users without one or with another.</summary>
    [Test]
    public async Task FindByPasskeyUserHandle_ExactHandle_FindsTheUser()
    {
        var store = Store();
        await CreateAsync(store, StoreConformanceData.MinimalUser("u0", "c1", "nohandle@example.com"));
        await CreateAsync(store, StoreConformanceData.FullyPopulatedUser("u1", "c1", "alice@example.com"));
        await CreateAsync(store, StoreConformanceData.FullyPopulatedUser("u2", "c2", "bob@example.com"));

        var found = await store.FindByPasskeyUserHandleAsync(StoreConformanceData.PasskeyUserHandleFor("u1"), Timeout);
        Assert.That((await store.FindByPasskeyUserHandleAsync(StoreConformanceData.PasskeyUserHandleFor("u2"), Timeout))!.Id, Is.EqualTo("u2"));

        Assert.That(found, Is.Not.Null);
        Assert.That(found!.Id, Is.EqualTo("u1"));
        Assert.That(found.PasskeyUserHandle, Is.EqualTo(StoreConformanceData.PasskeyUserHandleFor("u1")));
    }

    /// <summary>User handles are compared ordinally: a handle differing in case, or by surrounding spaces, finds nothing.</summary>
    [Test]
    public async Task FindByPasskeyUserHandle_DifferingInCaseOrSpaces_ReturnsNull()
    {
        var store = Store();
        await CreateAsync(store, StoreConformanceData.FullyPopulatedUser("u1", "c1", "alice@example.com"));
        var handle = StoreConformanceData.PasskeyUserHandleFor("u1");
        var swapped = new string([.. handle.Select(c => char.IsUpper(c) ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c))]);

        foreach (var variant in new[] { handle.ToUpperInvariant(), handle.ToLowerInvariant(), swapped, " " + handle, handle + " " })
        {
            Assert.That(variant, Is.Not.EqualTo(handle), "the sample handle is mixed-case");
            Assert.That(await store.FindByPasskeyUserHandleAsync(variant, Timeout), Is.Null, $"'{variant}' is not the handle, ordinally");
        }

        Assert.That((await store.FindByPasskeyUserHandleAsync(handle, Timeout))!.Id, Is.EqualTo("u1"));
    }

    /// <summary>Finding an unknown handle answers null; a user without a handle is found by no handle, not even the empty one.</summary>
    [Test]
    public async Task FindByPasskeyUserHandle_Unknown_ReturnsNull()
    {
        var store = Store();
        await CreateAsync(store, StoreConformanceData.MinimalUser("u0", "c1", "nohandle@example.com"));
        await CreateAsync(store, StoreConformanceData.FullyPopulatedUser("u1", "c1", "alice@example.com"));

        Assert.That(await store.FindByPasskeyUserHandleAsync(StoreConformanceData.PasskeyUserHandleFor("u2"), Timeout), Is.Null);
        Assert.That(await store.FindByPasskeyUserHandleAsync("", Timeout), Is.Null);
        Assert.That(await store.FindByPasskeyUserHandleAsync("u1", Timeout), Is.Null, "a user id is not a user handle");
    }

    /// <summary>Changing the handle moves the look-up: the new handle finds the user, the old one nobody; removing it finds nobody.</summary>
    [Test]
    public async Task FindByPasskeyUserHandle_AfterTheHandleChangesOrIsRemoved_FollowsTheUpdate()
    {
        var store = Store();
        await CreateAsync(store, StoreConformanceData.FullyPopulatedUser("u1", "c1", "alice@example.com"));
        var oldHandle = StoreConformanceData.PasskeyUserHandleFor("u1");
        var newHandle = StoreConformanceData.PasskeyUserHandleFor("u1-renewed");
        var read = (await store.FindByPasskeyUserHandleAsync(oldHandle, Timeout))!;

        Assert.That(await store.UpdateAsync(read with { PasskeyUserHandle = newHandle }, Timeout), Is.EqualTo(StoreWriteResult.Success));
        Assert.That(await Store().FindByPasskeyUserHandleAsync(oldHandle, Timeout), Is.Null);
        var moved = (await Store().FindByPasskeyUserHandleAsync(newHandle, Timeout))!;
        Assert.That(moved.Id, Is.EqualTo("u1"));

        Assert.That(await store.UpdateAsync(moved with { PasskeyUserHandle = null, Passkeys = [] }, Timeout), Is.EqualTo(StoreWriteResult.Success));
        Assert.That(await Store().FindByPasskeyUserHandleAsync(newHandle, Timeout), Is.Null);
        Assert.That(await Store().FindByPasskeyUserHandleAsync(oldHandle, Timeout), Is.Null);
        Assert.That((await Store().FindByIdAsync("u1", Timeout))!.PasskeyUserHandle, Is.Null);
    }

    /// <summary>
    /// An update that changes nothing but one passkey's signature counter (what every passkey sign-in writes) is seen
    /// by the next read, through any store instance and every look-up; the other passkey is untouched. The counter
    /// is a <see cref="uint"/> and keeps its full range.
    /// </summary>
    [Test]
    public async Task Update_OnlyAPasskeysCounter_IsSeenByTheNextRead()
    {
        var store = Store();
        await CreateAsync(store, StoreConformanceData.FullyPopulatedUser("u1", "c1", "alice@example.com"));
        var read = (await store.FindByIdAsync("u1", Timeout))!;
        var synced = read.Passkeys[0];

        foreach (var counter in new[] { synced.SignatureCounter + 1, uint.MaxValue })
        {
            var next = read with { Passkeys = read.Passkeys.SetItem(0, read.Passkeys[0] with { SignatureCounter = counter }) };
            Assert.That(await store.UpdateAsync(next, Timeout), Is.EqualTo(StoreWriteResult.Success));
            var expected = next with { Version = next.Version + 1 };

            foreach (var seen in await ReadEveryWayAsync(Store(), expected))
            {
                Assert.That(seen.Passkeys[0].SignatureCounter, Is.EqualTo(counter));
                SuiteAssert.Equivalent(seen, expected);
            }

            read = (await store.FindByIdAsync("u1", Timeout))!;
        }

        SuiteAssert.Equivalent(read.Passkeys[1], StoreConformanceData.FullyPopulatedUser("u1", "c1", "alice@example.com").Passkeys[1]);
    }

    /// <summary>Null arguments are caller bugs and throw <see cref="ArgumentNullException"/>.</summary>
    [Test]
    public async Task NullArguments_Throw()
    {
        var store = Store();

        await SuiteAssert.ThrowsAsync<ArgumentNullException>(async () => await store.FindByIdAsync(null!, Timeout));
        await SuiteAssert.ThrowsAsync<ArgumentNullException>(async () => await store.FindByEmailAsync(null!, Timeout));
        await SuiteAssert.ThrowsAsync<ArgumentNullException>(async () => await store.FindByPasskeyUserHandleAsync(null!, Timeout));
        await SuiteAssert.ThrowsAsync<ArgumentNullException>(async () => await store.ListByContractAsync(null!, Timeout));
        await SuiteAssert.ThrowsAsync<ArgumentNullException>(async () => await store.CreateAsync(null!, Timeout));
        await SuiteAssert.ThrowsAsync<ArgumentNullException>(async () => await store.UpdateAsync(null!, Timeout));
    }

    private async Task CreateAsync(IUserStore store, UserAccount user) =>
        Assert.That(await store.CreateAsync(user, Timeout), Is.EqualTo(StoreWriteResult.Success));

    // The user as every look-up returns it: by id, by e-mail (in another case), by passkey user handle, and from its contract's list.
    private async Task<UserAccount[]> ReadEveryWayAsync(IUserStore store, UserAccount user)
    {
        var byId = await store.FindByIdAsync(user.Id, Timeout);
        var byEmail = await store.FindByEmailAsync(user.Email.ToUpperInvariant(), Timeout);
        var byHandle = await store.FindByPasskeyUserHandleAsync(user.PasskeyUserHandle!, Timeout);
        var listed = (await store.ListByContractAsync(user.ContractId, Timeout)).SingleOrDefault(u => u.Id == user.Id);
        Assert.That(byId, Is.Not.Null, "found by id");
        Assert.That(byEmail, Is.Not.Null, "found by e-mail");
        Assert.That(byHandle, Is.Not.Null, "found by passkey user handle");
        Assert.That(listed, Is.Not.Null, "listed in its contract");
        return [byId!, byEmail!, byHandle!, listed!];
    }

    // Instants compare by UTC value above; this also pins the exact ticks, so a store rounding to seconds fails.
    private static void AssertSameInstants(UserAccount actual, UserAccount expected)
    {
        Assert.That(actual.PasswordChangedAt!.Value.UtcTicks, Is.EqualTo(expected.PasswordChangedAt!.Value.UtcTicks));
        Assert.That(actual.TwoFactor.PendingCreatedAt!.Value.UtcTicks, Is.EqualTo(expected.TwoFactor.PendingCreatedAt!.Value.UtcTicks));
        Assert.That(actual.TwoFactor.EnabledAt!.Value.UtcTicks, Is.EqualTo(expected.TwoFactor.EnabledAt!.Value.UtcTicks));
        Assert.That(actual.SupportPinSetAt!.Value.UtcTicks, Is.EqualTo(expected.SupportPinSetAt!.Value.UtcTicks));
        Assert.That(actual.Lockouts.Select(l => (l.Key, l.Value.LockoutEnd?.UtcTicks)).ToArray(), Is.EqualTo(expected.Lockouts.Select(l => (l.Key, l.Value.LockoutEnd?.UtcTicks)).ToArray()));
        Assert.That(actual.PasswordResetTokens.Select(t => t.ExpiresAt.UtcTicks).ToArray(), Is.EqualTo(expected.PasswordResetTokens.Select(t => t.ExpiresAt.UtcTicks).ToArray()));
        AssertSamePasskeyInstants(actual, expected);
        Assert.That(actual.PendingSignIns.Select(p => p.ExpiresAt.UtcTicks).ToArray(), Is.EqualTo(expected.PendingSignIns.Select(p => p.ExpiresAt.UtcTicks).ToArray()));
        Assert.That(actual.TrustedDevices.Select(d => (d.CreatedAt.UtcTicks, d.LastSignInAt.UtcTicks)).ToArray(), Is.EqualTo(expected.TrustedDevices.Select(d => (d.CreatedAt.UtcTicks, d.LastSignInAt.UtcTicks)).ToArray()));
        Assert.That(actual.TrustedDevices.SelectMany(d => d.Lockouts.Select(l => l.Value.LockoutEnd?.UtcTicks)).ToArray(), Is.EqualTo(expected.TrustedDevices.SelectMany(d => d.Lockouts.Select(l => l.Value.LockoutEnd?.UtcTicks)).ToArray()));
    }

    // The passkey instants are written at non-UTC offsets: the stored instant must be the same, to the tick.
    private static void AssertSamePasskeyInstants(UserAccount actual, UserAccount expected)
    {
        Assert.That(actual.Passkeys.Select(p => (p.CreatedAt.UtcTicks, p.LastUsedAt?.UtcTicks)).ToArray(), Is.EqualTo(expected.Passkeys.Select(p => (p.CreatedAt.UtcTicks, p.LastUsedAt?.UtcTicks)).ToArray()));
        Assert.That(actual.PendingPasskeyRegistration?.ExpiresAt.UtcTicks, Is.EqualTo(expected.PendingPasskeyRegistration?.ExpiresAt.UtcTicks));
        Assert.That(actual.SpentPasskeyChallenges.Select(c => c.ExpiresAt.UtcTicks).ToArray(), Is.EqualTo(expected.SpentPasskeyChallenges.Select(c => c.ExpiresAt.UtcTicks).ToArray()));
    }
}
