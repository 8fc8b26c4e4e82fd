using AccountSecurity.Lockout;
using AccountSecurity.SignIn;
using Microsoft.Extensions.DependencyInjection;

namespace AccountSecurity.PackageExamples;

/// <summary>
/// docs/lockout.md's examples: the device-token settings, and a host without the ASP.NET Core layer keeping the token
/// itself (a desktop or mobile client's secure storage, say).
/// </summary>
public static class DeviceTokenExample
{
    /// <summary>The device-token settings, at their defaults.</summary>
    public static IServiceCollection Configure(IServiceCollection services, byte[] key)
    {
        // snippet:begin options
        services.AddAccountSecurity(options =>
        {
            options.SecretProtection.AddKey("2026-11", key);
            options.Lockout.TrustedDevices.Enabled = true;                        // device tokens (the default)
            options.Lockout.TrustedDevices.Lifetime = TimeSpan.FromDays(90);      // trust ends 90 days after the last sign-in
            options.Lockout.TrustedDevices.MaxDevicesPerUser = 10;                // the least recently used gives way
            options.Lockout.TrustedDevices.Budget = new FactorLockoutOptions { MaxFailedAttempts = 5 };
        });
        // snippet:end
        return services;
    }

    /// <summary>A password step that presents the device's token and keeps the renewed one.</summary>
    public static async Task<SignInResult> SignInAsync(ISignInService signIn, string email, string password, IDeviceTokenStorage storage)
    {
        // snippet:begin sign-in
        var result = await signIn.PasswordSignInAsync(email, password, storage.Load(email));
        if (result.DeviceToken is { } renewed)
        {
            storage.Save(email, renewed); // a secret: keep it like a session cookie, never log it
        }

        return result; // SecondFactorRequired: the ticket remembers the device, so the second step counts there too
        // snippet:end
    }

    /// <summary>Where a client keeps its device tokens, one per account.</summary>
    public interface IDeviceTokenStorage
    {
        /// <summary>The token kept for <paramref name="email"/>, or <see langword="null"/>.</summary>
        string? Load(string email);

        /// <summary>Keeps <paramref name="token"/> for <paramref name="email"/>, replacing the old one.</summary>
        void Save(string email, string token);
    }
}
