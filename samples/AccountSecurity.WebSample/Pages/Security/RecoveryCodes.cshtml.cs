using AccountSecurity.AspNetCore.Authorization;
using AccountSecurity.WebSample.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace AccountSecurity.WebSample.Pages.Security;

/// <summary>Recovery codes, shown once: they leave server memory with this page, and a reload says so.</summary>
[Authorize(Policy = AccountSecurityPolicies.SignedIn)]
[AllowDuringTwoFactorSetup]
public sealed class RecoveryCodesModel : ConsolePageModel
{
    /// <summary>The codes to show, or <see langword="null"/> when they have been shown already.</summary>
    public RecoveryCodesToShow? Shown { get; private set; }

    /// <summary>The page a sign-in asked for, if any (otherwise the console's menu is the way on).</summary>
    public string? ContinueHref { get; private set; }

    /// <summary>Takes the codes out of server memory and shows them.</summary>
    public async Task<IActionResult> OnGetAsync([FromServices] OneTimeDisplays displays, string? returnUrl)
    {
        if (!await LoadUserAsync())
        {
            return SessionEndedPage();
        }

        Shown = displays.Take<RecoveryCodesToShow>(HttpContext, Session.UserId, SignInPages.RecoveryCodesDisplay);
        ContinueHref = SignInPages.ReturnUrlOf(returnUrl);
        return Page();
    }
}
