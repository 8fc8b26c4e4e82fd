using AccountSecurity.Passwords.Policy;
using AccountSecurity.Sessions;
using AccountSecurity.Stores;
using NUnit.Framework;

namespace AccountSecurity.Testing.Stores;

/// <summary>
/// The contract every <see cref="IContractStore"/> must honour, as NUnit tests. Derive a <c>[TestFixture]</c> from
/// it, give each test fresh, empty storage in <see cref="StoreConformanceTests{TStore}.InitializeStorageAsync"/>, and hand out stores over that
/// storage from <see cref="StoreConformanceTests{TStore}.CreateStore"/> (one per concurrent worker; all see the same data).
/// </summary>
public abstract class ContractStoreConformanceTests : StoreConformanceTests<IContractStore>
{
    private const int ConcurrentWorkers = 8;

    /// <summary>Creating a contract stores it with version 1, whatever version the caller passed.</summary>
    [Test]
    public async Task Create_NewContract_StoresItWithVersionOne()
    {
        var store = Store();
        var contract = StoreConformanceData.MinimalContract("c1", "owner") with { Version = 9 };

        Assert.That(await store.CreateAsync(contract, Timeout), Is.EqualTo(StoreWriteResult.Success));

        Assert.That(await store.FindByIdAsync("c1", Timeout), Is.EqualTo(contract with { Version = 1 }));
    }

    /// <summary>A contract with its own policy round-trips every policy field.</summary>
    [Test]
    public async Task Create_WithPolicy_RoundTripsEveryField()
    {
        var store = Store();
        var contract = StoreConformanceData.FullyPopulatedContract("c1", "owner");

        Assert.That(await store.CreateAsync(contract, Timeout), Is.EqualTo(StoreWriteResult.Success));

        Assert.That(await store.FindByIdAsync("c1", Timeout), Is.EqualTo(contract with { Version = 1 }));
    }

    /// <summary>A contract with a taken id is refused and the first stays as it was.</summary>
    [Test]
    public async Task Create_WithTakenId_ReturnsDuplicate()
    {
        var store = Store();
        var first = StoreConformanceData.MinimalContract("c1", "owner");
        Assert.That(await store.CreateAsync(first, Timeout), Is.EqualTo(StoreWriteResult.Success));

        Assert.That(await store.CreateAsync(StoreConformanceData.FullyPopulatedContract("c1", "other"), Timeout),
            Is.EqualTo(StoreWriteResult.Duplicate));

        Assert.That(await store.FindByIdAsync("c1", Timeout), Is.EqualTo(first with { Version = 1 }));
    }

    /// <summary>Finding an unknown id answers null.</summary>
    [Test]
    public async Task FindById_Unknown_ReturnsNull()
    {
        var store = Store();
        Assert.That(await store.CreateAsync(StoreConformanceData.MinimalContract("c1", "owner"), Timeout), Is.EqualTo(StoreWriteResult.Success));

        Assert.That(await store.FindByIdAsync("c2", Timeout), Is.Null);
        Assert.That(await store.FindByIdAsync("C1", Timeout), Is.Null, "ids are compared exactly");
    }

    /// <summary>An update with the stored version is written, increments the version, and can set and clear the policy.</summary>
    [Test]
    public async Task Update_WithCurrentVersion_WritesAndIncrementsVersion()
    {
        var store = Store();
        Assert.That(await store.CreateAsync(StoreConformanceData.MinimalContract("c1", "owner"), Timeout), Is.EqualTo(StoreWriteResult.Success));
        var withPolicy = StoreConformanceData.FullyPopulatedContract("c1", "owner2") with { Version = 1 };

        Assert.That(await store.UpdateAsync(withPolicy, Timeout), Is.EqualTo(StoreWriteResult.Success));
        Assert.That(await store.FindByIdAsync("c1", Timeout), Is.EqualTo(withPolicy with { Version = 2 }));

        Assert.That(await store.UpdateAsync(withPolicy with { Version = 2, PasswordPolicy = null }, Timeout), Is.EqualTo(StoreWriteResult.Success));
        Assert.That(await store.FindByIdAsync("c1", Timeout), Is.EqualTo(withPolicy with { Version = 3, PasswordPolicy = null }));
    }

    /// <summary>An update stating an old version is refused as a conflict and writes nothing.</summary>
    [Test]
    public async Task Update_WithStaleVersion_ReturnsConflictAndWritesNothing()
    {
        var store = Store();
        Assert.That(await store.CreateAsync(StoreConformanceData.MinimalContract("c1", "owner"), Timeout), Is.EqualTo(StoreWriteResult.Success));
        var stale = (await store.FindByIdAsync("c1", Timeout))!;
        Assert.That(await store.UpdateAsync(stale with { Name = "Renamed" }, Timeout), Is.EqualTo(StoreWriteResult.Success));
        var current = (await store.FindByIdAsync("c1", Timeout))!;

        Assert.That(await store.UpdateAsync(stale with { PasswordPolicy = PasswordPolicySettings.Default }, Timeout), Is.EqualTo(StoreWriteResult.Conflict));

        Assert.That(await store.FindByIdAsync("c1", Timeout), Is.EqualTo(current));
    }

    /// <summary>Updating a contract that does not exist answers NotFound and creates nothing.</summary>
    [Test]
    public async Task Update_MissingContract_ReturnsNotFound()
    {
        var store = Store();

        Assert.That(await store.UpdateAsync(StoreConformanceData.MinimalContract("ghost", "owner") with { Version = 1 }, Timeout),
            Is.EqualTo(StoreWriteResult.NotFound));

        Assert.That(await store.FindByIdAsync("ghost", Timeout), Is.Null);
    }

