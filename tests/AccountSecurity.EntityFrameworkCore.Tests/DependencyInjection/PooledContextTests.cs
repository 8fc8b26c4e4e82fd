using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AccountSecurity.EntityFrameworkCore.Tests.DependencyInjection;

/// <summary>
/// <c>UseEntityFrameworkCore(configure)</c> pools its own context (issue 11: a new context per scope took CPU from
/// bcrypt under load): a scope that ended hands its context to the next, cleared, and scopes alive at once never share one.
/// </summary>
public sealed class PooledContextTests
{
    [Test]
    public void ASecondScope_ReusesTheContextTheFirstReturned_WithNothingTrackedFromIt()
    {
        using var services = Build();
        AccountSecurityDbContext first;
        using (var scope = services.CreateScope())
        {
            first = scope.ServiceProvider.GetRequiredService<AccountSecurityDbContext>();
            first.Add(new Model.ContractEntity { Id = "left-over", Name = "tracked, never saved" });
        }

        using var next = services.CreateScope();
        var second = next.ServiceProvider.GetRequiredService<AccountSecurityDbContext>();

        second.Should().BeSameAs(first, "the context is pooled, not built anew per scope");
        second.ChangeTracker.Entries().Should().BeEmpty("the pool resets a returned context: no request sees another's state");
    }

    [Test]
    public void ScopesAliveAtOnce_NeverShareAContext()
    {
        using var services = Build();
        using var a = services.CreateScope();
        using var b = services.CreateScope();

        a.ServiceProvider.GetRequiredService<AccountSecurityDbContext>()
            .Should().NotBeSameAs(b.ServiceProvider.GetRequiredService<AccountSecurityDbContext>());
    }

    private static ServiceProvider Build()
    {
        var services = new ServiceCollection();
        services.AddAccountSecurity().UseEntityFrameworkCore(o => o.UseSqlite("Data Source=:memory:"));
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }
}
