using AccountSecurity.Reauthentication;
using AccountSecurity.SignIn;
using AccountSecurity.TwoFactor;
using Microsoft.Extensions.DependencyInjection;

namespace AccountSecurity.PackageExamples;

/// <summary>docs/reauthentication.md's example: step-up before a sensitive change, with the core services alone.</summary>
public static class ReauthenticationExample
{
    /// <summary>The window, changed at registration.</summary>
    public static IServiceCollection Configure(IServiceCollection services, byte[] key)
    {
        // snippet:begin reauthentication-options
        services.AddAccountSecurity(options =>
        {
            options.SecretProtection.AddKey("2026-12", key);
            options.Reauthentication.Window = TimeSpan.FromMinutes(5); // 1 minute .. 1 hour; default 10 minutes
        });
        // snippet:end
        return services;
    }

    /// <summary>Re-authenticates <paramref name="session"/> when it is not fresh, then replaces the recovery codes without a password in the call.</summary>
    public static async Task<IReadOnlyList<string>?> NewRecoveryCodesAsync(IServiceProvider services, AuthenticatedSession session, string password, string code)
    {
        // snippet:begin reauthentication
        var reauthentication = services.GetRequiredService<IReauthenticationService>();
        var status = await reauthentication.GetStatusAsync(session);
        if (!status.Succeeded)
        {
            return null; // not_authenticated: the session has ended
        }

        if (!status.Value!.IsFresh)
        {
            // status.Value.Methods says how to ask: "passkey", "password_and_code" or "password".
            var confirmed = await reauthentication.ReauthenticateAsync(session, password, code);
            if (!confirmed.Succeeded)
            {
                return null; // password_wrong_current, invalid_code, code_replayed, locked_out, busy, ...
            }

            session = confirmed.Value!.Session; // a token the host keeps itself is re-issued with this
        }

        // Within the window a sensitive change needs no password in the call (null = "the session proves it").
        var codes = await services.GetRequiredService<ITwoFactorService>()
            .RegenerateRecoveryCodesAsync(session, currentPassword: null, currentCode: null);
        // snippet:end
        return codes.Succeeded ? codes.Value : null;
    }
}
