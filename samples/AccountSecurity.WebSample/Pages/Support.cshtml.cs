using AccountSecurity.AspNetCore.Authorization;
using AccountSecurity.WebSample.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace AccountSecurity.WebSample.Pages;

/// <summary>The page support staff verify a caller on (owner and administrators; the check posts to <see cref="SupportPinPages"/>).</summary>
[Authorize(Policy = AccountSecurityPolicies.SignedIn)]
public sealed class SupportModel : ConsolePageModel
{
    /// <summary>Shows the form and the last answer.</summary>
    public async Task<IActionResult> OnGetAsync()
    {
        var caller = await UsersPages.AdminAsync(HttpContext, "support", "Support: verify a caller");
        if (caller is not (_, null))
        {
            return caller?.Denied is { } denied ? Answer(denied) : SessionEndedPage();
        }

        await LoadUserAsync();
        TakeFlash();
        return Page();
    }
}
