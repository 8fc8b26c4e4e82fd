using AccountSecurity.Accounts;
using AccountSecurity.DependencyInjection;
using AccountSecurity.EntityFrameworkCore.Tests.Infrastructure;
using AccountSecurity.Stores;
using Microsoft.Extensions.DependencyInjection;

namespace AccountSecurity.EntityFrameworkCore.Tests.MultiInstance;

/// <summary>
/// What every multi-instance test starts from: two app instances over one fresh database of
/// <paramref name="provider"/>, and a contract whose owner is the user under test.
/// </summary>
public abstract class MultiInstanceFixture(string provider)
{
    protected const string Email = "owner@example.com";
    protected const string Password = "Initial pass phrase 4 tests";

    private TwoInstances? _instances;

    private protected TwoInstances Instances => _instances ?? throw new InvalidOperationException("Instances not started.");

    protected string UserId { get; private set; } = null!;

    /// <summary>Starts both instances with <paramref name="configure"/> (and <paramref name="configureServices"/>, applied to each) and creates the owner.</summary>
    protected async Task StartAsync(Action<AccountSecurityOptions>? configure = null, Action<IServiceCollection>? configureServices = null)
    {
        _instances = await TwoInstances.StartAsync(provider, configure, configureServices);
        var owner = await Instances.A.RunAsync(sp => sp.GetRequiredService<IAccountProvisioningService>()
            .CreateContractAsync(new NewContract { ContractId = "contract-1", ContractName = "Contract One", OwnerUserId = "owner-1", OwnerEmail = Email, OwnerPassword = Password }));
        owner.Succeeded.Should().BeTrue(owner.ToString());
        UserId = owner.Value.Id;
    }

    // Runs after an ignored set-up too (PostgreSQL not configured), when nothing was started.
    [TearDown]
    public async Task StopInstancesAsync()
    {
        if (_instances is not null)
        {
            await _instances.DisposeAsync();
            _instances = null;
        }
    }

    /// <summary>The user as <paramref name="instance"/> reads it from the shared database.</summary>
    private protected async Task<UserAccount> FindAsync(AppInstance instance) =>
        (await instance.RunAsync(sp => sp.GetRequiredService<IUserStore>().FindByIdAsync(UserId, CancellationToken.None)))!;
}
