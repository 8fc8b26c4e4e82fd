using AccountSecurity.Accounts;
using AccountSecurity.Lockout;
using AccountSecurity.Stores;
using FluentAssertions;
using FluentAssertions.Equivalency;
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

        (await store.CreateAsync(user, Timeout)).Should().Be(StoreWriteResult.Success);

        var found = await store.FindByIdAsync("u1", Timeout);
        found.Should().NotBeNull();
        found!.Version.Should().Be(1);
        found.Should().BeEquivalentTo(user with { Version = 1 }, Records);
    }

    /// <summary>A second user with a taken id is refused and the first one stays as it was.</summary>
    [Test]
    public async Task Create_WithTakenId_ReturnsDuplicateAndKeepsTheFirst()
    {
        var store = Store();
        var first = StoreConformanceData.MinimalUser("u1", "c1", "alice@example.com");
        await CreateAsync(store, first);

        (await store.CreateAsync(StoreConformanceData.MinimalUser("u1", "c2", "bob@example.com"), Timeout))
            .Should().Be(StoreWriteResult.Duplicate);

        (await store.FindByIdAsync("u1", Timeout)).Should().BeEquivalentTo(first with { Version = 1 }, Records);
        (await store.FindByEmailAsync("bob@example.com", Timeout)).Should().BeNull();
    }

    /// <summary>A second user whose e-mail differs from a stored one only in case and surrounding spaces is refused.</summary>
    [TestCase("alice@example.com")]
    [TestCase("ALICE@EXAMPLE.COM")]
    [TestCase("  Alice@Example.Com ")]
    public async Task Create_WithTakenEmailInAnyCase_ReturnsDuplicate(string email)
    {
        var store = Store();
        await CreateAsync(store, StoreConformanceData.MinimalUser("u1", "c1", "alice@example.com"));

        (await store.CreateAsync(StoreConformanceData.MinimalUser("u2", "c1", email), Timeout))
            .Should().Be(StoreWriteResult.Duplicate);

        (await store.FindByIdAsync("u2", Timeout)).Should().BeNull();
    }

    /// <summary>Finding an unknown id answers null.</summary>
    [Test]
    public async Task FindById_Unknown_ReturnsNull()
    {
        var store = Store();
        await CreateAsync(store, StoreConformanceData.MinimalUser("u1", "c1", "alice@example.com"));

        (await store.FindByIdAsync("u2", Timeout)).Should().BeNull();
        (await store.FindByIdAsync("U1", Timeout)).Should().BeNull("ids are compared exactly");
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

        found.Should().NotBeNull();
        found!.Id.Should().Be("u1");
        found.Email.Should().Be("Alice@Example.com");
    }

    /// <summary>Finding an unknown e-mail answers null.</summary>
    [Test]
    public async Task FindByEmail_Unknown_ReturnsNull()
    {
        var store = Store();
        await CreateAsync(store, StoreConformanceData.MinimalUser("u1", "c1", "alice@example.com"));

        (await store.FindByEmailAsync("alice@example.org", Timeout)).Should().BeNull();
        (await store.FindByEmailAsync("", Timeout)).Should().BeNull();
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

        users.Select(u => u.Id).Should().BeEquivalentTo(["u1", "u2"]);
        users.Single(u => u.Id == "u2").Should().BeEquivalentTo(
            StoreConformanceData.FullyPopulatedUser("u2", "c1", "b@example.com") with { Version = 1 },
            o => Records(o).Excluding(u => u.SecurityStamp));
        (await store.ListByContractAsync("c3", Timeout)).Should().BeEmpty();
    }

    /// <summary>An update stating the stored version is written and increments the version.</summary>
    [Test]
    public async Task Update_WithCurrentVersion_WritesAndIncrementsVersion()
    {
        var store = Store();
        await CreateAsync(store, StoreConformanceData.MinimalUser("u1", "c1", "alice@example.com"));
        var read = (await store.FindByIdAsync("u1", Timeout))!;

        (await store.UpdateAsync(read with { IsActive = false, Role = UserRole.Administrator }, Timeout))
            .Should().Be(StoreWriteResult.Success);
        var second = (await store.FindByIdAsync("u1", Timeout))!;
        (await store.UpdateAsync(second with { Lockouts = second.Lockouts.With(AuthenticationFactor.Password, new FactorLockoutState(1, null, 0)) }, Timeout))
            .Should().Be(StoreWriteResult.Success);

        var stored = (await store.FindByIdAsync("u1", Timeout))!;
        stored.Version.Should().Be(3);
        stored.IsActive.Should().BeFalse();
        stored.Role.Should().Be(UserRole.Administrator);
        stored.Lockouts[AuthenticationFactor.Password].Should().Be(new FactorLockoutState(1, null, 0));
    }

    /// <summary>An update stating an old version is refused as a conflict and writes nothing.</summary>
    [Test]
    public async Task Update_WithStaleVersion_ReturnsConflictAndWritesNothing()
    {
        var store = Store();
        await CreateAsync(store, StoreConformanceData.MinimalUser("u1", "c1", "alice@example.com"));
        var stale = (await store.FindByIdAsync("u1", Timeout))!;
        (await store.UpdateAsync(stale with { Role = UserRole.Administrator }, Timeout)).Should().Be(StoreWriteResult.Success);
        var current = (await store.FindByIdAsync("u1", Timeout))!;

        (await store.UpdateAsync(stale with { IsActive = false, Email = "mallory@example.com" }, Timeout))
            .Should().Be(StoreWriteResult.Conflict);
        (await store.UpdateAsync(current with { Version = current.Version + 1, IsActive = false }, Timeout))
            .Should().Be(StoreWriteResult.Conflict, "a version from the future is as wrong as one from the past");

        var stored = (await store.FindByIdAsync("u1", Timeout))!;
        stored.Should().BeEquivalentTo(current, Records);
        (await store.FindByEmailAsync("mallory@example.com", Timeout)).Should().BeNull();
    }

    /// <summary>Updating a user that does not exist answers NotFound and creates nothing.</summary>
    [Test]
    public async Task Update_MissingUser_ReturnsNotFound()
    {
        var store = Store();

        (await store.UpdateAsync(StoreConformanceData.MinimalUser("ghost", "c1", "ghost@example.com") with { Version = 1 }, Timeout))
            .Should().Be(StoreWriteResult.NotFound);

        (await store.FindByIdAsync("ghost", Timeout)).Should().BeNull();
        (await store.FindByEmailAsync("ghost@example.com", Timeout)).Should().BeNull();
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

        (await store.UpdateAsync(alice with { Email = email, IsActive = false }, Timeout)).Should().Be(StoreWriteResult.Duplicate);

        (await store.FindByIdAsync("u1", Timeout)).Should().BeEquivalentTo(alice, Records);
        (await store.FindByEmailAsync("bob@example.com", Timeout))!.Id.Should().Be("u2");
    }

    /// <summary>A passkey user handle names one account: a second user taking it, by create or by update, is refused and nothing is written.</summary>
    [Test]
    public async Task PasskeyUserHandle_TakenByAnotherUser_ReturnsDuplicateAndWritesNothing()
    {
        var store = Store();
        await CreateAsync(store, StoreConformanceData.MinimalUser("u1", "c1", "alice@example.com") with { PasskeyUserHandle = "handle-1" });
        await CreateAsync(store, StoreConformanceData.MinimalUser("u2", "c1", "bob@example.com"));
        var bob = (await store.FindByIdAsync("u2", Timeout))!;

        (await store.CreateAsync(StoreConformanceData.MinimalUser("u3", "c1", "carol@example.com") with { PasskeyUserHandle = "handle-1" }, Timeout))
            .Should().Be(StoreWriteResult.Duplicate);
        (await store.UpdateAsync(bob with { PasskeyUserHandle = "handle-1" }, Timeout)).Should().Be(StoreWriteResult.Duplicate);

        (await store.FindByIdAsync("u3", Timeout)).Should().BeNull();
        (await store.FindByIdAsync("u2", Timeout)).Should().BeEquivalentTo(bob, Records);
        (await store.FindByPasskeyUserHandleAsync("handle-1", Timeout))!.Id.Should().Be("u1");
        (await store.UpdateAsync(bob with { PasskeyUserHandle = "handle-2" }, Timeout)).Should().Be(StoreWriteResult.Success, "a free handle can be taken");
    }

    /// <summary>Changing the e-mail to a free address moves the look-up: the new address finds the user, the old one nothing, and the old one is free again.</summary>
    [Test]
    public async Task Update_EmailToFreeAddress_MovesTheLookUp()
    {
        var store = Store();
        await CreateAsync(store, StoreConformanceData.MinimalUser("u1", "c1", "alice@example.com"));
        var alice = (await store.FindByIdAsync("u1", Timeout))!;

        (await store.UpdateAsync(alice with { Email = "alice@example.org" }, Timeout)).Should().Be(StoreWriteResult.Success);

        (await store.FindByEmailAsync("ALICE@example.org", Timeout))!.Id.Should().Be("u1");
        (await store.FindByEmailAsync("alice@example.com", Timeout)).Should().BeNull();
        (await store.CreateAsync(StoreConformanceData.MinimalUser("u2", "c1", "alice@example.com"), Timeout))
            .Should().Be(StoreWriteResult.Success);
    }

    /// <summary>Changing only the case of one's own e-mail is not a duplicate of oneself.</summary>
    [Test]
    public async Task Update_EmailCaseOfOwnAddress_Succeeds()
    {
        var store = Store();
        await CreateAsync(store, StoreConformanceData.MinimalUser("u1", "c1", "alice@example.com"));
        var alice = (await store.FindByIdAsync("u1", Timeout))!;

        (await store.UpdateAsync(alice with { Email = "Alice@Example.com" }, Timeout)).Should().Be(StoreWriteResult.Success);

        (await store.FindByEmailAsync("alice@example.com", Timeout))!.Email.Should().Be("Alice@Example.com");
    }

    /// <summary>Every field of a fully populated user, nested records included, comes back from create exactly.</summary>
    [Test]
    public async Task Create_FullyPopulatedUser_RoundTripsEveryField()
    {
        var store = Store();
        var user = StoreConformanceData.FullyPopulatedUser("u1", "c1", "Full.User@Example.com");

        await CreateAsync(store, user);

        var byId = await store.FindByIdAsync("u1", Timeout);
        byId.Should().BeEquivalentTo(user with { Version = 1 }, Records);
        AssertSameInstants(byId!, user);
        (await store.FindByEmailAsync("full.user@example.com", Timeout)).Should().BeEquivalentTo(user with { Version = 1 }, Records);
    }

    /// <summary>An update can set every field and clear it again: values, nulls and empty collections all round-trip.</summary>
    [Test]
    public async Task Update_SettingAndClearingEveryField_RoundTrips()
    {
        var store = Store();
        var minimal = StoreConformanceData.MinimalUser("u1", "c1", "alice@example.com");
        await CreateAsync(store, minimal);
        var full = StoreConformanceData.FullyPopulatedUser("u1", "c1", "alice@example.com") with { Version = 1 };

        (await store.UpdateAsync(full, Timeout)).Should().Be(StoreWriteResult.Success);
        var stored = (await store.FindByIdAsync("u1", Timeout))!;
        stored.Should().BeEquivalentTo(full with { Version = 2 }, Records);
        AssertSameInstants(stored, full);

        (await store.UpdateAsync(minimal with { Version = 2 }, Timeout)).Should().Be(StoreWriteResult.Success);
        var cleared = (await store.FindByIdAsync("u1", Timeout))!;
        cleared.Should().BeEquivalentTo(minimal with { Version = 3 }, Records);
        cleared.TwoFactor.RecoveryCodeHashes.IsDefault.Should().BeFalse("collections come back empty, never default");
        cleared.PasswordHistory.IsDefault.Should().BeFalse();
        cleared.PasswordResetTokens.IsDefault.Should().BeFalse();
        cleared.Passkeys.IsDefault.Should().BeFalse();
        cleared.SpentPasskeyChallenges.IsDefault.Should().BeFalse();
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

        stored.PasswordHistory.Should().Equal(reversed.PasswordHistory);
        stored.TwoFactor.RecoveryCodeHashes.Should().Equal(reversed.TwoFactor.RecoveryCodeHashes);
        stored.PasswordResetTokens.Should().Equal(reversed.PasswordResetTokens);
        stored.Passkeys.Select(p => p.CredentialId).Should().Equal(reversed.Passkeys.Select(p => p.CredentialId));
        stored.Passkeys.Select(p => string.Join(",", p.Transports)).Should().Equal(reversed.Passkeys.Select(p => string.Join(",", p.Transports)));
        stored.SpentPasskeyChallenges.Should().Equal(reversed.SpentPasskeyChallenges);
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

        (await store.FindByIdAsync("u1", Timeout)).Should().BeEquivalentTo(user with { Version = 1 }, Records);
        (await store.ListByContractAsync("c1", Timeout)).Should().ContainSingle();
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

                    result.Should().Be(StoreWriteResult.Conflict);
                    Interlocked.Increment(ref conflicts);
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);

        var stored = (await Store().FindByIdAsync("u1", Timeout))!;
        stored.Lockouts[AuthenticationFactor.Password].FailedCount.Should().Be(ConcurrentWorkers * IncrementsPerWorker);
        stored.Version.Should().Be(1 + (ConcurrentWorkers * IncrementsPerWorker));
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

        results.Count(r => r == StoreWriteResult.Success).Should().Be(1);
        results.Count(r => r == StoreWriteResult.Conflict).Should().Be(ConcurrentWorkers - 1);
        var stored = (await Store().FindByIdAsync("u1", Timeout))!;
        stored.Version.Should().Be(2);
        var winner = Array.IndexOf(results, StoreWriteResult.Success);
        stored.Lockouts[AuthenticationFactor.Password].FailedCount.Should().Be(winner + 1, "the stored state is the winner's");
    }

    /// <summary>Of several concurrent creates with the same e-mail in different cases, exactly one succeeds.</summary>
    [Test]
    public async Task Create_ConcurrentSameEmail_ExactlyOneSucceeds()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, ConcurrentWorkers).Select(i => Task.Run(async () =>
            await Store().CreateAsync(
                StoreConformanceData.MinimalUser("u" + i, "c1", i % 2 == 0 ? "race@example.com" : "RACE@example.com"), Timeout).ConfigureAwait(false))));

        results.Count(r => r == StoreWriteResult.Success).Should().Be(1);
        results.Count(r => r == StoreWriteResult.Duplicate).Should().Be(ConcurrentWorkers - 1);
        (await Store().ListByContractAsync("c1", Timeout)).Should().ContainSingle();
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
        user.Passkeys.Should().HaveCount(2, "the sample data must exercise more than one passkey");
        await CreateAsync(store, user);
        await CreateAsync(store, StoreConformanceData.MinimalUser("u2", "c1", "bob@example.com"));
        var expected = user with { Version = 1 };

        foreach (var read in await ReadEveryWayAsync(Store(), expected))
        {
            read.Should().BeEquivalentTo(expected, Records);
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

        (await store.UpdateAsync(withPasskeys, Timeout)).Should().Be(StoreWriteResult.Success);
        foreach (var read in await ReadEveryWayAsync(Store(), withPasskeys with { Version = 2 }))
        {
            read.Should().BeEquivalentTo(withPasskeys with { Version = 2 }, Records);
            AssertSamePasskeyInstants(read, withPasskeys);
        }

        var cleared = minimal with { Version = 2 };
        (await store.UpdateAsync(cleared, Timeout)).Should().Be(StoreWriteResult.Success);
        var stored = (await Store().FindByIdAsync("u1", Timeout))!;
        stored.Should().BeEquivalentTo(cleared with { Version = 3 }, Records);
        stored.Passkeys.IsDefault.Should().BeFalse("collections come back empty, never default");
        stored.SpentPasskeyChallenges.IsDefault.Should().BeFalse();
        (await Store().FindByPasskeyUserHandleAsync(full.PasskeyUserHandle!, Timeout)).Should().BeNull("the handle was removed");
        (await Store().ListByContractAsync("c1", Timeout)).Should().ContainSingle().Which.Should().BeEquivalentTo(cleared with { Version = 3 }, Records);
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
        (await store.FindByPasskeyUserHandleAsync(StoreConformanceData.PasskeyUserHandleFor("u2"), Timeout))!.Id.Should().Be("u2");

        found.Should().NotBeNull();
        found!.Id.Should().Be("u1");
        found.PasskeyUserHandle.Should().Be(StoreConformanceData.PasskeyUserHandleFor("u1"));
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
            variant.Should().NotBe(handle, "the sample handle is mixed-case");
            (await store.FindByPasskeyUserHandleAsync(variant, Timeout)).Should().BeNull("'{0}' is not the handle, ordinally", variant);
        }

        (await store.FindByPasskeyUserHandleAsync(handle, Timeout))!.Id.Should().Be("u1");
    }

    /// <summary>Finding an unknown handle answers null; a user without a handle is found by no handle, not even the empty one.</summary>
    [Test]
    public async Task FindByPasskeyUserHandle_Unknown_ReturnsNull()
    {
        var store = Store();
        await CreateAsync(store, StoreConformanceData.MinimalUser("u0", "c1", "nohandle@example.com"));
        await CreateAsync(store, StoreConformanceData.FullyPopulatedUser("u1", "c1", "alice@example.com"));

        (await store.FindByPasskeyUserHandleAsync(StoreConformanceData.PasskeyUserHandleFor("u2"), Timeout)).Should().BeNull();
        (await store.FindByPasskeyUserHandleAsync("", Timeout)).Should().BeNull();
        (await store.FindByPasskeyUserHandleAsync("u1", Timeout)).Should().BeNull("a user id is not a user handle");
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

        (await store.UpdateAsync(read with { PasskeyUserHandle = newHandle }, Timeout)).Should().Be(StoreWriteResult.Success);
        (await Store().FindByPasskeyUserHandleAsync(oldHandle, Timeout)).Should().BeNull();
        var moved = (await Store().FindByPasskeyUserHandleAsync(newHandle, Timeout))!;
        moved.Id.Should().Be("u1");

        (await store.UpdateAsync(moved with { PasskeyUserHandle = null, Passkeys = [] }, Timeout)).Should().Be(StoreWriteResult.Success);
        (await Store().FindByPasskeyUserHandleAsync(newHandle, Timeout)).Should().BeNull();
        (await Store().FindByPasskeyUserHandleAsync(oldHandle, Timeout)).Should().BeNull();
        (await Store().FindByIdAsync("u1", Timeout))!.PasskeyUserHandle.Should().BeNull();
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
            (await store.UpdateAsync(next, Timeout)).Should().Be(StoreWriteResult.Success);
            var expected = next with { Version = next.Version + 1 };

            foreach (var seen in await ReadEveryWayAsync(Store(), expected))
            {
                seen.Passkeys[0].SignatureCounter.Should().Be(counter);
                seen.Should().BeEquivalentTo(expected, Records);
            }

            read = (await store.FindByIdAsync("u1", Timeout))!;
        }

        read.Passkeys[1].Should().BeEquivalentTo(StoreConformanceData.FullyPopulatedUser("u1", "c1", "alice@example.com").Passkeys[1], Records);
    }

    /// <summary>Null arguments are caller bugs and throw <see cref="ArgumentNullException"/>.</summary>
    [Test]
    public async Task NullArguments_Throw()
    {
        var store = Store();

        await FluentActions.Awaiting(async () => await store.FindByIdAsync(null!, Timeout)).Should().ThrowAsync<ArgumentNullException>();
        await FluentActions.Awaiting(async () => await store.FindByEmailAsync(null!, Timeout)).Should().ThrowAsync<ArgumentNullException>();
        await FluentActions.Awaiting(async () => await store.FindByPasskeyUserHandleAsync(null!, Timeout)).Should().ThrowAsync<ArgumentNullException>();
        await FluentActions.Awaiting(async () => await store.ListByContractAsync(null!, Timeout)).Should().ThrowAsync<ArgumentNullException>();
        await FluentActions.Awaiting(async () => await store.CreateAsync(null!, Timeout)).Should().ThrowAsync<ArgumentNullException>();
        await FluentActions.Awaiting(async () => await store.UpdateAsync(null!, Timeout)).Should().ThrowAsync<ArgumentNullException>();
    }

    /// <summary>Equivalency options for the domain records: compare by members (the records' own equality compares arrays by reference).</summary>
    protected static EquivalencyAssertionOptions<T> Records<T>(EquivalencyAssertionOptions<T> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.ComparingRecordsByMembers().WithStrictOrdering();
    }

    private async Task CreateAsync(IUserStore store, UserAccount user) =>
        (await store.CreateAsync(user, Timeout)).Should().Be(StoreWriteResult.Success);

    // The user as every look-up returns it: by id, by e-mail (in another case), by passkey user handle, and from its contract's list.
    private async Task<UserAccount[]> ReadEveryWayAsync(IUserStore store, UserAccount user)
    {
        var byId = await store.FindByIdAsync(user.Id, Timeout);
        var byEmail = await store.FindByEmailAsync(user.Email.ToUpperInvariant(), Timeout);
        var byHandle = await store.FindByPasskeyUserHandleAsync(user.PasskeyUserHandle!, Timeout);
        var listed = (await store.ListByContractAsync(user.ContractId, Timeout)).SingleOrDefault(u => u.Id == user.Id);
        byId.Should().NotBeNull("found by id");
        byEmail.Should().NotBeNull("found by e-mail");
        byHandle.Should().NotBeNull("found by passkey user handle");
        listed.Should().NotBeNull("listed in its contract");
        return [byId!, byEmail!, byHandle!, listed!];
    }

    // Instants compare by UTC value above; this also pins the exact ticks, so a store rounding to seconds fails.
    private static void AssertSameInstants(UserAccount actual, UserAccount expected)
    {
        actual.PasswordChangedAt!.Value.UtcTicks.Should().Be(expected.PasswordChangedAt!.Value.UtcTicks);
        actual.TwoFactor.PendingCreatedAt!.Value.UtcTicks.Should().Be(expected.TwoFactor.PendingCreatedAt!.Value.UtcTicks);
        actual.TwoFactor.EnabledAt!.Value.UtcTicks.Should().Be(expected.TwoFactor.EnabledAt!.Value.UtcTicks);
        actual.SupportPinSetAt!.Value.UtcTicks.Should().Be(expected.SupportPinSetAt!.Value.UtcTicks);
        actual.Lockouts.Select(l => (l.Key, l.Value.LockoutEnd?.UtcTicks)).Should().Equal(expected.Lockouts.Select(l => (l.Key, l.Value.LockoutEnd?.UtcTicks)));
        actual.PasswordResetTokens.Select(t => t.ExpiresAt.UtcTicks).Should().Equal(expected.PasswordResetTokens.Select(t => t.ExpiresAt.UtcTicks));
        AssertSamePasskeyInstants(actual, expected);
        actual.PendingSignIns.Select(p => p.ExpiresAt.UtcTicks).Should().Equal(expected.PendingSignIns.Select(p => p.ExpiresAt.UtcTicks));
        actual.TrustedDevices.Select(d => (d.CreatedAt.UtcTicks, d.LastSignInAt.UtcTicks)).Should().Equal(expected.TrustedDevices.Select(d => (d.CreatedAt.UtcTicks, d.LastSignInAt.UtcTicks)));
        actual.TrustedDevices.SelectMany(d => d.Lockouts.Select(l => l.Value.LockoutEnd?.UtcTicks)).Should().Equal(expected.TrustedDevices.SelectMany(d => d.Lockouts.Select(l => l.Value.LockoutEnd?.UtcTicks)));
    }

    // The passkey instants are written at non-UTC offsets: the stored instant must be the same, to the tick.
    private static void AssertSamePasskeyInstants(UserAccount actual, UserAccount expected)
    {
        actual.Passkeys.Select(p => (p.CreatedAt.UtcTicks, p.LastUsedAt?.UtcTicks)).Should().Equal(expected.Passkeys.Select(p => (p.CreatedAt.UtcTicks, p.LastUsedAt?.UtcTicks)));
        (actual.PendingPasskeyRegistration?.ExpiresAt.UtcTicks).Should().Be(expected.PendingPasskeyRegistration?.ExpiresAt.UtcTicks);
        actual.SpentPasskeyChallenges.Select(c => c.ExpiresAt.UtcTicks).Should().Equal(expected.SpentPasskeyChallenges.Select(c => c.ExpiresAt.UtcTicks));
    }
}
