using AccountSecurity.EntityFrameworkCore.Stores;
using AccountSecurity.Stores;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AccountSecurity.EntityFrameworkCore.Tests.DependencyInjection;

/// <summary>
/// Issue 24: under Native AOT, EF Core 10 builds no model and compiles no query at run time, and the stores' queries
/// live in this package, out of reach of EF's query precompilation. A host without dynamic code fails where it
/// registers the stores, with a message that says what to do instead, instead of EF's "Model building is not
/// supported when publishing with NativeAOT. Use a compiled model." at the first request (a compiled model cannot help).
/// The test process has dynamic code, so these drive the registration's seam with it switched off.
/// </summary>
public sealed class NativeAotTests
{
    // A connection string with a password: the message must never repeat what the host configured.
    private const string ConnectionString = "Data Source=accounts.db;Password=hunter2-connection-secret";

    [Test]
    public void UseEntityFrameworkCore_WithoutDynamicCode_FailsAtRegistration_NamingTheWayForward_AndRegistersNothing()
    {
        var services = new ServiceCollection();
        var builder = services.AddAccountSecurity();
        var before = services.ToList();

        var act = () => AccountSecurityEntityFrameworkCoreBuilderExtensions.UseEntityFrameworkCore(
            builder, o => o.UseSqlite(ConnectionString), isDynamicCodeSupported: false);

        var message = act.Should().Throw<InvalidOperationException>().Which.Message;
        message.Should().Contain("Native AOT")
            .And.Contain("JIT-compiled process")
            .And.Contain("IUserStore").And.Contain("IContractStore")
            .And.Contain("AccountSecurity.Testing")
            .And.EndWith("src/AccountSecurity.EntityFrameworkCore/README.md#trimming-and-native-aot")
            .And.NotContain("hunter2").And.NotContain("accounts.db");
        services.Should().Equal(before, "a host that cannot run the stores is left with nothing half-registered");
    }

    [Test]
    public void UseEntityFrameworkCoreOfTheHostsContext_WithoutDynamicCode_FailsAtRegistration_AndKeepsTheStoresItHad()
    {
        var services = new ServiceCollection();
        var builder = services.AddAccountSecurity();
        var before = services.ToList();

        var act = () => AccountSecurityEntityFrameworkCoreBuilderExtensions.UseEntityFrameworkCore<AccountSecurityDbContext>(
            builder, isDynamicCodeSupported: false);

        act.Should().Throw<InvalidOperationException>().WithMessage("*Native AOT*README.md#trimming-and-native-aot");
        services.Should().Equal(before);
    }

    [Test]
    public void UseEntityFrameworkCore_WithDynamicCode_RegistersTheEntityFrameworkCoreStores()
    {
        var services = new ServiceCollection();
        var builder = services.AddAccountSecurity();

        AccountSecurityEntityFrameworkCoreBuilderExtensions.UseEntityFrameworkCore(
            builder, o => o.UseSqlite("Data Source=:memory:"), isDynamicCodeSupported: true);

        using var provider = services.BuildServiceProvider();
        using var scope = provider.CreateScope();
        scope.ServiceProvider.GetRequiredService<IUserStore>().Should().BeOfType<EntityFrameworkCoreUserStore<AccountSecurityDbContext>>();
        scope.ServiceProvider.GetRequiredService<IContractStore>().Should().BeOfType<EntityFrameworkCoreContractStore<AccountSecurityDbContext>>();
    }

    [Test]
    public void TheMessagesLink_LeadsToTheReadmeSection_ThatSaysWhatFailsAndWhatToDoInstead()
    {
        var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "AccountSecurity.sln")))
        {
            directory = directory.Parent;
        }

        directory.Should().NotBeNull("the tests run inside the repository");
        var readme = File.ReadAllText(Path.Combine(directory!.FullName, "src/AccountSecurity.EntityFrameworkCore/README.md"));

        // GitHub's anchor for "## Trimming and Native AOT" is the one the message links to.
        DynamicCodeRequirement.DocumentationUrl.Should().EndWith("#trimming-and-native-aot");
        readme.Should().Contain("\n## Trimming and Native AOT\n");
        var section = readme[readme.IndexOf("## Trimming and Native AOT", StringComparison.Ordinal)..];
        section.Should().Contain("Model building is not supported when publishing with NativeAOT. Use a compiled model.")
            .And.Contain("Query wasn't precompiled and dynamic code isn't supported with NativeAOT.")
            .And.Contain("IUserStore").And.Contain("IContractStore");
    }
}
