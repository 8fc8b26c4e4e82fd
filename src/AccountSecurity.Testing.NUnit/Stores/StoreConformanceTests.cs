using NUnit.Framework;

namespace AccountSecurity.Testing.Stores;

/// <summary>
/// The storage lifecycle every store conformance suite shares (<see cref="UserStoreConformanceTests"/>,
/// <see cref="ContractStoreConformanceTests"/>): fresh storage before each test, stores handed out per concurrent
/// worker, disposed after the test when they belong to it, and a timeout that ends a hung test. Derive from one of
/// the suites, not from this class.
/// </summary>
/// <typeparam name="TStore">The store interface the suite tests.</typeparam>
public abstract class StoreConformanceTests<TStore>
    where TStore : class
{
    private CancellationTokenSource? _timeout;
    private readonly List<TStore> _created = [];

    /// <summary>Prepares fresh, empty storage for the test about to run.</summary>
    protected abstract Task InitializeStorageAsync();

    /// <summary>Releases the storage of the test that just ran. Does nothing by default.</summary>
    protected virtual Task CleanupStorageAsync() => Task.CompletedTask;

    /// <summary>
    /// A store over the current test's storage. Called once per concurrent worker; every store returned during one
    /// test must see the same data. The suite disposes returned stores that implement <see cref="IAsyncDisposable"/>
    /// or <see cref="IDisposable"/> only when <see cref="DisposeStores"/> is <see langword="true"/>.
    /// </summary>
    protected abstract TStore CreateStore();

    /// <summary>Whether stores returned by <see cref="CreateStore"/> belong to the test and are disposed after it.</summary>
    /// <value>Defaults to <see langword="false"/>.</value>
    protected virtual bool DisposeStores => false;

    /// <summary>A cancellation token that ends a hung test.</summary>
    protected CancellationToken Timeout => _timeout?.Token ?? CancellationToken.None;

    /// <summary>Runs before each test: prepares storage.</summary>
    [SetUp]
    public async Task SetUpStorageAsync()
    {
        _timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await InitializeStorageAsync().ConfigureAwait(false);
    }

    /// <summary>Runs after each test: disposes stores when asked to, then cleans storage up.</summary>
    [TearDown]
    public async Task TearDownStorageAsync()
    {
        if (DisposeStores)
        {
            foreach (var store in _created)
            {
                if (store is IAsyncDisposable asyncDisposable)
                {
                    await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                }
                else if (store is IDisposable disposable)
                {
                    disposable.Dispose();
                }
            }
        }

        _created.Clear();
        _timeout?.Dispose();
        _timeout = null;
        await CleanupStorageAsync().ConfigureAwait(false);
    }

    /// <summary>A store over the current test's storage, remembered for disposal.</summary>
    protected TStore Store()
    {
        var store = CreateStore();
        lock (_created)
        {
            _created.Add(store);
        }

        return store;
    }
}
