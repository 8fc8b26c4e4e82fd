using AccountSecurity.Resources;
using AccountSecurity.SignIn;
using AccountSecurity.TwoFactor;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;
using QRCoder;

namespace AccountSecurity.Sample;

/// <summary>A data center as the host's own type; the library only reads its secAuthProtection flag.</summary>
internal sealed record DataCenter(string Name, bool SecAuthProtection) : ISecAuthProtectedResource;

/// <summary>The owner forces 2FA on a user; the user is sent through setup at sign-in; protected resources appear only after a 2FA sign-in.</summary>
internal static class TwoFactorScenario
{
    /// <returns>The user's session after the scenario: her latest sign-in.</returns>
    public static async Task<AuthenticatedSession> RunAsync(IServiceProvider services, AuthenticatedSession owner, string userId, string email, string password, TextWriter output)
    {
        var admin = services.GetRequiredService<ITwoFactorAdministrationService>();
        var signIn = services.GetRequiredService<ISignInService>();
        var twoFactor = services.GetRequiredService<ITwoFactorService>();
        var resources = services.GetRequiredService<IProtectedResourceAccess>();
        DataCenter[] dataCenters = [new("Frankfurt (de/fra)", SecAuthProtection: false), new("Berlin (de/txl) - production", SecAuthProtection: true)];

        Section(output, "6. Before 2FA: the protected data center is hidden");
        var plain = await signIn.PasswordSignInAsync(email, password);
        output.WriteLine($"   password sign-in: {plain.Status}, methods [{string.Join(", ", plain.Session!.Methods)}]");
        output.WriteLine($"   visible data centers: {string.Join("; ", (await resources.FilterAsync(plain.Session, dataCenters)).Select(d => d.Name))}");

        Section(output, "7. The owner forces 2FA on alice (but cannot switch it on for her)");
        output.WriteLine($"   force: {Describe(await admin.SetForcedAsync(owner, userId, forced: true))}");

        Section(output, "8. Alice signs in and is sent to the setup assistant");
        var first = await signIn.PasswordSignInAsync(email, password);
        output.WriteLine($"   password sign-in: {first.Status}");
        var setup = await signIn.BeginTwoFactorSetupAsync(first.Ticket);
        output.WriteLine("   scan this QR code with an authenticator app:");
        using (var qr = new QRCodeGenerator().CreateQrCode(setup.Value.OtpAuthUri, QRCodeGenerator.ECCLevel.L))
        {
            foreach (var line in new AsciiQRCode(qr).GetLineByLineGraphic(1, drawQuietZones: false))
            {
                output.WriteLine("   " + line);
            }
        }

        output.WriteLine($"   or type the key by hand ({setup.Value.ManualEntryKey.Length} characters in groups of four; not printed here)");
        var code = AuthenticatorApp(setup.Value.OtpAuthUri);
        var completed = await signIn.TwoFactorSetupSignInAsync(first.Ticket, code);
        output.WriteLine($"   confirmed with the app's code: {completed.Status}, methods [{string.Join(", ", completed.Session!.Methods)}], {completed.RecoveryCodes!.Count} recovery codes shown once");
        output.WriteLine($"   visible data centers: {string.Join("; ", (await resources.FilterAsync(completed.Session, dataCenters)).Select(d => d.Name))}");
        output.WriteLine($"   the old password-only session is still valid: {await signIn.ValidateSessionAsync(plain.Session)} (2FA changed the security stamp)");

        Section(output, "9. The same code cannot be used twice");
        var second = await signIn.PasswordSignInAsync(email, password);
        var replay = await signIn.SecondFactorSignInAsync(second.Ticket, code);
        output.WriteLine($"   password step: {second.Status}; replaying the code: {replay.Status} ({replay.ErrorCode})");
        var recovery = await signIn.RecoveryCodeSignInAsync(second.Ticket, completed.RecoveryCodes[0]);
        output.WriteLine($"   a recovery code instead: {recovery.Status}, methods [{string.Join(", ", recovery.Session!.Methods)}]");
        output.WriteLine($"   disabling 2FA while forced: {Describe(await twoFactor.DisableAsync(recovery.Session!, password, code))}");

        Section(output, "10. The password alone never moves an active second factor");
        var moved = await twoFactor.BeginSetupAsync(recovery.Session!, password);
        output.WriteLine($"   a new authenticator with the password only: {(moved.Succeeded ? "succeeded" : "refused (" + moved.Errors[0].Code + ")")}");
        var regenerated = await twoFactor.RegenerateRecoveryCodesAsync(recovery.Session!, password, completed.RecoveryCodes[1]);
        output.WriteLine($"   new recovery codes with the password and a recovery code: {(regenerated.Succeeded ? $"succeeded, {regenerated.Value.Count} new codes (the used one is spent, the rest replaced)" : "refused (" + regenerated.Errors[0].Code + ")")}");
        return recovery.Session!;
    }

    /// <summary>Stands in for the phone: reads the secret from the otpauth URI and computes the current code.</summary>
    private static string AuthenticatorApp(string otpauthUri)
    {
        var query = new Uri(otpauthUri).Query.TrimStart('?').Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));
        return new Totp(Base32Encoding.ToBytes(query["secret"])).ComputeTotp();
    }

    private static void Section(TextWriter output, string title)
    {
        output.WriteLine();
        output.WriteLine(title);
    }

    private static string Describe(AccountSecurity.Results.SecurityResult result) =>
        result.Succeeded ? "succeeded" : "refused (" + string.Join(", ", result.Errors.Select(e => e.Code)) + ")";
}
