using AccountSecurity.Passwords.Change;
using AccountSecurity.Passwords.Reset;
using AccountSecurity.SignIn;
using Microsoft.Extensions.DependencyInjection;

namespace AccountSecurity.Sample;

/// <summary>
/// The README's integration example, kept here so that it compiles with every build. Keep the two in step: the
/// lines between the markers are what the README shows.
/// </summary>
internal static class ReadmeExample
{
    public static async Task RunAsync(byte[] keyFromYourSecretStore, AuthenticatedSession session, string current, string proposed, string repeated)
    {
        // README:begin
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IPasswordResetTokenSender, MyResetMailQueue>();   // delivers reset links
        services.AddAccountSecurity(options =>                                   // validated at start-up
        {
            options.Totp.Issuer = "Example Cloud";                               // shown in authenticator apps
            options.SecretProtection.AddKey("2026-11", keyFromYourSecretStore);  // encrypts TOTP secrets at rest
        });

        using var scope = services.BuildServiceProvider().CreateScope();
        var changes = scope.ServiceProvider.GetRequiredService<IPasswordChangeService>();
        var result = await changes.ChangePasswordAsync(session, current, proposed, repeated);
        if (!result.Succeeded) { foreach (var e in result.Errors) Console.WriteLine($"{e.Code}: {e.Message}"); }
        // README:end
    }

    /// <summary>The host's mail queue in the example.</summary>
    private sealed class MyResetMailQueue : IPasswordResetTokenSender
    {
        public ValueTask SendAsync(PasswordResetMessage message, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
