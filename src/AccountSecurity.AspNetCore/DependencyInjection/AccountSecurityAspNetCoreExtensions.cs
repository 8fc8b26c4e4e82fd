using AccountSecurity.AspNetCore.Authentication;
using AccountSecurity.AspNetCore.Authorization;
using AccountSecurity.AspNetCore.DependencyInjection;
using AccountSecurity.AspNetCore.RateLimiting;
using AccountSecurity.AspNetCore.Sessions;
using AccountSecurity.AspNetCore.SignIn;
using AccountSecurity.DependencyInjection;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

// In this namespace so AddAspNetCore() is found next to AddAccountSecurity(), as the framework's own extensions are.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the ASP.NET Core layer of AccountSecurity.</summary>
public static class AccountSecurityAspNetCoreExtensions
{
    /// <summary>
    /// Adds the session cookie scheme (<see cref="AccountSecurityAuthenticationDefaults.SessionScheme"/>, the default
    /// scheme unless the host set one; its cookie holds only the reference of a server-side session, validated against
    /// the store on every request), the hosted service that cleans up ended sessions
    /// (<see cref="AccountSecuritySessionHttpOptions.CleanUpInterval"/>), the two-factor pending scheme
    /// (<see cref="AccountSecurityAuthenticationDefaults.PendingScheme"/>, lifetime = the sign-in ticket's), the policies
    /// of <see cref="AccountSecurityPolicies"/> and their handlers (each sends a session that must first set up forced
    /// two-factor authentication to the setup, see <see cref="ForcedTwoFactorSetupRequirement"/>), <see cref="AccountSecuritySignInManager"/>,
    /// <see cref="AccountSecurityRateLimiter"/> and antiforgery. Options are validated when the host starts.
    /// Safe to call more than once; each call's <paramref name="configure"/> is applied in order.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static AccountSecurityBuilder AddAspNetCore(this AccountSecurityBuilder builder, Action<AccountSecurityAspNetCoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddOptions<AccountSecurityAspNetCoreOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AccountSecurityAspNetCoreOptions>, AccountSecurityAspNetCoreOptionsValidator>());

        if (services.Any(d => d.ServiceType == typeof(AccountSecurityAspNetCoreMarker)))
        {
            return builder;
        }

        services.AddSingleton<AccountSecurityAspNetCoreMarker>();
        services.AddHttpContextAccessor();
        services.AddAuthentication()
            .AddCookie(AccountSecurityAuthenticationDefaults.SessionScheme)
            .AddCookie(AccountSecurityAuthenticationDefaults.PendingScheme);
        services.Configure<AuthenticationOptions>(o => o.DefaultScheme ??= AccountSecurityAuthenticationDefaults.SessionScheme);
        services.AddOptions<CookieAuthenticationOptions>(AccountSecurityAuthenticationDefaults.SessionScheme)
            .Configure<IOptions<AccountSecurityAspNetCoreOptions>, IOptions<AccountSecurityOptions>, TimeProvider>((cookie, layer, core, time) =>
                ConfigureSession(cookie, layer.Value.Cookies, core.Value.Sessions.MaxAbsoluteLifetime, time));
        services.AddOptions<CookieAuthenticationOptions>(AccountSecurityAuthenticationDefaults.PendingScheme)
            .Configure<IOptions<AccountSecurityAspNetCoreOptions>, IOptions<AccountSecurityOptions>, TimeProvider>((cookie, layer, core, time) =>
                ConfigurePending(cookie, layer.Value.Cookies, core.Value.SignIn.TicketLifetime, time));

        services.AddAuthorizationBuilder()
            .AddPolicy(AccountSecurityPolicies.SignedIn, p => SessionPolicy(p))
            .AddPolicy(AccountSecurityPolicies.SecondFactor, p => SessionPolicy(p).AddRequirements(SecondFactorSessionRequirement.Instance))
            .AddPolicy(AccountSecurityPolicies.SupportAgent, p => SessionPolicy(p).AddRequirements(SupportAgentRequirement.Instance));

