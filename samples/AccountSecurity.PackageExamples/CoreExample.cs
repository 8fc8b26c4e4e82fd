using AccountSecurity.Accounts;
using AccountSecurity.SignIn;
using AccountSecurity.TwoFactor;
using Microsoft.Extensions.DependencyInjection;

namespace AccountSecurity.PackageExamples;

/// <summary>The AccountSecurity package README's example: a contract and a user, 2FA setup, a two-step sign-in.</summary>
public static class CoreExample
{
    /// <summary>Runs the example; reads the user's TOTP codes from the console.</summary>
    public static async Task RunAsync()
    {
        // snippet:begin core
        // 32 random bytes from your secret store (SecretProtectionOptions.GenerateKey() makes one, Base64).
        var key = Convert.FromBase64String(Environment.GetEnvironmentVariable("TOTP_KEY") ?? throw new InvalidOperationException("Set TOTP_KEY."));

        var services = new ServiceCollection();
        services.AddAccountSecurity(options =>           // in-memory stores by default; validated at start-up
        {
            options.Totp.Issuer = "Example Cloud";         // the name authenticator apps show
            options.SecretProtection.AddKey("2026-11", key); // encrypts TOTP secrets at rest (AES-256-GCM)
        });
        await using var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        var sp = scope.ServiceProvider;

        // A contract (tenant) and its owner; the owner adds a user. Weak passwords come back as errors with codes.
        var accounts = sp.GetRequiredService<IAccountProvisioningService>();
        await accounts.CreateContractAsync(new NewContract
        {
            ContractId = "contract-1",
            ContractName = "Example GmbH",
            OwnerUserId = "owner-1",
            OwnerEmail = "owner@example.com",
            OwnerPassword = "correct horse battery staple",
        });
        var alice = await accounts.CreateUserAsync("owner-1", new NewUser
        {
            UserId = "alice",
            Email = "alice@example.com",
            Role = UserRole.User,
            InitialPassword = "tangerine submarine orchestra",
        });
        if (!alice.Succeeded) { foreach (var e in alice.Errors) Console.WriteLine($"{e.Code}: {e.Message}"); return; }

        // Alice, signed in, turns on 2FA: her session and her password, then she scans the QR code (or types the key)
        // and confirms with a code from her app.
        var signIn = sp.GetRequiredService<ISignInService>();
        var session = (await signIn.PasswordSignInAsync("alice@example.com", "tangerine submarine orchestra")).Session!;
        var twoFactor = sp.GetRequiredService<ITwoFactorService>();
        var setup = (await twoFactor.BeginSetupAsync(session, "tangerine submarine orchestra")).Value;
        await File.WriteAllBytesAsync("alice-qr.png", setup.QrCodePng);   // or setup.QrCodeSvg inline in a page
        Console.Write($"Scan alice-qr.png or type {setup.ManualEntryKey}, then enter the code: ");
        var confirmed = await twoFactor.ConfirmSetupAsync("alice", Console.ReadLine());
        Console.WriteLine(confirmed.Succeeded ? $"Recovery codes (shown once): {string.Join(' ', confirmed.Value.RecoveryCodes)}" : confirmed.Errors[0].Code);

        // Sign-in: the password first; with 2FA on, a single-use ticket (5 minutes) for the second step.
        var first = await signIn.PasswordSignInAsync("alice@example.com", "tangerine submarine orchestra");
        if (first.Status == SignInStatus.SecondFactorRequired)
        {
            Console.Write("Next code from the app (each code works once): ");
            var second = await signIn.SecondFactorSignInAsync(first.Ticket, Console.ReadLine());
            Console.WriteLine(second.Succeeded ? $"Signed in with 2FA: {second.Session}" : $"Refused: {second.ErrorCode}");
        }
        // snippet:end
    }
}
