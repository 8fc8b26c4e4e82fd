using System.Runtime.CompilerServices;
using AccountSecurity.DependencyInjection;
using AccountSecurity.EntityFrameworkCore;
using AccountSecurity.EntityFrameworkCore.Stores;
using AccountSecurity.Sessions;
using AccountSecurity.Stores;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;

// In this namespace so UseEntityFrameworkCore() is found next to AddAccountSecurity() without an extra using.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Plugs the EF Core stores into <c>services.AddAccountSecurity()</c>.</summary>
public static class AccountSecurityEntityFrameworkCoreBuilderExtensions
{
    /// <summary>
    /// Replaces the in-memory stores with <see cref="EntityFrameworkCoreUserStore{TContext}"/>,
    /// <see cref="EntityFrameworkCoreContractStore{TContext}"/>, <see cref="EntityFrameworkCoreSessionStore{TContext}"/> and <see cref="EntityFrameworkCoreAuditStore{TContext}"/> over <typeparamref name="TContext"/>, registered
    /// scoped like the context. The host registers the context itself (<c>AddDbContext&lt;TContext&gt;</c>) and maps
    /// the tables with <see cref="AccountSecurityModelBuilderExtensions.ApplyAccountSecurityModel"/>; see
    /// <see cref="AccountSecurityDatabase"/> for creating them. Calling it again replaces the stores again.
    /// </summary>
    /// <typeparam name="TContext">The host's context, or <see cref="AccountSecurityDbContext"/>.</typeparam>
    /// <param name="builder">The builder <c>AddAccountSecurity()</c> returned.</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    /// <exception cref="InvalidOperationException">
    /// The process cannot run dynamic code (Native AOT), which EF Core needs to run these stores' queries; the message
    /// says what to do instead, and nothing is registered.
    /// </exception>
    public static AccountSecurityBuilder UseEntityFrameworkCore<TContext>(this AccountSecurityBuilder builder)
        where TContext : DbContext
        => UseEntityFrameworkCore<TContext>(builder, RuntimeFeature.IsDynamicCodeSupported);

    /// <summary>The seam of <see cref="UseEntityFrameworkCore{TContext}(AccountSecurityBuilder)"/> that tests drive with dynamic code off.</summary>
    internal static AccountSecurityBuilder UseEntityFrameworkCore<TContext>(AccountSecurityBuilder builder, bool isDynamicCodeSupported)
        where TContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(builder);
        DynamicCodeRequirement.EnsureSupported(isDynamicCodeSupported);
        builder.Services.RemoveAll<IUserStore>();
        builder.Services.RemoveAll<IContractStore>();
        builder.Services.RemoveAll<ISessionStore>();
        builder.Services.RemoveAll<AccountSecurity.Auditing.IAuditStore>();
        builder.Services.AddScoped<IUserStore>(sp => new EntityFrameworkCoreUserStore<TContext>(sp.GetRequiredService<TContext>()));
        builder.Services.AddScoped<IContractStore>(sp => new EntityFrameworkCoreContractStore<TContext>(sp.GetRequiredService<TContext>()));
        builder.Services.AddScoped<ISessionStore>(sp => new EntityFrameworkCoreSessionStore<TContext>(sp.GetRequiredService<TContext>()));
        builder.Services.AddScoped<AccountSecurity.Auditing.IAuditStore>(sp => new EntityFrameworkCoreAuditStore<TContext>(sp.GetRequiredService<TContext>()));
        return builder;
    }

    /// <summary>
    /// Registers <see cref="AccountSecurityDbContext"/> with <paramref name="configureContext"/> (choose the provider
    /// and connection there, e.g. <c>o =&gt; o.UseSqlite("Data Source=accounts.db")</c>) and uses it as the store, for
    /// hosts that keep AccountSecurity's tables in a database of their own. The context is pooled
    /// (<c>AddDbContextPool</c>): it holds no state of a request, and building a new context per scope took CPU
    /// from bcrypt at the load driver's 20× overload on PostgreSQL (0.86× to 0.90× of raw, benchmarks/README.md). A
    /// host that needs scoped services in its context registers its own and calls
    /// <see cref="UseEntityFrameworkCore{TContext}(AccountSecurityBuilder)"/>. On SQLite the context's connections get
    /// SQLite's busy timeout (<see cref="AccountSecurity.EntityFrameworkCore.Sqlite.SqliteBusyTimeoutInterceptor"/>).
    /// </summary>
    /// <param name="builder">The builder <c>AddAccountSecurity()</c> returned.</param>
    /// <param name="configureContext">Configures the context's provider and connection.</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    /// <exception cref="InvalidOperationException">
    /// The process cannot run dynamic code (Native AOT), which EF Core needs to run these stores' queries; the message
    /// says what to do instead, and nothing is registered.
    /// </exception>
    public static AccountSecurityBuilder UseEntityFrameworkCore(this AccountSecurityBuilder builder, Action<DbContextOptionsBuilder> configureContext)
        => UseEntityFrameworkCore(builder, configureContext, RuntimeFeature.IsDynamicCodeSupported);

    /// <summary>The seam of <see cref="UseEntityFrameworkCore(AccountSecurityBuilder, Action{DbContextOptionsBuilder})"/> that tests drive with dynamic code off.</summary>
    internal static AccountSecurityBuilder UseEntityFrameworkCore(AccountSecurityBuilder builder, Action<DbContextOptionsBuilder> configureContext, bool isDynamicCodeSupported)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configureContext);

        // Before any registration: a Native AOT host fails at start-up with the way forward, never half-registered.
        DynamicCodeRequirement.EnsureSupported(isDynamicCodeSupported);
        builder.Services.AddDbContextPool<AccountSecurityDbContext>(options =>
        {
            configureContext(options);

            // On SQLite, a write that meets another waits in SQLite's busy handler, not 150 ms sleeps (no-op elsewhere).
            options.AddInterceptors(new AccountSecurity.EntityFrameworkCore.Sqlite.SqliteBusyTimeoutInterceptor());
        });
        return UseEntityFrameworkCore<AccountSecurityDbContext>(builder, isDynamicCodeSupported);
    }
}
