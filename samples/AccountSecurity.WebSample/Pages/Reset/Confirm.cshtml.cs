using AccountSecurity.WebSample.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace AccountSecurity.WebSample.Pages.Reset;

/// <summary>The new password, with the code from the reset mail (its link carries it in the fragment).</summary>
public sealed class ConfirmModel : ConsolePageModel
{
    /// <summary>Shows the form.</summary>
    public IActionResult OnGet()
    {
        TakeFlash();
        return Page();
    }
}
