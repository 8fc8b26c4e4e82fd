using AccountSecurity.AspNetCore.Authentication;
using AccountSecurity.AspNetCore.Authorization;
using AccountSecurity.WebSample.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace AccountSecurity.WebSample.Pages.Security;

/// <summary>
/// "Confirm it's you" as a page of its own, where a change refused with <c>reauthentication_required</c> lands (its
/// posts are <see cref="StepUpPages"/>); also during a forced two-factor setup, which needs one.
/// </summary>
[Authorize(Policy = AccountSecurityPolicies.SignedIn)]
[AllowDuringTwoFactorSetup]
public sealed class ConfirmModel : ConsolePageModel
{
    /// <summary>The way back (a local path).</summary>
    public string Back { get; private set; } = "/security";

    /// <summary>The card.</summary>
    public StepUpCard? Card { get; private set; }

    /// <summary>Whether the page is in the bare frame (the session must set up 2FA first).</summary>
    public bool Bare { get; private set; }

    /// <summary>Shows the card, or goes back at once when the session is fresh.</summary>
    public async Task<IActionResult> OnGetAsync(string? returnUrl)
    {
        Back = StepUp.LocalPath(returnUrl);
        if (!await LoadUserAsync())
        {
            return SessionEndedPage();
        }

        if (await StepUp.IsFreshAsync(HttpContext))
        {
            return Answer(Respond.Redirect(Back));
        }

        TakeFlash();
        Card = await StepUp.CardAsync(HttpContext, Back, Data.ErrorsOf(StepUp.FlashKey), "make this change", showHeading: false);
        Bare = User.IsTwoFactorSetupRequired();
        return Page();
    }
}