    /// <summary>Of several writers stating the same version, exactly one succeeds.</summary>
    [Test]
    public async Task Update_ConcurrentWritersOfOneVersion_ExactlyOneSucceeds()
    {
        Assert.That(await Store().CreateAsync(StoreConformanceData.MinimalContract("c1", "owner"), Timeout), Is.EqualTo(StoreWriteResult.Success));
        var read = (await Store().FindByIdAsync("c1", Timeout))!;

        var results = await Task.WhenAll(Enumerable.Range(0, ConcurrentWorkers).Select(i => Task.Run(async () =>
            await Store().UpdateAsync(read with { Name = "Writer " + i }, Timeout).ConfigureAwait(false))));

        Assert.That(results.Count(r => r == StoreWriteResult.Success), Is.EqualTo(1));
        Assert.That(results.Count(r => r == StoreWriteResult.Conflict), Is.EqualTo(ConcurrentWorkers - 1));
        var stored = (await Store().FindByIdAsync("c1", Timeout))!;
        Assert.That(stored.Version, Is.EqualTo(2));
        Assert.That(stored.Name, Is.EqualTo("Writer " + Array.IndexOf(results, StoreWriteResult.Success)));
    }

    /// <summary>The owner's passwordless switch round-trips: off by default, on from create, and switched both ways by update.</summary>
    [Test]
    public async Task PasskeySignInAllowed_RoundTripsThroughCreateAndUpdate()
    {
        var store = Store();
        var off = StoreConformanceData.MinimalContract("c1", "owner");
        var on = StoreConformanceData.MinimalContract("c2", "owner") with { PasskeySignInAllowed = true };
        Assert.That(await store.CreateAsync(off, Timeout), Is.EqualTo(StoreWriteResult.Success));
        Assert.That(await store.CreateAsync(on, Timeout), Is.EqualTo(StoreWriteResult.Success));

        Assert.That((await Store().FindByIdAsync("c1", Timeout))!.PasskeySignInAllowed, Is.False);
        Assert.That(await Store().FindByIdAsync("c2", Timeout), Is.EqualTo(on with { Version = 1 }));

        Assert.That(await store.UpdateAsync(off with { PasskeySignInAllowed = true, Version = 1 }, Timeout), Is.EqualTo(StoreWriteResult.Success));
        Assert.That(await store.UpdateAsync(on with { PasskeySignInAllowed = false, Version = 1 }, Timeout), Is.EqualTo(StoreWriteResult.Success));

        Assert.That(await Store().FindByIdAsync("c1", Timeout), Is.EqualTo(off with { PasskeySignInAllowed = true, Version = 2 }));
        Assert.That(await Store().FindByIdAsync("c2", Timeout), Is.EqualTo(on with { PasskeySignInAllowed = false, Version = 2 }));
    }

    /// <summary>
    /// The contract's session policy round-trips: a partial one keeps its unset members unset, one with every member
    /// unset stays a policy (not none), and an update sets, changes and clears it.
    /// </summary>
    [Test]
    public async Task SessionPolicy_RoundTripsThroughCreateAndUpdate()
    {
        var store = Store();
        var partial = StoreConformanceData.MinimalContract("c1", "owner") with { SessionPolicy = new SessionPolicySettings(IdleTimeout: TimeSpan.FromMinutes(20)) };
        var unset = StoreConformanceData.MinimalContract("c2", "owner") with { SessionPolicy = new SessionPolicySettings() };
        Assert.That(await store.CreateAsync(partial, Timeout), Is.EqualTo(StoreWriteResult.Success));
        Assert.That(await store.CreateAsync(unset, Timeout), Is.EqualTo(StoreWriteResult.Success));

        Assert.That(await Store().FindByIdAsync("c1", Timeout), Is.EqualTo(partial with { Version = 1 }));
        Assert.That(await Store().FindByIdAsync("c2", Timeout), Is.EqualTo(unset with { Version = 1 }));

        var changed = partial with { SessionPolicy = new SessionPolicySettings(null, TimeSpan.FromHours(20).Add(TimeSpan.FromTicks(1)), 3), Version = 1 };
        Assert.That(await store.UpdateAsync(changed, Timeout), Is.EqualTo(StoreWriteResult.Success));
        Assert.That(await Store().FindByIdAsync("c1", Timeout), Is.EqualTo(changed with { Version = 2 }));

        Assert.That(await store.UpdateAsync(changed with { SessionPolicy = null, Version = 2 }, Timeout), Is.EqualTo(StoreWriteResult.Success));
        Assert.That((await Store().FindByIdAsync("c1", Timeout))!.SessionPolicy, Is.Null);
    }

    /// <summary>Null arguments are caller bugs and throw <see cref="ArgumentNullException"/>.</summary>
    [Test]
    public async Task NullArguments_Throw()
    {
        var store = Store();

        await SuiteAssert.ThrowsAsync<ArgumentNullException>(async () => await store.FindByIdAsync(null!, Timeout));
        await SuiteAssert.ThrowsAsync<ArgumentNullException>(async () => await store.CreateAsync(null!, Timeout));
        await SuiteAssert.ThrowsAsync<ArgumentNullException>(async () => await store.UpdateAsync(null!, Timeout));
    }

}
