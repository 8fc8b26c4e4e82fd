// snippet:begin usings
using AccountSecurity.Accounts;
using AccountSecurity.AspNetCore.Authentication;
using AccountSecurity.AspNetCore.Authorization;
using AccountSecurity.AspNetCore.Endpoints;
using AccountSecurity.AspNetCore.RateLimiting;
using AccountSecurity.AspNetCore.SignIn;
using AccountSecurity.EntityFrameworkCore;
using AccountSecurity.Passwords.Change;
using AccountSecurity.Resources;
using AccountSecurity.Results;
using AccountSecurity.SignIn;
using AccountSecurity.TwoFactor;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
// snippet:end

// snippet:begin services
var builder = WebApplication.CreateBuilder(args);

builder.Services.AddAccountSecurity(options =>
    {
        options.Totp.Issuer = "Example Cloud";  // the name authenticator apps show next to the code
        // 32 random bytes (Base64) from your secret store: they encrypt TOTP secrets at rest (AES-256-GCM).
        var key = builder.Configuration["AccountSecurity:TotpKey"]
            ?? throw new InvalidOperationException("Set AccountSecurity:TotpKey (dotnet user-secrets set AccountSecurity:TotpKey <key>).");
        options.SecretProtection.AddKey("2026-11", Convert.FromBase64String(key));
    })
    .UseEntityFrameworkCore(db => db.UseSqlite(builder.Configuration.GetConnectionString("Accounts") ?? "Data Source=accounts.db"))
    .AddAspNetCore(http => http.Cookies.PendingCookiePath = "/signin");  // cookies, policies, sign-in manager; the pending cookie only goes to /signin*

var app = builder.Build();

await using (var scope = app.Services.CreateAsyncScope())
{
    // Creates AccountSecurity's tables in accounts.db when missing (or use your own migrations).
    await AccountSecurityDatabase.EnsureCreatedAsync(scope.ServiceProvider.GetRequiredService<AccountSecurityDbContext>());
}
// snippet:end

// snippet:begin signup
// Sign-up creates a contract (the customer account) and its owner; a failure is answered with the package's problem
// details (ToProblem): status, code and every error, e.g. each password-policy violation.
app.MapPost("/signup", async (SignUp request, IAccountProvisioningService accounts) =>
{
    var contractId = "c-" + Guid.NewGuid().ToString("N");
    var owner = await accounts.CreateContractAsync(new NewContract
    {
        ContractId = contractId,
        ContractName = request.Company,
        OwnerUserId = "u-" + Guid.NewGuid().ToString("N"),
        OwnerEmail = request.Email,
        OwnerPassword = request.Password,
    });
    return owner.Succeeded
        ? Results.Ok(new { contractId, userId = owner.Value.Id })
        : owner.ToProblem();
});
// snippet:end

// snippet:begin signin
// Step 1, the password. With 2FA on (or forced), the sign-in manager keeps the ticket for step 2 in its pending cookie.
app.MapPost("/signin", async (Credentials request, AccountSecuritySignInManager signIn, AccountSecurityRateLimiter limits, HttpContext http) =>
{
    if (limits.TryAcquire(AbuseOperation.SignIn, http, request.Email) is { IsAllowed: false } limited)   // per client address and per account
    {
        return SecurityResult.Failed(new SecurityError(SecurityErrorCodes.RateLimited, "Too many attempts. Try again later.") { RetryAfter = limited.RetryAfter })
            .ToProblem();   // 429 rate_limited
    }

    var result = await signIn.PasswordSignInAsync(request.Email, request.Password);
    return result.Status switch
    {
        SignInStatus.Succeeded => Results.Ok(new { next = "done" }),
        SignInStatus.SecondFactorRequired => Results.Ok(new { next = "code" }),
        SignInStatus.TwoFactorSetupRequired => Results.Ok(new { next = "setup" }),
        _ => result.ToProblem(),  // 401 invalid_credentials, the same for an unknown e-mail, a wrong password and an inactive user
    };
});

