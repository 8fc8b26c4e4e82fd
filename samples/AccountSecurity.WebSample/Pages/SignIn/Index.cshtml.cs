using AccountSecurity.WebSample.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace AccountSecurity.WebSample.Pages.SignIn;

/// <summary>The sign-in page: e-mail and password, or a passkey alone (the form posts to <see cref="SignInPages"/>).</summary>
public sealed class IndexModel : ConsolePageModel
{
    /// <summary>The notice a redirect asked for by key.</summary>
    public string? Notice { get; private set; }

    /// <summary>The page to go back to after signing in (local).</summary>
    public string? ReturnUrl { get; private set; }

    /// <summary>The passwordless ceremony, when the library started one.</summary>
    public PasskeyForm? Passkey { get; private set; }

    /// <summary>Shows the form.</summary>
    public async Task<IActionResult> OnGetAsync(string? m, string? returnUrl)
    {
        TakeFlash();
        Notice = SignInPages.Notice(m);
        ReturnUrl = SignInPages.ReturnUrlOf(returnUrl);
        Passkey = await PasskeyPages.PasswordlessAsync(HttpContext);
        return Page();
    }
}
