using AccountSecurity.WebSample.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace AccountSecurity.WebSample.Pages;

/// <summary>Says why a session ended (as far as its holder may know), with the way back in.</summary>
public sealed class SessionEndedPageModel : ConsolePageModel
{
    /// <summary>Why the session ended.</summary>
    public SessionEndReason Reason { get; private set; }

    /// <summary>Reads the reason the rejected session left.</summary>
    public IActionResult OnGet([FromServices] SessionEnded ended)
    {
        Reason = ended.Read(HttpContext);
        return Page();
    }
}
