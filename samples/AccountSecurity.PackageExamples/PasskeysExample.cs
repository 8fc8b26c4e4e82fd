using AccountSecurity.Passkeys;
using AccountSecurity.SignIn;
using Microsoft.Extensions.DependencyInjection;

namespace AccountSecurity.PackageExamples;

/// <summary>The AccountSecurity.Passkeys package README's example: registering passkeys and signing in with one.</summary>
public static class PasskeysExample
{
    /// <summary>Registers passkeys for a console served at https://console.example.com.</summary>
    public static ServiceProvider Register(byte[] key)
    {
        // snippet:begin register
        var services = new ServiceCollection();
        services.AddAccountSecurity(options => options.SecretProtection.AddKey("2026-11", key))
            .AddPasskeys(passkeys =>
            {
                passkeys.RelyingPartyId = "console.example.com";        // a domain, never an IP address
                passkeys.RelyingPartyName = "Example Cloud";
                passkeys.Origins.Add("https://console.example.com");    // exactly what the browser reports
            });
        // snippet:end
        return services.BuildServiceProvider();
    }

    /// <summary>The second step of a sign-in with a passkey: options to the browser, its answer back.</summary>
    public static async Task<SignInResult?> SecondStepAsync(IPasskeyService passkeys, string ticket, Func<string, Task<string>> browserGet)
    {
        // snippet:begin second-factor
        // After PasswordSignInAsync answered SecondFactorRequired with a ticket:
        var ceremony = await passkeys.BeginSecondFactorAsync(ticket);
        if (!ceremony.Succeeded)
        {
            return null; // the ticket expired: sign in again
        }

        // The browser runs navigator.credentials.get() with ceremony.Value.OptionsJson and returns the credential as JSON.
        var assertionJson = await browserGet(ceremony.Value!.OptionsJson);
        return await passkeys.SecondFactorSignInAsync(ticket, ceremony.Value.State, assertionJson);
        // snippet:end
    }
}
