using Microsoft.EntityFrameworkCore;

namespace AccountSecurity.EntityFrameworkCore;

/// <summary>
/// A ready-made context holding only AccountSecurity's tables, for hosts that keep them in a database of their own
/// (register it with <c>AddDbContext&lt;AccountSecurityDbContext&gt;</c> and call
/// <c>UseEntityFrameworkCore&lt;AccountSecurityDbContext&gt;()</c>). Hosts with their own context instead call
/// <see cref="AccountSecurityModelBuilderExtensions.ApplyAccountSecurityModel"/> in its <c>OnModelCreating</c>.
/// </summary>
public sealed class AccountSecurityDbContext : DbContext
{
    /// <summary>Creates the context with the options the host configured (provider and connection).</summary>
    public AccountSecurityDbContext(DbContextOptions<AccountSecurityDbContext> options)
        : base(options)
    {
    }

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.ApplyAccountSecurityModel();
}
