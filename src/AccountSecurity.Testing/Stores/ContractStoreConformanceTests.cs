using AccountSecurity.Passwords.Policy;
using AccountSecurity.Stores;
using FluentAssertions;
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

        (await store.CreateAsync(contract, Timeout)).Should().Be(StoreWriteResult.Success);

        (await store.FindByIdAsync("c1", Timeout)).Should().Be(contract with { Version = 1 });
    }

    /// <summary>A contract with its own policy round-trips every policy field.</summary>
    [Test]
    public async Task Create_WithPolicy_RoundTripsEveryField()
    {
        var store = Store();
        var contract = StoreConformanceData.FullyPopulatedContract("c1", "owner");

        (await store.CreateAsync(contract, Timeout)).Should().Be(StoreWriteResult.Success);

        (await store.FindByIdAsync("c1", Timeout)).Should().Be(contract with { Version = 1 });
    }

    /// <summary>A contract with a taken id is refused and the first stays as it was.</summary>
    [Test]
    public async Task Create_WithTakenId_ReturnsDuplicate()
    {
        var store = Store();
        var first = StoreConformanceData.MinimalContract("c1", "owner");
        (await store.CreateAsync(first, Timeout)).Should().Be(StoreWriteResult.Success);

        (await store.CreateAsync(StoreConformanceData.FullyPopulatedContract("c1", "other"), Timeout))
            .Should().Be(StoreWriteResult.Duplicate);

        (await store.FindByIdAsync("c1", Timeout)).Should().Be(first with { Version = 1 });
    }

    /// <summary>Finding an unknown id answers null.</summary>
    [Test]
    public async Task FindById_Unknown_ReturnsNull()
    {
        var store = Store();
        (await store.CreateAsync(StoreConformanceData.MinimalContract("c1", "owner"), Timeout)).Should().Be(StoreWriteResult.Success);

        (await store.FindByIdAsync("c2", Timeout)).Should().BeNull();
        (await store.FindByIdAsync("C1", Timeout)).Should().BeNull("ids are compared exactly");
    }

    /// <summary>An update with the stored version is written, increments the version, and can set and clear the policy.</summary>
    [Test]
    public async Task Update_WithCurrentVersion_WritesAndIncrementsVersion()
    {
        var store = Store();
        (await store.CreateAsync(StoreConformanceData.MinimalContract("c1", "owner"), Timeout)).Should().Be(StoreWriteResult.Success);
        var withPolicy = StoreConformanceData.FullyPopulatedContract("c1", "owner2") with { Version = 1 };

        (await store.UpdateAsync(withPolicy, Timeout)).Should().Be(StoreWriteResult.Success);
        (await store.FindByIdAsync("c1", Timeout)).Should().Be(withPolicy with { Version = 2 });

        (await store.UpdateAsync(withPolicy with { Version = 2, PasswordPolicy = null }, Timeout)).Should().Be(StoreWriteResult.Success);
        (await store.FindByIdAsync("c1", Timeout)).Should().Be(withPolicy with { Version = 3, PasswordPolicy = null });
    }

    /// <summary>An update stating an old version is refused as a conflict and writes nothing.</summary>
    [Test]
    public async Task Update_WithStaleVersion_ReturnsConflictAndWritesNothing()
    {
        var store = Store();
        (await store.CreateAsync(StoreConformanceData.MinimalContract("c1", "owner"), Timeout)).Should().Be(StoreWriteResult.Success);
        var stale = (await store.FindByIdAsync("c1", Timeout))!;
        (await store.UpdateAsync(stale with { Name = "Renamed" }, Timeout)).Should().Be(StoreWriteResult.Success);
        var current = (await store.FindByIdAsync("c1", Timeout))!;

        (await store.UpdateAsync(stale with { PasswordPolicy = PasswordPolicySettings.Default }, Timeout)).Should().Be(StoreWriteResult.Conflict);

        (await store.FindByIdAsync("c1", Timeout)).Should().Be(current);
    }

    /// <summary>Updating a contract that does not exist answers NotFound and creates nothing.</summary>
    [Test]
    public async Task Update_MissingContract_ReturnsNotFound()
    {
        var store = Store();

        (await store.UpdateAsync(StoreConformanceData.MinimalContract("ghost", "owner") with { Version = 1 }, Timeout))
            .Should().Be(StoreWriteResult.NotFound);

        (await store.FindByIdAsync("ghost", Timeout)).Should().BeNull();
    }

    /// <summary>Of several writers stating the same version, exactly one succeeds.</summary>
    [Test]
    public async Task Update_ConcurrentWritersOfOneVersion_ExactlyOneSucceeds()
    {
        (await Store().CreateAsync(StoreConformanceData.MinimalContract("c1", "owner"), Timeout)).Should().Be(StoreWriteResult.Success);
        var read = (await Store().FindByIdAsync("c1", Timeout))!;

        var results = await Task.WhenAll(Enumerable.Range(0, ConcurrentWorkers).Select(i => Task.Run(async () =>
            await Store().UpdateAsync(read with { Name = "Writer " + i }, Timeout).ConfigureAwait(false))));

        results.Count(r => r == StoreWriteResult.Success).Should().Be(1);
        results.Count(r => r == StoreWriteResult.Conflict).Should().Be(ConcurrentWorkers - 1);
        var stored = (await Store().FindByIdAsync("c1", Timeout))!;
        stored.Version.Should().Be(2);
        stored.Name.Should().Be("Writer " + Array.IndexOf(results, StoreWriteResult.Success));
    }

    /// <summary>The owner's passwordless switch round-trips: off by default, on from create, and switched both ways by update.</summary>
    [Test]
    public async Task PasskeySignInAllowed_RoundTripsThroughCreateAndUpdate()
    {
        var store = Store();
        var off = StoreConformanceData.MinimalContract("c1", "owner");
        var on = StoreConformanceData.MinimalContract("c2", "owner") with { PasskeySignInAllowed = true };
        (await store.CreateAsync(off, Timeout)).Should().Be(StoreWriteResult.Success);
        (await store.CreateAsync(on, Timeout)).Should().Be(StoreWriteResult.Success);

        (await Store().FindByIdAsync("c1", Timeout))!.PasskeySignInAllowed.Should().BeFalse();
        (await Store().FindByIdAsync("c2", Timeout)).Should().Be(on with { Version = 1 });

        (await store.UpdateAsync(off with { PasskeySignInAllowed = true, Version = 1 }, Timeout)).Should().Be(StoreWriteResult.Success);
        (await store.UpdateAsync(on with { PasskeySignInAllowed = false, Version = 1 }, Timeout)).Should().Be(StoreWriteResult.Success);

        (await Store().FindByIdAsync("c1", Timeout)).Should().Be(off with { PasskeySignInAllowed = true, Version = 2 });
        (await Store().FindByIdAsync("c2", Timeout)).Should().Be(on with { PasskeySignInAllowed = false, Version = 2 });
    }

    /// <summary>Null arguments are caller bugs and throw <see cref="ArgumentNullException"/>.</summary>
    [Test]
    public async Task NullArguments_Throw()
    {
        var store = Store();

        await FluentActions.Awaiting(async () => await store.FindByIdAsync(null!, Timeout)).Should().ThrowAsync<ArgumentNullException>();
        await FluentActions.Awaiting(async () => await store.CreateAsync(null!, Timeout)).Should().ThrowAsync<ArgumentNullException>();
        await FluentActions.Awaiting(async () => await store.UpdateAsync(null!, Timeout)).Should().ThrowAsync<ArgumentNullException>();
    }

}
