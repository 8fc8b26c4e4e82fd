using System.Security.Cryptography;
using AccountSecurity.Accounts;
using AccountSecurity.DependencyInjection;
using AccountSecurity.Passwords.Change;
using AccountSecurity.Resources;
using AccountSecurity.SignIn;
using AccountSecurity.Stores;
using AccountSecurity.Testing;
using AccountSecurity.TwoFactor;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using OtpNet;

namespace AccountSecurity.Tests.SignIn;

/// <summary>A user whose 2FA is active: the secret the "phone" holds and the recovery codes shown at confirmation.</summary>
internal sealed record Enrolled(byte[] Secret, string Base32, string ManualKey, IReadOnlyList<string> RecoveryCodes);

/// <summary>
/// The one service-provider setup for sign-in, two-factor and protected-resource tests: fake clock, collecting logs
/// and events, cheap bcrypt, a test key for secret protection; plus helpers that play the authenticator app.
/// </summary>
internal sealed class TwoFactorTestHost : IDisposable
{
    public const string ContractId = "contract-a";
    public const string OwnerId = "owner-a";
    public const string OwnerEmail = "boss@a.example";
    public const string OwnerPassword = "Quartz-Meadow-Falcon-3!";
    public const string UserPassword = "Tangerine-Harbor-Lantern-7!";
    public const string NewPassword = "Velvet-Glacier-Compass-9!";

    private readonly ServiceProvider _root;
    private readonly IServiceScope _scope;

