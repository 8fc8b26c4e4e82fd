using AccountSecurity.Passkeys.AspNetCore;
using AccountSecurity.WebSample.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace AccountSecurity.WebSample.Pages.SignIn;

/// <summary>The forced setup with a passkey instead of an authenticator app.</summary>
public sealed class SetupPasskeyModel : ConsolePageModel
{
    /// <summary>The creation ceremony.</summary>
    public PasskeyForm Form { get; private set; } = null!;

    /// <summary>Starts the ceremony, or starts the sign-in over when no setup waits.</summary>
    public async Task<IActionResult> OnGetAsync([FromServices] PasskeySignInManager passkeys)
    {
        var started = await passkeys.BeginSetupAsync(HttpContext.RequestAborted);
        if (!started.Succeeded)
        {
            // No pending setup (or its ticket expired in the library): the sign-in starts over.
            return Answer(Respond.Redirect("/signin?m=expired"));
        }

        TakeFlash();
        Form = new PasskeyForm(PasskeyView.Ceremony.Create, started.Value!, "/signin/setup/passkey", "Create the passkey and sign in", "setup-create-passkey", []) { AskName = PasskeyPages.DefaultName };
        return Page();
    }
}
