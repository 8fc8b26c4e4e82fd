using System.Security.Cryptography;
using AccountSecurity.AspNetCore.Authorization;
using AccountSecurity.EntityFrameworkCore;
using AccountSecurity.Resources;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;

// snippet:begin quickstart
var builder = WebApplication.CreateBuilder(args);
var keyFile = builder.Configuration["KeyFile"] ?? "minimal.key";              // keep it in a secret store in production
if (!File.Exists(keyFile)) { File.WriteAllBytes(keyFile, RandomNumberGenerator.GetBytes(32)); }
builder.Services.AddSingleton<AccountSecurity.Passwords.Reset.IPasswordResetTokenSender, Outbox>();
builder.Services.AddAccountSecurity(options =>
    {
        options.Totp.Issuer = "Minimal API";
        options.SecretProtection.AddKey("k1", File.ReadAllBytes(keyFile));
    })
    .UseEntityFrameworkCore(db => db.UseSqlite(builder.Configuration["Database"] ?? "Data Source=minimal.db"))
    .AddAspNetCore();                                                        // cookies, policies, sign-in manager

var app = builder.Build();
await using (var scope = app.Services.CreateAsyncScope())
{
    await AccountSecurityDatabase.EnsureCreatedAsync(scope.ServiceProvider.GetRequiredService<AccountSecurityDbContext>());
}

app.MapAccountSecurityApi("/account");                                        // sign-in, 2FA, password, PIN, …
app.MapGet("/hello", (HttpContext c) => $"Hello, {c.User.Identity!.Name}")
    .RequireAuthorization(AccountSecurityPolicies.SecondFactor);                // signed in with the second factor
DataCenter[] centers = [new("fra1", SecAuthProtection: false), new("vault", SecAuthProtection: true)];
app.MapGet("/datacenters", (HttpContext c) => c.FilterSecAuthProtectedAsync(centers))
    .RequireAuthorization(AccountSecurityPolicies.SignedIn);                    // protected ones hidden without 2FA
app.MapGet("/datacenters/{id}", async (string id, HttpContext c, IAuthorizationService auth) =>
        centers.FirstOrDefault(d => d.Id == id) is not { } center ? Results.NotFound()
        : (await auth.AuthorizeAsync(c.User, center, SecAuthProtectionRequirement.Instance)).Succeeded ? Results.Ok(center)
        : Results.Forbid())
    .RequireAuthorization(AccountSecurityPolicies.SignedIn);
await Demo.SeedAsync(app);
app.Run();
// snippet:end

/// <summary>A resource that can carry <c>secAuthProtection</c>.</summary>
internal sealed record DataCenter(string Id, bool SecAuthProtection) : ISecAuthProtectedResource;

/// <summary>The entry point, for WebApplicationFactory.</summary>
public partial class Program;