    private TwoFactorTestHost(Action<AccountSecurityOptions>? configure, Action<IServiceCollection>? extra)
    {
        // A fixed start a few seconds into a 30-second TOTP step.
        Time = new FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 9, 0, 5, TimeSpan.Zero));
        Logs = new CollectingLoggerProvider();
        Events = new CollectingSecurityEventSink();
        var services = new ServiceCollection()
            .AddLogging(b => b.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace))
            .AddSingleton<TimeProvider>(Time);
        extra?.Invoke(services); // before AddAccountSecurity, whose TryAdd then keeps a replacement store
        services.AddAccountSecurity(o =>
        {
            o.Hashing.WorkFactor = 4;
            o.Hashing.AllowInsecureWorkFactorForTesting = true;
            o.Totp.Issuer = "Test Cloud";
            o.SecretProtection.AddKey("k1", RandomNumberGenerator.GetBytes(32));
            configure?.Invoke(o);
        }).AddEventSink(Events);
        _root = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        _scope = _root.CreateScope();
    }

    public FakeTimeProvider Time { get; }

    public CollectingLoggerProvider Logs { get; }

    public CollectingSecurityEventSink Events { get; }

    public IServiceProvider Services => _scope.ServiceProvider;

    public ISignInService SignIn => Services.GetRequiredService<ISignInService>();

    public ITwoFactorService TwoFactor => Services.GetRequiredService<ITwoFactorService>();

    public ITwoFactorAdministrationService Admin => Services.GetRequiredService<ITwoFactorAdministrationService>();

    public IProtectedResourceAccess Resources => Services.GetRequiredService<IProtectedResourceAccess>();

    public IAccountProvisioningService Provisioning => Services.GetRequiredService<IAccountProvisioningService>();

    public IPasswordChangeService PasswordChange => Services.GetRequiredService<IPasswordChangeService>();

    public IUserStore Users => Services.GetRequiredService<IUserStore>();

    /// <summary>
    /// A host with contract <see cref="ContractId"/> and its owner <see cref="OwnerId"/> already created;
    /// <paramref name="services"/> may register replacements (a store) first.
    /// </summary>
    public static async Task<TwoFactorTestHost> CreateAsync(Action<AccountSecurityOptions>? configure = null, Action<IServiceCollection>? services = null)
    {
        var host = new TwoFactorTestHost(configure, services);
        await host.CreateContractAsync(ContractId, OwnerId, OwnerEmail);
        return host;
    }

    public async Task<UserAccount> CreateContractAsync(string contractId, string ownerId, string ownerEmail)
    {
        var owner = await Provisioning.CreateContractAsync(new NewContract { ContractId = contractId, ContractName = "Contract " + contractId, OwnerUserId = ownerId, OwnerEmail = ownerEmail, OwnerPassword = OwnerPassword });
        owner.Succeeded.Should().BeTrue(owner.ToString());
        return await GetUserAsync(owner.Value.Id); // the stored record: tests look at hashes the summary never carries
    }

    public async Task<UserAccount> CreateUserAsync(string userId, UserRole role = UserRole.User, string actingUserId = OwnerId)
    {
        var user = await Provisioning.CreateUserAsync(actingUserId, new NewUser { UserId = userId, Email = userId + "@a.example", Role = role, InitialPassword = UserPassword });
        user.Succeeded.Should().BeTrue(user.ToString());
        return await GetUserAsync(user.Value.Id);
    }

    public static string EmailOf(string userId) => userId + "@a.example";

    public async Task<UserAccount> GetUserAsync(string userId) =>
        (await Users.FindByIdAsync(userId, CancellationToken.None)) ?? throw new InvalidOperationException("no user " + userId);

    /// <summary>Writes a change to a stored user (with the version read), failing the test on a conflict.</summary>
    public async Task UpdateUserAsync(string userId, Func<UserAccount, UserAccount> change)
    {
        var user = await GetUserAsync(userId);
        (await Users.UpdateAsync(change(user), CancellationToken.None)).Should().Be(StoreWriteResult.Success);
    }

    /// <summary>Begins and confirms setup with the user's password; returns what the phone holds.</summary>
    public async Task<Enrolled> EnableTwoFactorAsync(string userId, string password = UserPassword)
    {
        var setup = await TwoFactor.BeginSetupAsync(TestSessions.Of(userId), password);
        setup.Succeeded.Should().BeTrue(setup.ToString());
        var secret = SecretOf(setup.Value);
        var confirmed = await TwoFactor.ConfirmSetupAsync(userId, CodeFor(secret));
        confirmed.Succeeded.Should().BeTrue(confirmed.ToString());
        NextStep();
        return new Enrolled(secret, Base32Of(setup.Value), setup.Value.ManualEntryKey, confirmed.Value.RecoveryCodes);
    }

    /// <summary>The Base32 secret in the otpauth URI.</summary>
    public static string Base32Of(TwoFactorSetup setup)
    {
        var query = new Uri(setup.OtpAuthUri).Query.TrimStart('?').Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));
        return query["secret"];
    }

    public static byte[] SecretOf(TwoFactorSetup setup) => Base32Encoding.ToBytes(Base32Of(setup));

    /// <summary>What the authenticator app shows now.</summary>
    public string CodeFor(byte[] secret) => new Totp(secret).ComputeTotp(Time.GetUtcNow().UtcDateTime);

    /// <summary>A six-digit code that is not valid for <paramref name="secret"/> within the drift window now.</summary>
    public string WrongCodeFor(byte[] secret)
    {
        var totp = new Totp(secret);
        var now = Time.GetUtcNow().UtcDateTime;
        var valid = new[] { -30, 0, 30 }.Select(s => totp.ComputeTotp(now.AddSeconds(s))).ToHashSet();
        for (var i = 0; ; i++)
        {
            var candidate = ((int.Parse(valid.First(), System.Globalization.CultureInfo.InvariantCulture) + 1 + (i * 7919)) % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
            if (!valid.Contains(candidate))
            {
                return candidate;
            }
        }
    }

    /// <summary>Moves the clock to the next 30-second TOTP step (so a fresh code can be accepted).</summary>
    public void NextStep() => Time.Advance(TimeSpan.FromSeconds(30));

    /// <summary>Password step that must answer <see cref="SignInStatus.SecondFactorRequired"/>; returns the ticket.</summary>
    public async Task<string> TicketAsync(string userId, string password = UserPassword)
    {
        var step = await SignIn.PasswordSignInAsync(EmailOf(userId), password);
        step.Status.Should().Be(SignInStatus.SecondFactorRequired, step.ToString());
        return step.Ticket!;
    }

    /// <summary>A full sign-in with password and the current TOTP code.</summary>
    public async Task<AuthenticatedSession> SignInWithCodeAsync(string userId, Enrolled enrolled, string password = UserPassword)
    {
        var ticket = await TicketAsync(userId, password);
        var result = await SignIn.SecondFactorSignInAsync(ticket, CodeFor(enrolled.Secret));
        result.Status.Should().Be(SignInStatus.Succeeded, result.ToString());
        NextStep();
        return result.Session!;
    }

    public void Dispose()
    {
        _scope.Dispose();
        _root.Dispose();
    }
}
