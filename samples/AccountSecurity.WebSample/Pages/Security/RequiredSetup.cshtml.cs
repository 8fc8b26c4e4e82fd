using AccountSecurity.AspNetCore.Authentication;
using AccountSecurity.AspNetCore.Authorization;
using AccountSecurity.WebSample.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace AccountSecurity.WebSample.Pages.Security;

/// <summary>
/// The forced setup of an open session: the package lets such a session reach only the endpoints marked
/// AllowDuringTwoFactorSetup (this page, the setup steps, the passkey registration and sign-out).
/// </summary>
[Authorize(Policy = AccountSecurityPolicies.SignedIn)]
[AllowDuringTwoFactorSetup]
public sealed class RequiredSetupModel : ConsolePageModel
{
    /// <summary>Whether changes go through without confirming now.</summary>
    public bool Fresh { get; private set; }

    /// <summary>The step-up card.</summary>
    public StepUpCard? StepUpCard { get; private set; }

    /// <summary>Shows the choices, or the console when nothing is required any more.</summary>
    public async Task<IActionResult> OnGetAsync()
    {
        if (!User.IsTwoFactorSetupRequired())
        {
            return Answer(Respond.Redirect("/security"));
        }

        if (!await LoadUserAsync())
        {
            return SessionEndedPage();
        }

        TakeFlash();
        Fresh = await StepUp.IsFreshAsync(HttpContext);
        StepUpCard = await StepUp.CardAsync(HttpContext, SecurityPages.RequiredSetupPath, Data.ErrorsOf(StepUp.FlashKey), "set up your second factor");
        return Page();
    }
}
