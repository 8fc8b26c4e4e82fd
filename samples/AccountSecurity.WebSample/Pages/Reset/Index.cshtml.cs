using AccountSecurity.WebSample.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace AccountSecurity.WebSample.Pages.Reset;

/// <summary>Asks for the address a reset link goes to.</summary>
public sealed class IndexModel : ConsolePageModel
{
    /// <summary>Shows the form (and that a link was sent, after the post).</summary>
    public IActionResult OnGet()
    {
        TakeFlash();
        return Page();
    }
}
