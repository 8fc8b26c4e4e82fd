using AccountSecurity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AccountSecurity.PackageExamples;

/// <summary>The AccountSecurity.EntityFrameworkCore package README's example: durable stores on SQLite.</summary>
public static class EntityFrameworkCoreExample
{
    /// <summary>Registers the EF Core stores on a SQLite file and creates the tables.</summary>
    public static async Task RunAsync(byte[] key)
    {
        // snippet:begin efcore
        var services = new ServiceCollection();
        services.AddAccountSecurity(options =>
        {
            options.Totp.Issuer = "Example Cloud";
            options.SecretProtection.AddKey("2026-11", key);                // 32 bytes from your secret store
        })
        .UseEntityFrameworkCore(db => db.UseSqlite("Data Source=accounts.db")); // or db.UseNpgsql(...) for several instances

        await using var provider = services.BuildServiceProvider();
        await using (var scope = provider.CreateAsyncScope())
        {
            // Once at start-up: creates AccountSecurity's tables when missing and leaves every other table alone.
            // Hosts with their own DbContext call modelBuilder.ApplyAccountSecurityModel() and use their migrations instead.
            await AccountSecurityDatabase.EnsureCreatedAsync(scope.ServiceProvider.GetRequiredService<AccountSecurityDbContext>());
        }
        // From here on, every service (ISignInService, ITwoFactorService, …) reads and writes the database.
        // snippet:end
    }
}
