using AccountSecurity.Accounts;
using AccountSecurity.Events;
using AccountSecurity.Resources;
using AccountSecurity.SignIn;
using AccountSecurity.TwoFactor;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OtpNet;

// Walks the core package through a whole account's life on its embedded stores and checks every answer. Exit code 0
// when every check passed; 1 (with the failed check) otherwise. Runs the same JIT-compiled and Native-AOT-compiled.
var checks = 0;
void Check(bool condition, string what)
{
    if (!condition)
    {
        throw new InvalidOperationException("check failed: " + what);
    }

    checks++;
}

try
{
    // Windows-only assemblies must not land in a Linux app's output (QRCoder 1.7+ would bring them).
    foreach (var windowsOnly in new[] { "System.Drawing.Common.dll", "Microsoft.Win32.SystemEvents.dll" })
    {
        Check(!File.Exists(Path.Combine(AppContext.BaseDirectory, windowsOnly)), windowsOnly + " is not in the output folder");
    }

    var time = new ManualTime(new DateTimeOffset(2030, 1, 1, 9, 0, 5, TimeSpan.Zero));
    var services = new ServiceCollection()
        .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
        .AddSingleton<TimeProvider>(time);
    services.AddAccountSecurity(options =>
    {
        options.Hashing.WorkFactor = 10;
        options.Totp.Issuer = "Consumer Cloud";
        options.SecretProtection.AddKey("consumer", Convert.FromBase64String(AccountSecurity.Crypto.SecretProtectionOptions.GenerateKey()));
    }).AddEventSink<CountingSink>();   // created by the container: its constructor must survive trimming

    await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    await using var scope = provider.CreateAsyncScope();
    var sp = scope.ServiceProvider;

    var accounts = sp.GetRequiredService<IAccountProvisioningService>();
    var owner = await accounts.CreateContractAsync(new NewContract { ContractId = "contract-1", ContractName = "Example GmbH", OwnerUserId = "owner-1", OwnerEmail = "owner@example.com", OwnerPassword = "correct horse battery staple" });
    Check(owner.Succeeded, "the contract and its owner are created");
    var weak = await accounts.CreateUserAsync("owner-1", new NewUser { UserId = "bob", Email = "bob@example.com", Role = UserRole.User, InitialPassword = "password" });
    Check(!weak.Succeeded && weak.HasError("password_too_short") && weak.HasError("password_common"), "a weak password is refused with every reason");
    Check((await accounts.CreateUserAsync("owner-1", new NewUser { UserId = "alice", Email = "alice@example.com", Role = UserRole.User, InitialPassword = "tangerine submarine orchestra" })).Succeeded, "the owner adds a user");

    var signIn = sp.GetRequiredService<ISignInService>();
    var signedIn = await signIn.PasswordSignInAsync("alice@example.com", "tangerine submarine orchestra");
    Check(signedIn.Succeeded && signedIn.Session is not null, "alice signs in with her password");

    var twoFactor = sp.GetRequiredService<ITwoFactorService>();
    var setup = await twoFactor.BeginSetupAsync(signedIn.Session!, "tangerine submarine orchestra");
    Check(setup.Succeeded, "2FA setup begins with the password");
    Check(setup.Value.QrCodePng.AsSpan(0, 8).SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), "the QR code renders as PNG");
    Check(setup.Value.QrCodeSvg.Contains("<svg", StringComparison.Ordinal), "the QR code renders as SVG");
    var secret = Base32Encoding.ToBytes(setup.Value.ManualEntryKey.Replace(" ", string.Empty, StringComparison.Ordinal));
    string CodeNow() => new Totp(secret).ComputeTotp(time.GetUtcNow().UtcDateTime);
    var confirmed = await twoFactor.ConfirmSetupAsync("alice", CodeNow());
    Check(confirmed.Succeeded && confirmed.Value.RecoveryCodes.Count == 10, "confirming with the app's code returns 10 recovery codes");

    var wrong = await signIn.PasswordSignInAsync("alice@example.com", "wrong password");
    Check(wrong.Status == SignInStatus.Failed, "a wrong password fails");
    var first = await signIn.PasswordSignInAsync("alice@example.com", "tangerine submarine orchestra");
    Check(first.Status == SignInStatus.SecondFactorRequired && first.Ticket is not null, "the password step asks for the second factor");
    var replay = await signIn.SecondFactorSignInAsync(first.Ticket, CodeNow());
    Check(!replay.Succeeded, "the code used for setup is not accepted again");
    time.Advance(TimeSpan.FromSeconds(30));
    var again = await signIn.PasswordSignInAsync("alice@example.com", "tangerine submarine orchestra");
    var second = await signIn.SecondFactorSignInAsync(again.Ticket, CodeNow());
    Check(second.Succeeded && second.Session!.UsedSecondFactor, "the next code completes the sign-in with the second factor");

    var access = sp.GetRequiredService<IProtectedResourceAccess>();
    Check(await access.CanSeeAsync(second.Session, secAuthProtection: true), "a 2FA session sees a protected resource");
    var passwordOnly = second.Session! with { Methods = [AuthenticationMethods.Password] };
    Check(!await access.CanSeeAsync(passwordOnly, secAuthProtection: true), "a password-only session does not");

    var sink = sp.GetServices<ISecurityEventSink>().OfType<CountingSink>().Single();
    Check(sink.Count(SecurityEventType.TwoFactorEnabled) == 1 && sink.Count(SecurityEventType.SignInSucceeded) >= 1, "the host's own sink received the events");

    Console.WriteLine($"console consumer: {checks} checks passed");
    return 0;
}
catch (Exception e)
{
    Console.Error.WriteLine($"console consumer FAILED after {checks} checks: {e.Message}");
    return 1;
}

/// <summary>The host's audit sink, registered by type.</summary>
internal sealed class CountingSink : ISecurityEventSink
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<SecurityEventType, int> _counts = new();

    public int Count(SecurityEventType type) => _counts.GetValueOrDefault(type);

    public ValueTask OnEventAsync(SecurityEvent securityEvent, CancellationToken cancellationToken)
    {
        _counts.AddOrUpdate(securityEvent.Type, 1, (_, n) => n + 1);
        return ValueTask.CompletedTask;
    }
}

/// <summary>A clock the consumer moves by hand, so the next TOTP step comes without waiting 30 seconds.</summary>
internal sealed class ManualTime(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
