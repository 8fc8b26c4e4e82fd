using AccountSecurity.AspNetCore.SignIn;
using AccountSecurity.WebSample.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace AccountSecurity.WebSample.Pages.SignIn;

/// <summary>The second step of a sign-in: the authenticator code, a passkey, or a recovery code.</summary>
public sealed class SecondFactorModel : ConsolePageModel
{
    /// <summary>The page to go back to after signing in (local).</summary>
    public string? ReturnUrl { get; private set; }

    /// <summary>The passkey ceremony, when the account has a passkey.</summary>
    public PasskeyForm? Passkey { get; private set; }

    /// <summary>Shows the step, or starts over when no sign-in waits for it.</summary>
    public async Task<IActionResult> OnGetAsync([FromServices] AccountSecuritySignInManager signIn, string? returnUrl)
    {
        if (await signIn.GetPendingStepAsync() != PendingSignInStep.SecondFactor)
        {
            return Answer(Respond.Redirect("/signin?m=expired"));
        }

        TakeFlash();
        ReturnUrl = SignInPages.ReturnUrlOf(returnUrl);
        Passkey = await PasskeyPages.SecondFactorAsync(HttpContext, primary: Data.ErrorsOf("passkey").Count > 0);
        return Page();
    }
}
