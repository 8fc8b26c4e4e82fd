using AccountSecurity.AspNetCore.Authorization;
using AccountSecurity.AspNetCore.SignIn;
using AccountSecurity.Passwords.Reset;
using AccountSecurity.SignIn;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace AccountSecurity.PackageExamples;

/// <summary>The AccountSecurity.AspNetCore package README's example: the HTTP layer on a minimal API.</summary>
public static class AspNetCoreExample
{
    /// <summary>Builds (does not run) an app with the session schemes, the policies, the JSON endpoints and a page of its own.</summary>
    public static WebApplication Build(byte[] key)
    {
        // snippet:begin aspnetcore
        var builder = WebApplication.CreateBuilder();
        builder.Services.AddSingleton<IPasswordResetTokenSender, MyResetMailSender>(); // POST /account/password/reset mails with it
        builder.Services.AddAccountSecurity(options =>
            {
                options.Totp.Issuer = "Example Cloud";
                options.SecretProtection.AddKey("2026-11", key);               // 32 bytes from your secret store
            })
            .AddAspNetCore(http =>
            {
                http.Sessions.RecordClientAddress = true;                      // anonymised; see "Sessions"
                http.RateLimits.SignInPerAccount = new(5, TimeSpan.FromMinutes(1));
                http.Cookies.TwoFactorSetupPath = "/my-setup";                  // see "Forced 2FA on open sessions"
            });

        var app = builder.Build();
        app.MapAccountSecurityApi("/account");                                 // optional JSON endpoints
        app.MapGet("/billing", () => "invoices")
            .RequireAuthorization(AccountSecurityPolicies.SecondFactor);        // a session completed with 2FA

        // Your own sign-in page instead of the JSON endpoints: the facade keeps the ticket in the pending cookie.
        app.MapPost("/my-signin", async (HttpContext context, AccountSecuritySignInManager signIn) =>
        {
            var form = await context.Request.ReadFormAsync();
            var result = await signIn.PasswordSignInAsync(form["email"], form["password"]);
            return result.Status switch
            {
                SignInStatus.Succeeded => TypedResults.Redirect("/"),
                SignInStatus.SecondFactorRequired => TypedResults.Redirect("/my-signin/code"),
                SignInStatus.TwoFactorSetupRequired => TypedResults.Redirect("/my-signin/setup"),
                _ => TypedResults.Redirect("/my-signin?failed=1"),                   // the same for a locked account
            };
        });

        // Where a signed-in user goes when an administrator forces 2FA on them: the session stays open for the setup.
        app.MapGet("/my-setup", () => TypedResults.Content("<form method=post action=/my-setup>…</form>", "text/html"))
            .RequireAuthorization(AccountSecurityPolicies.SignedIn)
            .AllowDuringTwoFactorSetup();                                       // and the endpoints it posts to
        // snippet:end
        return app;
    }

    /// <summary>Builds (does not run) an app that sends no reset mail: the JSON endpoints without the two reset endpoints, and no sender.</summary>
    public static WebApplication BuildWithoutPasswordReset(byte[] key)
    {
        var builder = WebApplication.CreateBuilder();
        // snippet:begin aspnetcore-no-reset
        builder.Services.AddAccountSecurity(options =>
            {
                options.Totp.Issuer = "Example Cloud";
                options.SecretProtection.AddKey("2026-11", key);
            })
            .AddAspNetCore(http => http.MapPasswordResetEndpoints = false);     // no reset mail, no sender needed

        var app = builder.Build();
        app.MapAccountSecurityApi("/account");                                 // everything but /password/reset…
        // snippet:end
        return app;
    }

    /// <summary>Where a real host hands the reset link to its mail queue; it never logs the token.</summary>
    private sealed class MyResetMailSender : IPasswordResetTokenSender
    {
        public ValueTask SendAsync(PasswordResetMessage message, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