// Step 2, the code from the authenticator app (or a recovery code): completes the sign-in with the second factor.
app.MapPost("/signin/code", async (Code request, AccountSecuritySignInManager signIn) =>
{
    var result = request.IsRecoveryCode
        ? await signIn.RecoveryCodeSignInAsync(request.Value)
        : await signIn.SecondFactorSignInAsync(request.Value);
    return result.Succeeded
        ? Results.Ok(new { next = "done" })
        : result.ToProblem();   // 401 with its code, e.g. invalid_code
});

app.MapPost("/signout", async (AccountSecuritySignInManager signIn) => { await signIn.SignOutAsync(); return Results.Ok(); });
// snippet:end

// snippet:begin twofactor
// Two-factor setup, by the signed-in user only: show the QR code, then confirm with a code to switch 2FA on.
var account = app.MapGroup("/account").RequireAuthorization(AccountSecurityPolicies.SignedIn);
account.MapPost("/2fa/setup", async (Password request, ITwoFactorService twoFactor, HttpContext http) =>
{
    var setup = await twoFactor.BeginSetupAsync(http.User.GetRequiredAccountSecuritySession(), request.Current);
    return setup.Succeeded
        ? Results.Ok(new { setup.Value.QrCodeSvg, setup.Value.ManualEntryKey, setup.Value.OtpAuthUri })
        : setup.ToProblem();
});
account.MapPost("/2fa/confirm", async (Code request, ITwoFactorService twoFactor, AccountSecuritySignInManager signIn, HttpContext http) =>
{
    var confirmed = await twoFactor.ConfirmSetupAsync(http.User.GetRequiredAccountSecuritySession().UserId, request.Value);
    if (!confirmed.Succeeded)
    {
        return confirmed.ToProblem();
    }

    // Switching 2FA on changed the security stamp, which ends every session; this one is re-issued with the new stamp.
    await signIn.RefreshSignInAsync(confirmed.Value.SecurityStamp);
    return Results.Ok(new { recoveryCodes = confirmed.Value.RecoveryCodes });   // show once; the library keeps only their hashes
});
// snippet:end

// snippet:begin password
// Changing the password ends every other session (their stamp is stale from their next request on); this one stays.
account.MapPost("/password", async (PasswordChange request, IPasswordChangeService passwords, AccountSecuritySignInManager signIn, HttpContext http) =>
{
    var changed = await passwords.ChangePasswordAsync(http.User.GetRequiredAccountSecuritySession(), request.Current, request.New, request.NewRepeated);
    if (!changed.Succeeded)
    {
        return changed.ToProblem();
    }

    await signIn.RefreshSignInAsync(changed.Value.SecurityStamp);
    return Results.Ok();
});
// snippet:end

// snippet:begin resources
// A protected resource: data centers flagged secAuthProtection are invisible unless the session used the second factor.
DataCenter[] dataCenters = [new("dc-fra", "Frankfurt", SecAuthProtection: false), new("dc-zrh", "Zurich", SecAuthProtection: true)];
app.MapGet("/datacenters", (HttpContext http) => http.FilterSecAuthProtectedAsync(dataCenters))   // the list, without what the session may not see
    .RequireAuthorization(AccountSecurityPolicies.SignedIn);
app.MapGet("/datacenters/{id}", async (string id, IAuthorizationService authorization, HttpContext http) =>
        dataCenters.FirstOrDefault(d => d.Id == id) is { } dc
        && (await authorization.AuthorizeAsync(http.User, dc, SecAuthProtectionRequirement.Instance)).Succeeded
            ? Results.Ok(dc)
            : Results.NotFound())   // 404, not 403: a hidden resource does not exist for this session
    .RequireAuthorization(AccountSecurityPolicies.SignedIn);

// A whole area only for sessions completed with the second factor: a password-only session gets 403.
app.MapGet("/billing", () => Results.Ok(new { invoices = Array.Empty<string>() }))
    .RequireAuthorization(AccountSecurityPolicies.SecondFactor);

app.Run();

internal sealed record DataCenter(string Id, string Name, bool SecAuthProtection) : ISecAuthProtectedResource;
// snippet:end

// snippet:begin requests
internal sealed record SignUp(string Company, string Email, string Password);

internal sealed record Credentials(string Email, string Password);

internal sealed record Code(string Value, bool IsRecoveryCode = false);

internal sealed record Password(string Current);

internal sealed record PasswordChange(string Current, string New, string NewRepeated);
// snippet:end
