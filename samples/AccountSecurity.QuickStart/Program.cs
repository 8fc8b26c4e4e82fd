using System.Security.Cryptography;
using AccountSecurity.Accounts;
using AccountSecurity.AspNetCore.Authorization;
using AccountSecurity.EntityFrameworkCore;
using AccountSecurity.Passwords.Reset;
using AccountSecurity.Resources;
using AccountSecurity.Results;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;

var builder = WebApplication.CreateBuilder(args);

// The database, the development key and the reset links live in App_Data: keep that folder out of source control.
var data = Directory.CreateDirectory(builder.Configuration["DataFolder"] ?? "App_Data").FullName;

// 32 random bytes that encrypt TOTP secrets at rest, made on the first start. In production: from your secret store.
var keyFile = Path.Combine(data, "totp.key");
if (!File.Exists(keyFile))
{
    File.WriteAllBytes(keyFile, RandomNumberGenerator.GetBytes(32));
}

builder.Services.AddSingleton<IPasswordResetTokenSender>(new ResetLinkFile(Path.Combine(data, "reset-links.txt")));
builder.Services.AddAccountSecurity(options =>
    {
        options.Totp.Issuer = "My Console";                          // the name authenticator apps show
        options.SecretProtection.AddKey("k1", File.ReadAllBytes(keyFile));
    })
    .UseEntityFrameworkCore(db => db.UseSqlite($"Data Source={Path.Combine(data, "accounts.db")}"))
    .AddAspNetCore();                                                // cookies, policies, sign-in manager, antiforgery

var app = builder.Build();
await using (var scope = app.Services.CreateAsyncScope())
{
    await AccountSecurityDatabase.EnsureCreatedAsync(scope.ServiceProvider.GetRequiredService<AccountSecurityDbContext>());

    // The first user: the owner of the first contract, from configuration (user secrets, environment), made once.
    if (app.Configuration["FirstOwner:Email"] is { Length: > 0 } email)
    {
        var accounts = scope.ServiceProvider.GetRequiredService<IAccountProvisioningService>();
        var owner = await accounts.CreateContractAsync(new NewContract
        {
            ContractId = "c1",
            ContractName = "My company",
            OwnerUserId = "owner",
            OwnerEmail = email,
            OwnerPassword = app.Configuration["FirstOwner:Password"],
        });
        if (!owner.Succeeded && owner.ErrorCode != SecurityErrorCodes.Duplicate)   // duplicate: made on an earlier start
        {
            throw new InvalidOperationException($"FirstOwner: {string.Join(" ", owner.Errors.Select(e => e.Message))}");
        }
    }
}

app.MapAccountSecurityApi("/account");                               // sign-in, 2FA, password change and reset, PIN, …

// An endpoint only for sessions signed in with the second factor: a password-only session gets 403.
app.MapGet("/hello", (HttpContext http) => $"Hello, {http.User.Identity!.Name}")
    .RequireAuthorization(AccountSecurityPolicies.SecondFactor);

// Resources flagged secAuthProtection: hidden from sessions signed in without the second factor.
DataCenter[] dataCenters = [new("fra1", "Frankfurt", SecAuthProtection: false), new("vault", "Vault", SecAuthProtection: true)];
app.MapGet("/datacenters", (HttpContext http) => http.FilterSecAuthProtectedAsync(dataCenters))
    .RequireAuthorization(AccountSecurityPolicies.SignedIn);
app.MapGet("/datacenters/{id}", async (string id, HttpContext http, IAuthorizationService authorization) =>
        dataCenters.FirstOrDefault(d => d.Id == id) is { } dataCenter
        && (await authorization.AuthorizeAsync(http.User, dataCenter, SecAuthProtectionRequirement.Instance)).Succeeded
            ? Results.Ok(dataCenter)
            : Results.NotFound())                                    // a hidden resource does not exist for this session
    .RequireAuthorization(AccountSecurityPolicies.SignedIn);

app.Run();

/// <summary>A data center; the protected ones need a sign-in with the second factor.</summary>
internal sealed record DataCenter(string Id, string Name, bool SecAuthProtection) : ISecAuthProtectedResource;

/// <summary>
/// Delivers password-reset links by appending them to a file a developer can open; a real app e-mails them. The link
/// holds the token, so it never goes to a log.
/// </summary>
internal sealed class ResetLinkFile(string path) : IPasswordResetTokenSender
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async ValueTask SendAsync(PasswordResetMessage message, CancellationToken cancellationToken)
    {
        var line = $"{DateTimeOffset.UtcNow:O} to {message.Email}: /reset?token={Uri.EscapeDataString(message.Token)} (valid until {message.ExpiresAt:O}){Environment.NewLine}";
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await File.AppendAllTextAsync(path, line, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }
}
