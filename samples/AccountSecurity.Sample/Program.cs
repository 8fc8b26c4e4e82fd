using AccountSecurity.Accounts;
using AccountSecurity.Passwords.Change;
using AccountSecurity.Passwords.Policy;
using AccountSecurity.Passwords.Reset;
using AccountSecurity.Sample;
using AccountSecurity.SignIn;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// A walk through the console's "Password & Security" and "Users & Groups" pages, on the embedded in-memory stores.
var mailbox = new SampleMailbox();
var services = new ServiceCollection()
    .AddLogging(logging => logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning))
    .AddSingleton<IPasswordResetTokenSender>(mailbox);
services.AddAccountSecurity(options =>
{
    options.Hashing.WorkFactor = 10;
    options.Totp.Issuer = "Example Cloud";
    // A real host loads this key from its secret store; a fresh one per run is enough for the sample.
    options.SecretProtection.AddKey("sample-2026", Convert.FromBase64String(AccountSecurity.Crypto.SecretProtectionOptions.GenerateKey()));
});

await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
await using var scope = provider.CreateAsyncScope();
var sp = scope.ServiceProvider;
var output = Console.Out;

var provisioning = sp.GetRequiredService<IAccountProvisioningService>();
var policies = sp.GetRequiredService<IPasswordPolicyService>();
var changes = sp.GetRequiredService<IPasswordChangeService>();
var resets = sp.GetRequiredService<IPasswordResetService>();

Section(output, "1. A contract with its owner, an administrator and a user");
var owner = (await provisioning.CreateContractAsync(new NewContract { ContractId = "contract-4711", ContractName = "Example GmbH", OwnerUserId = "owner", OwnerEmail = "owner@example.com", OwnerPassword = "correct horse battery staple" })).Value;
await provisioning.CreateUserAsync(owner.Id, new NewUser { UserId = "admin", Email = "admin@example.com", Role = UserRole.Administrator, InitialPassword = "violet kettle mountain river" });
var alice = (await provisioning.CreateUserAsync(owner.Id, new NewUser { UserId = "alice", Email = "alice@example.com", Role = UserRole.User, InitialPassword = "tangerine submarine orchestra" })).Value;
output.WriteLine($"   created {owner.Email} (owner), admin@example.com (administrator), {alice.Email} (user)");

Section(output, "2. Only the owner may set the contract's password policy");
var strict = PasswordPolicySettings.Default with { MinimumLength = 14, MinimumDigits = 1, MinimumUppercase = 1, MinimumSpecial = 1 };
// Each acts with the session of their sign-in: an administrator's or owner's change needs a recent sign-in.
var signIn = sp.GetRequiredService<ISignInService>();
var adminSession = (await signIn.PasswordSignInAsync("admin@example.com", "violet kettle mountain river")).Session!;
var ownerSession = (await signIn.PasswordSignInAsync("owner@example.com", "correct horse battery staple")).Session!;
var byAdmin = await policies.SetPolicyAsync(adminSession, strict);
output.WriteLine($"   administrator tries: {Describe(byAdmin)}");
var byOwner = await policies.SetPolicyAsync(ownerSession, strict);
output.WriteLine($"   owner sets min 14, 1 digit, 1 upper-case, 1 special: {Describe(byOwner)}");

Section(output, "3. Alice's weak passwords are refused with every reason");
var aliceSession = (await signIn.PasswordSignInAsync("alice@example.com", "tangerine submarine orchestra")).Session!;
foreach (var weak in new[] { "password", "alice@example.com", "Summer2024" })
{
    var refused = await changes.ChangePasswordAsync(aliceSession, "tangerine submarine orchestra", weak, weak);
    output.WriteLine($"   refused a {weak.Length}-character candidate:");
    foreach (var error in refused.Errors)
    {
        output.WriteLine($"     - {error.Code}: {error.Message}");
    }
}

Section(output, "4. A strong password is accepted");
var changed = await changes.ChangePasswordAsync(aliceSession, "tangerine submarine orchestra", "Granite-Pelican-42-Lantern", "Granite-Pelican-42-Lantern");
output.WriteLine($"   change: {Describe(changed)}; other sessions end (new security stamp issued)");

Section(output, "5. Alice forgot it: reset by e-mail");
var request = await resets.RequestResetAsync("alice@example.com");
var unknown = await resets.RequestResetAsync("nobody@example.com");
output.WriteLine($"   request for alice: {Describe(request)}; for an unknown address: {Describe(unknown)} (same answer)");
var token = await mailbox.TakeTokenAsync("alice@example.com");
output.WriteLine($"   the reset link reached alice's mailbox (token of {token.Length} characters, not shown)");
var reset = await resets.ResetPasswordAsync("alice@example.com", token, "Quartz-Meadow-17-Harbor!", "Quartz-Meadow-17-Harbor!");
output.WriteLine($"   reset with the token: {Describe(reset)}");
var again = await resets.ResetPasswordAsync("alice@example.com", token, "Another-Try-99-Harbor!", "Another-Try-99-Harbor!");
output.WriteLine($"   the same token again: {Describe(again)}");

var aliceAfter2Fa = await TwoFactorScenario.RunAsync(sp, ownerSession, alice.Id, "alice@example.com", "Quartz-Meadow-17-Harbor!", output);
await SupportPinScenario.RunAsync(sp, aliceAfter2Fa, "Quartz-Meadow-17-Harbor!", "alice@example.com", output);

// The refusals above are security events the library logs (the "warn:" lines). The console logger writes from a
// queue of its own; disposing the provider waits for that queue, so every event is printed before "Done." rather
// than after it (issue 27 item 11). Disposing twice (again at the end of the program) is harmless.
await scope.DisposeAsync();
await provider.DisposeAsync();
output.WriteLine();
output.WriteLine("Done.");

static void Section(TextWriter output, string title)
{
    output.WriteLine();
    output.WriteLine(title);
}

static string Describe(AccountSecurity.Results.SecurityResult result) =>
    result.Succeeded ? "succeeded" : "refused (" + string.Join(", ", result.Errors.Select(e => e.Code)) + ")";
