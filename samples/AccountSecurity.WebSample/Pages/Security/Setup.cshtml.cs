using AccountSecurity.AspNetCore.Authorization;
using AccountSecurity.TwoFactor;
using AccountSecurity.WebSample.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace AccountSecurity.WebSample.Pages.Security;

/// <summary>The authenticator setup within a session: the key waits in server memory for this page (a reload shows it again).</summary>
[Authorize(Policy = AccountSecurityPolicies.SignedIn)]
[AllowDuringTwoFactorSetup]
public sealed class SetupModel : ConsolePageModel
{
    /// <summary>The assistant.</summary>
    public TwoFactorSetupForm Form { get; private set; } = null!;

    /// <summary>Shows the key, or sends the user back to start again when it has expired.</summary>
    public async Task<IActionResult> OnGetAsync([FromServices] Flash flash, [FromServices] OneTimeDisplays displays)
    {
        if (!await LoadUserAsync())
        {
            return SessionEndedPage();
        }

        var setup = displays.Peek<TwoFactorSetup>(HttpContext, Session.UserId, SecurityPages.SetupDisplay);
        if (setup is null)
        {
            return Answer(flash.Notice(HttpContext, "/security#two-factor", Texts["The setup page has expired. Start the setup again below: you get a new key (remove any half-added entry from your app)."]));
        }

        TakeFlash();
        Form = new TwoFactorSetupForm(setup, "/security/2fa/confirm", Data.ErrorsOf("confirm")) { EndOthersId = "2fa-setup" };
        return Page();
    }
}
