using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AccountSecurity.LoadTest;

/// <summary>ASP.NET Core Identity's EF Core context, nothing added: the schema its templates create.</summary>
internal sealed class VersusIdentityDbContext(DbContextOptions<VersusIdentityDbContext> options) : IdentityDbContext<IdentityUser>(options);

/// <summary>
/// ASP.NET Core Identity 10 as its documentation sets up an API host, on Kestrel in this process (the versus-identity
/// mode, issue 31): <c>AddIdentityApiEndpoints&lt;IdentityUser&gt;()</c> on an <see cref="IdentityDbContext"/>
/// (<c>AddDbContext</c>, as its templates register it), <c>MapIdentityApi</c> under <c>/identity</c> (sign-in:
/// <c>POST /identity/login?useCookies=true</c>), and <c>GET /me</c> behind the cookie, answering the user's name. The
/// cookie's security stamp is validated on every request (<c>ValidationInterval = 0</c>, one user read, as the library
/// revalidates its server-side session on every request); PBKDF2 at the iterations it is started with. Everything else is
/// Identity's default (lockout after 5 failures in a row, cleared by a success).
/// </summary>
internal sealed class IdentityLoadHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private IdentityLoadHost(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<IdentityLoadHost> StartAsync(Action<DbContextOptionsBuilder> database, int iterations)
    {
        var (app, address) = await KestrelLoopback.StartAsync(
            builder =>
            {
                builder.Services.AddDbContext<VersusIdentityDbContext>(database);
                builder.Services.AddAuthorization();
                builder.Services.AddIdentityApiEndpoints<IdentityUser>().AddEntityFrameworkStores<VersusIdentityDbContext>();
                builder.Services.Configure<PasswordHasherOptions>(o => o.IterationCount = iterations);
                builder.Services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.Zero);
            },
            app =>
            {
                app.UseAuthentication();
                app.UseAuthorization();
                app.MapGroup("/identity").MapIdentityApi<IdentityUser>();
                app.MapGet("/me", (ClaimsPrincipal user) => user.Identity?.Name ?? string.Empty).RequireAuthorization();
            });
        var host = new IdentityLoadHost(app, address);
        await host.InScopeAsync(async services =>
        {
            var context = services.GetRequiredService<VersusIdentityDbContext>();
            await context.Database.EnsureDeletedAsync();
            await context.Database.EnsureCreatedAsync();
        });
        return host;
    }

    /// <summary>Registers <paramref name="count"/> users through <see cref="UserManager{TUser}"/> (a core's worth at a time), the e-mail as user name; returns their e-mails.</summary>
    public async Task<IReadOnlyList<string>> CreateUsersAsync(string prefix, int count)
    {
        var emails = new string[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, async (i, _) =>
        {
            emails[i] = $"{prefix}-user{i}@load.example";
            await InScopeAsync(async services =>
            {
                var created = await services.GetRequiredService<UserManager<IdentityUser>>().CreateAsync(new IdentityUser { UserName = emails[i], Email = emails[i] }, LoadSettings.Password);
                if (!created.Succeeded)
                {
                    throw new InvalidOperationException($"Identity did not create a user: {string.Join(", ", created.Errors.Select(e => e.Code))}.");
                }
            });
        });
        return emails;
    }

    public HttpClient NewClient() => KestrelLoopback.NewClient(BaseAddress);

    public ValueTask DisposeAsync() => KestrelLoopback.StopAsync(_app);

    /// <summary>One PBKDF2 verification as Identity's hasher does it at <paramref name="iterations"/>, of a hash made once.</summary>
    public static Func<bool> Pbkdf2Verifier(int iterations)
    {
        var hasher = new PasswordHasher<IdentityUser>(Options.Create(new PasswordHasherOptions { IterationCount = iterations }));
        var user = new IdentityUser("raw-rate-probe");
        var hash = hasher.HashPassword(user, LoadSettings.Password);
        return () => hasher.VerifyHashedPassword(user, hash, LoadSettings.Password) == PasswordVerificationResult.Success;
    }

    private async Task InScopeAsync(Func<IServiceProvider, Task> operation)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        await operation(scope.ServiceProvider);
    }
}
