// snippet:begin usings
using AccountSecurity.Accounts;
using AccountSecurity.EntityFrameworkCore;
using AccountSecurity.Resources;
using AccountSecurity.SignIn;
using AccountSecurity.TwoFactor;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
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
.UseEntityFrameworkCore(db => db.UseSqlite(builder.Configuration.GetConnectionString("Accounts") ?? "Data Source=accounts.db"));
// snippet:end

// snippet:begin cookies
builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
    .AddCookie(options =>                      // the session: the library's AuthenticatedSession as claims
    {
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Strict;
        options.ExpireTimeSpan = TimeSpan.FromHours(8);
        options.Events.OnValidatePrincipal = SessionClaims.ValidateAsync;        // a changed security stamp ends the session
        options.Events.OnRedirectToLogin = context => { context.Response.StatusCode = 401; return Task.CompletedTask; };
    })
    .AddCookie(SessionClaims.PendingScheme, options =>  // between password and code: holds the single-use sign-in ticket
    {
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Strict;
        options.ExpireTimeSpan = TimeSpan.FromMinutes(5);
    });
builder.Services.AddAuthorization();

var app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();

await using (var scope = app.Services.CreateAsyncScope())
{
    // Creates AccountSecurity's tables in accounts.db when missing (or use your own migrations).
    await AccountSecurityDatabase.EnsureCreatedAsync(scope.ServiceProvider.GetRequiredService<AccountSecurityDbContext>());
}
// snippet:end

// snippet:begin signup
// Sign-up creates a contract (the customer account) and its owner; the policy check comes back as errors with codes.
app.MapPost("/signup", async (SignUp request, IAccountProvisioningService accounts) =>
{
    var contractId = "c-" + Guid.NewGuid().ToString("N");
    var owner = await accounts.CreateContractAsync(contractId, request.Company, "u-" + Guid.NewGuid().ToString("N"), request.Email, request.Password);
    return owner.Succeeded
        ? Results.Ok(new { contractId, userId = owner.Value.Id })
        : Results.BadRequest(owner.Errors.Select(e => new { e.Code, e.Message }));
});
// snippet:end

// snippet:begin signin
// Step 1, the password. With 2FA on (or forced), the answer is a ticket for step 2, kept in its own short cookie.
app.MapPost("/signin", async (Credentials request, ISignInService signIn, HttpContext http) =>
{
    var result = await signIn.PasswordSignInAsync(request.Email, request.Password);
    switch (result.Status)
    {
        case SignInStatus.Succeeded:
            await http.SignInAsync(SessionClaims.ToPrincipal(result.Session!));
            return Results.Ok(new { next = "done" });
        case SignInStatus.SecondFactorRequired or SignInStatus.TwoFactorSetupRequired:
            await http.SignInAsync(SessionClaims.PendingScheme, SessionClaims.PendingPrincipal(result.Ticket!));
            return Results.Ok(new { next = result.Status == SignInStatus.SecondFactorRequired ? "code" : "setup" });
        case SignInStatus.LockedOut:
            return Results.Problem("Too many attempts. Try again later.", statusCode: 429);
        default:
            return Results.Problem("Wrong e-mail address or password.", statusCode: 401);  // the same for an unknown e-mail
    }
});

// Step 2, the code from the authenticator app (or a recovery code): completes the sign-in with the second factor.
app.MapPost("/signin/code", async (Code request, ISignInService signIn, HttpContext http) =>
{
    var pending = await http.AuthenticateAsync(SessionClaims.PendingScheme);
    var ticket = SessionClaims.TicketOf(pending.Principal);
    var result = request.IsRecoveryCode
        ? await signIn.RecoveryCodeSignInAsync(ticket, request.Value)
        : await signIn.SecondFactorSignInAsync(ticket, request.Value);
    if (!result.Succeeded)
    {
        return Results.Problem("The code is not valid.", statusCode: result.Status == SignInStatus.LockedOut ? 429 : 401);
    }

    await http.SignOutAsync(SessionClaims.PendingScheme);
    await http.SignInAsync(SessionClaims.ToPrincipal(result.Session!));
    return Results.Ok(new { next = "done" });
});

app.MapPost("/signout", async (HttpContext http) => { await http.SignOutAsync(); return Results.Ok(); });
// snippet:end

// snippet:begin twofactor
// Two-factor setup, by the signed-in user only: show the QR code, then confirm with a code to switch 2FA on.
var account = app.MapGroup("/account/2fa").RequireAuthorization();
account.MapPost("/setup", async (Password request, ITwoFactorService twoFactor, HttpContext http) =>
{
    var setup = await twoFactor.BeginSetupAsync(SessionClaims.Current(http).UserId, request.Current);
    return setup.Succeeded
        ? Results.Ok(new { setup.Value.QrCodeSvg, setup.Value.ManualEntryKey, setup.Value.OtpAuthUri })
        : Results.BadRequest(setup.Errors.Select(e => new { e.Code, e.Message }));
});
account.MapPost("/confirm", async (Code request, ITwoFactorService twoFactor, HttpContext http) =>
{
    var confirmed = await twoFactor.ConfirmSetupAsync(SessionClaims.Current(http).UserId, request.Value);
    if (!confirmed.Succeeded)
    {
        return Results.BadRequest(confirmed.Errors.Select(e => new { e.Code, e.Message }));
    }

    // Enabling 2FA changed the security stamp, which ends every session: sign in again, now with the code.
    await http.SignOutAsync();
    return Results.Ok(new { recoveryCodes = confirmed.Value.RecoveryCodes });   // show once; the library keeps only their hashes
});
// snippet:end

// snippet:begin resources
// A protected resource: data centers flagged secAuthProtection are invisible unless the session used the second factor.
DataCenter[] dataCenters = [new("dc-fra", "Frankfurt", SecAuthProtection: false), new("dc-zrh", "Zurich", SecAuthProtection: true)];
app.MapGet("/datacenters", async (IProtectedResourceAccess access, HttpContext http) =>
    await access.FilterAsync(SessionClaims.Current(http), dataCenters)).RequireAuthorization();
app.MapGet("/datacenters/{id}", async (string id, IProtectedResourceAccess access, HttpContext http) =>
    dataCenters.FirstOrDefault(d => d.Id == id) is { } dc && await access.CanSeeAsync(SessionClaims.Current(http), dc)
        ? Results.Ok(dc)
        : Results.NotFound()).RequireAuthorization();   // 404, not 403: a hidden resource does not exist for this session

app.Run();

internal sealed record DataCenter(string Id, string Name, bool SecAuthProtection) : ISecAuthProtectedResource;
// snippet:end

// snippet:begin requests
internal sealed record SignUp(string Company, string Email, string Password);

internal sealed record Credentials(string Email, string Password);

internal sealed record Code(string Value, bool IsRecoveryCode = false);

internal sealed record Password(string Current);
// snippet:end
