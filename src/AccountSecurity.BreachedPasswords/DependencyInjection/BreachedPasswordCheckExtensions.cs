using AccountSecurity.BreachedPasswords;
using AccountSecurity.BreachedPasswords.DependencyInjection;
using AccountSecurity.BreachedPasswords.Sources;
using AccountSecurity.DependencyInjection;
using AccountSecurity.Passwords.Policy;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Polly;

// In this namespace so AddBreachedPasswordCheck() is found beside AddAccountSecurity() without an extra using.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the breached-password check to AccountSecurity.</summary>
public static class BreachedPasswordCheckExtensions
{
    /// <summary>
    /// Adds the breached-password check as one more password rule: registration, invitations, change and reset refuse
    /// a password found in a data breach (<c>password_breached</c>), checked last, only when every local rule passed.
    /// Against the range API by default (base address, padding, per-attempt timeout and retries from
    /// Microsoft.Extensions.Http.Resilience, a size cap, a cache of recent ranges), or against a local mirror folder
    /// (<see cref="BreachedPasswordOptions.MirrorDirectory"/>). Safe to call more than once: the services are added once
    /// and each call's <paramref name="configure"/> is applied in order. Options are validated when the host starts.
    /// </summary>
    /// <remarks>
    /// Only the first 5 hex characters of the password's SHA-1 are ever sent or logged; the password, its full hash
    /// and its suffix never reach a request, a log line, an event, a metric or an exception. The named HTTP client is
    /// <c>AccountSecurity.BreachedPasswords</c>: a host may add its own handlers (a proxy) to it.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static AccountSecurityBuilder AddBreachedPasswordCheck(this AccountSecurityBuilder builder, Action<BreachedPasswordOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddOptions<BreachedPasswordOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        if (services.Any(d => d.ServiceType == typeof(BreachedPasswordChecker)))
        {
            return builder;
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BreachedPasswordOptions>, BreachedPasswordOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        services.AddHttpClient(PwnedPasswordsApiSource.HttpClientName)
            .ConfigureHttpClient((sp, client) =>
            {
                var settings = sp.GetRequiredService<IOptions<BreachedPasswordOptions>>().Value;
                client.BaseAddress = settings.ApiBaseAddress;

                // The source's own budget (TotalTimeout on the host's clock) governs; this is only the backstop.
                client.Timeout = settings.TotalTimeout + TimeSpan.FromSeconds(1);
                client.DefaultRequestHeaders.UserAgent.ParseAdd("AccountSecurity.BreachedPasswords");
            })
            .AddResilienceHandler("breached-passwords", (pipeline, context) =>
            {
                var settings = context.ServiceProvider.GetRequiredService<IOptions<BreachedPasswordOptions>>().Value;
                if (settings.MaxRetries > 0)
                {
                    pipeline.AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = settings.MaxRetries,
                        Delay = TimeSpan.FromMilliseconds(100),
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                    });
                }

                pipeline.AddTimeout(settings.RequestTimeout);
            });

        services.TryAddSingleton<IPwnedRangeSource>(sp => sp.GetRequiredService<IOptions<BreachedPasswordOptions>>().Value.MirrorDirectory is null
            ? new PwnedPasswordsApiSource(sp.GetRequiredService<IHttpClientFactory>(), sp.GetRequiredService<IOptions<BreachedPasswordOptions>>(), sp.GetRequiredService<TimeProvider>())
            : new LocalMirrorSource(sp.GetRequiredService<IOptions<BreachedPasswordOptions>>()));
        services.TryAddSingleton(sp => new BreachedPasswordChecker(
            sp.GetRequiredService<IPwnedRangeSource>(), sp.GetRequiredService<IOptions<BreachedPasswordOptions>>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<BreachedPasswordChecker>>() ?? NullLogger<BreachedPasswordChecker>.Instance, sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAsyncPasswordRule, BreachedPasswordRule>(
            sp => new BreachedPasswordRule(sp.GetRequiredService<BreachedPasswordChecker>(), sp.GetRequiredService<IOptions<BreachedPasswordOptions>>())));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISignInPasswordScreen, BreachedPasswordSignInScreen>(
            sp => new BreachedPasswordSignInScreen(sp.GetRequiredService<BreachedPasswordChecker>(), sp.GetRequiredService<IOptions<BreachedPasswordOptions>>())));
        return builder;
    }
}
