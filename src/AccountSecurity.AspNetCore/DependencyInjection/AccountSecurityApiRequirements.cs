using AccountSecurity.Accounts.Invitations;
using AccountSecurity.AspNetCore.Endpoints;
using AccountSecurity.AspNetCore.SignIn;
using AccountSecurity.Passwords.Reset;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AccountSecurity.AspNetCore.DependencyInjection;

/// <summary>
/// The services the JSON endpoints resolve that only the host can register, checked when they are mapped (the app's
/// container is built by then, so nothing can be added later): a missing one fails the start with what to register,
/// never a <c>500</c> with an empty body at the first request that needs it.
/// </summary>
internal static class AccountSecurityApiRequirements
{
    /// <summary>Throws <see cref="InvalidOperationException"/> naming every missing registration; the message holds type names and paths only.</summary>
    /// <exception cref="InvalidOperationException">A service an endpoint needs is not registered.</exception>
    /// <exception cref="OptionsValidationException">The layer's options are invalid (read here to learn which endpoints are mapped).</exception>
    public static AccountSecurityAspNetCoreOptions Verify(IServiceProvider services, string prefix)
    {
        // Everything else the endpoints resolve (sign-in manager, rate limiter, antiforgery, authentication and
        // authorization, data protection, the core services and their in-memory defaults) comes with AddAspNetCore().
        if (!IsRegistered(services, typeof(AccountSecuritySignInManager)))
        {
            throw new InvalidOperationException(
                $"MapAccountSecurityApi(\"{prefix}\") needs the ASP.NET Core layer: call builder.Services.AddAccountSecurity(…).AddAspNetCore() before building the app.");
        }

        var options = services.GetRequiredService<IOptions<AccountSecurityAspNetCoreOptions>>().Value;
        if (options.MapPasswordResetEndpoints && !IsRegistered(services, typeof(IPasswordResetTokenSender)))
        {
            throw new InvalidOperationException(
                $"POST {prefix.TrimEnd('/')}/password/reset needs an IPasswordResetTokenSender, which delivers the reset link to the user: "
                + "register one with services.AddSingleton<IPasswordResetTokenSender, YourSender>() before building the app, "
                + "or map no reset endpoints with AddAspNetCore(o => o.MapPasswordResetEndpoints = false).");
        }

        // Invitations and self-registration hand their tokens to the host's sender (UserCreationEndpoints decides what is mapped).
        if (UserCreationEndpoints.MapsAny(services, options) && !IsRegistered(services, typeof(IAccountInvitationSender)))
        {
            throw new InvalidOperationException(
                $"POST {prefix.TrimEnd('/')}/admin/users, /invitations/accept and /register need an IAccountInvitationSender, which delivers invitation links and account notices: "
                + "register one with services.AddSingleton<IAccountInvitationSender, YourSender>() before building the app, "
                + "or map none of them (AddAspNetCore(o => o.MapUserCreationEndpoints = false) and AccountSecurityOptions.Registration.Enabled = false).");
        }

        return options;
    }

    private static bool IsRegistered(IServiceProvider services, Type type)
    {
        if (services.GetService<IServiceProviderIsService>() is { } isService)
        {
            return isService.IsService(type);
        }

        // A container that cannot answer without resolving: resolve once in a throwaway scope (the services are scoped).
        using var scope = services.CreateScope();
        return scope.ServiceProvider.GetService(type) is not null;
    }
}
