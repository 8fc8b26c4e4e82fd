using System.Security.Cryptography;
using System.Text.Json.Serialization;
using AccountSecurity.AspNetCore.Authorization;
using AccountSecurity.Passwords.Reset;
using AccountSecurity.Resources;
using Microsoft.AspNetCore.Authorization;

// samples/AccountSecurity.MinimalApi/Program.cs on the embedded stores, with what Native AOT asks of a host: the slim
// builder and source-generated JSON for the host's own types (the package brings its own for its endpoints).
var builder = WebApplication.CreateSlimBuilder(args);
builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, ConsumerJson.Default));
builder.Services.AddSingleton<IPasswordResetTokenSender, Outbox>();
builder.Services.AddAccountSecurity(options =>
    {
        options.Totp.Issuer = "Minimal API";
        options.SecretProtection.AddKey("k1", RandomNumberGenerator.GetBytes(32));   // in-memory stores: a key per process is enough
    })
    .AddAspNetCore();

var app = builder.Build();
app.MapAccountSecurityApi("/account");
app.MapGet("/hello", (HttpContext c) => $"Hello, {c.User.Identity!.Name}")
    .RequireAuthorization(AccountSecurityPolicies.SecondFactor);
DataCenter[] centers = [new("fra1", SecAuthProtection: false), new("vault", SecAuthProtection: true)];
app.MapGet("/datacenters", (HttpContext c) => c.FilterSecAuthProtectedAsync(centers))
    .RequireAuthorization(AccountSecurityPolicies.SignedIn);
app.MapGet("/datacenters/{id}", async (string id, HttpContext c, IAuthorizationService auth) =>
        centers.FirstOrDefault(d => d.Id == id) is not { } center ? Results.NotFound()
        : (await auth.AuthorizeAsync(c.User, center, SecAuthProtectionRequirement.Instance)).Succeeded ? Results.Ok(center)
        : Results.Forbid())
    .RequireAuthorization(AccountSecurityPolicies.SignedIn);
await Demo.SeedAsync(app);
app.Run();

/// <summary>A resource that can carry <c>secAuthProtection</c>.</summary>
internal sealed record DataCenter(string Id, bool SecAuthProtection) : ISecAuthProtectedResource;

/// <summary>Source-generated JSON for the host's types: Native AOT has no reflection-based serializer.</summary>
[JsonSerializable(typeof(DataCenter))]
[JsonSerializable(typeof(IReadOnlyList<DataCenter>))]
internal sealed partial class ConsumerJson : JsonSerializerContext;
