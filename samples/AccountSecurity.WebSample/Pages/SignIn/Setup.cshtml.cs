using AccountSecurity.AspNetCore.SignIn;
using AccountSecurity.WebSample.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace AccountSecurity.WebSample.Pages.SignIn;

/// <summary>The forced two-factor setup of a sign-in: the authenticator app (or a passkey instead), or sign out.</summary>
public sealed class SetupModel : ConsolePageModel
{
    /// <summary>The assistant (after a wrong code: only the code input).</summary>
    public TwoFactorSetupForm Form { get; private set; } = null!;

    /// <summary>Whether a wrong code came back (the key is not shown again).</summary>
    public bool Retry { get; private set; }

    /// <summary>Starts the setup, or shows the code input again after a wrong code.</summary>
    public async Task<IActionResult> OnGetAsync([FromServices] AccountSecuritySignInManager signIn, string? returnUrl)
    {
        if (await signIn.GetPendingStepAsync() != PendingSignInStep.TwoFactorSetup)
        {
            return Answer(Respond.Redirect("/signin?m=expired"));
        }

        // After a wrong code only the code input comes back: a new key would not match what the app just scanned.
        TakeFlash();
        var here = SignInPages.WithReturnUrl("/signin/setup", SignInPages.ReturnUrlOf(returnUrl));
        if (Data.ErrorsOf("setup") is { Count: > 0 } errors)
        {
            Retry = true;
            Form = new TwoFactorSetupForm(null, here, errors) { RestartHref = here };
            return Page();
        }

        var setup = await signIn.BeginTwoFactorSetupAsync(HttpContext.RequestAborted);
        if (!setup.Succeeded)
        {
            // The ticket expired or was revoked in the library: the pending sign-in can never finish.
            await signIn.SignOutAsync();
            return Answer(Respond.Redirect("/signin?m=expired"));
        }

        Form = new TwoFactorSetupForm(setup.Value, here, []);
        return Page();
    }
}
