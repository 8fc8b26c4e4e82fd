using System.Net;
using AccountSecurity.AspNetCore.Endpoints;
using AccountSecurity.AspNetCore.SignIn;
using AccountSecurity.Crypto;
using AccountSecurity.DependencyInjection;
using AccountSecurity.Events;
using AccountSecurity.Passkeys;
using AccountSecurity.Passkeys.AspNetCore;
using AccountSecurity.Passwords;
using AccountSecurity.Stores;
using AccountSecurity.Verification;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

// In this namespace so AddPasskeys() is found beside AddAccountSecurity() without an extra using.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers passkeys (<see cref="IPasskeyService"/>) on an <see cref="AccountSecurityBuilder"/>.</summary>
public static class AccountSecurityPasskeysExtensions
{
    /// <summary>
    /// Adds <see cref="IPasskeyService"/>. <paramref name="configure"/> must name the relying party: its RP id (a domain,
    /// never an IP address) and the exact origins the browser will report; the options are validated at start-up.
    /// </summary>
    public static AccountSecurityBuilder AddPasskeys(this AccountSecurityBuilder builder, Action<PasskeyOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        services.AddOptions<PasskeyOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PasskeyOptions>, PasskeyOptionsValidator>());
        services.TryAddSingleton<IFido2>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<PasskeyOptions>>().Value;
            return new Fido2(new Fido2Configuration
            {
                RPID = options.RelyingPartyId,
                RPName = options.RelyingPartyName,
                Origins = new HashSet<string>(options.Origins, StringComparer.Ordinal),
                Timeout = (uint)options.CeremonyLifetime.TotalMilliseconds,
            });
        });
        services.TryAddScoped(sp => new PasskeyService(
            sp.GetRequiredService<GuardedUserStore>(),
            sp.GetRequiredService<GuardedContractStore>(),
            sp.GetRequiredService<UserUpdater>(),
            sp.GetRequiredService<ContractUpdater>(),
            sp.GetRequiredService<FactorVerification>(),
            sp.GetRequiredService<PasswordVerifier>(),
            sp.GetRequiredService<SignInService>(),
            sp.GetRequiredService<SecurityEventPublisher>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ISecretProtector>(),
            sp.GetRequiredService<IFido2>(),
            sp.GetRequiredService<IOptions<PasskeyOptions>>(),
            sp.GetRequiredService<AccountSecurity.Reauthentication.ReauthenticationGate>(),
            sp.GetRequiredService<AccountSecurity.Reauthentication.ReauthenticationService>()));
        services.TryAddScoped<IPasskeyService>(sp => sp.GetRequiredService<PasskeyService>());

        // The ASP.NET Core facade, for hosts that called AddAspNetCore() (it needs the package's sign-in manager).
        services.TryAddScoped(sp => new PasskeySignInManager(sp.GetRequiredService<AccountSecuritySignInManager>(), sp.GetRequiredService<IPasskeyService>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAccountSecurityApiExtension, PasskeyEndpoints>());
        return builder;
    }
}

/// <summary>Refuses a relying party WebAuthn would refuse: no RP id, an IP address as RP id, no origin, an origin that is not an absolute http(s) URL on the RP id.</summary>
internal sealed class PasskeyOptionsValidator : IValidateOptions<PasskeyOptions>
{
    public ValidateOptionsResult Validate(string? name, PasskeyOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.RelyingPartyId))
        {
            failures.Add("Passkeys: RelyingPartyId is required (the site's domain, for example console.example.com or localhost).");
        }
        else if (IPAddress.TryParse(options.RelyingPartyId, out _))
        {
            failures.Add("Passkeys: RelyingPartyId must be a domain; browsers refuse an IP address.");
        }

        if (options.Origins.Count == 0)
        {
            failures.Add("Passkeys: at least one origin is required (for example https://console.example.com).");
        }

        foreach (var origin in options.Origins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.AbsolutePath != "/"
                || !(uri.Host == options.RelyingPartyId || uri.Host.EndsWith("." + options.RelyingPartyId, StringComparison.Ordinal)))
            {
                failures.Add($"Passkeys: the origin '{origin}' is not an http(s) origin on the RP id '{options.RelyingPartyId}'.");
            }
        }

        if (options.CeremonyLifetime <= TimeSpan.Zero || options.CeremonyLifetime > TimeSpan.FromMinutes(30))
        {
            failures.Add("Passkeys: CeremonyLifetime must be between 0 and 30 minutes.");
        }

        if (options.MaxNameLength is < 1 or > 200 || options.MaxPasskeysPerUser is < 1 or > 100 || options.MaxResponseLength is < 1024 or > 1024 * 1024)
        {
            failures.Add("Passkeys: MaxNameLength (1-200), MaxPasskeysPerUser (1-100) or MaxResponseLength (1 KB-1 MB) is out of range.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