        // Scoped: they use the library's scoped services (durable stores are scoped).
        services.TryAddEnumerable(ServiceDescriptor.Scoped<IAuthorizationHandler, SecAuthProtectionHandler>());
        services.TryAddEnumerable(ServiceDescriptor.Scoped<IAuthorizationHandler, SupportAgentHandler>());
        services.TryAddSingleton<DeviceCookie>();
        services.TryAddScoped(sp => new AccountSecuritySignInManager(
            sp.GetRequiredService<IHttpContextAccessor>(), sp.GetRequiredService<AccountSecurity.SignIn.ISignInService>(), sp.GetRequiredService<AccountSecurity.Sessions.ISessionService>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<AccountSecurityOptions>>(), sp.GetRequiredService<IOptions<AccountSecurityAspNetCoreOptions>>(),
            sp.GetRequiredService<DeviceCookie>()));
        // The abuse limits' one seam: in-process by default; AccountSecurity.Redis replaces the provider with shared limiters.
        services.TryAddSingleton<IAbuseLimiterProvider, InProcessAbuseLimiterProvider>();
        services.TryAddSingleton(sp => new AccountSecurityRateLimiter(
            sp.GetRequiredService<IOptions<AccountSecurityAspNetCoreOptions>>(), sp.GetRequiredService<IAbuseLimiterProvider>(),
            sp.GetService<Microsoft.Extensions.Logging.ILogger<AccountSecurityRateLimiter>>()));

        // Deletes ended and expired sessions every Sessions.CleanUpInterval (off when null: the host schedules SessionCleanup itself).
        services.AddHostedService<SessionCleanupService>();
        services.AddHostedService<AccountSecurity.AspNetCore.Auditing.AuditTrailHostedService>();

        services.AddAntiforgery();
        services.Configure<AntiforgeryOptions>(o =>
        {
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        return builder;
    }

    // A session that must first set up forced 2FA reaches only the endpoints marked AllowDuringTwoFactorSetup, one that
    // must first change a breached password only those marked AllowDuringPasswordChange.
    private static AuthorizationPolicyBuilder SessionPolicy(AuthorizationPolicyBuilder policy) =>
        policy.AddAuthenticationSchemes(AccountSecurityAuthenticationDefaults.SessionScheme)
            .RequireAuthenticatedUser()
            .RequireClaim(AccountSecurityClaimTypes.UserId)
            .RequireClaim(AccountSecurityClaimTypes.SecurityStamp)
            .AddRequirements(ForcedTwoFactorSetupRequirement.Instance, ForcedPasswordChangeRequirement.Instance);

    private static void ConfigureSession(CookieAuthenticationOptions cookie, AccountSecurityCookieOptions options, TimeSpan maxAbsoluteLifetime, TimeProvider time)
    {
        ConfigureCommon(cookie, options, time);
        cookie.Cookie.Name = options.SessionCookieName;
        cookie.Cookie.Path = "/";

        // The server-side session decides when a session ends (idle timeout, absolute lifetime, ending it): the cookie is
        // a browser-session cookie whose ticket is never renewed and expires with the longest lifetime the host allows,
        // so it can neither outlive nor extend a session; nothing in it is worth anything without the store.
        cookie.ExpireTimeSpan = maxAbsoluteLifetime;
        cookie.SlidingExpiration = false;
        cookie.Events.OnValidatePrincipal = AccountSecuritySessionValidator.ValidatePrincipalAsync;
    }

    private static void ConfigurePending(CookieAuthenticationOptions cookie, AccountSecurityCookieOptions options, TimeSpan ticketLifetime, TimeProvider time)
    {
        ConfigureCommon(cookie, options, time);
        cookie.Cookie.Name = options.PendingCookieName;
        cookie.Cookie.Path = options.PendingCookiePath;
        cookie.ExpireTimeSpan = ticketLifetime;
        cookie.SlidingExpiration = false;
    }

    private static void ConfigureCommon(CookieAuthenticationOptions cookie, AccountSecurityCookieOptions options, TimeProvider time)
    {
        cookie.Cookie.HttpOnly = true;
        cookie.Cookie.SameSite = options.SameSite;
        cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        cookie.Cookie.IsEssential = true;
        cookie.TimeProvider = time;
        cookie.LoginPath = options.LoginPath;
        cookie.AccessDeniedPath = options.AccessDeniedPath;
        cookie.ReturnUrlParameter = "returnUrl";
        ApiAwareCookieEvents.Apply(cookie.Events, options.LoginPath.HasValue, options.AccessDeniedPath.HasValue, options.TwoFactorSetupPath, options.PasswordChangePath);
    }

    /// <summary>Marks the one-time registrations as done.</summary>
    private sealed class AccountSecurityAspNetCoreMarker;
}
